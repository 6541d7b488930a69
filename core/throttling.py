"""
Rate limits on reading personal data, shared by the web pages and the API.

One budget per user (``DEFAULT_THROTTLE_RATES["personal_data"]``) counts every page or API
response that lists or shows members, so a stolen session or token cannot page through the
register of a whole province. The count lives in the cache: with the cache down the limit is
not enforced (reads keep working), which is the trade-off the issue asks for (degrade, not fail).
"""

from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework.settings import api_settings
from rest_framework.throttling import UserRateThrottle

__all__ = ["PersonalDataThrottle", "PersonalDataThrottledMixin"]


class PersonalDataThrottle(UserRateThrottle):
    """Reads of the member register: per signed-in user, the same budget on the web and in the API."""

    scope = "personal_data"

    def get_rate(self):
        # Read when used, not at import, so a changed REST_FRAMEWORK setting takes effect.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class PersonalDataThrottledMixin:
    """For server-rendered views: a GET over the user's budget answers 429 with the wait in Retry-After."""

    def dispatch(self, request, *args, **kwargs):
        if request.method == "GET" and request.user.is_authenticated:
            throttle = PersonalDataThrottle()
            if not throttle.allow_request(request, self):
                wait = max(1, round(throttle.wait() or 1))
                response = render(request, "429.html", {
                    "message": _("You have opened member data too often in a short time. Try again in %(minutes)s "
                                 "minute(s).") % {"minutes": max(1, -(-wait // 60))},
                }, status=429)
                response["Retry-After"] = str(wait)
                return response
        return super().dispatch(request, *args, **kwargs)
