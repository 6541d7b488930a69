"""Business units of cooperatives and the unit-type catalogue. Every write calls a units service."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework import status
from rest_framework import viewsets
from rest_framework.response import Response

from core.api.views import NUMERIC_ID
from core.api.views import AuditTrailMixin
from core.api.views import ConditionalWriteMixin
from core.api.views import ScopedViewSetMixin
from core.api.views import validated_input
from units import services
from units.models import Unit
from units.models import UnitType

from .filtersets import UnitFilterSet
from .serializers import UnitCreateInputSerializer
from .serializers import UnitDetailSerializer
from .serializers import UnitSerializer
from .serializers import UnitTypeSerializer
from .serializers import UnitUpdateInputSerializer

__all__ = ["UnitTypeViewSet", "UnitViewSet"]


class UnitViewSet(ConditionalWriteMixin, AuditTrailMixin, ScopedViewSetMixin, mixins.ListModelMixin,
                  mixins.RetrieveModelMixin,
                  viewsets.GenericViewSet):
    """
    The business units of the cooperatives in the caller's area: the seven mandated ones, created with
    the cooperative, and local ones added here. Units are not deleted; a unit not run says why.
    """

    queryset = Unit.objects.select_related("unit_type")
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = NUMERIC_ID

    def get_serializer_class(self):
        return UnitSerializer if self.action == "list" else UnitDetailSerializer

    def _detail(self, unit: Unit, **kwargs) -> Response:
        unit = self.get_queryset().prefetch_related("milestones").get(pk=unit.pk)
        return Response(UnitDetailSerializer(unit, context=self.get_serializer_context()).data, **kwargs)

    @extend_schema(responses=UnitDetailSerializer)
    def retrieve(self, request, pk=None):
        return self._detail(self.get_object())

    @extend_schema(request=UnitCreateInputSerializer, responses={201: UnitDetailSerializer})
    def create(self, request):
        """Add a local unit (beyond the mandated seven), e.g. Pariwisata."""
        data = validated_input(UnitCreateInputSerializer, request.data, context=self.get_serializer_context())
        unit = services.unit_add_local(actor=request.user, cooperative=data["cooperative"], name=data["name"],
                                       notes=data["notes"])
        return self._detail(unit, status=status.HTTP_201_CREATED)

    @extend_schema(request=UnitUpdateInputSerializer, responses=UnitDetailSerializer)
    def partial_update(self, request, pk=None):
        """Update readiness, progress, licence and go-live; milestones follow the status."""
        unit = self.get_object()
        data = validated_input(UnitUpdateInputSerializer, request.data)
        unit = services.unit_update(actor=request.user, unit=unit, **data)
        return self._detail(unit)


class UnitTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """The unit-type catalogue: the seven units mandated by Inpres 9/2025."""

    queryset = UnitType.objects.all()
    serializer_class = UnitTypeSerializer
    lookup_field = "code"
    lookup_value_regex = r"[a-z0-9_-]+"
    pagination_class = None
