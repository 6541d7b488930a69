"""
Telling the roll-up that a village's data changed, without losing the news when Redis is down.

Services call ``village_changed(code)`` after any write that affects the counts of a village
(cooperative, stage, unit, member, visit). After the transaction commits, the code is marked in a Redis
sorted set of dirty villages (scored by the time of its latest change) and one drain task is scheduled;
the worker drains the whole set in batches, so a burst of changes costs one refresh per village, not
one per change. With tasks running eagerly (quickstart, most tests) the village is refreshed inline.

Nothing is lost on the way:

* Redis unreachable when the change commits: the code is written to PostgreSQL (``DirtyVillage``) and
  ``dirty_villages_requeue`` (every minute, from beat) moves it into Redis once Redis answers.
* A drain reads a batch without removing it (``dirty_villages_batch``) and, after refreshing it,
  removes only the codes whose score is still the one it read (``dirty_villages_done``): a worker killed
  mid-batch leaves the batch in the set, and a village changed again during the refresh stays dirty.
"""

import functools
import logging
import time
from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime

import redis
from celery import current_app
from django.conf import settings
from django.db import connection
from django.db import transaction
from django.db.models import Count
from django.db.models import Min
from django.utils import timezone

from .cache import OutageBreaker
from .models import BackdatedVillage
from .models import DirtyVillage
from .outbox import outbox_enqueue

__all__ = [
    "BACKDATED_TASK",
    "DIRTY_VILLAGES_KEY",
    "DRAIN_QUEUED_KEY",
    "PendingRefreshes",
    "dirty_villages_batch",
    "dirty_villages_done",
    "dirty_villages_pending",
    "dirty_villages_requeue",
    "federation_changed",
    "redis_client",
    "village_backdated",
    "village_changed",
]

logger = logging.getLogger(__name__)

# Every key carries the project's prefix (the tests use their own), so a portal and a test run can share a Redis.
KEY_PREFIX = settings.REDIS_KEY_PREFIX
DIRTY_VILLAGES_KEY = f"{KEY_PREFIX}:rollup:dirty"
# Set while a drain task waits in the queue (the drain clears it when it starts), so that a burst
# of changes enqueues one drain, and a change made while a drain runs enqueues the next one.
DRAIN_QUEUED_KEY = f"{KEY_PREFIX}:rollup:drain-queued"
REFRESH_TASK = "reports.tasks.rollup_refresh_villages"
DRAIN_TASK = "reports.tasks.rollup_drain"
REQUEUE_BATCH = 1000

# Web requests skip Redis for a few seconds after it failed, instead of each waiting for a timeout.
_breaker = OutageBreaker("Redis (roll-up queue)", seconds=5)

# Marks codes dirty with the given scores. A score equal to the one already stored is nudged, so that a
# drain comparing scores always notices a change made while it refreshed (clocks can repeat a reading).
_MARK = """
for i = 1, #ARGV, 2 do
  local score = tonumber(ARGV[i + 1])
  local stored = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if stored and tonumber(stored) == score then score = score + 0.000001 end
  redis.call('ZADD', KEYS[1], score, ARGV[i])
end
return #ARGV / 2
"""

# Removes the codes whose score is still the one the drain read: those not changed again meanwhile.
_DONE = """
local removed = 0
for i = 1, #ARGV, 2 do
  local stored = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if stored and tonumber(stored) == tonumber(ARGV[i + 1]) then
    redis.call('ZREM', KEYS[1], ARGV[i])
    removed = removed + 1
  end
end
return removed
"""
FEDERATIONS_TASK = "reports.tasks.rollup_refresh_federations"
BACKDATED_TASK = "reports.tasks.snapshot_rebuild_backdated"


@functools.cache
def redis_client():
    """One client (and connection pool) per process: building a client costs more than a command."""
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)


@functools.cache
def _scripts(client):
    return client.register_script(_MARK), client.register_script(_DONE)


def _mark(client, scores: dict[str, float]) -> None:
    mark, _done = _scripts(client)
    mark(keys=[DIRTY_VILLAGES_KEY], args=[item for pair in scores.items() for item in (pair[0], repr(pair[1]))])


def _kick_drain(client) -> None:
    """Make sure one drain waits in the queue (at most one), unless one already does."""
    if not client.set(DRAIN_QUEUED_KEY, 1, nx=True, ex=60):
        return
    try:
        current_app.tasks[DRAIN_TASK].apply_async()
    except Exception:
        client.delete(DRAIN_QUEUED_KEY)  # none is queued after all: the next change or requeue tries again
        raise


def _hold(codes: list[str]) -> None:
    """Record in PostgreSQL the villages Redis could not take, keeping the time of the first change."""
    try:
        with transaction.atomic():
            DirtyVillage.objects.bulk_create([DirtyVillage(code=code) for code in codes], ignore_conflicts=True)
    except Exception:  # the database is gone too: only the nightly reconcile can catch up now
        logger.exception("Could not record the roll-up refresh of %s", codes)


