"""
A worker killed in the middle of roll-up work (SIGKILL: no clean-up runs) neither blocks the next run
for long nor loses the villages it was refreshing.

To catch the worker mid-work, the test holds the roll-up state row (``RollupState``) locked from a
connection of its own: both the reconcile and the drain's refresh update that row last, so the worker
stops there, inside its work, holding the roll-up lock, for as long as the test wants.
"""

import time
import uuid

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from core.changes import DIRTY_VILLAGES_KEY
from core.roles import Role
from core.tasks import requeue_dirty_villages
from koperasi.services import cooperative_register
from reports.models import RegionRollup
from reports.models import RollupState
from reports.services import rollup_lock
from reports.services import rollup_reconcile
from reports.tasks import rollup_reconcile_task
from tests.conftest import PATI
from tests.conftest import PRAWOTO
from tests.conftest import make_user
from tests.conftest import start_celery_worker
from tests.conftest import stop_celery_worker
from tests.conftest import tasks_sent_to
from tests.conftest import wait_for

pytestmark = [pytest.mark.worker]



def _cooperatives(code: str) -> int:
    return RegionRollup.objects.filter(code=code).values_list("cooperatives", flat=True).first() or 0


def _a_query_waits_for_a_row_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND wait_event_type = 'Lock'")
        return cursor.fetchone()[0] > 0


class RollupStateHeld:
    """The roll-up state row, locked by another connection until ``release``."""

    def __init__(self):
        RollupState.objects.get_or_create(pk=1)
        db = connection.settings_dict
        self.connection = psycopg2.connect(dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"] or None,
                                           host=db["HOST"], port=db["PORT"] or 5432)
        with self.connection.cursor() as cursor:  # psycopg2 opens a transaction with the first statement
            cursor.execute(f"SELECT 1 FROM {RollupState._meta.db_table} WHERE id = 1 FOR UPDATE")

    def release(self) -> None:
        if not self.connection.closed:
            self.connection.rollback()
            self.connection.close()


@pytest.fixture
def worker_to_kill(committed_regions, private_redis):
    """A real worker of this test's own (on the test's Redis), which the test may kill; and its queue."""
    queue = f"test-kill-{uuid.uuid4().hex[:8]}"
    workers = []

    def start():
        workers.append(start_celery_worker(queue, redis_url=private_redis.url, log_name=".test-worker-kill.log"))
        return workers[-1]

    with tasks_sent_to(queue):
        yield start
    for process in workers:
        if process.poll() is None:
            stop_celery_worker(process)


def test_a_reconcile_killed_mid_run_frees_the_lock_within_its_ttl(worker_to_kill):
    ttl = settings.ROLLUP_LOCK_SECONDS
    worker = worker_to_kill()
    held_row = RollupStateHeld()
    try:
        rollup_reconcile_task.apply_async()
        assert wait_for(_a_query_waits_for_a_row_lock), "the reconcile did not start"
        # A live holder keeps its lock however long it works: its heartbeat renews the short TTL.
        time.sleep(ttl * 2)
        with rollup_lock(blocking_timeout=0.1) as held:
            assert not held

        worker.kill()
        worker.wait()
        started = time.monotonic()
        with rollup_lock(blocking_timeout=ttl * 5) as held:
            waited = time.monotonic() - started
            assert held
        assert waited <= ttl + 1, f"the next run waited {waited:.1f} s for a dead worker's lock"
    finally:
        held_row.release()


def test_a_drain_killed_mid_batch_loses_no_village(worker_to_kill, private_redis):
    officer = make_user(Role.KABUPATEN_OFFICER, PATI)
    rollup_reconcile(snapshot=False)
    worker = worker_to_kill()
    held_row = RollupStateHeld()
    try:
        cooperative_register(actor=officer, village_code=PRAWOTO)  # committed: the drain is queued
        assert wait_for(_a_query_waits_for_a_row_lock), "the drain did not start refreshing"
        worker.kill()
        worker.wait()
    finally:
        held_row.release()  # the dead worker's transaction is rolled back: nothing of its refresh is kept

    redis = private_redis.client()
    assert redis.zrange(DIRTY_VILLAGES_KEY, 0, -1) == [PRAWOTO.encode()]  # still waiting, not lost
    assert _cooperatives(PATI) == 0

    # A new worker; the minute's requeue job queues a drain again (the killed one's message died with it).
    worker_to_kill()
    requeue_dirty_villages.apply()
    assert wait_for(lambda: _cooperatives(PATI) == 1), "the village was lost"
    assert _cooperatives("ID") == 1
    assert wait_for(lambda: redis.zcard(DIRTY_VILLAGES_KEY) == 0)
