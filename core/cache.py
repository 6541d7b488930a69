"""
A Redis cache that degrades instead of failing.

The cache only ever saves work (dashboard pages, rate-limit counters of DRF and allauth), so when Redis
cannot be reached a read is a miss and a write is skipped: pages are built from the database and
rate limits let requests through (they fail open for the length of the outage), rather than every page
answering 500. After a failure the cache is
skipped for ``RETRY_AFTER`` seconds (a circuit breaker), so a hung Redis costs one short socket timeout
per process every few seconds, not one per cache call.
"""

import contextlib
import logging
import threading
import time

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.core.cache.backends.redis import RedisCacheClient

__all__ = ["OutageBreaker", "ResilientRedisCache", "ReusedClientRedisCacheClient"]

logger = logging.getLogger(__name__)


class OutageBreaker:
    """
    Remembers that a service just failed, so callers skip it for ``seconds`` instead of each waiting
    for a timeout. One instance is shared by the threads of a process.
    """

    def __init__(self, name: str, seconds: float):
        self.name, self.seconds = name, seconds
        self._until = 0.0
        self._lock = threading.Lock()

    def is_open(self) -> bool:
        """True while the service is being skipped."""
        return time.monotonic() < self._until

    def trip(self, error: Exception) -> None:
        with self._lock:
            if not self.is_open():  # one log line per outage window, not one per request
                logger.warning("%s is unreachable (%s); skipping it for %s s", self.name, error, self.seconds)
            self._until = time.monotonic() + self.seconds

    def reset(self) -> None:
        self._until = 0.0


# Per Redis location, shared by the per-thread cache instances Django creates.
_breakers: dict[str, OutageBreaker] = {}
_breakers_lock = threading.Lock()


class ReusedClientRedisCacheClient(RedisCacheClient):
    """
    Django's Redis cache client, keeping one ``redis.Redis`` per connection pool. Django builds a new one for
    every cache call, which copies its table of some 170 response callbacks each time (about 70 µs, more than
    half of a Redis round trip); a ``redis.Redis`` over a pool is safe to share between threads.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, redis.Redis] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """
    Django's RedisCache, but an unreachable or failing Redis makes reads miss and writes no-ops (logged).

    OPTIONS: ``RETRY_AFTER`` (seconds to skip Redis after a failure, default 5) and the redis-py
    connection options; the socket timeouts default to half a second, as a cache that answers slower
    than the database is no longer saving anything.
    """

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        retry_after = float(options.pop("RETRY_AFTER", 5))
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedClientRedisCacheClient
        location = server if isinstance(server, str) else ",".join(server)
        with _breakers_lock:
            self.breaker = _breakers.setdefault(location, OutageBreaker(f"The cache at {location}", retry_after))

    def validate_key(self, key):
        """
        Nothing to check. Django's base class warns about keys memcached would refuse (long ones, spaces), a rule
        Redis does not have, by walking every key character by character: on each read of a cached dashboard, its
        three keys.
        """

    @contextlib.contextmanager
    def _degrading(self):
        try:
            yield
        except redis.RedisError as error:
            self.breaker.trip(error)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if not self.breaker.is_open():
            with self._degrading():
                return super().add(key, value, timeout, version)
        # As if stored, like a write that is skipped: callers that lock with add() (allauth's rate
        # limits) proceed instead of refusing everyone while Redis is down.
        return True

    def get(self, key, default=None, version=None):
        if not self.breaker.is_open():
            with self._degrading():
                return super().get(key, default, version)
        return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if not self.breaker.is_open():
            with self._degrading():
                super().set(key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        if not self.breaker.is_open():
            with self._degrading():
                return super().touch(key, timeout, version)
        return False

    def delete(self, key, version=None):
        if not self.breaker.is_open():
            with self._degrading():
                return super().delete(key, version)
        return False

    def get_many(self, keys, version=None):
        if not self.breaker.is_open():
            with self._degrading():
                return super().get_many(keys, version)
        return {}

    def has_key(self, key, version=None):
        if not self.breaker.is_open():
            with self._degrading():
                return super().has_key(key, version)
        return False

    def incr(self, key, delta=1, version=None):
        if not self.breaker.is_open():
            with self._degrading():
                return super().incr(key, delta, version)
        # What Django's caches do for a key they do not hold: the caller falls back to setting it.
        raise ValueError(f"Key '{key}' not found")

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        if not self.breaker.is_open():
            with self._degrading():
                return super().set_many(data, timeout, version)
        return list(data)  # the keys that were not stored

    def delete_many(self, keys, version=None):
        if not self.breaker.is_open():
            with self._degrading():
                super().delete_many(keys, version)

    def clear(self):
        if not self.breaker.is_open():
            with self._degrading():
                return super().clear()
        return False
