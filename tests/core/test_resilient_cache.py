"""The cache degrades instead of failing: a Redis of the test's own is frozen (SIGSTOP) or stopped."""

import time

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def quick_retry(private_redis, settings):
    """The cache retries Redis one second after a failure (5 s by default), so the test need not wait."""
    settings.CACHES = {"default": {**settings.CACHES["default"], "OPTIONS": {"RETRY_AFTER": 1}}}
    return private_redis


def test_a_hung_redis_costs_one_short_timeout_then_is_skipped_until_it_answers(quick_retry):
    cache.set("figure", 1)
    quick_retry.freeze()  # connections are accepted, nothing answers
    try:
        started = time.monotonic()
        for _ in range(20):
            assert cache.get("figure") is None  # a miss, not an error
            cache.set("figure", 2)  # skipped
            assert cache.get_many(["figure"]) == {}
            assert cache.add("lock", 1) is True  # callers that lock with add() proceed
        # One socket timeout (0.5 s), not one per call (60 calls × 0.5 s).
        assert time.monotonic() - started < 2
    finally:
        quick_retry.thaw()
    time.sleep(1.1)  # the retry window passes
    assert cache.get("figure") == 1  # Redis is used again; the writes of the outage were skipped
    cache.set("figure", 3)
    assert cache.get("figure") == 3


def test_a_stopped_redis_makes_reads_miss_and_writes_no_ops(quick_retry):
    cache.set("figure", 1)
    quick_retry.stop()
    assert cache.get("figure", "default") == "default"
    cache.set("figure", 2)
    cache.delete("figure")
    with pytest.raises(ValueError):  # as for any key the cache does not hold: the caller sets it instead
        cache.incr("figure")
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]  # reported as not stored
