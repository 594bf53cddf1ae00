from __future__ import annotations

import pytest

from bot.answer import Answer
from bot.errors import (
    BadQuestion,
    ConfigError,
    IndexMismatch,
    ReggiError,
    ServiceUnavailable,
)
from bot.ops.metrics import Metrics, error_kind, stage_latencies_ms
from tests.fixtures.web import sample_answer


def value(metrics: Metrics, name: str, **labels: str) -> float | None:
    return metrics.registry.get_sample_value(name, labels)


def test_answers_are_counted_by_channel() -> None:
    m = Metrics()
    m.answered(
        channel="slack",
        user="U1",
        team="T1",
        question="q",
        answer=sample_answer(),
        latency_ms=20,
    )
    m.answered(
        channel="slack",
        user="U1",
        team="T1",
        question="q",
        answer=sample_answer(),
        latency_ms=20,
    )
    m.answered(
        channel="web",
        user="u",
        team="",
        question="q",
        answer=sample_answer().with_changes(abstained=True),
        latency_ms=5,
    )
    assert value(m, "reggi_questions_total", channel="slack") == 2
    assert value(m, "reggi_questions_total", channel="web") == 1
    assert value(m, "reggi_abstentions_total", channel="web") == 1
    assert value(m, "reggi_abstentions_total", channel="slack") is None
    assert value(m, "reggi_answers_by_writer_total", writer="extractive") == 3


def test_latency_histograms_take_the_engine_timings() -> None:
    m = Metrics()
    m.answered(
        channel="web",
        user="u",
        team="",
        question="q",
        answer=sample_answer(),
        latency_ms=999,
    )
    assert value(m, "reggi_latency_seconds_sum", stage="retrieval") == pytest.approx(0.012)
    assert value(m, "reggi_latency_seconds_sum", stage="writing") == pytest.approx(0.003)
    assert value(m, "reggi_latency_seconds_sum", stage="total") == pytest.approx(0.016)
    assert value(m, "reggi_latency_seconds_bucket", stage="total", le="0.025") == 1


@pytest.mark.parametrize(
    ("timings", "cached", "latency_ms", "expected"),
    [
        (
            {"retrieval": 12, "writing": 3, "total": 16},
            False,
            20.0,
            {"retrieval": 12, "writing": 3, "total": 16},
        ),
        ({"retrieval": 12}, False, 20.0, {"retrieval": 12, "total": 20}),
        ({}, False, 7.5, {"total": 7.5}),
        ({"retrieval": 12, "writing": 3, "total": 16}, True, 2.0, {"total": 2.0}),
        ({"retrieval": "fast", "total": -1}, False, 4.0, {"total": 4.0}),
    ],
)
def test_stage_latencies(timings: dict, cached: bool, latency_ms: float, expected: dict) -> None:
    answer = Answer(question="q", answer="a", timings_ms=timings, cached=cached)
    assert stage_latencies_ms(answer, latency_ms) == expected


def test_cache_outcomes_start_at_zero_and_count() -> None:
    m = Metrics()
    assert value(m, "reggi_cache_total", outcome="hit") == 0
    m.cache("hit")
    m.cache("paraphrase_hit")
    m.cache("miss")
    m.cache("miss")
    assert [
        value(m, "reggi_cache_total", outcome=o) for o in ("hit", "paraphrase_hit", "miss", "error")
    ] == [1, 1, 2, 0]


def test_errors_and_feedback() -> None:
    m = Metrics()
    m.error(channel="teams", kind="unavailable_qdrant")
    m.feedback(channel="slack", user="U1", answer_id="a", vote="down", reason="")
    m.feedback(channel="slack", user="U1", answer_id="a", vote="up")
    assert value(m, "reggi_errors_total", channel="teams", kind="unavailable_qdrant") == 1
    assert value(m, "reggi_feedback_total", channel="slack", vote="down") == 1
    assert value(m, "reggi_feedback_total", channel="slack", vote="up") == 1


def test_index_gauges_are_read_at_scrape_time() -> None:
    state = {"version": "v1", "chunks": 10}
    m = Metrics(index_stats=lambda: (state["version"], state["chunks"]))
    assert value(m, "reggi_index_chunks") == 10
    state.update(version="v2", chunks=12)
    text = m.render().decode()
    assert 'reggi_index_info{version="v2"} 1.0' in text and 'version="v1"' not in text
    assert "reggi_index_chunks 12.0" in text


def test_a_failing_index_probe_leaves_the_rest_of_the_scrape() -> None:
    def broken() -> tuple[str, int]:
        raise ConnectionError("qdrant down")

    text = Metrics(index_stats=broken).render().decode()
    assert "reggi_index_chunks" not in text
    assert "reggi_cache_total" in text


def test_each_metrics_object_has_its_own_registry() -> None:
    a, b = Metrics(), Metrics()
    a.cache("hit")
    assert value(b, "reggi_cache_total", outcome="hit") == 0


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (BadQuestion("too long"), "bad_question"),
        (ServiceUnavailable("qdrant"), "unavailable_qdrant"),
        (ServiceUnavailable("redis", "timeout"), "unavailable_redis"),
        (ServiceUnavailable("the openai endpoint"), "unavailable"),
        (IndexMismatch("other model"), "index_mismatch"),
        (ConfigError("bad"), "config"),
        (ReggiError(), "reggi"),
        (ValueError("x"), "unexpected"),
    ],
)
def test_error_kind(exc: BaseException, kind: str) -> None:
    assert error_kind(exc) == kind
