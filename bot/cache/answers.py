"""`CachedAnswers`: an AnswerSource that answers repeats from the cache.

A cached answer is reused only for the same resolved jurisdictions, the same index version
and the same writer (all in the scope), and either the same normalised words (exact hit) or a
paraphrase: embedding cosine >= threshold AND the same content signature (see keys.py).
Follow-ups (non-empty history) are never cached; errors are never cached; a cache failure
never reaches the user (the question is answered uncached). Identical questions asked at the
same time are computed once (`flight.Coalescer`: per process, and across replicas through a
short lock in `locks`) and all served from that answer.
"""

from __future__ import annotations

import base64
import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.answer import Answer, AnswerSource, Turn
from bot.errors import ReggiError
from bot.ops.events import CacheOutcome, Events

from .flight import Coalescer
from .keys import (
    ENTRY_SCHEMA_VERSION,
    content_signature,
    entry_id,
    entry_key,
    normalise_question,
    scope_id,
    signatures_match,
    vectors_key,
)
from .protocols import AnswerStore, CacheAdmin, TokenStore

log = logging.getLogger(__name__)


def paraphrase_note(earlier_question: str) -> str:
    return f"answered an identical earlier question: «{earlier_question.strip()}»"


def encode_entry(question: str, normalised: str, answer: Answer) -> bytes:
    """The versioned JSON stored for one answer (no pickle)."""
    payload = {
        "v": ENTRY_SCHEMA_VERSION,
        "question": question,
        "normalised": normalised,
        "answer": answer.to_dict(),
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def decode_entry(raw: bytes) -> tuple[str, Answer]:
    """(earlier question, answer); raises ValueError on anything but a valid entry."""
    try:
        payload = json.loads(raw)
        if not isinstance(payload, dict) or payload.get("v") != ENTRY_SCHEMA_VERSION:
            raise ValueError(f"unsupported cache entry version {payload.get('v')!r}")
        answer = Answer.from_dict(payload["answer"])
        return str(payload["question"]), answer
    except (KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
        raise ValueError(f"malformed cache entry: {exc}") from exc


def encode_vector(vector: np.ndarray, signature: Sequence[str]) -> bytes:
    data = np.asarray(vector, dtype="<f4").tobytes()
    return json.dumps(
        {
            "v": ENTRY_SCHEMA_VERSION,
            "e": base64.b64encode(data).decode(),
            "s": list(signature),
        }
    ).encode()


def decode_vector(raw: bytes) -> tuple[np.ndarray, tuple[str, ...]]:
    try:
        payload = json.loads(raw)
        if payload.get("v") != ENTRY_SCHEMA_VERSION:
            raise ValueError("unsupported vector record version")
        vector = np.frombuffer(base64.b64decode(payload["e"]), dtype="<f4")
        return vector, tuple(payload["s"])
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise ValueError(f"malformed vector record: {exc}") from exc


def _unit(vector: Sequence[float]) -> np.ndarray:
    v = np.asarray(vector, dtype=np.float32).ravel()
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 0 else v


@dataclass(frozen=True)
class _Lookup:
    scope: str
    key: str
    normalised: str
    signature: tuple[str, ...]


class CachedAnswers:
    """Wraps an AnswerSource; reuses answers for repeat and paraphrased questions."""

    def __init__(
        self,
        *,
        inner: AnswerSource,
        backend: AnswerStore,
        embed: Callable[[str], Sequence[float]],
        resolve_jurisdictions: Callable[[str, Sequence[str] | None], tuple[str, ...]],
        index_version: Callable[[], str],
        writer_id: str,
        ttl_seconds: int,
        paraphrase_threshold: float,
        events: Events,
        paraphrase_cap: int = 1000,
        locks: TokenStore | None = None,
        lock_seconds: int = 15,
    ) -> None:
        self._inner = inner
        self._backend = backend
        self._embed = embed
        self._resolve = resolve_jurisdictions
        self._index_version = index_version
        self._writer_id = writer_id
        self._ttl = ttl_seconds
        self._threshold = paraphrase_threshold
        self._events = events
        self._cap = paraphrase_cap
        self._once: Coalescer[Answer] = Coalescer(locks=locks, lock_seconds=lock_seconds)

    def ask(
        self,
        question: str,
        *,
        jurisdictions: Sequence[str] | None = None,
        history: Sequence[Turn] = (),
        on_text: Callable[[str], None] | None = None,  # a model writer's draft (not cached)
    ) -> Answer:
        extra: dict[str, Any] = {"on_text": on_text} if on_text is not None else {}
        if history:  # a follow-up's meaning depends on the conversation
            return self._inner.ask(question, jurisdictions=jurisdictions, history=history, **extra)
        lookup = self._prepare(question, jurisdictions)
        if lookup is None:
            return self._inner.ask(question, jurisdictions=jurisdictions, **extra)
        started = time.perf_counter()
        vector: np.ndarray | None = None
        try:
            found = self._exact(lookup)
            if found is None and self._backend.available:
                vector = _unit(self._embed(lookup.normalised))
                found = self._paraphrase(lookup, vector)
        except Exception:
            log.exception("cache lookup failed; answering uncached")
            self._report("error")
            found = None
        if found is not None:
            outcome, answer = found
            self._report(outcome)
            timings = {"cache_ms": round((time.perf_counter() - started) * 1000, 3)}
            return answer.with_changes(question=question, timings_ms=timings)

        def compute() -> Answer:
            answer = self._inner.ask(question, jurisdictions=jurisdictions, **extra)
            self._store(lookup, question, answer, vector)
            return answer

        def find() -> Answer | None:
            entry = self._read(lookup.key)
            return entry[1] if entry is not None else None

        answer, computed = self._once.run(lookup.key, compute, find)
        if computed:
            self._report("miss" if self._backend.available else "error")
            return answer
        # Waited for an identical question asked at the same time: served from its answer.
        self._report("hit")
        timings = {"cache_ms": round((time.perf_counter() - started) * 1000, 3)}
        return answer.with_changes(
            question=question, cached=True, cache_note="", timings_ms=timings
        )

    # --- steps -------------------------------------------------------------------------------
    def _prepare(self, question: str, jurisdictions: Sequence[str] | None) -> _Lookup | None:
        normalised = normalise_question(question)
        if not normalised:
            return None  # the engine explains what is wrong with the question
        try:
            resolved = self._resolve(question, jurisdictions)
            scope = scope_id(resolved, self._index_version(), self._writer_id)
        except ReggiError:
            return None  # the engine raises the same error with the user's text
        except Exception:
            log.exception("could not build the cache key; answering uncached")
            self._report("error")
            return None
        return _Lookup(
            scope=scope,
            key=entry_key(entry_id(scope, normalised)),
            normalised=normalised,
            signature=content_signature(normalised),
        )

    def _read(self, key: str) -> tuple[str, Answer] | None:
        raw = self._backend.get(key)
        if raw is None:
            return None
        try:
            return decode_entry(raw)
        except ValueError as exc:
            log.warning("dropping a cache entry that does not decode (%s)", exc)
            self._report("error")
            self._backend.delete(key)
            return None

    def _exact(self, lookup: _Lookup) -> tuple[CacheOutcome, Answer] | None:
        entry = self._read(lookup.key)
        if entry is None:
            return None
        return "hit", entry[1].with_changes(cached=True, cache_note="")

    def _paraphrase(
        self, lookup: _Lookup, vector: np.ndarray
    ) -> tuple[CacheOutcome, Answer] | None:
        records = self._backend.vectors(vectors_key(lookup.scope))
        candidates: list[tuple[float, str]] = []
        for key, raw in records.items():
            try:
                other, signature = decode_vector(raw)
            except ValueError as exc:
                log.warning("dropping a paraphrase record that does not decode (%s)", exc)
                self._backend.drop_vector(vectors_key(lookup.scope), key)
                continue
            if other.shape != vector.shape or not signatures_match(lookup.signature, signature):
                continue
            similarity = float(other @ vector)
            if similarity >= self._threshold:
                candidates.append((similarity, key))
        for _, key in sorted(candidates, reverse=True):
            entry = self._read(key)
            if entry is None:  # expired or evicted: forget its vector too
                self._backend.drop_vector(vectors_key(lookup.scope), key)
                continue
            earlier, answer = entry
            return "paraphrase_hit", answer.with_changes(
                cached=True, cache_note=paraphrase_note(earlier)
            )
        return None

    def _store(
        self, lookup: _Lookup, question: str, answer: Answer, vector: np.ndarray | None
    ) -> None:
        if not self._backend.available:
            return
        if answer.writer_note:
            # A degraded answer (e.g. the writer fell back after an OpenAI failure) must not be
            # pinned for the whole TTL: the next asker should get the configured writer.
            return
        try:
            clean = answer.with_changes(cached=False, cache_note="", timings_ms={})
            self._backend.put(
                lookup.key, encode_entry(question, lookup.normalised, clean), self._ttl
            )
            if vector is None:
                vector = _unit(self._embed(lookup.normalised))
            self._backend.add_vector(
                vectors_key(lookup.scope),
                lookup.key,
                encode_vector(vector, lookup.signature),
                self._ttl,
                self._cap,
            )
        except Exception:
            log.exception("could not store an answer in the cache")
            self._report("error")

    def _report(self, outcome: CacheOutcome) -> None:
        self._events.cache(outcome)
        counter = {"hit": "hits", "paraphrase_hit": "paraphrase_hits", "miss": "misses"}
        self._backend.count(counter.get(outcome, "errors"))


def cache_stats(backend: CacheAdmin) -> dict[str, Any]:
    """Entries, hits, misses and hit rate (shared across replicas with Redis)."""
    counters = backend.counters()
    hits = counters["hits"] + counters["paraphrase_hits"]
    looked_up = hits + counters["misses"]
    return {
        "backend": backend.name,
        "entries": backend.entries(),
        **counters,
        "hit_rate": round(hits / looked_up, 4) if looked_up else 0.0,
    }


def cache_clear(backend: CacheAdmin) -> int:
    """Remove every cached answer (and the counters); returns how many answers were removed."""
    return backend.clear()
