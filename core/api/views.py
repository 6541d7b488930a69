"""Base classes for API views: every queryset goes through the model's scoping."""

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.audit import audit_trail
from core.roles import Action

from .serializers import AuditEntrySerializer

__all__ = ["AuditTrailMixin", "ScopedReadOnlyViewSet", "ScopedViewSetMixin", "validated_input"]


def validated_input(serializer_class, data, **kwargs) -> dict:
    """Validate request data with an input serializer; a 400 with field errors when it is wrong."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ScopedViewSetMixin:
    """
    ``queryset`` is narrowed to the caller's scope for ``scope_action`` before anything else. Objects
    outside it answer 404. Writes go through services, which check the write permission again
    (403 when the caller may see the object but not change it).
    """

    scope_action = Action.VIEW

    def get_queryset(self):
        return super().get_queryset().for_user(self.request.user, self.scope_action)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class AuditTrailMixin:
    """Adds ``GET …/{id}/history/``: the object's audit trail, visible to whoever may see the object."""

    def history_querysets(self, obj) -> list:
        return [obj.history.all()]

    def history_redactions(self, obj) -> dict:
        """Field → function hiding values the caller may not see (e.g. a NIK)."""
        return {}

    @extend_schema(responses=AuditEntrySerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, *args, **kwargs):
        obj = self.get_object()
        entries = audit_trail(*self.history_querysets(obj), limit=500, redact=self.history_redactions(obj))
        return Response(AuditEntrySerializer(entries, many=True).data)
