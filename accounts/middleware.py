from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404
from django.urls import resolve
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from .selectors import user_mfa_state

__all__ = ["MFARequiredMiddleware"]

# What someone who must activate two-factor authentication may still open: its pages (including the
# password check allauth asks for before activating, and the recovery codes shown right after), signing
# out and the language switch.
OPEN_UNTIL_MFA_IS_ACTIVE = frozenset({
    "account_logout",
    "account_reauthenticate",
    "set_language",
    "javascript-catalog",
    "mfa_index",
    "mfa_activate_totp",
    "mfa_view_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_generate_recovery_codes",
})


class MFARequiredMiddleware:
    """
    A signed-in user whose role requires two-factor authentication (``accounts.selectors.user_mfa_state``)
    and who has not activated it reaches nothing but its activation: pages redirect there, the API answers
    403. Signing in itself already asks for the code of whoever has it active (allauth's login stage).
    Sets ``request.mfa_pending`` for the templates.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.mfa_pending = False
        if request.user.is_authenticated and not request.path.startswith(settings.STATIC_URL):
            # The request's first question, answered by what was read with the user (accounts.selectors.user_by_id):
            # this middleware must stay the first to ask.
            required, active = user_mfa_state(request.user)
            request.mfa_pending = required and not active
            if request.mfa_pending and not self._open(request):
                return self._to_activation(request)
        return self.get_response(request)

    @staticmethod
    def _open(request) -> bool:
        try:
            return resolve(request.path_info).url_name in OPEN_UNTIL_MFA_IS_ACTIVE
        except Resolver404:
            return True  # a 404 shows nothing

    @staticmethod
    def _to_activation(request):
        url = reverse("mfa_activate_totp")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": _(
                "Your role requires two-factor authentication. Activate it in the portal first: %(url)s"
            ) % {"url": request.build_absolute_uri(url)}}, status=403)
        if request.headers.get("HX-Request"):
            return HttpResponseClientRedirect(url)
        return redirect(url)
