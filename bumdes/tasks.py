from celery import shared_task

from .services import agreements_end_expired

__all__ = ["end_expired_agreements"]


@shared_task
def end_expired_agreements() -> int:
    """Thin wrapper for beat: active agreements past their end date become ended (repeatable)."""
    return agreements_end_expired()
