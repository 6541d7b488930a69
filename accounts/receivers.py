from allauth.account.signals import password_reset
from django.dispatch import receiver

from . import lockout
from .services import user_email_confirm

__all__ = []


@receiver(password_reset)
def lift_lockout_after_password_reset(sender, request, user, **kwargs):
    # The reset link proves the person reads the account's mailbox; they need not also wait out the lock.
    lockout.failures_clear(user.email)


@receiver(password_reset)
def email_proven_by_reset(sender, request, user, **kwargs):
    # The invitation is a password-reset link sent to the invited address: following it (or any later
    # reset link) proves the address belongs to the person.
    user_email_confirm(user=user)
