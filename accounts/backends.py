from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend

from . import lockout
from .models import User
from .selectors import user_by_id

__all__ = ["LockoutModelBackend", "PortalAuthenticationBackend"]


def _signed_in_user(backend: ModelBackend, user_id):
    """Every signed-in request reads its user: one plain statement (with the roles and two-factor state the
    request asks next) rather than an ORM query."""
    user = user_by_id(user_id)
    return user if user is not None and backend.user_can_authenticate(user) else None


class LockoutModelBackend(ModelBackend):
    """
    Django's password check by e-mail address, run inside the sign-in lockout. Listed first in
    AUTHENTICATION_BACKENDS, so the web sign-in, the technical admin and the API token endpoint all pass
    through it: while an account or IP is locked it raises ``SignInLocked`` (a ``PermissionDenied``), which
    makes ``authenticate()`` stop and answer None without asking any other backend.
    """

    def authenticate(self, request, username=None, password=None, **credentials):
        # allauth and the API pass ``email=``, the admin's form ``username=``.
        identifier = username if username is not None else credentials.get(User.USERNAME_FIELD)
        if identifier is None or password is None:
            return None  # not a password sign-in (e.g. a passkey): nothing to guess, nothing to count
        with lockout.attempt(request, identifier) as current:
            user = super().authenticate(request, username=lockout.normalise_identifier(identifier),
                                        password=password)
            current.succeeded = user is not None
        return user

    def get_user(self, user_id):
        return _signed_in_user(self, user_id)


class PortalAuthenticationBackend(AuthenticationBackend):
    """
    The backend allauth records in the session of a sign-in it completes after the authenticator code (it takes
    the first backend of its own class in AUTHENTICATION_BACKENDS), reading the signed-in user as
    ``LockoutModelBackend`` does. It checks no password: ``LockoutModelBackend`` and allauth's own class (listed
    after this one, and still the backend of sessions recorded before it existed) do, as before, so a failed
    sign-in costs no extra password hash.
    """

    def authenticate(self, request, **credentials):
        return None

    def get_user(self, user_id):
        return _signed_in_user(self, user_id)
