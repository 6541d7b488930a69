"""Signal receivers: the simpanan pokok bill of a member admitted through the register."""

from django.db import transaction

from .services import bill_forget
from .services import pokok_bill_create

__all__ = ["bill_deleted", "bill_pokok_on_admission"]


def bill_pokok_on_admission(sender, instance, created, raw=False, **kwargs):
    """
    A member created one by one (the register, self-registration approved) is billed simpanan pokok once
    the admission commits. Bulk imports create rows without signals; the nightly billing run bills them.
    """
    if created and not raw:
        transaction.on_commit(lambda: pokok_bill_create(member=instance))


def bill_deleted(sender, instance, **kwargs):
    """An unpaid bill goes with its member (removed from the register): the arrears forget it too."""
    bill_forget(bill=instance)

