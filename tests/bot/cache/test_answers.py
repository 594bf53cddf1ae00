from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import pytest
import redis

from bot.answer import Answer, Turn
from bot.cache import Backend, MemoryBackend
from bot.cache.answers import (
    CachedAnswers,
    cache_clear,
    cache_stats,
    decode_entry,
    encode_entry,
)
from bot.cache.keys import (
    entry_id,
    entry_key,
    normalise_question,
    scope_id,
    vectors_key,
)
from bot.cache.redis import RedisBackend
from bot.errors import ServiceUnavailable
from bot.ops.events import RecordingEvents
from tests.bot.cache.fakes import FakeEngine, Version, embed, resolve
from tests.fixtures.redis import PrivateRedis

THRESHOLD = 0.95
WRITER = "extractive"


@pytest.fixture(params=["redis", "memory"])
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    if request.param == "memory":
        yield MemoryBackend(max_entries=100)
        return
    url = request.getfixturevalue("redis_url")
    b = RedisBackend.from_url(url, timeout_seconds=0.5, retry_interval_seconds=0)
    yield b
    b.client.close()


def make(
    backend: Backend,
    engine: FakeEngine | None = None,
    *,
    version: Version | None = None,
    writer: str = WRITER,
    ttl: int = 3600,
    events: RecordingEvents | None = None,
) -> CachedAnswers:
    return CachedAnswers(
        inner=engine or FakeEngine(),
        backend=backend,
        embed=embed,
        resolve_jurisdictions=resolve,
        index_version=version or Version(),
        writer_id=writer,
        ttl_seconds=ttl,
        paraphrase_threshold=THRESHOLD,
        events=events or RecordingEvents(),
    )


def outcomes(events: RecordingEvents) -> list[str]:
    return [e["outcome"] for e in events.of("cache")]


def test_repeat_is_a_hit(backend: Backend) -> None:
    engine, events = FakeEngine(), RecordingEvents()
    cache = make(backend, engine, events=events)
    first = cache.ask("What is the CCPA deadline to delete?")
    second = cache.ask("hey Reggi, what's the CCPA deadline to delete please")
    assert len(engine.calls) == 1
    assert not first.cached
    assert second.cached and second.cache_note == ""
    assert second.answer == first.answer and second.citations == first.citations
    assert second.question == "hey Reggi, what's the CCPA deadline to delete please"
    assert outcomes(events) == ["miss", "hit"]


def test_same_words_other_jurisdiction_miss(backend: Backend) -> None:
    engine = FakeEngine()
    cache = make(backend, engine)
    ca = cache.ask("What are the fines for a breach?", jurisdictions=["US-CA"])
    eu = cache.ask("What are the fines for a breach?", jurisdictions=["EU"])
    both = cache.ask("What are the fines for a breach?", jurisdictions=["EU", "US-CA"])
    again = cache.ask("What are the fines for a breach?", jurisdictions=["US-CA", "EU"])
    assert len(engine.calls) == 3
    assert not eu.cached and eu.jurisdictions == ("EU",) and ca.jurisdictions == ("US-CA",)
    assert not both.cached and again.cached


def test_index_version_change_invalidates(backend: Backend) -> None:
    engine, version = FakeEngine(), Version("v1")
    cache = make(backend, engine, version=version)
    cache.ask("What is the CCPA deadline to delete?")
    version.value = "v2"
    after = cache.ask("What is the CCPA deadline to delete?")
    assert not after.cached and len(engine.calls) == 2
    assert cache.ask("What is the CCPA deadline to delete?").cached


def test_writer_change_misses(backend: Backend) -> None:
    engine = FakeEngine()
    make(backend, engine, writer="extractive").ask("What is the CCPA deadline to delete?")
    other = make(backend, engine, writer="openai:gpt-4o-mini").ask(
        "What is the CCPA deadline to delete?"
    )
    assert not other.cached and len(engine.calls) == 2


def test_paraphrase_hit_quotes_the_earlier_question(backend: Backend) -> None:
    engine, events = FakeEngine(), RecordingEvents()
    cache = make(backend, engine, events=events)
    first = cache.ask("What is the deadline to delete under CCPA?")
    second = cache.ask("deadline to delete under the CCPA")
    assert len(engine.calls) == 1
    assert second.cached and second.answer == first.answer
    assert (
        second.cache_note
        == "answered an identical earlier question: «What is the deadline to delete under CCPA?»"
    )
    assert outcomes(events) == ["miss", "paraphrase_hit"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("deadline to delete under CCPA", "deadline to correct under CCPA"),
        (
            "When must we notify individuals of a breach under GDPR?",
            "When must we notify the media of a breach under GDPR?",
        ),
        (
            "Can a controller transfer data to a processor under GDPR?",
            "Can a processor transfer data to a controller under GDPR?",
        ),
        (
            "When is consent required under GDPR?",
            "When is consent not required under GDPR?",
        ),
        (
            "Do we need opt-in consent to sell data under CCPA?",
            "Do we need opt-out consent to sell data under CCPA?",
        ),
        (
            "Can a business sell personal information of minors under CCPA?",
            "Can a business share personal information of minors under CCPA?",
        ),
        (
            "How long can we keep data after a deletion request under CCPA?",
            "How long can we keep data before a deletion request under CCPA?",
        ),
    ],
)
def test_near_misses_never_hit(backend: Backend, first: str, second: str) -> None:
    engine = FakeEngine()
    cache = make(backend, engine)
    cache.ask(first)
    answer = cache.ask(second)
    assert not answer.cached and len(engine.calls) == 2
    assert "Answer #2" in answer.answer


