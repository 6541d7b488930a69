"""Base classes for API views: every queryset goes through the model's scoping."""

import uuid

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.audit import audit_trail
from core.concurrency import WRITE_METHODS
from core.concurrency import etag_of
from core.roles import Action

from .serializers import AuditEntrySerializer

__all__ = ["IDEMPOTENCY_KEY", "NUMERIC_ID", "AuditTrailMixin", "ConditionalWriteMixin", "PreconditionFailed",
           "ScopedReadOnlyViewSet", "ScopedViewSetMixin", "idempotency_key", "validated_input"]

# The lookup regex of routes by numeric id. ASCII digits only: ``\d`` also matches Arabic-Indic, full-width and
# other Unicode digits, which int() reads, so /api/members/١/ would have answered member 1.
NUMERIC_ID = "[0-9]+"


class PreconditionFailed(APIException):
    status_code = 412
    default_detail = _("Someone else changed this since you read it: read it again and re-apply your change.")
    default_code = "precondition_failed"


class ConditionalWriteMixin:
    """
    Optimistic concurrency for one object: GET (and a successful write) answers its ``ETag``; a write
    sent with ``If-Match`` runs under a lock on the row and is refused with 412 when the row has changed
    since that ETag. Without ``If-Match`` the write goes ahead (the services still keep other fields).
    """

    honours_if_match = True  # read by the API schema (core.api.schema), which documents If-Match, ETag and 412

    def _one_object(self) -> bool:
        return (self.lookup_url_kwarg or self.lookup_field) in self.kwargs

    def dispatch(self, request, *args, **kwargs):
        if request.method in WRITE_METHODS and request.headers.get("If-Match"):
            with transaction.atomic():  # the lock taken in initial() holds until the write is done
                return super().dispatch(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        expected = request.headers.get("If-Match", "").strip()
        if expected and request.method in WRITE_METHODS and self._one_object():
            obj = self.get_object()
            type(obj)._default_manager.select_for_update(of=("self",)).filter(pk=obj.pk).first()
            if expected != "*" and expected not in [tag.strip() for tag in etag_of(obj).split(",")]:
                raise PreconditionFailed

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if (response.status_code == 200 and self._one_object() and getattr(self, "action", None)
                in ("retrieve", "partial_update", "update")):
            response["ETag"] = etag_of(self.get_object())
        return response


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", type=OpenApiTypes.UUID, location=OpenApiParameter.HEADER, required=False,
    description="A new UUID per request: the same request sent again with the same key (after a timeout) answers "
                "200 with what the first one made, and makes nothing more.")


def idempotency_key(request) -> uuid.UUID | None:
    """The request's ``Idempotency-Key`` header (a UUID), or None; anything else is a 400 naming the header."""
    value = request.headers.get("Idempotency-Key")
    if value is None:
        return None
    try:
        return uuid.UUID(value.strip())
    except ValueError:
        raise ValidationError({"Idempotency-Key": [_("Send a UUID, e.g. 0b8f3c9e-4d1a-4e7b-9a55-2f6c1d3e8a90.")]}) \
            from None


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
