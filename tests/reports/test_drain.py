"""The drain of dirty villages against real Redis, with no worker listening to the queue it enqueues on."""

import time

import pytest

from config.celery_app import app
from core import changes
from core.changes import DIRTY_VILLAGES_KEY
from core.changes import DRAIN_QUEUED_KEY
from core.changes import dirty_villages_batch
from core.changes import dirty_villages_done
from core.changes import redis_client
from reports.models import RegionRollup
from reports.services import rollup_lock
from reports.tasks import rollup_drain
from tests.conftest import PRAWOTO
from tests.conftest import register

pytestmark = pytest.mark.django_db

QUEUE = "kopdes-test-drain-nobody-listens"


@pytest.fixture
def queued_not_run():
    """Tasks go to a queue no worker reads, so the test sees what was enqueued."""
    client = redis_client()
    client.delete(DIRTY_VILLAGES_KEY, DRAIN_QUEUED_KEY, QUEUE)
    previous = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager, app.conf.task_default_queue = False, QUEUE
    yield client
    app.conf.task_always_eager, app.conf.task_default_queue = previous
    client.delete(DIRTY_VILLAGES_KEY, DRAIN_QUEUED_KEY, QUEUE)


def test_a_drain_that_finds_the_lock_taken_leaves_one_retry_queued(queued_not_run, village_staff):
    register(village_staff)  # committed only at the end of the test: the refresh below counts it
    client = queued_not_run
    client.zadd(DIRTY_VILLAGES_KEY, {PRAWOTO: time.time() - 5})
    with rollup_lock() as held:  # a reconcile (or another drain) is running
        assert held
        assert rollup_drain.apply().get() == 0
        assert client.llen(QUEUE) == 1  # it tries again shortly
        for code in ("33.18.01.2002", "33.18.01.2003", PRAWOTO):  # more changes arrive meanwhile
            changes._queue([code])
    assert client.llen(QUEUE) == 1 and client.zcard(DIRTY_VILLAGES_KEY) == 3  # still one drain waiting

    assert rollup_drain.apply().get() == 3  # the lock is free again: the villages are refreshed
    assert client.zcard(DIRTY_VILLAGES_KEY) == 0
    assert RegionRollup.objects.get(code=PRAWOTO).cooperatives == 1
    assert RegionRollup.objects.get(code="ID").cooperatives == 1


def test_a_batch_leaves_the_queue_only_when_done_and_a_change_meanwhile_stays(queued_not_run):
    client = queued_not_run
    changes._queue([PRAWOTO, "33.18.01.2002"])
    batch = dirty_villages_batch(client, 10)
    assert set(batch) == {PRAWOTO, "33.18.01.2002"}
    assert client.zcard(DIRTY_VILLAGES_KEY) == 2  # read, not taken: a drain killed now loses nothing

    changes._queue([PRAWOTO])  # changed again while the batch is being refreshed
    assert dirty_villages_done(client, batch) == 1
    assert client.zrange(DIRTY_VILLAGES_KEY, 0, -1) == [PRAWOTO.encode()]  # refreshed again by the next batch

    # Even a change stamped with the very same time as the one read (clocks repeat) is noticed.
    batch = dirty_villages_batch(client, 10)
    changes._mark(client, batch)
    assert dirty_villages_done(client, batch) == 0
    assert dirty_villages_done(client, dirty_villages_batch(client, 10)) == 1
    assert client.zcard(DIRTY_VILLAGES_KEY) == 0