def test_ttl_expiry(backend: Backend) -> None:
    engine = FakeEngine()
    cache = make(backend, engine, ttl=1)
    cache.ask("What is the CCPA deadline to delete?")
    assert cache.ask("What is the CCPA deadline to delete?").cached
    time.sleep(1.3)
    # neither the exact entry nor its paraphrase record outlives the TTL
    assert not cache.ask("deadline to delete under the CCPA").cached
    fresh = cache.ask("What is the CCPA deadline to delete?")
    assert fresh.cached and "Answer #2" in fresh.answer
    assert len(engine.calls) == 2


def test_follow_ups_are_not_cached(backend: Backend) -> None:
    engine = FakeEngine()
    cache = make(backend, engine)
    history = (Turn(question="What is the CCPA deadline to delete?", answer="45 days"),)
    assert not cache.ask("and for correction?", history=history).cached
    assert not cache.ask("and for correction?", history=history).cached
    assert not cache.ask("and for correction?").cached  # nothing was stored by the follow-ups
    assert [c[2] for c in engine.calls] == [1, 1, 0]


def test_errors_are_never_cached(backend: Backend) -> None:
    engine = FakeEngine(fail_with=ServiceUnavailable("qdrant"))
    cache = make(backend, engine)
    with pytest.raises(ServiceUnavailable):
        cache.ask("What is the CCPA deadline to delete?")
    engine.fail_with = None
    assert not cache.ask("What is the CCPA deadline to delete?").cached
    assert len(engine.calls) == 2


def test_abstentions_are_cached(backend: Backend) -> None:
    engine = FakeEngine(abstain=True)
    cache = make(backend, engine)
    cache.ask("What does Texas require for biometric data?")
    again = cache.ask("What does Texas require for biometric data?")
    assert again.cached and again.abstained and len(engine.calls) == 1


def test_degraded_answers_are_not_cached(backend: Backend) -> None:
    engine = FakeEngine(writer_note="The OpenAI writer failed; this is the extractive answer.")
    cache = make(backend, engine)
    cache.ask("What is the CCPA deadline to delete?")
    assert not cache.ask("What is the CCPA deadline to delete?").cached


def _key(question: str, jurisdictions: tuple[str, ...], version: str = "v1") -> str:
    scope = scope_id(jurisdictions, version, WRITER)
    return entry_key(entry_id(scope, normalise_question(question)))


