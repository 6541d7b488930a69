from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError

from core.client_ip import client_ip

from . import lockout

__all__ = ["InvitationOnlyAccountAdapter"]


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """No open self-signup: accounts are created by an officer above the user (see ``user_invite``)."""

    def is_open_for_signup(self, request):
        return False

    def get_client_ip(self, request):
        # allauth's own rate limits (password reset, sign-in per IP) key on the same address as the lockout.
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def authentication_failed(self, request, **credentials):
        """A refused sign-in says so when the lockout refused it (or this failure started the lock)."""
        identifier = credentials.get("email") or credentials.get("username")
        if identifier is None:
            return
        seconds = lockout.lock_seconds_remaining(identifier=lockout.normalise_identifier(identifier),
                                                 ip=client_ip(request))
        if seconds:
            raise ValidationError(lockout.locked_message(seconds), code="locked")
