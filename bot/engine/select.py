"""Choosing the sections to cite from raw search results. Pure.

For each asked jurisdiction: candidates are grouped by section (pieces collapsed) and by
instrument; each section gets a score from its raw dense and BM25 scores (relative to the
best of its search), how much of its heading the question uses, and its kind of unit
(institutional and procedural units rank lower); sections that refer to, or are referred to
by, the best ones get a boost (a regulation and the statute section it implements); the
list is cut where the score falls off rather than at a fixed k; federal sections found
beside a state are kept only where federal law is what the question is about.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.engine.catalogue import Catalogue
from bot.engine.jurisdictions import FEDERAL
from bot.index.schema import Hit, Ranked
from bot.index.sparse import tokenize

Unit = tuple[str, str]  # (source, section_key)


@dataclass(frozen=True)
class Weights:
    """How a section's score is composed and where the list is cut (see docs/retrieval.md)."""

    sparse: float = 0.60
    dense: float = 0.30
    heading: float = 0.30
    coverage: float = 0.40  # share of the question's (IDF-weighted) terms the section uses
    rrf: float = 0.0  # plain reciprocal rank fusion, for the ablation
    procedural: float = -0.15
    enforcement: float = -0.05  # unless the question is about enforcement
    related: float = 0.05  # cross-reference to or from one of the best sections
    keep_ratio: float = 0.72  # keep sections scoring at least this share of the best
    gap: float = 0.18  # ... and stop at a fall of more than this between neighbours
    other_instrument: float = 0.60  # an instrument's best section is kept down to this share
    federal_ratio: float = 1.60  # federal beside a state, unasked: only this far above its best
    top_k: int = 5


@dataclass
class Pick:
    unit: Unit
    jurisdiction: str
    score: float
    hits: list[Hit] = field(default_factory=list)  # its pieces among the candidates


@dataclass
class Selected:
    target: str | None
    picks: list[Pick]
    best_dense: float
    best_sparse: float
    best_score: float


_ENFORCEMENT_WORDS = frozenset(
    tokenize("penalty penalties fine fines sue lawsuit damages enforce enforcement liable liability "
             "violation attorney general action remedy compensation")
)  # fmt: skip


def select(
    question: str,
    target: str | None,
    ranked: Ranked,
    catalogue: Catalogue,
    *,
    weights: Weights = Weights(),
    federal_asked: bool = False,
) -> Selected:
    terms = set(tokenize(question))
    hits: dict[Unit, list[Hit]] = defaultdict(list)
    dense: dict[Unit, float] = {}
    sparse: dict[Unit, float] = {}
    rrf: dict[Unit, float] = defaultdict(float)
    for ranking, best in ((ranked.dense, dense), (ranked.sparse, sparse)):
        for rank, h in enumerate(ranking):
            unit = (str(h.payload.get("source", "")), str(h.payload.get("section_key", "")))
            if all(x.id != h.id for x in hits[unit]):
                hits[unit].append(h)
            best[unit] = max(best.get(unit, 0.0), h.score)
            rrf[unit] += 1.0 / (60 + rank + 1)
    top_dense = max(dense.values(), default=0.0) or 1.0
    top_sparse = max(sparse.values(), default=0.0) or 1.0
    top_rrf = max(rrf.values(), default=0.0) or 1.0
    enforcement_asked = bool(terms & _ENFORCEMENT_WORDS)
    words = {unit: _words(hs) for unit, hs in hits.items()}
    df: dict[str, int] = defaultdict(int)
    for ws in words.values():
        for t in ws & terms:
            df[t] += 1
    idf = {t: math.log(1 + (len(words) + 1) / (df[t] + 0.5)) for t in terms}
    total_idf = sum(idf.values()) or 1.0
    scores: dict[Unit, float] = {}
    for unit in hits:
        u = catalogue.units.get(unit)
        heading = set(tokenize(u.heading)) if u else set()
        overlap = len(heading & terms) / len(heading) if heading else 0.0
        score = (
            weights.sparse * sparse.get(unit, 0.0) / top_sparse
            + weights.dense * max(dense.get(unit, 0.0), 0.0) / top_dense
            + weights.heading * overlap
            + weights.rrf * rrf[unit] / top_rrf
            + weights.coverage * sum(idf[t] for t in words[unit] & terms) / total_idf
        )
        kind = u.kind if u else "obligation"
        if kind == "procedural":
            score += weights.procedural
        elif kind == "enforcement" and not enforcement_asked:
            score += weights.enforcement
        scores[unit] = score
    ranked_units = sorted(scores, key=lambda x: -scores[x])
    for leader in ranked_units[:3]:
        for other in catalogue.related(leader):
            if other in scores and other not in ranked_units[:1]:
                scores[other] += weights.related
    ranked_units = sorted(scores, key=lambda x: -scores[x])
    jurisdiction_of = {
        unit: str(hs[0].payload.get("jurisdiction", "")) for unit, hs in hits.items() if hs
    }
    own = [x for x in ranked_units if target is None or jurisdiction_of[x] == target]
    federal = [x for x in ranked_units if target is not None and jurisdiction_of[x] != target]
    picks = _cut(own, scores, weights)
    if federal and (federal_asked or not own):
        picks += _cut(federal, scores, weights)
    elif federal and own:
        bar = scores[own[0]] * weights.federal_ratio
        picks += [x for x in _cut(federal, scores, weights) if scores[x] >= bar][:2]
    best_unit = ranked_units[0] if ranked_units else None
    return Selected(
        target=target,
        picks=[Pick(x, jurisdiction_of[x], scores[x], hits[x]) for x in picks],
        best_dense=ranked.best_dense,
        best_sparse=ranked.best_sparse,
        best_score=scores[best_unit] if best_unit else 0.0,
    )


def _words(hits: Sequence[Hit]) -> set[str]:
    text = " ".join(str(h.payload.get("heading", "")) + " " + _text(h) for h in hits)
    return set(tokenize(text))


def _text(hit: Hit) -> str:
    content = hit.payload.get("_node_content")
    if isinstance(content, str):
        try:
            return str(json.loads(content).get("text", ""))
        except ValueError:
            return ""
    return str(hit.payload.get("text", ""))


def _cut(units: Sequence[Unit], scores: Mapping[Unit, float], w: Weights) -> list[Unit]:
    """The best sections down to where the score falls off; then the best section of each
    other instrument (the other half of the law: statute and regulation) if it is close."""
    if not units:
        return []
    top = scores[units[0]]
    kept = [units[0]]
    for previous, unit in zip(units, units[1:], strict=False):
        if len(kept) >= w.top_k:
            break
        if scores[unit] < top * w.keep_ratio or scores[previous] - scores[unit] > w.gap:
            break
        kept.append(unit)
    sources = {u[0] for u in kept}
    for unit in units[len(kept) :]:
        if len(kept) >= w.top_k + 1:
            break
        if unit[0] not in sources and scores[unit] >= top * w.other_instrument:
            kept.append(unit)
            sources.add(unit[0])
    return kept


def federal_named(asked: Sequence[str]) -> bool:
    return FEDERAL in asked
