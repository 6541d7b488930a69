"""Celery tasks of the portal's own machinery: thin wrappers run by beat."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

from .changes import dirty_villages_requeue
from .outbox import outbox_deliver

__all__ = ["clear_expired_sessions", "deliver_outbox", "requeue_dirty_villages"]


@shared_task(name="core.tasks.requeue_dirty_villages")
def requeue_dirty_villages() -> int:
    """Villages whose refresh could not be queued while Redis was down go back into the queue."""
    return dirty_villages_requeue()


@shared_task(name="core.tasks.deliver_outbox")
def deliver_outbox() -> int:
    """Tasks the broker could not take when their change committed are handed to it now."""
    return outbox_deliver()


@shared_task(name="core.tasks.clear_expired_sessions")
def clear_expired_sessions() -> int:
    """Sessions live in PostgreSQL; expired ones would otherwise pile up (what `clearsessions` does)."""
    deleted, _by_model = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
