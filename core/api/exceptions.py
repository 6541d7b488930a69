"""
Errors as the API answers them, one shape everywhere: ``{"detail": "…"}``, or field → messages for a 400.

``portal_exception_handler`` turns Django's exceptions raised by services into DRF answers (400 with field
errors, 403, 404). ``ApiErrorPages`` does the same for what never reaches a DRF view (an unknown address
under the API, a request Django refuses, a crash): JSON there, the portal's HTML error pages elsewhere.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from rest_framework import exceptions
from rest_framework.views import exception_handler

__all__ = ["ApiErrorPages", "portal_exception_handler"]


def _as_drf(exc):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                ("non_field_errors" if field == "__all__" else field): messages
                for field, messages in exc.message_dict.items()
            }
        else:
            detail = {"non_field_errors": exc.messages}
        return exceptions.ValidationError(detail)
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    return exc


def portal_exception_handler(exc, context):
    return exception_handler(_as_drf(exc), context)


class ApiErrorPages:
    """
    Django's error views (``handler400``… in the URLconf) for a site with an API under ``prefix``: requests
    there get the API's JSON error body, with the status its schema documents; other requests get Django's
    views, which render the portal's templates (404.html…).
    """

    def __init__(self, prefix: str):
        self.prefix = prefix

    def _is_api(self, request) -> bool:
        return request.path_info.startswith(self.prefix)

    @staticmethod
    def _json(detail, status: int) -> JsonResponse:
        return JsonResponse({"detail": str(detail)}, status=status)

    def bad_request(self, request, exception):
        if self._is_api(request):
            return self._json(exceptions.ParseError.default_detail, 400)
        return defaults.bad_request(request, exception)

    def permission_denied(self, request, exception):
        if self._is_api(request):
            return self._json(exceptions.PermissionDenied.default_detail, 403)
        return defaults.permission_denied(request, exception)

    def page_not_found(self, request, exception):
        if self._is_api(request):
            return self._json(exceptions.NotFound.default_detail, 404)
        return defaults.page_not_found(request, exception)

    def server_error(self, request):
        if self._is_api(request):
            return self._json(_("A server error occurred and has been logged. Please try again shortly."), 500)
        return defaults.server_error(request)
