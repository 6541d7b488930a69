from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.middleware import get_user
from django.utils import translation
from django.utils.cache import patch_vary_headers

__all__ = ["ContentSecurityPolicyMiddleware", "PortalLanguageMiddleware", "SignedInUserMiddleware",
           "csp_header_value"]


class SignedInUserMiddleware(AuthenticationMiddleware):
    """
    Django's AuthenticationMiddleware, with ``request.user`` read at once instead of behind a lazy wrapper.

    Every page of the portal reads its user (the two-factor check asks first, then the scope, the menu, the page),
    so the laziness saved nothing, and each of the forty-odd reads of an attribute through Django's lazy object went
    through four Python calls and a caught AttributeError: a twentieth of a cached dashboard's cost
    (bench/page_cost.py). ``request.auser`` stays as Django sets it.
    """

    def process_request(self, request):
        super().process_request(request)
        request.user = get_user(request)  # the same read the wrapper would make, kept on the request as Django does


class PortalLanguageMiddleware:
    """
    Bahasa Indonesia unless the user chose otherwise with the language switch (a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and most phones and
    browsers in Indonesia still send English; the portal speaks Indonesian to them by default.
    API clients may ask for English with Accept-Language.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def _language(self, request) -> str:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen in self.supported:
            return chosen
        if request.path.startswith("/api/"):
            header = translation.get_language_from_request(request)
            if header in self.supported:
                return header
        return settings.LANGUAGE_CODE

    def __call__(self, request):
        language = self._language(request)
        request.LANGUAGE_CODE = language
        # Scoped to this request: a worker thread (or a test) goes on in the language it had before.
        with translation.override(language):
            response = self.get_response(request)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        response.headers.setdefault("Content-Language", language)
        return response


def csp_header_value(policy: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([directive, *sources]) for directive, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    """
    Sends the Content-Security-Policy of ``settings.SECURE_CSP`` with every response that has none yet.

    Without 'unsafe-inline' an injected <script>, style="" or onclick="" does nothing, so the templates
    carry none: behaviour is in static/js, looks in static/css. The setting has the shape Django 6.0's
    own CSP middleware reads, so the upgrade can drop this class.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = csp_header_value(getattr(settings, "SECURE_CSP", {}))

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Content-Security-Policy", self.header)
        return response