@pytest.mark.parametrize(
    "garbage",
    [
        b"\x80\x04\x95 not json (a pickle?)",
        b'{"v": 1, "question": "q", "normalised": "q", "answer": {"schema_version": 999}}',
        b'{"v": 2, "question": "q"}',
        b'["a list"]',
        b'{"v": 1, "question": "q", "answer": {"schema_version": 1, "bogus": 1}}',
    ],
)
def test_corrupt_entry_is_dropped_and_recomputed(
    backend: Backend, garbage: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    engine, events = FakeEngine(), RecordingEvents()
    cache = make(backend, engine, events=events)
    question = "What is the CCPA deadline to delete?"
    key = _key(question, ("US-CA",))
    cache.ask(question)
    backend.put(key, garbage, 3600)
    with caplog.at_level(logging.WARNING, logger="bot.cache"):
        answer = cache.ask(question)
    assert not answer.cached and len(engine.calls) == 2
    assert "does not decode" in caplog.text
    stored = backend.get(key)
    assert stored is not None and decode_entry(stored)[1].answer == answer.answer
    assert cache.ask(question).cached
    assert outcomes(events) == ["miss", "error", "miss", "hit"]


def test_entry_round_trip_is_json() -> None:
    answer = FakeEngine().ask("What is the CCPA deadline to delete?")
    raw = encode_entry("Q?", "q", answer)
    assert raw.startswith(b"{") and decode_entry(raw) == ("Q?", answer)


def test_stats_and_clear(backend: Backend) -> None:
    cache = make(backend, FakeEngine())
    cache.ask("What is the CCPA deadline to delete?")
    cache.ask("What is the CCPA deadline to delete?")
    cache.ask("deadline to delete under the CCPA")
    cache.ask("What are the fines for a breach under GDPR?")
    stats = cache_stats(backend)
    assert stats["entries"] == 2
    assert (stats["hits"], stats["paraphrase_hits"], stats["misses"]) == (1, 1, 2)
    assert stats["hit_rate"] == 0.5
    assert cache_clear(backend) == 2
    assert cache_stats(backend)["entries"] == 0
    assert not cache.ask("What is the CCPA deadline to delete?").cached


def test_redis_counters_are_shared_by_replicas(redis_url: str) -> None:
    one = RedisBackend.from_url(redis_url, timeout_seconds=0.5)
    two = RedisBackend.from_url(redis_url, timeout_seconds=0.5)
    engine = FakeEngine()
    make(one, engine).ask("What is the CCPA deadline to delete?")
    assert make(two, engine).ask("What is the CCPA deadline to delete?").cached
    assert cache_stats(one)["hits"] == 1 and cache_stats(one)["misses"] == 1
    assert cache_stats(two)["backend"] == "redis"


def test_lru_evicts_least_recently_used() -> None:
    engine = FakeEngine()
    cache = make(MemoryBackend(max_entries=2), engine)
    cache.ask("What is the CCPA deadline to delete?")
    cache.ask("What are the fines for a breach under GDPR?")
    cache.ask("What is the CCPA deadline to delete?")  # now most recently used
    cache.ask("Does the CCPA apply to employees?")  # evicts the GDPR question
    assert cache.ask("What is the CCPA deadline to delete?").cached
    assert not cache.ask("What are the fines for a breach under GDPR?").cached
    assert len(engine.calls) == 4


def test_redis_stopped_and_restarted(
    private_redis: PrivateRedis,
    caplog: pytest.LogCaptureFixture,
) -> None:
    events = RecordingEvents()
    backend = RedisBackend.from_url(
        private_redis.url, timeout_seconds=0.3, events=events, retry_interval_seconds=0
    )
    engine = FakeEngine()
    cache = make(backend, engine, events=events)
    question = "What is the CCPA deadline to delete?"
    cache.ask(question)
    assert cache.ask(question).cached

    private_redis.stop()
    with caplog.at_level(logging.INFO, logger="bot.cache"):
        during = [cache.ask(question) for _ in range(4)]
        assert not any(a.cached for a in during)
        assert [a.answer for a in during] == [
            f"Answer #{n} to {question!r} [1]" for n in range(2, 6)
        ]
        warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 1 and "unavailable" in warnings[0].getMessage()
        assert events.of("error") == [{"channel": "cache", "kind": "redis_unavailable"}]

        private_redis.start()  # same port, empty (flushed) server
        assert not cache.ask(question).cached
        assert cache.ask(question).cached
    assert "caching resumed" in caplog.text
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1
    assert outcomes(events)[2:6] == ["error"] * 4
    backend.client.close()


def test_slow_redis_times_out_and_answers_uncached(
    private_redis: PrivateRedis,
    caplog: pytest.LogCaptureFixture,
) -> None:
    backend = RedisBackend.from_url(
        private_redis.url, timeout_seconds=0.2, retry_interval_seconds=60
    )
    engine = FakeEngine()
    cache = make(backend, engine)
    question = "What is the CCPA deadline to delete?"
    cache.ask(question)
    admin = redis.Redis.from_url(private_redis.url)
    admin.execute_command("CLIENT", "PAUSE", 1500, "ALL")
    with caplog.at_level(logging.WARNING, logger="bot.cache"):
        slow = cache.ask(question)
        after = cache.ask(question)  # within the retry interval: Redis is not even tried
    assert not slow.cached and not after.cached and len(engine.calls) == 3
    assert len(caplog.records) == 1 and "TimeoutError" in caplog.text
    admin.close()
    backend.client.close()


def test_answer_type_is_returned_unchanged_on_miss(backend: Backend) -> None:
    answer = make(backend).ask("What is the CCPA deadline to delete?")
    assert isinstance(answer, Answer) and answer.timings_ms == {"total": 12.5}


def test_flushed_redis_is_a_miss_then_refilled(redis_client: redis.Redis) -> None:
    kw = redis_client.connection_pool.connection_kwargs
    backend = RedisBackend.from_url(
        f"redis://{kw['host']}:{kw['port']}/{kw['db']}", timeout_seconds=0.5
    )
    engine = FakeEngine()
    cache = make(backend, engine)
    cache.ask("What is the CCPA deadline to delete?")
    redis_client.flushdb()
    assert not cache.ask("What is the CCPA deadline to delete?").cached
    assert cache.ask("deadline to delete under the CCPA").cached  # refilled
    assert len(engine.calls) == 2
    backend.client.close()


def test_paraphrase_record_of_an_evicted_entry_is_forgotten(backend: Backend) -> None:
    engine = FakeEngine()
    cache = make(backend, engine)
    question = "What is the deadline to delete under CCPA?"
    cache.ask(question)
    key = _key(question, ("US-CA",))
    vectors = vectors_key(scope_id(("US-CA",), "v1", WRITER))
    assert set(backend.vectors(vectors)) == {key}
    backend.delete(key)  # evicted (maxmemory) or expired before its paraphrase record
    assert not cache.ask("deadline to delete under the CCPA").cached
    assert key not in backend.vectors(vectors)
