"""The small shared store the chat channels need: delivery de-duplication and rate limits.

Both use Redis when configured, so every replica sees the same deliveries and counts. While
Redis is unavailable they fall back to an in-process store (per replica) instead of failing:
a duplicate delivery may then be answered twice by two replicas, which beats answering none.

Every delivery id is also recorded in the in-process store, with the same TTL, whether Redis
is up or not: a retry arriving after Redis died (or came back empty) is still recognised by
the replica that saw the first delivery.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from .keys import STORE_PREFIX
from .memory import MemoryBackend
from .protocols import TokenStore

_WINDOW_SECONDS = 60


class SharedStore:
    """`seen(key, ttl)` for de-duplication and `allow(user_key)` for the per-user rate limit."""

    def __init__(
        self,
        *,
        backend: TokenStore,
        rate_limit_per_minute: int,
        fallback: TokenStore | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._backend = backend
        self._fallback = fallback or MemoryBackend(max_entries=1000)
        self._limit = rate_limit_per_minute
        self._clock = clock

    def seen(self, key: str, ttl_seconds: int) -> bool:
        """True when `key` was already seen within `ttl_seconds` (and records it if not)."""
        full = f"{STORE_PREFIX}seen:{key}"
        first_here = self._fallback.set_nx(full, ttl_seconds) is not False
        first_shared = self._backend.set_nx(full, ttl_seconds)
        if first_shared is None:  # Redis unavailable: this replica's memory decides
            return not first_here
        return not (first_shared and first_here)

    def allow(self, user_key: str) -> bool:
        """True while `user_key` has asked at most N questions this minute (0 = unlimited).

        Fixed one-minute windows: a user can reach up to 2N across a window boundary.
        """
        if self._limit <= 0:
            return True
        window = int(self._clock() // _WINDOW_SECONDS)
        full = f"{STORE_PREFIX}rate:{user_key}:{window}"
        count = self._backend.incr_window(full, 2 * _WINDOW_SECONDS)
        if count is None:
            count = self._fallback.incr_window(full, 2 * _WINDOW_SECONDS)
        return count is not None and count <= self._limit
