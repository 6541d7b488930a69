"""Celery tasks: thin wrappers over the idempotent roll-up and export services."""

from celery import shared_task

from core.changes import DIRTY_VILLAGES_KEY
from core.changes import DRAIN_QUEUED_KEY
from core.changes import redis_client

from .services import export_run
from .services import rollup_lock
from .services import rollup_reconcile
from .services import rollup_refresh_villages

__all__ = ["export_build", "rollup_drain", "rollup_reconcile_task", "rollup_refresh_villages_task"]

DRAIN_BATCH = 500


@shared_task(name="reports.tasks.rollup_refresh_villages")
def rollup_refresh_villages_task(codes: list[str]) -> int:
    return rollup_refresh_villages(codes)


def _pop_batch(client) -> list[str]:
    """Take up to DRAIN_BATCH codes off the dirty set atomically (read and remove in one transaction)."""
    pipe = client.pipeline(transaction=True)
    pipe.zrange(DIRTY_VILLAGES_KEY, 0, DRAIN_BATCH - 1)
    pipe.zremrangebyrank(DIRTY_VILLAGES_KEY, 0, DRAIN_BATCH - 1)
    codes, _removed = pipe.execute()
    return [code.decode() for code in codes]


@shared_task(name="reports.tasks.rollup_drain", acks_late=True)
def rollup_drain() -> int:
    """
    Refresh every dirty village, batch by batch, until the set is empty. Changes made from the
    moment this starts enqueue the next drain; one that finds another drain running waits its turn.
    """
    client = redis_client()
    client.delete(DRAIN_QUEUED_KEY)
    refreshed = 0
    with rollup_lock(timeout=300, blocking_timeout=0.1) as acquired:
        if not acquired:
            if client.zcard(DIRTY_VILLAGES_KEY):
                rollup_drain.apply_async(countdown=0.5)
            return 0
        while codes := _pop_batch(client):
            try:
                rollup_refresh_villages(codes)
            except Exception:
                client.zadd(DIRTY_VILLAGES_KEY, dict.fromkeys(codes, 0), nx=True)  # retried by the next drain
                raise
            refreshed += len(codes)
    return refreshed


@shared_task(name="reports.tasks.rollup_reconcile")
def rollup_reconcile_task() -> dict:
    """Nightly (Celery beat) and on demand: rebuild the roll-up and take today's snapshot."""
    result = rollup_reconcile()
    return {"rows": result.rows, "seconds": round(result.seconds, 3)}


@shared_task(name="reports.tasks.export_build")
def export_build(job_id: str, language: str = "id") -> str:
    return export_run(job_id, language).status
