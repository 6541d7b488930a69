"""
Tasks that must not be lost when the broker is down: a transactional outbox.

``outbox_enqueue(task, *args)`` writes a row in the caller's transaction, so the change and the task it
needs are committed together or not at all. After the commit the task is handed to the broker and its
row deleted; if the broker cannot take it, the row stays and ``outbox_deliver`` (every minute, from
beat) hands it over once the broker answers. A task may therefore run twice (handed over, then the
process died before deleting its row): outbox tasks are idempotent, like every task of the portal.
"""

import logging
from datetime import timedelta

from celery import current_app
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import OutboxTask

__all__ = ["outbox_deliver", "outbox_enqueue", "outbox_enqueue_many"]

logger = logging.getLogger(__name__)

# Rows younger than this are left to the commit that wrote them (it is handing them over right now).
DELIVER_AFTER = timedelta(seconds=30)
BATCH = 100


def outbox_enqueue(task: str, *args) -> OutboxTask:
    """Queue ``task(*args)`` (JSON arguments) once the current transaction commits, durably."""
    return outbox_enqueue_many(task, [list(args)])[0]


def outbox_enqueue_many(task: str, calls: list[list]) -> list[OutboxTask]:
    """Queue one ``task`` per list of arguments in ``calls``, as ``outbox_enqueue`` does, in one insert."""
    rows = OutboxTask.objects.bulk_create([OutboxTask(task=task, args=list(args)) for args in calls])
    for row in rows:
        transaction.on_commit(lambda row=row: _hand_over(row.pk, row.task, row.args), robust=True)
    return rows


def _send(task: str, args: list) -> None:
    current_app.tasks[task].apply_async(args=args)


def _hand_over(pk: int, task: str, args: list) -> None:
    try:
        _send(task, args)
    except Exception as error:  # the broker is down (or, eagerly, the task failed): delivered later
        logger.warning("Could not queue %s%s; it stays in the outbox", task, tuple(args), exc_info=True)
        OutboxTask.objects.filter(pk=pk).update(attempts=F("attempts") + 1, last_error=str(error)[:300])
        return
    OutboxTask.objects.filter(pk=pk).delete()


def outbox_deliver(*, older_than: timedelta = DELIVER_AFTER) -> int:
    """
    Hand the broker every task still in the outbox, oldest first; stop at the first refusal (the
    broker is still down) and leave the rest for the next run. Returns how many were handed over.
    """
    delivered = 0
    while True:
        with transaction.atomic():
            # Locked and skipped by a concurrent run, so two beat runs do not hand the same task over twice.
            rows = list(OutboxTask.objects.select_for_update(skip_locked=True)
                        .filter(created_at__lte=timezone.now() - older_than).order_by("pk")[:BATCH])
            sent = []
            for row in rows:
                try:
                    _send(row.task, row.args)
                except Exception as error:
                    logger.warning("The outbox could not queue %s; retrying later", row, exc_info=True)
                    OutboxTask.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1,
                                                                last_error=str(error)[:300])
                    break
                sent.append(row.pk)
            OutboxTask.objects.filter(pk__in=sent).delete()
        delivered += len(sent)
        if len(sent) < BATCH:
            return delivered
