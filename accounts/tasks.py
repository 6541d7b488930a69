from celery import shared_task

from .services import user_send_invitation

__all__ = ["send_invitation"]


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation(user_id: int, language: str = "id") -> bool:
    """Thin wrapper: e-mail the password-choice link (``user_send_invitation`` is repeatable)."""
    return user_send_invitation(user_id=user_id, language=language)
