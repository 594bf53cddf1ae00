"""What the cache's users need from a backend, one protocol per role.

- `AnswerStore`: cached answers and their paraphrase vectors (`CachedAnswers`);
- `TokenStore`: set-once tokens and expiring counters (`SharedStore`: dedupe, rate limit);
- `CacheAdmin`: counting and clearing (`cache stats` / `cache clear`);
- `Backend`: all three, what `MemoryBackend` and `RedisBackend` implement.

On the request path a backend never raises: when its service is down an operation returns
"nothing" (`None` / no-op) and `available` turns False. Admin calls raise
`ServiceUnavailable` instead, so an operator learns the service is unreachable.
"""

from __future__ import annotations

from typing import Protocol


class Availability(Protocol):
    name: str

    @property
    def available(self) -> bool:
        """False while the service behind the backend is failing."""

    def ping(self) -> bool:
        """Probe the service now; False when it does not answer."""


class AnswerStore(Availability, Protocol):
    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, value: bytes, ttl_seconds: int) -> None: ...

    def delete(self, key: str) -> None: ...

    def add_vector(self, scope: str, key: str, record: bytes, ttl_seconds: int, cap: int) -> None:
        """Remember `record` (an embedding and signature) for entry `key` in `scope`."""

    def vectors(self, scope: str) -> dict[str, bytes]: ...

    def drop_vector(self, scope: str, key: str) -> None: ...

    def count(self, counter: str) -> None: ...


class TokenStore(Availability, Protocol):
    def set_nx(self, key: str, ttl_seconds: int) -> bool | None:
        """Set `key` unless present: True if set now, False if present, None if unavailable."""

    def incr_window(self, key: str, ttl_seconds: int) -> int | None:
        """Increment a counter that expires; None if unavailable."""

    def discard(self, key: str) -> None:
        """Remove a token set with `set_nx` (a no-op when absent or unavailable)."""


class CacheAdmin(Availability, Protocol):
    def entries(self) -> int: ...

    def counters(self) -> dict[str, int]: ...

    def clear(self) -> int: ...


class Backend(AnswerStore, TokenStore, CacheAdmin, Protocol):
    """Every role: what a cache backend implements."""
