from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import pytest

from bot.cache import Backend, MemoryBackend
from bot.cache.redis import RedisBackend
from bot.cache.store import SharedStore
from bot.compose import build_backend, build_store
from bot.ops.events import NullEvents
from bot.settings import load_settings
from tests.fixtures.redis import PrivateRedis


@pytest.fixture(params=["redis", "memory"])
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    if request.param == "memory":
        yield MemoryBackend(max_entries=100)
        return
    b = RedisBackend.from_url(request.getfixturevalue("redis_url"), timeout_seconds=0.5)
    yield b
    b.client.close()


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_seen_dedupes_and_expires(backend: Backend) -> None:
    store = SharedStore(backend=backend, rate_limit_per_minute=0)
    assert store.seen("slack:Ev01", 1) is False
    assert store.seen("slack:Ev01", 1) is True
    assert store.seen("slack:Ev02", 1) is False
    time.sleep(1.3)
    assert store.seen("slack:Ev01", 1) is False


def test_seen_is_shared_by_replicas(redis_url: str) -> None:
    one = SharedStore(
        backend=RedisBackend.from_url(redis_url, timeout_seconds=0.5),
        rate_limit_per_minute=0,
    )
    two = SharedStore(
        backend=RedisBackend.from_url(redis_url, timeout_seconds=0.5),
        rate_limit_per_minute=0,
    )
    assert one.seen("teams:act-1", 60) is False
    assert two.seen("teams:act-1", 60) is True


@pytest.mark.parametrize(
    ("limit", "asks", "expected"),
    [
        (3, 5, [True, True, True, False, False]),
        (1, 2, [True, False]),
        (0, 20, [True] * 20),  # 0 = unlimited
    ],
)
def test_rate_limit(backend: Backend, limit: int, asks: int, expected: list[bool]) -> None:
    store = SharedStore(backend=backend, rate_limit_per_minute=limit, clock=Clock())
    assert [store.allow("T1:U1") for _ in range(asks)] == expected
    assert store.allow("T1:U2") is True  # another user has their own budget


def test_rate_limit_window_rolls_over(backend: Backend) -> None:
    clock = Clock(60 * 1000 + 59)
    store = SharedStore(backend=backend, rate_limit_per_minute=2, clock=clock)
    assert [store.allow("U1") for _ in range(3)] == [True, True, False]
    clock.now += 1  # next minute
    assert store.allow("U1") is True


def test_rate_limit_is_shared_by_replicas(redis_url: str) -> None:
    clock = Clock()
    stores = [
        SharedStore(
            backend=RedisBackend.from_url(redis_url, timeout_seconds=0.5),
            rate_limit_per_minute=2,
            clock=clock,
        )
        for _ in range(2)
    ]
    assert [stores[0].allow("U1"), stores[1].allow("U1"), stores[0].allow("U1")] == [
        True,
        True,
        False,
    ]


def test_store_falls_back_while_redis_is_down(
    private_redis: PrivateRedis,
    caplog: pytest.LogCaptureFixture,
) -> None:
    backend = RedisBackend.from_url(
        private_redis.url, timeout_seconds=0.3, retry_interval_seconds=0
    )
    store = SharedStore(backend=backend, rate_limit_per_minute=2, clock=Clock())
    assert store.seen("ev-1", 60) is False
    private_redis.stop()
    with caplog.at_level(logging.WARNING, logger="bot.cache"):
        assert store.seen("ev-2", 60) is False
        assert store.seen("ev-2", 60) is True  # in-process fallback still de-duplicates
        assert [store.allow("U1") for _ in range(3)] == [True, True, False]
    assert len(caplog.records) == 1
    private_redis.start()
    assert store.seen("ev-3", 60) is False
    assert store.seen("ev-3", 60) is True
    assert backend.available
    backend.client.close()


def test_a_retry_after_redis_died_is_still_a_duplicate(private_redis: PrivateRedis) -> None:
    # Issue 14.6: Slack retries an event after Redis has gone; answering it again is wrong.
    backend = RedisBackend.from_url(
        private_redis.url, timeout_seconds=0.3, retry_interval_seconds=0
    )
    store = SharedStore(backend=backend, rate_limit_per_minute=0)
    assert store.seen("slack:Ev-before", 3600) is False  # Redis up: recorded in both
    private_redis.stop()
    assert store.seen("slack:Ev-before", 3600) is True
    assert not backend.available
    backend.client.close()


def test_a_retry_after_redis_came_back_empty_is_still_a_duplicate(
    private_redis: PrivateRedis,
) -> None:
    backend = RedisBackend.from_url(
        private_redis.url, timeout_seconds=0.3, retry_interval_seconds=0
    )
    store = SharedStore(backend=backend, rate_limit_per_minute=0)
    private_redis.stop()
    assert store.seen("slack:Ev-during", 3600) is False  # Redis down: only this replica knows
    private_redis.start()  # a fresh, empty Redis
    assert store.seen("slack:Ev-during", 3600) is True
    assert backend.available
    other = SharedStore(  # another replica sees what Redis saw meanwhile
        backend=RedisBackend.from_url(private_redis.url, timeout_seconds=0.3),
        rate_limit_per_minute=0,
    )
    assert other.seen("slack:Ev-during", 3600) is True
    backend.client.close()


def test_build_from_settings(redis_url: str) -> None:
    memory = build_backend(load_settings(redis_url="", cache_max_entries=5), events=NullEvents())
    assert isinstance(memory, MemoryBackend)
    settings = load_settings(
        redis_url=redis_url, redis_timeout_seconds=0.25, rate_limit_per_minute=1
    )
    redis_backend = build_backend(settings, events=NullEvents())
    assert isinstance(redis_backend, RedisBackend)
    kwargs = redis_backend.client.connection_pool.connection_kwargs
    assert kwargs["socket_timeout"] == 0.25 and kwargs["socket_connect_timeout"] == 0.25
    store = build_store(settings, backend=redis_backend)
    assert [store.allow("U9"), store.allow("U9")] == [True, False]
    redis_backend.client.close()
