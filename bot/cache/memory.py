"""The in-process backend: a thread-safe LRU with per-entry expiry (the embedded default)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from .keys import COUNTERS


class MemoryBackend:
    """A thread-safe in-process LRU with per-entry expiry: the embedded default."""

    name = "in-process"

    def __init__(self, *, max_entries: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._max = max_entries
        self._clock = clock
        self._lock = threading.Lock()
        self._data: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._vectors: dict[str, OrderedDict[str, bytes]] = {}
        self._vector_scope: dict[str, str] = {}
        self._store: OrderedDict[str, tuple[float, int]] = OrderedDict()
        self._counters = dict.fromkeys(COUNTERS, 0)

    @property
    def available(self) -> bool:
        return True

    def ping(self) -> bool:
        return True

    def get(self, key: str) -> bytes | None:
        with self._lock:
            item = self._data.get(key)
            if item is None:
                return None
            if item[0] <= self._clock():
                self._remove(key)
                return None
            self._data.move_to_end(key)
            return item[1]

    def put(self, key: str, value: bytes, ttl_seconds: int) -> None:
        with self._lock:
            self._data[key] = (self._clock() + ttl_seconds, value)
            self._data.move_to_end(key)
            while len(self._data) > self._max:
                oldest = next(iter(self._data))
                self._remove(oldest)

    def delete(self, key: str) -> None:
        with self._lock:
            self._remove(key)

    def _remove(self, key: str) -> None:
        self._data.pop(key, None)
        scope = self._vector_scope.pop(key, None)
        if scope is not None:
            records = self._vectors.get(scope)
            if records is not None:
                records.pop(key, None)
            if not records:
                self._vectors.pop(scope, None)

    def add_vector(self, scope: str, key: str, record: bytes, ttl_seconds: int, cap: int) -> None:
        with self._lock:
            if key not in self._data:  # evicted already (max_entries smaller than a batch)
                return
            records = self._vectors.setdefault(scope, OrderedDict())
            records[key] = record
            records.move_to_end(key)
            self._vector_scope[key] = scope
            while len(records) > cap:
                oldest, _ = records.popitem(last=False)
                self._vector_scope.pop(oldest, None)

    def vectors(self, scope: str) -> dict[str, bytes]:
        with self._lock:
            return dict(self._vectors.get(scope, {}))

    def drop_vector(self, scope: str, key: str) -> None:
        with self._lock:
            if self._vector_scope.get(key) == scope:
                self._vector_scope.pop(key)
                records = self._vectors.get(scope)
                if records is not None:
                    records.pop(key, None)

    def count(self, counter: str) -> None:
        with self._lock:
            self._counters[counter] = self._counters.get(counter, 0) + 1

    def _store_live(self, key: str, now: float) -> tuple[float, int] | None:
        item = self._store.get(key)
        if item is not None and item[0] <= now:
            del self._store[key]
            return None
        return item

    def _store_trim(self, now: float) -> None:
        # Expired keys go first; the store never holds more than 10x the cache's size.
        for key in [k for k, (exp, _) in self._store.items() if exp <= now][:1000]:
            del self._store[key]
        while len(self._store) > 10 * self._max:
            self._store.popitem(last=False)

    def set_nx(self, key: str, ttl_seconds: int) -> bool | None:
        with self._lock:
            now = self._clock()
            if self._store_live(key, now) is not None:
                return False
            self._store[key] = (now + ttl_seconds, 1)
            self._store_trim(now)
            return True

    def discard(self, key: str) -> None:
        with self._lock:
            self._store.pop(key, None)

    def incr_window(self, key: str, ttl_seconds: int) -> int | None:
        with self._lock:
            now = self._clock()
            item = self._store_live(key, now)
            count = 1 if item is None else item[1] + 1
            self._store[key] = (now + ttl_seconds if item is None else item[0], count)
            self._store.move_to_end(key)
            self._store_trim(now)
            return count

    def entries(self) -> int:
        with self._lock:
            now = self._clock()
            return sum(1 for exp, _ in self._data.values() if exp > now)

    def counters(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counters)

    def clear(self) -> int:
        with self._lock:
            n = len(self._data)
            self._data.clear()
            self._vectors.clear()
            self._vector_scope.clear()
            self._counters = dict.fromkeys(COUNTERS, 0)
            return n
