"""The Redis backend: cache entries, paraphrase vectors, counters and the shared store.

It never raises on the request path: when Redis is down, slow or refuses, an operation
returns "nothing" (`None` / no-op), ONE warning is logged for the whole outage, and after
`retry_interval_seconds` the next operation probes Redis again; the first success logs that
caching resumed. Admin calls (`entries`, `counters`, `clear`) raise
`ServiceUnavailable("redis")` instead, so an operator running `cache stats` learns Redis is
unreachable.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import TypeVar, cast

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from bot.errors import ServiceUnavailable
from bot.ops.events import Events, NullEvents

from .keys import COUNTERS, KEY_PREFIX, STATS_KEY

log = logging.getLogger(__name__)

T = TypeVar("T")
_ANSWER_PATTERN = f"{KEY_PREFIX}a:*"


class _Unavailable:
    pass


UNAVAILABLE = _Unavailable()


class RedisBackend:
    """Cache entries, paraphrase vectors, counters and the shared store in Redis."""

    name = "redis"

    def __init__(
        self,
        *,
        client: redis.Redis,
        events: Events | None = None,
        retry_interval_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
        description: str = "Redis",
    ) -> None:
        self._client = client
        self._events = events or NullEvents()
        self._retry_interval = retry_interval_seconds
        self._clock = clock
        self._description = description
        self._lock = threading.Lock()
        self._down = False
        self._retry_at = 0.0

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        timeout_seconds: float,
        events: Events | None = None,
        retry_interval_seconds: float = 5.0,
    ) -> RedisBackend:
        """A client that fails fast: socket timeouts and no client-side retries."""
        client = redis.Redis.from_url(
            url,
            socket_timeout=timeout_seconds,
            socket_connect_timeout=timeout_seconds,
            retry=Retry(NoBackoff(), 0),
            health_check_interval=0,
        )
        return cls(
            client=client,
            events=events,
            retry_interval_seconds=retry_interval_seconds,
            description=_redacted(url),
        )

    @property
    def client(self) -> redis.Redis:
        return self._client

    @property
    def available(self) -> bool:
        return not self._down

    def ping(self) -> bool:
        """Probe Redis now (within the outage back-off); True when it answered."""
        return self._run("ping", lambda: bool(self._client.ping())) is True

    # --- outage handling ---------------------------------------------------------------------
    def _run(self, op: str, fn: Callable[[], T]) -> T | _Unavailable:
        if self._down and self._clock() < self._retry_at:
            return UNAVAILABLE
        try:
            result = fn()
        except (redis.RedisError, OSError) as exc:
            self._failed(op, exc)
            return UNAVAILABLE
        if self._down:
            with self._lock:
                if self._down:
                    self._down = False
                    log.info("%s is reachable again; caching resumed", self._description)
        return result

    def _failed(self, op: str, exc: BaseException) -> None:
        with self._lock:
            self._retry_at = self._clock() + self._retry_interval
            if self._down:
                log.debug("%s still unavailable (%s): %s", self._description, op, exc)
                return
            self._down = True
        log.warning(
            "%s unavailable (%s during %s); answering uncached until it is back",
            self._description,
            type(exc).__name__,
            op,
        )
        self._events.error(channel="cache", kind="redis_unavailable")

    def _admin(self, op: str, fn: Callable[[], T]) -> T:
        try:
            return fn()
        except (redis.RedisError, OSError) as exc:
            log.warning("%s unavailable during %s: %s", self._description, op, exc)
            raise ServiceUnavailable("redis", type(exc).__name__) from None

    # --- cache entries -----------------------------------------------------------------------
    def get(self, key: str) -> bytes | None:
        result = self._run("get", lambda: self._client.get(key))
        return None if isinstance(result, _Unavailable) else cast(bytes | None, result)

    def put(self, key: str, value: bytes, ttl_seconds: int) -> None:
        self._run("set", lambda: self._client.set(key, value, ex=ttl_seconds))

    def delete(self, key: str) -> None:
        self._run("delete", lambda: self._client.delete(key))

    def add_vector(self, scope: str, key: str, record: bytes, ttl_seconds: int, cap: int) -> None:
        order = f"{scope}:order"

        def add() -> None:
            pipe = self._client.pipeline(transaction=True)
            pipe.hset(scope, key, record)
            pipe.zadd(order, {key: time.time()})
            pipe.expire(scope, ttl_seconds)
            pipe.expire(order, ttl_seconds)
            pipe.zcard(order)
            size = pipe.execute()[-1]
            if size > cap:
                oldest = self._client.zrange(order, 0, size - cap - 1)
                if oldest:
                    pipe = self._client.pipeline(transaction=True)
                    pipe.hdel(scope, *oldest)
                    pipe.zrem(order, *oldest)
                    pipe.execute()

        self._run("add_vector", add)

    def vectors(self, scope: str) -> dict[str, bytes]:
        result = self._run("vectors", lambda: self._client.hgetall(scope))
        if isinstance(result, _Unavailable):
            return {}
        return {cast(bytes, k).decode(): cast(bytes, v) for k, v in result.items()}

    def drop_vector(self, scope: str, key: str) -> None:
        def drop() -> None:
            pipe = self._client.pipeline(transaction=True)
            pipe.hdel(scope, key)
            pipe.zrem(f"{scope}:order", key)
            pipe.execute()

        self._run("drop_vector", drop)

    def count(self, counter: str) -> None:
        self._run("count", lambda: self._client.hincrby(STATS_KEY, counter, 1))

    # --- shared store ------------------------------------------------------------------------
    def set_nx(self, key: str, ttl_seconds: int) -> bool | None:
        result = self._run("set_nx", lambda: self._client.set(key, b"1", nx=True, ex=ttl_seconds))
        return None if isinstance(result, _Unavailable) else bool(result)

    def discard(self, key: str) -> None:
        self._run("discard", lambda: self._client.delete(key))

    def incr_window(self, key: str, ttl_seconds: int) -> int | None:
        def incr() -> int:
            pipe = self._client.pipeline(transaction=True)
            pipe.incr(key)
            pipe.expire(key, ttl_seconds)
            return int(pipe.execute()[0])

        result = self._run("incr_window", incr)
        return None if isinstance(result, _Unavailable) else result

    # --- admin -------------------------------------------------------------------------------
    def _scan(self, pattern: str) -> Iterator[bytes]:
        return self._client.scan_iter(match=pattern, count=1000)

    def entries(self) -> int:
        return self._admin("entries", lambda: sum(1 for _ in self._scan(_ANSWER_PATTERN)))

    def counters(self) -> dict[str, int]:
        raw = self._admin("counters", lambda: self._client.hgetall(STATS_KEY))
        values = {cast(bytes, k).decode(): int(v) for k, v in raw.items()}
        return {name: values.get(name, 0) for name in COUNTERS}

    def clear(self) -> int:
        def clear() -> int:
            removed = 0
            batch: list[bytes] = []
            for key in self._scan(f"{KEY_PREFIX}*"):
                removed += key.startswith(f"{KEY_PREFIX}a:".encode())
                batch.append(key)
                if len(batch) >= 500:
                    self._client.unlink(*batch)
                    batch = []
            if batch:
                self._client.unlink(*batch)
            return removed

        return self._admin("clear", clear)


def _redacted(url: str) -> str:
    """The URL without its password, for log lines."""
    if "@" not in url:
        return f"Redis at {url}"
    scheme, _, rest = url.partition("://")
    return f"Redis at {scheme}://***@{rest.rpartition('@')[2]}"
