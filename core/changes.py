"""
Telling the roll-up that a village's data changed.

Services call ``village_changed(code)`` after any write that affects the counts of a village
(cooperative, stage, unit, member, visit). After the transaction commits, the code joins a Redis
sorted set of dirty villages and one drain task is scheduled; the worker drains the whole set in
batches, so a burst of changes costs one refresh per village, not one per change. With tasks
running eagerly (quickstart, most tests) the village is refreshed inline instead. The nightly full
reconcile repairs anything a lost message could leave behind.
"""

import functools
import logging
import time

import redis
from celery import current_app
from django.conf import settings
from django.db import transaction

__all__ = ["DIRTY_VILLAGES_KEY", "DRAIN_QUEUED_KEY", "dirty_villages_pending", "federation_changed", "redis_client",
           "village_changed"]

logger = logging.getLogger(__name__)

# Every key carries the project's prefix (the tests use their own), so a portal and a test run can share a Redis.
KEY_PREFIX = settings.REDIS_KEY_PREFIX
DIRTY_VILLAGES_KEY = f"{KEY_PREFIX}:rollup:dirty"
# Set while a drain task waits in the queue (the drain clears it when it starts), so that a burst
# of changes enqueues one drain, and a change made while a drain runs enqueues the next one.
DRAIN_QUEUED_KEY = f"{KEY_PREFIX}:rollup:drain-queued"
REFRESH_TASK = "reports.tasks.rollup_refresh_villages"
DRAIN_TASK = "reports.tasks.rollup_drain"
FEDERATIONS_TASK = "reports.tasks.rollup_refresh_federations"


@functools.cache
def redis_client():
    """One client (and connection pool) per process: building a client costs more than a command."""
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)


def _queue(codes: list[str]) -> None:
    if current_app.conf.task_always_eager:
        current_app.tasks[REFRESH_TASK].apply(args=[codes])
        return
    try:
        client = redis_client()
        client.zadd(DIRTY_VILLAGES_KEY, {code: time.time() for code in codes}, nx=True)
        if client.set(DRAIN_QUEUED_KEY, 1, nx=True, ex=60):
            current_app.tasks[DRAIN_TASK].apply_async()
    except Exception:  # the save has succeeded; the nightly reconcile will catch up
        logger.exception("Could not queue the roll-up refresh of %s", codes)


def village_changed(*codes: str) -> None:
    """Queue the roll-up refresh of these villages once the current transaction commits."""
    codes = [code for code in codes if code]
    if codes:
        transaction.on_commit(lambda: _queue(codes), robust=True)


def dirty_villages_pending() -> tuple[int, float | None]:
    """How many village refreshes wait, and since when (epoch seconds) the oldest has waited."""
    if current_app.conf.task_always_eager:
        return 0, None
    try:
        client = redis_client()
        count = client.zcard(DIRTY_VILLAGES_KEY)
        oldest = client.zrange(DIRTY_VILLAGES_KEY, 0, 0, withscores=True)
    except Exception:
        return 0, None
    return count, (oldest[0][1] if oldest else None)


def federation_changed(*federation_ids: int) -> None:
    """
    A federation's membership changed: after the commit, its roll-up row (the sum over its members) is
    recomputed; a lost message is repaired by the nightly reconcile.
    """
    ids = sorted({int(pk) for pk in federation_ids if pk})
    if ids:
        transaction.on_commit(lambda: _queue_federations(ids), robust=True)


def _queue_federations(ids: list[int]) -> None:
    task = current_app.tasks[FEDERATIONS_TASK]
    if current_app.conf.task_always_eager:
        task.apply(args=[ids])
        return
    try:
        task.delay(ids)
    except Exception:  # the save has succeeded; the nightly reconcile will catch up
        logger.exception("Could not queue the roll-up refresh of federations %s", ids)
