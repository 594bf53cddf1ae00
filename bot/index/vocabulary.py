"""What each instrument is about, in its own words: the terms that mark its scope.

An instrument's distinctive terms are those many of its sections use and the rest of the
index mostly does not (the log of the ratio between the share of its sections using the term
and the share of every other instrument's sections using it): children, parent, operator for
the COPPA Rule; covered entity, health for HIPAA; sender, message, commercial for CAN-SPAM —
read from the index, never written down. Computed at the end of each ingest and stored beside
the index (`store`; an index an older ingestion wrote is scanned once per version instead,
`scan`); `distinctive` is pure. A question
"uses" an instrument's scope by the summed weight of its distinctive terms it contains.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.index import sparse

if TYPE_CHECKING:
    from bot.index.store import RegulationIndex

Unit = tuple[str, str]  # (source, section_key)

MIN_SHARE = 0.25  # used by at least this share of the instrument's sections
MIN_LOG_RATIO = math.log(8)  # ... and this many times as often as sections elsewhere


@dataclass(frozen=True)
class Vocabulary:
    """Distinctive terms (stemmed tokens) per instrument (source), each with its log ratio."""

    terms: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    def score(self, source: str, words: Iterable[str]) -> float:
        """The summed weight of the instrument's distinctive terms among `words`."""
        own = self.terms.get(source, {})
        return sum(own.get(w, 0.0) for w in set(words))


NO_VOCABULARY = Vocabulary()


def distinctive(
    sections: Mapping[Unit, Iterable[str]],
    *,
    min_share: float = MIN_SHARE,
    min_log_ratio: float = MIN_LOG_RATIO,
) -> Vocabulary:
    """Each instrument's distinctive terms from the tokens of every section of the index.

    Only words count (alphabetic, three letters or more: no section numbers, years or
    dates of source notes). An instrument with every section of the index has none."""
    words = {u: {w for w in ws if len(w) > 2 and w.isalpha()} for u, ws in sections.items()}
    total = len(words)
    df: dict[str, int] = defaultdict(int)
    by_source: dict[str, list[Unit]] = defaultdict(list)
    for unit, ws in words.items():
        by_source[unit[0]].append(unit)
        for w in ws:
            df[w] += 1
    out: dict[str, dict[str, float]] = {}
    for source, units in by_source.items():
        n_in, n_out = len(units), total - len(units)
        df_in: dict[str, int] = defaultdict(int)
        for unit in units:
            for w in words[unit]:
                df_in[w] += 1
        kept: dict[str, float] = {}
        for w, d in df_in.items():
            if n_out == 0 or d / n_in < min_share:
                continue
            d_out = df[w] - d
            ratio = math.log((d + 0.5) / (n_in + 1)) - math.log((d_out + 0.5) / (n_out + 1))
            if ratio >= min_log_ratio:
                kept[w] = round(ratio, 3)
        out[source] = kept
    return Vocabulary(out)


META_VOCABULARY = "vocabulary"


def scan(index: RegulationIndex) -> Vocabulary:
    """The vocabulary read from the text of every section of `index` (one scroll)."""
    sections: dict[Unit, list[str]] = defaultdict(list)
    for h in index.scroll(fields=["source", "section_key", "heading", "_node_content"]):
        unit = (str(h.payload.get("source", "")), str(h.payload.get("section_key", "")))
        sections[unit] += sparse.tokenize(f"{h.payload.get('heading', '')} {h.text}")
    return distinctive(sections)


def stored(index: RegulationIndex, version: str) -> Vocabulary | None:
    """The vocabulary ingestion stored for `version` of the index, if any."""
    record = index.get_record(META_VOCABULARY)
    if not isinstance(record, dict) or record.get("version") != version:
        return None
    return Vocabulary({s: dict(t) for s, t in record.get("terms", {}).items()})


def store(index: RegulationIndex, version: str, vocabulary: Vocabulary) -> None:
    """Keep `vocabulary` beside the index, for `version` (written at the end of an ingest, so
    that the first answer after a start reads it instead of scanning every chunk)."""
    terms = {s: dict(t) for s, t in vocabulary.terms.items()}
    index.put_record(META_VOCABULARY, {"version": version, "terms": terms})