def _queue(codes: list[str]) -> None:
    if current_app.conf.task_always_eager:
        current_app.tasks[REFRESH_TASK].apply(args=[codes])
        return
    if _breaker.is_open():
        _hold(codes)
        return
    client = redis_client()
    try:
        now = time.time()
        _mark(client, dict.fromkeys(codes, now))
    except redis.RedisError as error:
        _breaker.trip(error)
        _hold(codes)
        return
    try:
        _kick_drain(client)
    except Exception:  # marked in Redis: the requeue job starts the drain within a minute
        logger.warning("Could not queue the roll-up drain for %s", codes, exc_info=True)


def village_changed(*codes: str) -> None:
    """Queue the roll-up refresh of these villages once the current transaction commits."""
    codes = [code for code in codes if code]
    if codes:
        transaction.on_commit(lambda: _queue(codes), robust=True)


def village_backdated(code: str, day: date | None) -> None:
    """
    A fact of this village with a past event date (``day``, before today) was recorded: the daily snapshots from
    ``day`` on are to be rebuilt. The earliest day per village is kept in PostgreSQL with the change (a rebuild
    queued twice still finds the row, a rebuild that dies leaves it), and the rebuild is queued through the outbox.
    Facts dated today touch only the current roll-up (``village_changed``), which tonight's snapshot copies.
    """
    if not code or day is None or day >= timezone.localdate():
        return
    table = BackdatedVillage._meta.db_table
    with connection.cursor() as cursor:
        least = "LEAST" if connection.vendor == "postgresql" else "MIN"
        cursor.execute(f"INSERT INTO {table} (code, since) VALUES (%s, %s) ON CONFLICT (code) "
                       f"DO UPDATE SET since = {least}({table}.since, excluded.since)", [code, day])
    outbox_enqueue(BACKDATED_TASK)


def dirty_villages_batch(client, size: int) -> dict[str, float]:
    """The ``size`` longest-waiting dirty villages and their scores; they stay in the set until done."""
    return {code.decode(): score for code, score in client.zrange(DIRTY_VILLAGES_KEY, 0, size - 1, withscores=True)}


def dirty_villages_done(client, batch: dict[str, float]) -> int:
    """Remove the refreshed villages that were not changed again since ``batch`` was read."""
    _mark, done = _scripts(client)
    return done(keys=[DIRTY_VILLAGES_KEY], args=[item for pair in batch.items() for item in (pair[0], repr(pair[1]))])


def dirty_villages_requeue() -> int:
    """
    Move the villages recorded in PostgreSQL while Redis was down into the Redis set, and make sure a
    drain is queued whenever villages wait (a drain message lost with a killed worker is replaced).
    Idempotent; run every minute by beat. Returns how many villages were moved.
    """
    if current_app.conf.task_always_eager:
        return 0
    client = redis_client()
    moved = 0
    while True:
        with transaction.atomic():
            # Locked rows make a concurrent insert of the same code wait until they are gone, so a
            # change recorded while this runs is never deleted unseen.
            rows = list(DirtyVillage.objects.select_for_update(skip_locked=True).order_by("since")
                        .values_list("code", "since")[:REQUEUE_BATCH])
            if rows:
                _mark(client, {code: since.timestamp() for code, since in rows})
                DirtyVillage.objects.filter(code__in=[code for code, _since in rows]).delete()
        moved += len(rows)
        if len(rows) < REQUEUE_BATCH:
            break
    _breaker.reset()
    if client.zcard(DIRTY_VILLAGES_KEY):
        _kick_drain(client)
    return moved


@dataclass(frozen=True)
class PendingRefreshes:
    queued: int  # villages waiting in Redis for the worker
    held: int  # villages recorded in PostgreSQL because Redis could not be reached
    since: datetime | None  # the oldest change not yet counted

    @property
    def count(self) -> int:
        return self.queued + self.held


def dirty_villages_pending() -> PendingRefreshes:
    """How many village refreshes wait (in Redis and, set aside, in PostgreSQL), and since when."""
    if current_app.conf.task_always_eager:
        return PendingRefreshes(0, 0, None)
    held = DirtyVillage.objects.aggregate(count=Count("code"), oldest=Min("since"))
    queued, oldest = 0, None
    if not _breaker.is_open():
        try:
            client = redis_client()
            queued = client.zcard(DIRTY_VILLAGES_KEY)
            first = client.zrange(DIRTY_VILLAGES_KEY, 0, 0, withscores=True)
        except redis.RedisError as error:
            _breaker.trip(error)
        else:
            oldest = datetime.fromtimestamp(first[0][1], tz=UTC) if first else None
    times = [moment for moment in (held["oldest"], oldest) if moment]
    return PendingRefreshes(queued, held["count"], min(times) if times else None)


def federation_changed(*federation_ids: int) -> None:
    """
    A federation's membership changed: after the commit, its roll-up row (the sum over its members) is
    recomputed. Through the outbox, so a broker that is down delays the refresh instead of losing it.
    """
    ids = sorted({int(pk) for pk in federation_ids if pk})
    if ids:
        outbox_enqueue(FEDERATIONS_TASK, ids)
