"""Base classes for API views: every queryset goes through the model's scoping."""

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.roles import Action
from core.audit import audit_trail

from .serializers import AuditEntrySerializer

__all__ = ["AuditTrailMixin", "ScopedReadOnlyViewSet", "ScopedViewSetMixin"]


class ScopedViewSetMixin:
    """``queryset`` is narrowed to the caller's scope for ``scope_action`` before anything else."""

    scope_action = Action.VIEW

    def get_queryset(self):
        return super().get_queryset().for_user(self.request.user, self.scope_action)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class AuditTrailMixin:
    """Adds ``GET …/{id}/history/``: the object's audit trail, visible to whoever may see the object."""

    def history_querysets(self, obj) -> list:
        return [obj.history.all()]

    @extend_schema(responses=AuditEntrySerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, *args, **kwargs):
        obj = self.get_object()
        entries = audit_trail(*self.history_querysets(obj), limit=500)
        return Response(AuditEntrySerializer(entries, many=True).data)
