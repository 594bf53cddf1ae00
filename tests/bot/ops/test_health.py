from __future__ import annotations

import pytest

from bot.cache import MemoryBackend
from bot.cache.redis import RedisBackend
from bot.ops.health import Check, dependency_checks, run_checks
from tests.fixtures.redis import PrivateRedis, free_port


class FakeIndex:
    embedding_id = "wordllama-l2-supercat"

    def __init__(self, count: int = 1204) -> None:
        self._count = count

    def count(self) -> int:
        return self._count

    def version(self) -> str:
        return "2026-11-01T00:00:00Z"

    def dimension(self) -> int:
        return 256


def raising() -> tuple[bool, str]:
    raise ConnectionError("redis://:hunter2@redis:6379 refused")


def test_run_checks_reports_details() -> None:
    result = run_checks(
        [Check("qdrant", lambda: (False, "collection reggi is empty")), Check("redis", raising)]
    )
    assert result.status == "not ready" and result.http_status == 503
    assert result.checks["qdrant"]["detail"] == "collection reggi is empty"
    assert result.checks["redis"]["detail"] == "check failed (ConnectionError); see the server log"


@pytest.mark.parametrize(
    ("required_ok", "optional_ok", "status", "http"),
    [
        (True, True, "ready", 200),
        (True, False, "degraded", 200),
        (False, True, "not ready", 503),
        (False, False, "not ready", 503),
    ],
)
def test_only_required_checks_take_the_replica_out(
    required_ok: bool, optional_ok: bool, status: str, http: int
) -> None:
    result = run_checks(
        [
            Check("optional", lambda: (optional_ok, ""), required=False),
            Check("required", lambda: (required_ok, "")),
        ]
    )
    assert (result.status, result.http_status) == (status, http)


def test_redis_unreachable_from_the_start_is_degraded() -> None:
    # Nothing has touched Redis yet: the probe itself must find out.
    backend = RedisBackend.from_url(f"redis://127.0.0.1:{free_port()}/0", timeout_seconds=0.2)
    result = run_checks(dependency_checks(index=FakeIndex(), cache=backend, redis_configured=True))
    assert result.status == "degraded" and result.http_status == 200
    assert result.checks["redis"]["detail"] == "unreachable: answering without cache"
    assert result.checks["qdrant"]["ok"] and result.checks["embedding"]["ok"]


def test_redis_dying_and_coming_back(private_redis: PrivateRedis) -> None:
    backend = RedisBackend.from_url(
        private_redis.url, timeout_seconds=0.3, retry_interval_seconds=0
    )
    checks = dependency_checks(index=FakeIndex(), cache=backend, redis_configured=True)
    assert run_checks(checks).status == "ready"
    private_redis.stop()
    assert run_checks(checks).status == "degraded"
    private_redis.start()
    assert run_checks(checks).status == "ready"
    backend.client.close()


def test_an_empty_index_is_not_ready_whatever_redis_says() -> None:
    checks = dependency_checks(
        index=FakeIndex(count=0), cache=MemoryBackend(max_entries=1), redis_configured=False
    )
    result = run_checks(checks)
    assert result.status == "not ready"
    assert result.checks["redis"]["detail"] == "not configured: in-process cache"
