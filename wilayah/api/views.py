from rest_framework.response import Response

from core.api.views import AuditTrailMixin
from core.api.views import ScopedReadOnlyViewSet
from wilayah.filtersets import RegionFilterSet
from wilayah.models import Region
from wilayah.selectors import region_ancestors

from .serializers import RegionDetailSerializer
from .serializers import RegionSerializer

__all__ = ["RegionViewSet"]


class RegionViewSet(AuditTrailMixin, ScopedReadOnlyViewSet):
    """
    The official region tree, limited to the caller's scope. Look up a region by its dotted
    Kemendagri code, e.g. ``/api/regions/33.18.01.2001/``.
    """

    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
    lookup_field = "code"
    lookup_value_regex = r"[0-9.]+"

    def get_serializer_class(self):
        return RegionDetailSerializer if self.action == "retrieve" else RegionSerializer

    def retrieve(self, request, *args, **kwargs):
        region = self.get_object()
        context = {**self.get_serializer_context(), "ancestors": region_ancestors(region)}
        return Response(RegionDetailSerializer(region, context=context).data)
