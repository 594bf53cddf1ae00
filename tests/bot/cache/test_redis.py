from __future__ import annotations

import logging

import pytest

from bot.cache.redis import RedisBackend
from bot.errors import ServiceUnavailable, user_message
from tests.fixtures.redis import PrivateRedis, free_port


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_redis_vector_cap_per_scope(redis_url: str) -> None:
    backend = RedisBackend.from_url(redis_url, timeout_seconds=0.5)
    for key in ("a", "b", "c"):
        backend.add_vector("reggi:cache:v:s", key, b"r", 60, cap=2)
    assert set(backend.vectors("reggi:cache:v:s")) == {"b", "c"}
    backend.drop_vector("reggi:cache:v:s", "b")
    assert set(backend.vectors("reggi:cache:v:s")) == {"c"}
    backend.client.close()


def test_redis_down_admin_calls_raise_a_readable_error() -> None:
    backend = RedisBackend.from_url(f"redis://127.0.0.1:{free_port()}/0", timeout_seconds=0.2)
    with pytest.raises(ServiceUnavailable) as err:
        backend.entries()
    assert "unavailable" in user_message(err.value) and "Traceback" not in user_message(err.value)


def test_redis_down_request_path_never_raises(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    backend = RedisBackend.from_url(
        f"redis://:secret@127.0.0.1:{free_port()}/0",
        timeout_seconds=0.2,
        retry_interval_seconds=5,
    )
    backend._clock = clock  # a deterministic probe schedule
    with caplog.at_level(logging.DEBUG, logger="bot.cache"):
        assert backend.get("k") is None
        backend.put("k", b"v", 60)
        assert backend.vectors("s") == {}
        assert backend.set_nx("k", 60) is None and backend.incr_window("k", 60) is None
    assert not backend.available
    assert [r.levelname for r in caplog.records] == ["WARNING"]  # skipped until the retry time
    assert "secret" not in caplog.text
    clock.now += 5
    with caplog.at_level(logging.DEBUG, logger="bot.cache"):
        assert backend.get("k") is None  # probed again, still down: debug only
    assert [r.levelname for r in caplog.records] == ["WARNING", "DEBUG"]


def test_private_redis_restarts_on_the_same_port(private_redis: PrivateRedis) -> None:
    port = private_redis.port
    private_redis.stop()
    private_redis.start()
    assert private_redis.port == port
