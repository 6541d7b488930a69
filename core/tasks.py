"""Celery tasks of the portal's own machinery: thin wrappers, run every minute by beat."""

from celery import shared_task

from .changes import dirty_villages_requeue
from .outbox import outbox_deliver

__all__ = ["deliver_outbox", "requeue_dirty_villages"]


@shared_task(name="core.tasks.requeue_dirty_villages")
def requeue_dirty_villages() -> int:
    """Villages whose refresh could not be queued while Redis was down go back into the queue."""
    return dirty_villages_requeue()


@shared_task(name="core.tasks.deliver_outbox")
def deliver_outbox() -> int:
    """Tasks the broker could not take when their change committed are handed to it now."""
    return outbox_deliver()
