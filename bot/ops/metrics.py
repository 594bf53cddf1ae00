"""Prometheus metrics: an `Events` sink that counts what happened, rendered at `/metrics`.

Each `Metrics` owns its own registry (no module-level globals), so tests and several apps
in one process never share counters. The index gauges are read from a callable at scrape
time, so they always show the collection the process is actually serving.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from bot import __version__
from bot.answer import Answer
from bot.errors import (
    BadQuestion,
    BadRequest,
    Busy,
    ConfigError,
    IndexMismatch,
    NotAllowed,
    RateLimited,
    ReggiError,
    ServiceUnavailable,
)
from bot.ops.events import CacheOutcome, Vote

log = logging.getLogger(__name__)

#: What `index_stats` returns: (index version, number of chunks in the collection).
IndexStats = Callable[[], tuple[str, int]]

CONTENT_TYPE = CONTENT_TYPE_LATEST

# Seconds. Retrieval is milliseconds; an OpenAI-written answer takes seconds.
LATENCY_BUCKETS = (
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
    20.0,
    30.0,
    60.0,
)

STAGES = ("retrieval", "writing", "total")


def error_kind(exc: BaseException) -> str:
    """A short, bounded label for an exception (the `kind` of `Events.error`)."""
    if isinstance(exc, ServiceUnavailable):
        return f"unavailable_{exc.service}" if exc.service.isidentifier() else "unavailable"
    for cls, kind in (
        (BadQuestion, "bad_question"),
        (IndexMismatch, "index_mismatch"),
        (ConfigError, "config"),
        (BadRequest, "bad_request"),
        (Busy, "busy"),
        (RateLimited, "rate_limited"),
        (NotAllowed, "not_allowed"),
        (ReggiError, "reggi"),
    ):
        if isinstance(exc, cls):
            return kind
    return "unexpected"


class _IndexCollector(Collector):
    """Reads the index version and chunk count when Prometheus scrapes."""

    def __init__(self, index_stats: IndexStats) -> None:
        self._index_stats = index_stats

    def collect(self) -> Any:
        try:
            version, chunks = self._index_stats()
        except Exception:
            log.warning("could not read index statistics for /metrics", exc_info=True)
            return
        info = GaugeMetricFamily(
            "reggi_index_info",
            "The index the process serves (value is always 1).",
            labels=["version"],
        )
        info.add_metric([str(version)], 1.0)
        yield info
        yield GaugeMetricFamily(
            "reggi_index_chunks", "Chunks in the index collection.", value=float(chunks)
        )


class Metrics:
    """Counts answers, cache outcomes, errors and feedback; renders Prometheus text."""

    def __init__(self, *, index_stats: IndexStats | None = None) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.questions = Counter(
            "reggi_questions",
            "Questions answered, by channel.",
            ["channel"],
            registry=r,
        )
        self.abstentions = Counter(
            "reggi_abstentions",
            "Answers that said the index does not cover the question, by channel.",
            ["channel"],
            registry=r,
        )
        self.answers_by_writer = Counter(
            "reggi_answers_by_writer",
            "Answers by the writer that produced them.",
            ["writer"],
            registry=r,
        )
        self.cache_outcomes = Counter(
            "reggi_cache",
            "Answer cache lookups: hit, paraphrase_hit, miss, error.",
            ["outcome"],
            registry=r,
        )
        self.latency = Histogram(
            "reggi_latency_seconds",
            "Time spent answering, by stage (retrieval, writing, total).",
            ["stage"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.errors = Counter(
            "reggi_errors",
            "Errors shown to users, by channel and kind.",
            ["channel", "kind"],
            registry=r,
        )
        self.feedback_votes = Counter(
            "reggi_feedback",
            "Feedback votes, by channel and vote.",
            ["channel", "vote"],
            registry=r,
        )
        if index_stats is not None:
            r.register(_IndexCollector(index_stats))
        for outcome in ("hit", "paraphrase_hit", "miss", "error"):
            self.cache_outcomes.labels(outcome)  # export zeros from the start
        for vote in ("up", "down"):
            self.feedback_votes.labels("web", vote)
        build = Gauge(
            "reggi_build_info",
            "Always 1; the label carries Reggi's version.",
            ["version"],
            registry=r,
        )
        build.labels(__version__).set(1)

    # --- Events ---------------------------------------------------------------------------
    def answered(
        self,
        *,
        channel: str,
        user: str = "",
        team: str = "",
        question: str = "",
        answer: Answer,
        latency_ms: float,
    ) -> None:
        self.questions.labels(channel).inc()
        if answer.abstained:
            self.abstentions.labels(channel).inc()
        self.answers_by_writer.labels(answer.writer or "unknown").inc()
        for stage, ms in stage_latencies_ms(answer, latency_ms).items():
            self.latency.labels(stage).observe(ms / 1000.0)

    def feedback(
        self,
        *,
        channel: str,
        user: str = "",
        answer_id: str = "",
        vote: Vote,
        reason: str = "",
    ) -> None:
        self.feedback_votes.labels(channel, vote).inc()

    def cache(self, outcome: CacheOutcome) -> None:
        self.cache_outcomes.labels(outcome).inc()

    def error(self, *, channel: str, kind: str) -> None:
        self.errors.labels(channel, kind).inc()

    # --- exposition -----------------------------------------------------------------------
    def render(self) -> bytes:
        """The Prometheus text exposition of every metric."""
        return generate_latest(self.registry)


def stage_latencies_ms(answer: Answer, latency_ms: float) -> dict[str, float]:
    """Which latency observations one answer contributes, in milliseconds.

    A cached answer did no retrieval or writing now, so only its measured total counts;
    otherwise the engine's `timings_ms` give the stages, and the channel's measurement
    stands in for a missing total.
    """
    if answer.cached:
        return {"total": latency_ms}
    stages = {
        s: float(answer.timings_ms[s])
        for s in ("retrieval", "writing")
        if isinstance(answer.timings_ms.get(s), int | float) and answer.timings_ms[s] >= 0
    }
    total = answer.timings_ms.get("total")
    stages["total"] = float(total) if isinstance(total, int | float) and total >= 0 else latency_ms
    return stages
