from celery import shared_task

from .services import targets_at_risk_notify

__all__ = ["notify_targets_at_risk"]


@shared_task
def notify_targets_at_risk() -> int:
    """Thin wrapper for beat: tell owners of targets newly at risk (``targets_at_risk_notify`` is repeatable)."""
    return targets_at_risk_notify()
