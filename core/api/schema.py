"""
How the API describes itself (drf-spectacular), in one place for every endpoint:

- the error answers each operation can give, with the bodies ``core.api.exceptions`` produces: 400 with
  field errors, 401/403, 404, 412 where ``If-Match`` is honoured and 429 where the view is throttled;
- ``If-Match`` and ``ETag`` on the operations of views that honour it (``ConditionalWriteMixin``);
- ``StrictBooleanFilter`` (django-filter) as the boolean it is, so that ``true``/``false`` validate.

``PortalAutoSchema`` is DRF's ``DEFAULT_SCHEMA_CLASS``; the filter extension registers itself on import
(``CoreConfig.ready``).
"""

from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.utils import OpenApiResponse

from core.concurrency import WRITE_METHODS
from core.filters import StrictBooleanFilter
from core.filters import WholeNumberFilter

__all__ = ["ERROR_SCHEMA", "FIELD_ERRORS_SCHEMA", "PortalAutoSchema", "PortalFilterExtension", "error_response"]

ERROR_SCHEMA = {
    "type": "object",
    "description": "What went wrong, in the user's language.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
    "example": {"detail": "Not found."},
}

FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "description": (
        "The input that was refused: each field (or query parameter) with its messages; ``non_field_errors`` "
        "for a rule about several fields or the object as a whole; errors of a nested object or of list items "
        "keyed by field or index; ``detail`` when the body could not be read at all."
    ),
    "additionalProperties": {
        "anyOf": [
            {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object"}]}},
            {"type": "object"},
            {"type": "string"},
        ],
    },
    "example": {"village": ["This field is required."], "non_field_errors": ["The stage is already verified."]},
}

_COMPONENTS = {"Error": ERROR_SCHEMA, "FieldErrors": FIELD_ERRORS_SCHEMA}

# status → (description, component)
_ERRORS = {
    "400": ("The request was refused: field errors (or a rule of the service) say why.", "FieldErrors"),
    "401": ("Missing, invalid or expired credentials.", "Error"),
    "403": ("Signed in, but not allowed to do this here (role, region or rule).", "Error"),
    "404": ("Nothing with this id or code inside the caller's area (or a page past the end).", "Error"),
    "412": ("If-Match no longer matches: someone else changed the object since it was read.", "Error"),
    "429": ("Too many requests: wait for the number of seconds in Retry-After.", "Error"),
}

_ETAG_ACTIONS = ("retrieve", "partial_update", "update")


def error_response(status: int, description: str = "") -> OpenApiResponse:
    """
    An error answer the rules of ``PortalAutoSchema`` do not foresee for a view, for its ``extend_schema``
    (e.g. a 404 for a query parameter naming an area outside the caller's), with the portal's error body.
    """
    default, component = _ERRORS[str(status)]
    return OpenApiResponse(response={"$ref": f"#/components/schemas/{component}"},
                           description=description or default)


class PortalAutoSchema(AutoSchema):
    def _is_conditional_write(self) -> bool:
        # A write to one object: a detail route (its path names the object) of a view that honours If-Match.
        return (getattr(self.view, "honours_if_match", False) and self.method in WRITE_METHODS
                and "{" in self.path)

    def _answers_etag(self) -> bool:
        return getattr(self.view, "honours_if_match", False) and getattr(self.view, "action", None) in _ETAG_ACTIONS

    def _is_throttled(self) -> bool:
        return bool(self.view.get_throttles())

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self._is_conditional_write():
            parameters.append(OpenApiParameter(
                "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER,
                description="The ETag of the object as read (or *): refused with 412 if it has changed since.",
            ))
        if self._answers_etag():
            parameters.append(OpenApiParameter(
                "ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200], required=True,
                description="The version of the object; send it back in If-Match to change it safely.",
            ))
        if self._is_throttled():
            parameters.append(OpenApiParameter(
                "Retry-After", OpenApiTypes.INT, OpenApiParameter.HEADER, response=[429], required=True,
                description="Seconds until a request is accepted again.",
            ))
        return parameters

    def _error_statuses(self, operation: dict) -> list[str]:
        statuses = ["401", "403"]  # any request may carry a wrong token, and every route checks permissions
        has_query = any(parameter.get("in") == "query" for parameter in operation.get("parameters", []))
        if self.method not in ("GET", "HEAD") or has_query:
            statuses.append("400")
        has_path = any(parameter.get("in") == "path" for parameter in operation.get("parameters", []))
        if has_path or (self._get_paginator() is not None and self._is_list_view()):
            statuses.append("404")
        if self._is_conditional_write():
            statuses.append("412")
        if self._is_throttled():
            statuses.append("429")
        return statuses

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        for name, schema in _COMPONENTS.items():
            registry.register_on_missing(ResolvedComponent(
                name=name, type=ResolvedComponent.SCHEMA, object=f"portal-{name}", schema=schema,
            ))
        for parameter in operation.get("parameters", []):
            if parameter.get("in") == "query" and not parameter.get("required"):
                # An empty filter is no filter (django-filter, DRF's query serializers, the pagination).
                parameter["allowEmptyValue"] = True
        responses = operation["responses"]
        for status in self._error_statuses(operation):
            if status in responses:
                continue  # the view documents this answer itself
            description, component = _ERRORS[status]
            response = {"description": description,
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}}}
            headers = self._get_response_headers_for_code(status)
            if headers:
                response["headers"] = headers
            responses[status] = response
        operation["responses"] = dict(sorted(responses.items()))
        return operation


class PortalFilterExtension(DjangoFilterExtension):
    """
    django-filter's parameters as the filters read them: ``StrictBooleanFilter`` a boolean (``true``/``false``),
    ``WholeNumberFilter`` an integer within its bounds, and choices spelled as text a string.
    """

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        for parameter in parameters:
            schema = parameter["schema"]
            enum = schema.get("enum")
            if enum and all(isinstance(value, str) for value in enum) and schema.get("type") != "string":
                # Choices spelled as text (officer=me) on a filter whose model field is a number or a date.
                parameter["schema"] = {**{k: v for k, v in schema.items() if k != "format"}, "type": "string"}
        if isinstance(filter_field, WholeNumberFilter):
            for parameter in parameters:
                parameter["schema"] = {**parameter["schema"], "type": "integer"}
                parameter["schema"].pop("format", None)
                for bound, key in (("min_value", "minimum"), ("max_value", "maximum")):
                    if filter_field.extra.get(bound) is not None:
                        parameter["schema"][key] = filter_field.extra[bound]
        if isinstance(filter_field, StrictBooleanFilter):
            # Typed as a boolean by its extend_schema_field; described by its label, which the override drops.
            description = filter_field.extra.get("help_text") or filter_field.label
            for parameter in parameters:
                parameter["schema"] = build_basic_type(OpenApiTypes.BOOL)
                if description:
                    parameter["description"] = str(description)
        return parameters
