"""Celery tasks of the savings: thin wrappers over idempotent services."""

from celery import shared_task

from .services import pokok_bills_generate
from .services import wajib_bills_generate

__all__ = ["bill_wajib"]


@shared_task(name="simpanan.tasks.bill_wajib")
def bill_wajib() -> int:
    """
    From beat, daily: the simpanan wajib bills of the current period and the pokok bills of members admitted in
    bulk; nothing new when already billed.
    """
    return wajib_bills_generate() + pokok_bills_generate()
