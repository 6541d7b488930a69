"""Celery tasks: thin wrappers over the idempotent roll-up and export services."""

import time
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from core.changes import DIRTY_VILLAGES_KEY
from core.changes import DRAIN_QUEUED_KEY
from core.changes import dirty_villages_batch
from core.changes import dirty_villages_done
from core.changes import redis_client

from .federations import rollup_refresh_federations
from .services import export_run
from .services import rollup_lock
from .services import rollup_reconcile
from .services import rollup_refresh_villages
from .services import snapshot_rebuild_backdated

__all__ = ["export_build", "rollup_drain", "rollup_reconcile_task", "rollup_refresh_federations_task",
           "rollup_refresh_villages_task", "snapshot_rebuild_backdated_task"]

DRAIN_BATCH = 500
# A drain hands over after this long (the next drain is queued), so a steady stream of changes
# cannot keep the nightly reconcile waiting for the lock.
DRAIN_WORK_SECONDS = 240


@shared_task(name="reports.tasks.rollup_refresh_villages")
def rollup_refresh_villages_task(codes: list[str]) -> int:
    return rollup_refresh_villages(codes)


def _drain_again_later(client) -> None:
    """One drain waits in the queue at most: a drain that cannot run now does not start a chain per attempt."""
    if client.zcard(DIRTY_VILLAGES_KEY) and client.set(DRAIN_QUEUED_KEY, 1, nx=True, ex=60):
        rollup_drain.apply_async(countdown=0.5)


@shared_task(name="reports.tasks.rollup_drain", acks_late=True)
def rollup_drain() -> int:
    """
    Refresh every dirty village, batch by batch, until the set is empty or the drain's time is used
    up. A batch leaves the set only once its refresh has committed, and a village changed again
    meanwhile stays for the next batch: a worker killed mid-drain loses nothing. Changes made from the
    moment this starts enqueue the next drain; one that finds another drain (or the nightly reconcile)
    running waits its turn.
    """
    client = redis_client()
    client.delete(DRAIN_QUEUED_KEY)
    refreshed = 0
    with rollup_lock(blocking_timeout=0.1) as held:
        if not held:
            _drain_again_later(client)
            return 0
        deadline = time.monotonic() + DRAIN_WORK_SECONDS
        while time.monotonic() < deadline and not held.lost and (batch := dirty_villages_batch(client, DRAIN_BATCH)):
            rollup_refresh_villages(list(batch))
            if held.lost:  # a reconcile may have run alongside: the batch stays dirty and is refreshed again
                break
            dirty_villages_done(client, batch)
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
    if nightly:  # a rebuild whose message was lost is caught up here
        snapshot_rebuild_backdated_task()
    return {"rows": result.rows, "seconds": round(result.seconds, 3)}


@shared_task(name="reports.tasks.export_build")
def export_build(job_id: str, language: str = "id") -> str:
    return export_run(job_id, language).status


@shared_task(name="reports.tasks.rollup_refresh_federations")
def rollup_refresh_federations_task(federation_ids: list[int]) -> int:
    return rollup_refresh_federations(federation_ids)


@shared_task(name="reports.tasks.snapshot_rebuild_backdated")
def snapshot_rebuild_backdated_task() -> int:
    """Rebuild the snapshots that facts recorded with past event dates changed (one writer at a time)."""
    with rollup_lock():
        return snapshot_rebuild_backdated()
