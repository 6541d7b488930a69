from celery import shared_task

from .services import follow_ups_due_notify

__all__ = ["notify_follow_ups_due"]


@shared_task
def notify_follow_ups_due() -> int:
    """Thin wrapper for beat: tell officers of today's follow-ups (``follow_ups_due_notify`` is repeatable)."""
    return follow_ups_due_notify()
