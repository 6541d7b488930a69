from datetime import timedelta

from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from accounts.models import ApiToken
from accounts.selectors import authenticator_app_since
from accounts.selectors import user_mfa_state

__all__ = ["ApiTokenAuthentication"]

# last_used_at is for people reading a token list, not an audit log: one write a minute per token is enough.
LAST_USED_PRECISION = timedelta(minutes=1)


class ApiTokenAuthentication(TokenAuthentication):
    """
    ``Authorization: Token <key>`` against the portal's hashed tokens (``accounts.ApiToken``). A token is
    refused when it has expired, when the user's password has changed since it was issued, when the
    account is deactivated, and when it was issued without the second factor the account now needs: the
    user's role has come to require two-factor authentication and it is not active (the pages send such a
    user to its activation, the token must not be the way round), or the authenticator app was activated
    after the token was issued (with a password alone).
    """

    keyword = "Token"
    model = ApiToken

    def authenticate_credentials(self, key):
        token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        now = timezone.now()
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("The token has expired. Request a new one."))
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if not any(constant_time_compare(token.password_fingerprint, fingerprint)
                   for fingerprint in ApiToken.password_fingerprints(user)):
            # However the password was changed (allauth, the admin, set_password in a shell), this catches it.
            token.delete()
            raise exceptions.AuthenticationFailed(_("The password has changed since this token was issued. "
                                                    "Request a new one."))
        self._require_second_factor(user, token)
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return user, token

    @staticmethod
    def _require_second_factor(user, token: ApiToken) -> None:
        required, active = user_mfa_state(user)
        if required and not active:
            raise exceptions.PermissionDenied(_(
                "Your role requires two-factor authentication. Activate it in the portal first, then request a "
                "new token with a code from your authenticator app."))
        if active and token.created_at < authenticator_app_since(user):
            raise exceptions.PermissionDenied(_(
                "This token was issued before two-factor authentication was turned on for your account. Request "
                "a new one with a code from your authenticator app."))
