"""Celery tasks of the bulk import: thin wrappers over the idempotent runs in services."""

from celery import shared_task

from .services import import_commit_run
from .services import import_runs_resume
from .services import import_uploads_forget
from .services import import_validate_run

__all__ = ["forget_stale_uploads", "import_commit", "import_validate", "resume_stalled_imports"]


@shared_task(name="impor.tasks.import_validate")
def import_validate(job_id: str) -> str:
    return import_validate_run(job_id).status


@shared_task(name="impor.tasks.import_commit")
def import_commit(job_id: str) -> str:
    return import_commit_run(job_id).status


@shared_task(name="impor.tasks.forget_stale_uploads")
def forget_stale_uploads() -> int:
    """Nightly from beat: checked files nobody decided on within a week are dropped."""
    return import_uploads_forget()


@shared_task(name="impor.tasks.resume_stalled_imports")
def resume_stalled_imports() -> int:
    """Every few minutes from beat: checks and imports whose worker died are queued again."""
    return import_runs_resume()
