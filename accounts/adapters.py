import base64
import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet
from cryptography.fernet import MultiFernet
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db import transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.client_ip import client_ip

from . import lockout
from .models import User
from .selectors import user_mfa_state

__all__ = ["InvitationOnlyAccountAdapter", "PortalMFAAdapter"]

logger = logging.getLogger(__name__)


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

    def confirm_email(self, request, email_address):
        """
        Make a verified address the sign-in address in one transaction: the old address, the new one and
        ``User.email`` change together or not at all. An address another account took meanwhile (an
        invitation sent to it while the code was on its way) is refused with a message, never a 500.
        """
        if _address_taken_by_another(email_address):
            self._refuse_taken(request, email_address)
            return False
        try:
            with transaction.atomic():
                return super().confirm_email(request, email_address)
        except IntegrityError:
            self._refuse_taken(request, email_address)
            return False

    def send_notification_mail(self, *args, **kwargs):
        # The notice of a change already made (password, e-mail address, two-factor authentication) must not
        # break the page when the mail server is down.
        try:
            super().send_notification_mail(*args, **kwargs)
        except OSError:
            logger.warning("A security notice could not be e-mailed", exc_info=True)

    def _refuse_taken(self, request, email_address):
        self.add_message(request, messages.ERROR, message=_(
            "%(email)s is already the address of another account, so it cannot become yours. Your sign-in "
            "address has not changed.") % {"email": email_address.email})


def _address_taken_by_another(email_address) -> bool:
    email = email_address.email.lower()
    return (
        User.objects.filter(email__iexact=email).exclude(pk=email_address.user_id).exists()
        or EmailAddress.objects.filter(email__iexact=email, verified=True).exclude(user_id=email_address.user_id)
        .exists()
    )


def _fernet() -> MultiFernet:
    """Keys derived from SECRET_KEY (then its fallbacks, so that rotating it keeps old secrets readable)."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([
        Fernet(base64.urlsafe_b64encode(salted_hmac("accounts.mfa", "authenticator", secret=key,
                                                    algorithm="sha256").digest()))
        for key in keys
    ])


class PortalMFAAdapter(DefaultMFAAdapter):
    """allauth's MFA with the authenticator secrets encrypted at rest and no opting out for officers."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": gettext_lazy(
            "Your role requires two-factor authentication, so it cannot be turned off."),
    }

    def encrypt(self, text: str) -> str:
        # A copy of the database (a backup, a leaked dump) must not be enough to produce valid codes.
        return _fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return _fernet().decrypt(encrypted_text.encode()).decode()

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        required, _active = user_mfa_state(authenticator.user)
        return not required
