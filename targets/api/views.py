"""Targets with deadlines and their computed figures. Every write calls a targets service."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework import status
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.views import NUMERIC_ID
from core.api.views import AuditTrailMixin
from core.api.views import ConditionalWriteMixin
from core.api.views import ScopedViewSetMixin
from core.api.views import validated_input
from targets import services
from targets.filtersets import TargetFilterSet
from targets.models import Target
from targets.selectors import target_rows

from .serializers import TargetCreateInputSerializer
from .serializers import TargetSerializer
from .serializers import TargetUpdateInputSerializer

__all__ = ["TargetViewSet"]


class TargetViewSet(ConditionalWriteMixin, AuditTrailMixin, ScopedViewSetMixin, mixins.ListModelMixin,
                    mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """
    Targets set on the regions in the caller's area ("N cooperatives at stage X in region R by date D",
    or N units of a type at a readiness status), with what has been achieved and the pace needed.
    """

    queryset = Target.objects.select_related("region", "stage", "unit_type")
    serializer_class = TargetSerializer
    filterset_class = TargetFilterSet
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    lookup_value_regex = NUMERIC_ID

    def _data(self, target: Target) -> dict:
        target = self.get_queryset().get(pk=target.pk)
        return TargetSerializer(target, context=self.get_serializer_context()).data

    def _serialize_many(self, targets) -> list[dict]:
        """Figures for every target in two or three queries, rather than per target."""
        targets = list(targets)
        figures = {row.target.pk: row.figures for row in target_rows(targets)}
        context = {**self.get_serializer_context(), "figures": figures}
        return TargetSerializer(targets, many=True, context=context).data

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self._serialize_many(page))

    @extend_schema(request=TargetCreateInputSerializer, responses={201: TargetSerializer})
    def create(self, request):
        """Set a target on a region; without ``target_count`` it is the number of desa/kelurahan there."""
        data = validated_input(TargetCreateInputSerializer, request.data)
        target = services.target_create(
            actor=request.user, region_code=data["region"], metric=data["metric"], start_date=data["start_date"],
            due_date=data["due_date"], stage_code=data.get("stage"), unit_type_code=data.get("unit_type"),
            unit_status=data["unit_status"], land_step=data["land_step"], target_count=data.get("target_count"),
            title=data["title"],
            notes=data["notes"],
        )
        return Response(self._data(target), status=status.HTTP_201_CREATED)

    @extend_schema(request=TargetUpdateInputSerializer, responses=TargetSerializer)
    def partial_update(self, request, pk=None):
        target = self.get_object()
        data = validated_input(TargetUpdateInputSerializer, request.data)
        target = services.target_update(actor=request.user, target=target, **data)
        return Response(self._data(target))

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request, pk=None):
        """Delete a target and the targets split from it."""
        services.target_delete(actor=request.user, target=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={201: TargetSerializer(many=True)}, filters=False)
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def split(self, request, pk=None):
        """
        Split a province or kabupaten/kota target into one per child region, in proportion to their
        desa/kelurahan. Returns the targets created (none when repeated).
        """
        created = services.target_split(actor=request.user, target=self.get_object())
        targets = self.get_queryset().filter(pk__in=[target.pk for target in created]).order_by("region_id")
        return Response(self._serialize_many(targets), status=status.HTTP_201_CREATED)
