"""Compute an answer once while identical requests wait for it.

- `SingleFlight` (per process): the first caller for a key runs the function; every caller
  arriving for the same key meanwhile waits and gets the same result (or the same error).
- `Coalescer` adds the replicas: the one computing holds a short lock in the shared store
  (Redis); another replica asked the same question waits for the answer to appear in the
  cache instead of computing it again. A lock whose holder died expires by itself, and a
  waiter that has waited as long as the lock lasts computes the answer itself: coalescing
  saves work, it never withholds an answer. With Redis down every replica computes alone.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from .keys import STORE_PREFIX
from .protocols import TokenStore

T = TypeVar("T")


class _Call(Generic[T]):
    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: T | None = None
        self.error: BaseException | None = None
        self.waiters = 0


class SingleFlight(Generic[T]):
    """`do(key, fn)` → (result, leader): leader is False for callers who waited for another."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: dict[str, _Call[T]] = {}

    def do(self, key: str, fn: Callable[[], T]) -> tuple[T, bool]:
        with self._lock:
            call = self._calls.get(key)
            leader = call is None
            if call is None:
                call = self._calls[key] = _Call()
            else:
                call.waiters += 1
        if not leader:
            call.done.wait()
            if call.error is not None:
                raise call.error
            return call.value, False  # type: ignore[return-value]
        try:
            call.value = fn()
        except BaseException as exc:
            call.error = exc
            raise
        finally:
            with self._lock:
                del self._calls[key]
            call.done.set()
        return call.value, True

    def waiters(self, key: str) -> int:
        """How many callers are waiting for the call in flight for `key` (0 when none)."""
        with self._lock:
            call = self._calls.get(key)
            return call.waiters if call is not None else 0


class Coalescer(Generic[T]):
    """`run(key, compute, find)` → (value, computed): computed is True for the one caller
    (across replicas) that ran `compute`; the others got the value `find` read back."""

    def __init__(
        self,
        *,
        locks: TokenStore | None,
        lock_seconds: int = 15,
        poll_seconds: float = 0.05,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._flight: SingleFlight[tuple[T, bool]] = SingleFlight()
        self._locks = locks
        self._lock_seconds = lock_seconds
        self._poll = poll_seconds
        self._clock = clock
        self._sleep = sleep

    def run(
        self, key: str, compute: Callable[[], T], find: Callable[[], T | None]
    ) -> tuple[T, bool]:
        (value, computed), leader = self._flight.do(
            key, lambda: self._across_replicas(key, compute, find)
        )
        return value, computed and leader

    def waiters(self, key: str) -> int:
        """Callers of this process waiting for `key` (for tests and diagnostics)."""
        return self._flight.waiters(key)

    def _across_replicas(
        self, key: str, compute: Callable[[], T], find: Callable[[], T | None]
    ) -> tuple[T, bool]:
        if self._locks is None:
            return compute(), True
        lock = f"{STORE_PREFIX}computing:{key}"
        deadline = self._clock() + self._lock_seconds
        held = self._locks.set_nx(lock, self._lock_seconds)
        while held is False:  # another replica is computing it
            self._sleep(self._poll)
            found = find()
            if found is not None:
                return found, False
            if self._clock() >= deadline:
                break  # its holder is slow or gone: answer here rather than not at all
            held = self._locks.set_nx(lock, self._lock_seconds)
        try:
            if held:
                found = find()  # stored by a holder that finished just before we locked
                if found is not None:
                    return found, False
            return compute(), True
        finally:
            if held:
                self._locks.discard(lock)
