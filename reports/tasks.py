"""Celery tasks: thin wrappers over the idempotent roll-up and export services."""

import time
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from core.changes import DIRTY_VILLAGES_KEY
from core.changes import DRAIN_QUEUED_KEY
from core.changes import redis_client

from .federations import rollup_refresh_federations
from .services import export_run
from .services import rollup_lock
from .services import rollup_reconcile
from .services import rollup_refresh_villages

__all__ = ["export_build", "rollup_drain", "rollup_reconcile_task", "rollup_refresh_federations_task",
           "rollup_refresh_villages_task"]

DRAIN_BATCH = 500
DRAIN_LOCK_SECONDS = 300


@shared_task(name="reports.tasks.rollup_refresh_villages")
def rollup_refresh_villages_task(codes: list[str]) -> int:
    return rollup_refresh_villages(codes)


def _pop_batch(client) -> dict[str, float]:
    """
    Take up to DRAIN_BATCH codes off the dirty set atomically (read and remove in one transaction),
    with the time each was first marked dirty.
    """
    pipe = client.pipeline(transaction=True)
    pipe.zrange(DIRTY_VILLAGES_KEY, 0, DRAIN_BATCH - 1, withscores=True)
    pipe.zremrangebyrank(DIRTY_VILLAGES_KEY, 0, DRAIN_BATCH - 1)
    codes, _removed = pipe.execute()
    return {code.decode(): score for code, score in codes}


def _drain_again_later(client) -> None:
    """One drain waits in the queue at most: a drain that cannot run now does not start a chain per attempt."""
    if client.zcard(DIRTY_VILLAGES_KEY) and client.set(DRAIN_QUEUED_KEY, 1, nx=True, ex=60):
        rollup_drain.apply_async(countdown=0.5)


@shared_task(name="reports.tasks.rollup_drain", acks_late=True)
def rollup_drain() -> int:
    """
    Refresh every dirty village, batch by batch, until the set is empty or the lock's time is nearly
    used up. Changes made from the moment this starts enqueue the next drain; one that finds another
    drain (or the nightly reconcile) running waits its turn.
    """
    client = redis_client()
    client.delete(DRAIN_QUEUED_KEY)
    refreshed = 0
    with rollup_lock(timeout=DRAIN_LOCK_SECONDS, blocking_timeout=0.1) as acquired:
        if not acquired:
            _drain_again_later(client)
            return 0
        # Stop well before the lock expires, so a reconcile can never run alongside this drain.
        deadline = time.monotonic() + DRAIN_LOCK_SECONDS * 0.8
        while time.monotonic() < deadline and (batch := _pop_batch(client)):
            try:
                rollup_refresh_villages(list(batch))
            except Exception:
                client.zadd(DIRTY_VILLAGES_KEY, batch, nx=True)  # retried by the next drain, keeping its age
                raise
            refreshed += len(batch)
    _drain_again_later(client)
    return refreshed


@shared_task(name="reports.tasks.rollup_reconcile")
def rollup_reconcile_task(nightly: bool = False) -> dict:
    """
    Rebuild the roll-up and snapshot it. The nightly run (Celery beat, after midnight) saves the
    snapshot of the day that has just ended: a snapshot of day D holds the counts at the end of D.
    """
    day = timezone.localdate() - timedelta(days=1) if nightly else None
    result = rollup_reconcile(snapshot_day=day)
    return {"rows": result.rows, "seconds": round(result.seconds, 3)}


@shared_task(name="reports.tasks.export_build")
def export_build(job_id: str, language: str = "id") -> str:
    return export_run(job_id, language).status


@shared_task(name="reports.tasks.rollup_refresh_federations")
def rollup_refresh_federations_task(federation_ids: list[int]) -> int:
    return rollup_refresh_federations(federation_ids)
