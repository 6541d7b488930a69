from allauth.account.signals import password_reset
from django.dispatch import receiver

from . import lockout

__all__ = []


@receiver(password_reset)
def lift_lockout_after_password_reset(sender, request, user, **kwargs):
    # The reset link proves the person reads the account's mailbox; they need not also wait out the lock.
    lockout.failures_clear(user.email)
