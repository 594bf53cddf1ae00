"""Latency of a cache hit against the same question answered uncached.

Prints one JSON object: p50/p95 in ms of the engine uncached, and of an exact hit and a
paraphrase hit through `CachedAnswers` on real Redis and on the in-process LRU.

    python -m benchmarks.cache                 # the real engine (bot.compose.build_components)
    python -m benchmarks.cache --fake-engine   # a stand-in engine, to measure the cache alone

Redis: --redis-url (default: REDIS_URL with database 15, else redis://127.0.0.1:6379/15).
The benchmark clears the cache keys of that database when it ends, so do not point it at
the production database.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import time
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit, urlunsplit

import numpy as np

from bot.answer import Answer, AnswerSource, Citation, Turn
from bot.cache import Backend, MemoryBackend
from bot.cache.answers import CachedAnswers, cache_clear
from bot.cache.redis import RedisBackend
from bot.ops.events import NullEvents
from bot.settings import load_settings

QUESTION = "What is the deadline to respond to a request to delete under the CCPA?"
PARAPHRASE = "Under the CCPA, what's the deadline to respond to a request to delete?"


class StandInEngine:
    """Builds a fresh two-citation Answer per call (no retrieval): isolates cache cost."""

    def ask(
        self,
        question: str,
        *,
        jurisdictions: Sequence[str] | None = None,
        history: Sequence[Turn] = (),
    ) -> Answer:
        cites = tuple(
            Citation(
                n=n,
                citation=f"Cal. Civ. Code § 1798.{100 + n}",
                section=f"1798.{100 + n}",
                heading="Consumers' right to delete",
                title="California Consumer Privacy Act",
                jurisdiction="US-CA",
                url=f"https://leginfo.legislature.ca.gov/1798.{100 + n}",
                source=f"us-ca/ccpa/1798.{100 + n}.md",
                quote="A business shall respond within 45 calendar days. " * 4,
            )
            for n in (1, 2)
        )
        return Answer(
            question=question,
            answer="A business must respond within 45 days [1], extendable once [2].",
            citations=cites,
            jurisdictions=("US-CA",),
            jurisdiction_names={"US-CA": "California"},
        )


def _wordllama_embed() -> Callable[[str], Sequence[float]]:
    import wordllama
    from wordllama import WordLlama

    model = WordLlama.load(cache_dir=pathlib.Path(wordllama.__file__).parent, disable_download=True)
    return lambda text: model.embed([text], norm=True)[0]


def _resolver(
    components: object,
) -> Callable[[str, Sequence[str] | None], tuple[str, ...]]:
    resolve = getattr(components, "resolve_jurisdictions", None)
    if callable(resolve):
        return resolve
    return lambda question, explicit: tuple(explicit or ("US-CA",))


def _percentiles(samples: list[float]) -> dict[str, float]:
    return {
        "p50": round(float(np.percentile(samples, 50)), 3),
        "p95": round(float(np.percentile(samples, 95)), 3),
        "n": len(samples),
    }


def _time(fn: Callable[[], Answer], runs: int, *, expect_cached: bool) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        answer = fn()
        samples.append((time.perf_counter() - start) * 1000)
        if answer.cached is not expect_cached:
            raise SystemExit(f"expected cached={expect_cached}, got {answer.cached}")
    return samples


def _cache_side(
    backend: Backend,
    engine: AnswerSource,
    embed: Callable[[str], Sequence[float]],
    resolve: Callable[[str, Sequence[str] | None], tuple[str, ...]],
    runs: int,
) -> dict[str, object]:
    cache = CachedAnswers(
        inner=engine,
        backend=backend,
        embed=embed,
        resolve_jurisdictions=resolve,
        index_version=lambda: "benchmark",
        writer_id="benchmark",
        ttl_seconds=600,
        paraphrase_threshold=load_settings().cache_paraphrase_threshold,
        events=NullEvents(),
    )
    cache_clear(backend)
    start = time.perf_counter()
    cache.ask(QUESTION)  # the miss that fills the entry
    fill_ms = (time.perf_counter() - start) * 1000
    hit = _time(lambda: cache.ask(QUESTION), runs, expect_cached=True)
    para = _time(lambda: cache.ask(PARAPHRASE), runs, expect_cached=True)
    cache_clear(backend)
    return {
        "miss_and_store_ms": round(fill_ms, 3),
        "hit_ms": _percentiles(hit),
        "paraphrase_hit_ms": _percentiles(para),
    }


def _default_redis_url() -> str:
    parts = urlsplit(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379")
    return urlunsplit((parts.scheme, parts.netloc, "/15", parts.query, parts.fragment))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fake-engine", action="store_true", help="use a stand-in engine")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--redis-url", default=_default_redis_url())
    args = parser.parse_args()

    settings = load_settings()
    components: object = None
    if args.fake_engine:
        engine: AnswerSource = StandInEngine()
    else:
        try:
            from bot.compose import build_components  # the composition root
        except ImportError as exc:
            raise SystemExit(
                f"bot.compose.build_components is not available ({exc}); "
                "use --fake-engine to measure the cache alone"
            ) from None

        components = build_components(settings)
        engine = components.engine  # type: ignore[attr-defined]
    embed = _wordllama_embed()
    resolve = _resolver(components)

    engine.ask(QUESTION)  # warm-up (model loads, connections)
    uncached = _time(lambda: engine.ask(QUESTION), args.runs, expect_cached=False)
    redis_backend = RedisBackend.from_url(
        args.redis_url, timeout_seconds=settings.redis_timeout_seconds
    )
    result = {
        "engine": "stand-in" if args.fake_engine else "real",
        "writer": settings.describe()["writer"],
        "runs": args.runs,
        "question": QUESTION,
        "uncached_ms": _percentiles(uncached),
        "redis": _cache_side(redis_backend, engine, embed, resolve, args.runs),
        "in_process": _cache_side(
            MemoryBackend(max_entries=settings.cache_max_entries),
            engine,
            embed,
            resolve,
            args.runs,
        ),
    }
    redis_backend.client.close()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
