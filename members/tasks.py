"""Celery tasks of the member register: thin wrappers over idempotent services."""

from celery import shared_task

from .services import removed_members_forget_personal_data

__all__ = ["forget_removed_members"]


@shared_task(name="members.tasks.forget_removed_members")
def forget_removed_members() -> int:
    """Nightly: personal data of members removed other than through the register's own removal."""
    return removed_members_forget_personal_data()
