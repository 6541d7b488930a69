"""Assistance visits and their follow-ups. Every write calls a pendampingan service."""

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
from pendampingan import services
from pendampingan.filtersets import VisitFilterSet
from pendampingan.models import Visit
from pendampingan.selectors import follow_ups_due

from .serializers import FollowUpsQuerySerializer
from .serializers import VisitCreateInputSerializer
from .serializers import VisitSerializer
from .serializers import VisitUpdateInputSerializer

__all__ = ["VisitViewSet"]


class VisitViewSet(ConditionalWriteMixin, AuditTrailMixin, ScopedViewSetMixin, mixins.ListModelMixin,
                   mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Visits by officers to the desa/kelurahan in their area: what was discussed, agreed and when to follow up."""

    queryset = Visit.objects.select_related("village", "cooperative", "officer")
    serializer_class = VisitSerializer
    filterset_class = VisitFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = NUMERIC_ID

    def _data(self, visit: Visit, **kwargs) -> Response:
        visit = self.get_queryset().get(pk=visit.pk)
        return Response(VisitSerializer(visit, context=self.get_serializer_context()).data, **kwargs)

    @extend_schema(request=VisitCreateInputSerializer, responses={201: VisitSerializer})
    def create(self, request):
        """Log a visit that has taken place."""
        data = validated_input(VisitCreateInputSerializer, request.data)
        visit = services.visit_log(
            actor=request.user, village_code=data["village"], visited_on=data["visited_on"], topic=data["topic"],
            participants=data["participants"], outcome=data["outcome"], next_step=data["next_step"],
            follow_up_on=data["follow_up_on"],
        )
        return self._data(visit, status=status.HTTP_201_CREATED)

    @extend_schema(request=VisitUpdateInputSerializer, responses=VisitSerializer)
    def partial_update(self, request, pk=None):
        visit = self.get_object()
        data = validated_input(VisitUpdateInputSerializer, request.data)
        return self._data(services.visit_update(actor=request.user, visit=visit, **data))

    @extend_schema(parameters=[FollowUpsQuerySerializer], responses=VisitSerializer(many=True), filters=False)
    @action(detail=False, methods=["get"], url_path="follow-ups", url_name="follow-ups", filter_backends=[])
    def follow_ups(self, request):
        """Open follow-ups due today or earlier, oldest first."""
        query = validated_input(FollowUpsQuerySerializer, request.query_params)
        visits = follow_ups_due(user=request.user, mine_only=not query.get("all", False))
        page = self.paginate_queryset(visits)
        return self.get_paginated_response(VisitSerializer(page, many=True).data)

    @extend_schema(request=None, responses=VisitSerializer)
    @action(detail=True, methods=["post"], url_path="follow-up-done", url_name="follow-up-done")
    def follow_up_done(self, request, pk=None):
        """Close the visit's follow-up."""
        return self._data(services.visit_follow_up_done(actor=request.user, visit=self.get_object()))
