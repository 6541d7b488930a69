from smtplib import SMTPException

from celery import shared_task

from .services import notification_send_email

__all__ = ["send_notification_email"]


@shared_task(autoretry_for=(OSError, SMTPException), retry_backoff=True, max_retries=5)
def send_notification_email(notification_id: int) -> bool:
    """Thin wrapper: e-mail one notification (``notification_send_email`` is repeatable)."""
    return notification_send_email(notification_id=notification_id)
