"""
A Redis lock that a dead holder gives up quickly.

The lock lives for a short TTL, and a heartbeat thread of the holder renews it every third of that
while the work goes on, however long it takes. A holder that is killed (SIGKILL, OOM, a lost machine)
stops renewing, so the next process gets the lock within one TTL instead of waiting out a timeout
sized for the longest job.
"""

import contextlib
import logging
import threading

import redis

__all__ = ["HeldLock", "LockLost", "renewed_lock"]

logger = logging.getLogger(__name__)


class LockLost(RuntimeError):
    """The lock expired while its holder worked (Redis unreachable for longer than the TTL)."""


class HeldLock:
    """What ``renewed_lock`` yields: true if the lock was acquired; ``lost`` once it expired under the holder."""

    def __init__(self, acquired: bool):
        self.acquired = acquired
        self._lost = threading.Event()

    def __bool__(self) -> bool:
        return self.acquired

    @property
    def lost(self) -> bool:
        return self._lost.is_set()


def _renew(lock, interval: float, stopped: threading.Event, held: HeldLock) -> None:
    while not stopped.wait(interval):
        try:
            lock.reacquire()  # back to the full TTL, only if this holder's token is still the one stored
        except redis.exceptions.LockError:
            logger.error("The lock %s expired while its holder was working", lock.name)
            held._lost.set()
            return
        except redis.RedisError:  # a blip: try again next beat; the TTL leaves two more chances
            logger.warning("Could not renew the lock %s", lock.name, exc_info=True)


@contextlib.contextmanager
def renewed_lock(client, name: str, *, ttl: float, blocking_timeout: float | None = None):
    """
    Hold the lock ``name`` for the duration of the block, renewed every ``ttl / 3`` seconds. Waits up
    to ``blocking_timeout`` seconds for it (None: as long as it takes); yields a falsy ``HeldLock`` if
    it could not be had.
    """
    # Not thread-local: the heartbeat thread renews with the token the holder's thread acquired.
    lock = client.lock(name, timeout=ttl, blocking_timeout=blocking_timeout, thread_local=False)
    held = HeldLock(lock.acquire())
    if not held:
        yield held
        return
    stopped = threading.Event()
    heartbeat = threading.Thread(target=_renew, args=(lock, ttl / 3, stopped, held), daemon=True,
                                 name=f"heartbeat {name}")
    heartbeat.start()
    try:
        yield held
    finally:
        stopped.set()
        heartbeat.join()
        with contextlib.suppress(redis.RedisError):
            lock.release()
