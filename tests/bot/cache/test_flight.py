"""Identical questions asked at the same time are computed once (issue 14.10)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from bot.answer import Answer, Turn
from bot.cache import CachedAnswers, MemoryBackend
from bot.cache.flight import Coalescer, SingleFlight
from bot.cache.redis import RedisBackend
from bot.ops.events import RecordingEvents
from tests.bot.cache.fakes import FakeEngine, embed, resolve
from tests.fixtures.redis import PrivateRedis

QUESTION = "What is the CCPA deadline to delete?"
WAIT = 10.0


def wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_single_flight_runs_once_for_everyone_waiting() -> None:
    flight: SingleFlight[str] = SingleFlight()
    release, calls = threading.Event(), []

    def slow() -> str:
        calls.append(1)
        release.wait(WAIT)
        return "the answer"

    with ThreadPoolExecutor(20) as pool:
        futures = [pool.submit(flight.do, "k", slow) for _ in range(20)]
        wait_until(lambda: flight.waiters("k") == 19)
        release.set()
        results = [f.result(WAIT) for f in futures]
    assert calls == [1]
    assert sorted(results) == [("the answer", False)] * 19 + [("the answer", True)]
    assert flight.waiters("k") == 0


def test_single_flight_shares_the_error_and_forgets_it() -> None:
    flight: SingleFlight[str] = SingleFlight()
    release = threading.Event()

    def failing() -> str:
        release.wait(WAIT)
        raise RuntimeError("engine down")

    with ThreadPoolExecutor(3) as pool:
        futures = [pool.submit(flight.do, "k", failing) for _ in range(3)]
        wait_until(lambda: flight.waiters("k") == 2)
        release.set()
        for f in futures:
            with pytest.raises(RuntimeError, match="engine down"):
                f.result(WAIT)
    assert flight.do("k", lambda: "recovered") == ("recovered", True)


class SlowEngine(FakeEngine):
    """A FakeEngine that holds each answer until released (thread-safe call count)."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self._lock = threading.Lock()

    def ask(
        self,
        question: str,
        *,
        jurisdictions: Sequence[str] | None = None,
        history: Sequence[Turn] = (),
    ) -> Answer:
        with self._lock:
            answer = super().ask(question, jurisdictions=jurisdictions, history=history)
        self.release.wait(WAIT)
        return answer


def cached(backend: Any, engine: FakeEngine, events: RecordingEvents) -> CachedAnswers:
    return CachedAnswers(
        inner=engine,
        backend=backend,
        locks=backend,
        embed=embed,
        resolve_jurisdictions=resolve,
        index_version=lambda: "v1",
        writer_id="extractive",
        ttl_seconds=3600,
        paraphrase_threshold=0.95,
        events=events,
    )


def test_twenty_identical_first_asks_run_the_engine_once() -> None:
    engine, events = SlowEngine(), RecordingEvents()
    answers = cached(MemoryBackend(max_entries=100), engine, events)
    with ThreadPoolExecutor(20) as pool:
        futures = [pool.submit(answers.ask, QUESTION) for _ in range(20)]
        wait_until(lambda: len(engine.calls) == 1 and answers._once.waiters(_key(answers)) == 19)
        engine.release.set()
        results = [f.result(WAIT) for f in futures]
    assert len(engine.calls) == 1
    assert {r.answer for r in results} == {results[0].answer}
    assert sorted(r.cached for r in results) == [False] + [True] * 19
    assert sorted(e["outcome"] for e in events.of("cache")) == ["hit"] * 19 + ["miss"]


def _key(answers: CachedAnswers) -> str:
    lookup = answers._prepare(QUESTION, None)
    assert lookup is not None
    return lookup.key


def test_identical_asks_on_two_replicas_run_the_engine_once(redis_url: str) -> None:
    engine = SlowEngine()
    backends = [RedisBackend.from_url(redis_url, timeout_seconds=0.5) for _ in range(2)]
    replicas = [cached(b, engine, RecordingEvents()) for b in backends]
    with ThreadPoolExecutor(10) as pool:
        first = pool.submit(replicas[0].ask, QUESTION)
        wait_until(lambda: len(engine.calls) == 1)  # replica 0 holds the lock
        others = [pool.submit(replicas[i % 2].ask, QUESTION) for i in range(9)]
        time.sleep(0.2)  # the others are waiting: on the flight (0) or on the lock (1)
        engine.release.set()
        results = [first.result(WAIT)] + [f.result(WAIT) for f in others]
    assert len(engine.calls) == 1
    assert {r.answer for r in results} == {results[0].answer}
    assert [r.cached for r in results] == [False] + [True] * 9
    for b in backends:
        b.client.close()


def test_a_lock_whose_holder_is_gone_does_not_withhold_the_answer(redis_url: str) -> None:
    backend = RedisBackend.from_url(redis_url, timeout_seconds=0.5)
    coalescer: Coalescer[str] = Coalescer(locks=backend, lock_seconds=1, poll_seconds=0.02)
    assert backend.set_nx("reggi:store:computing:k", 1)  # a replica that then died
    started = time.monotonic()
    assert coalescer.run("k", lambda: "computed here", lambda: None) == ("computed here", True)
    assert time.monotonic() - started < 3
    backend.client.close()


def test_with_redis_down_each_replica_computes_alone(private_redis: PrivateRedis) -> None:
    backend = RedisBackend.from_url(
        private_redis.url, timeout_seconds=0.2, retry_interval_seconds=0
    )
    private_redis.stop()
    coalescer: Coalescer[str] = Coalescer(locks=backend)
    assert coalescer.run("k", lambda: "uncached", lambda: None) == ("uncached", True)
    backend.client.close()
