"""Choosing the sections to cite from raw search results. Pure.

For each asked jurisdiction: candidates are grouped by section (pieces collapsed); each
section gets a handful of features (`FEATURES`: its raw dense and BM25 scores relative to the
best of its search and their ranks, how much of its heading and of the question's terms it
shares with the question, its kind of unit, whether it refers to or is referred to by the
leading sections, whether it is federal law beside a state the question did not ask about);
its score is a linear combination of them whose weights are fit by
`python -m benchmarks.fit_rerank` (logistic regression, cross-validated across the dev sets,
see docs/retrieval.md). The list is cut where the score falls off rather than at a fixed k,
each other instrument's best section is kept when it is close (the other half of the law:
statute and regulation), and federal sections found beside a state are kept only where
federal law is asked about, the question uses their instrument's distinctive terms
(`bot.index.vocabulary`) and they rank with the state's best, or they clearly lead.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields

from bot.engine.catalogue import Catalogue
from bot.engine.jurisdictions import FEDERAL
from bot.index.schema import Hit, Ranked
from bot.index.sparse import tokenize
from bot.index.vocabulary import NO_VOCABULARY, Vocabulary

Unit = tuple[str, str]  # (source, section_key)

# The features of a candidate section, in the order `Weights` names them.
FEATURES = (
    "sparse",  # best BM25 score of its pieces / the search's best
    "dense",  # best dense cosine of its pieces / the search's best
    "sparse_rank",  # 1 / (1 + rank of its best piece in the BM25 ranking), 0 if absent
    "dense_rank",  # 1 / (1 + rank of its best piece in the dense ranking), 0 if absent
    "heading",  # share of its heading's terms the question uses
    "heading_idf",  # IDF-weighted share of the question's terms its heading uses
    "coverage",  # IDF-weighted share of the question's terms its candidate pieces contain
    "rrf",  # plain reciprocal rank fusion (k = 60) / the best, for the ablation
    "definition",  # kind of unit: a definitions section
    "definition_asked",  # ... and the question asks what something means or counts as
    "exception",  # exemptions, preemption, restrictions
    "procedural",  # institutions, procedure, final provisions
    "enforcement",  # penalties and suits, when the question is not about them
    "enforcement_asked",  # ... when it is
    "related",  # cross-references to or from the three leading sections (one per leader)
    "federal_unasked",  # federal law found beside a state, federal law not asked about
    "scope",  # summed weight of its instrument's distinctive terms the question uses
    "named",  # the question names its instrument ("HIPAA", "CPRA") ...
    "not_named",  # ... or names another instrument among the candidates, not this one
)


@dataclass(frozen=True)
class Weights:
    """How a section's score is composed from its features and where the list is cut.

    Set by hand and checked, one parameter at a time, by the curves of
    `python -m benchmarks.calibrate_rerank` (dev and dev2 together); a logistic fit of the
    same features (`python -m benchmarks.fit_rerank`, cross-validated) ranks no better held
    out (docs/retrieval.md, "Calibration of the rerank")."""

    bias: float = 0.0
    sparse: float = 0.6
    dense: float = 0.3
    sparse_rank: float = 0.0
    dense_rank: float = 0.0
    heading: float = 0.3
    heading_idf: float = 0.3
    coverage: float = 0.4
    rrf: float = 0.0
    definition: float = 0.0
    definition_asked: float = 0.0
    exception: float = 0.0
    procedural: float = -0.15
    enforcement: float = -0.05
    enforcement_asked: float = 0.0
    related: float = 0.05
    federal_unasked: float = 0.0
    scope: float = 0.0
    named: float = 0.3
    not_named: float = -0.3
    min_score: float = -9.0  # keep sections (after the first) scoring at least this
    keep_ratio: float = 0.72  # ... and at least this share of the best
    gap: float = 0.18  # ... and stop at a fall of more than this between neighbours
    other_instrument: float = 0.65  # an instrument's best section is kept down to this share
    federal_ratio: float = 3.0  # federal beside a state, unasked: only this far above its best
    # ... or, when the question uses its instrument's distinctive terms (`scope` at least
    # `federal_scope`), down to this share of the state's best
    federal_scope: float = 4.0
    federal_scoped_ratio: float = 1.0
    top_k: int = 5
    # background (GDPR recitals): kept beside the articles when a recital's raw BM25 score is
    # at least this share of the article search's best; at most `recitals` of them
    recital_ratio: float = 1.0
    recital_dense_ratio: float = 1.0  # ... and its dense cosine this share of the best
    recitals: int = 1

    def score(self, feats: Mapping[str, float]) -> float:
        return self.bias + sum(getattr(self, f) * feats.get(f, 0.0) for f in FEATURES)

    def with_coefficients(self, coefficients: Mapping[str, float]) -> Weights:
        known = {f.name for f in fields(self)}
        return Weights(**{**self.__dict__, **{k: v for k, v in coefficients.items() if k in known}})


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
    # every candidate section with its features and score (named sections are checked
    # against them; benchmarks/fit_rerank.py fits the weights on them)
    candidates: Candidates | None = None
    scores: dict[Unit, float] = field(default_factory=dict)


_ENFORCEMENT_WORDS = frozenset(
    tokenize("penalty penalties fine fines sue lawsuit damages enforce enforcement liable liability "
             "violation attorney general action remedy compensation")
)  # fmt: skip
_DEFINITION_WORDS = frozenset(
    tokenize("mean means meaning define defined definition count counts considered qualify "
             "qualifies")
)  # fmt: skip


@dataclass
class Candidates:
    """The candidate sections of one search: their pieces, jurisdictions and features."""

    target: str | None
    hits: dict[Unit, list[Hit]]
    jurisdiction: dict[Unit, str]
    features: dict[Unit, dict[str, float]]
    federal_asked: bool = False


def features(
    question: str,
    target: str | None,
    ranked: Ranked,
    catalogue: Catalogue,
    *,
    federal_asked: bool = False,
    weights: Weights = Weights(),
    vocabulary: Vocabulary = NO_VOCABULARY,
) -> Candidates:
    """Every candidate section of one search with its features (see `FEATURES`); the
    leading sections whose cross-references are marked are the best by `weights`."""
    terms = set(tokenize(question))
    hits: dict[Unit, list[Hit]] = defaultdict(list)
    best: dict[str, dict[Unit, float]] = {"dense": {}, "sparse": {}}
    rank: dict[str, dict[Unit, int]] = {"dense": {}, "sparse": {}}
    rrf: dict[Unit, float] = defaultdict(float)
    for name, ranking in (("dense", ranked.dense), ("sparse", ranked.sparse)):
        for i, h in enumerate(ranking):
            unit = (str(h.payload.get("source", "")), str(h.payload.get("section_key", "")))
            if all(x.id != h.id for x in hits[unit]):
                hits[unit].append(h)
            best[name][unit] = max(best[name].get(unit, 0.0), h.score)
            rank[name].setdefault(unit, i)
            rrf[unit] += 1.0 / (60 + i + 1)
    top = {n: max(v.values(), default=0.0) or 1.0 for n, v in best.items()}
    top_rrf = max(rrf.values(), default=0.0) or 1.0
    enforcement_asked = bool(terms & _ENFORCEMENT_WORDS)
    definition_asked = bool(terms & _DEFINITION_WORDS)
    words = {unit: _words(hs) for unit, hs in hits.items()}
    df: dict[str, int] = defaultdict(int)
    for ws in words.values():
        for t in ws & terms:
            df[t] += 1
    idf = {t: math.log(1 + (len(words) + 1) / (df[t] + 0.5)) for t in terms}
    total_idf = sum(idf.values()) or 1.0
    jurisdiction = {u: str(hs[0].payload.get("jurisdiction", "")) for u, hs in hits.items()}
    named = catalogue.named_sources(question) & {u[0] for u in hits}
    out: dict[Unit, dict[str, float]] = {}
    for unit in hits:
        u = catalogue.units.get(unit)
        heading = set(tokenize(u.heading)) if u else set()
        kind = u.kind if u else "obligation"
        beside = target is not None and jurisdiction[unit] != target
        out[unit] = {
            "sparse": best["sparse"].get(unit, 0.0) / top["sparse"],
            "dense": max(best["dense"].get(unit, 0.0), 0.0) / top["dense"],
            "sparse_rank": 1.0 / (1 + rank["sparse"][unit]) if unit in rank["sparse"] else 0.0,
            "dense_rank": 1.0 / (1 + rank["dense"][unit]) if unit in rank["dense"] else 0.0,
            "heading": len(heading & terms) / len(heading) if heading else 0.0,
            "heading_idf": sum(idf[t] for t in heading & terms) / total_idf,
            "coverage": sum(idf[t] for t in words[unit] & terms) / total_idf,
            "rrf": rrf[unit] / top_rrf,
            "definition": float(kind == "definition"),
            "definition_asked": float(kind == "definition" and definition_asked),
            "exception": float(kind == "exception"),
            "procedural": float(kind == "procedural"),
            "enforcement": float(kind == "enforcement" and not enforcement_asked),
            "enforcement_asked": float(kind == "enforcement" and enforcement_asked),
            "related": 0.0,
            "federal_unasked": float(
                beside and not federal_asked and jurisdiction[unit] == FEDERAL
            ),
            "scope": vocabulary.score(unit[0], terms),
            "named": float(unit[0] in named),
            "not_named": float(bool(named) and unit[0] not in named),
        }
    # The three leading sections by the other features; the sections they refer to or that
    # refer to them (a regulation section and the statute section it implements) are marked,
    # once per leader.
    leaders = sorted(out, key=lambda x: -weights.score(out[x]))[:3]
    for leader in leaders:
        for other in catalogue.related(leader):
            if other in out and other != leaders[0]:
                out[other]["related"] += 1.0
    return Candidates(target, dict(hits), jurisdiction, out, federal_asked)


def select(
    question: str,
    target: str | None,
    ranked: Ranked,
    catalogue: Catalogue,
    *,
    weights: Weights = Weights(),
    federal_asked: bool = False,
    vocabulary: Vocabulary = NO_VOCABULARY,
) -> Selected:
    found = features(
        question,
        target,
        ranked,
        catalogue,
        federal_asked=federal_asked,
        weights=weights,
        vocabulary=vocabulary,
    )
    scores = {unit: weights.score(f) for unit, f in found.features.items()}
    picks = choose(found, scores, weights)
    return Selected(
        target=target,
        picks=[Pick(x, found.jurisdiction[x], scores[x], found.hits[x]) for x in picks],
        best_dense=ranked.best_dense,
        best_sparse=ranked.best_sparse,
        best_score=max(scores.values(), default=0.0),
        candidates=found,
        scores=scores,
    )


def choose(found: Candidates, scores: Mapping[Unit, float], weights: Weights) -> list[Unit]:
    """The sections to cite from scored candidates: the asked jurisdiction's cut, then
    federal law beside a state when it is asked about, clearly leads, or is what the question
    speaks of (its instrument's distinctive terms) and ranks near the state's best."""
    ranked_units = sorted(scores, key=lambda x: -scores[x])
    target = found.target
    own = [x for x in ranked_units if target is None or found.jurisdiction[x] == target]
    federal = [x for x in ranked_units if target is not None and found.jurisdiction[x] != target]
    picks = _cut(own, scores, weights)
    if federal and (found.federal_asked or not own):
        picks += _cut(federal, scores, weights)
    elif federal and own:
        lead = scores[own[0]]
        leading = [
            x for x in _cut(federal, scores, weights) if scores[x] >= lead * weights.federal_ratio
        ]
        scoped = [x for x in federal if found.features[x]["scope"] >= weights.federal_scope]
        near = [x for x in _cut(scoped, scores, weights)
                if scores[x] >= lead * weights.federal_scoped_ratio]  # fmt: skip
        picks += list(dict.fromkeys(leading + near))[:2]
    return picks


def background(recitals: Selected, main: Selected, weights: Weights) -> list[Pick]:
    """The recitals to cite as background beside the sections `main` picked: never alone (none
    when `main` picked nothing), only those whose best BM25 score is close to the best of the
    article search, best first."""
    if not main.picks or main.best_sparse <= 0:
        return []
    if recitals.candidates is None:
        return []
    bar = main.best_sparse * weights.recital_ratio
    feats = recitals.candidates.features
    dense_bar = main.best_dense * weights.recital_dense_ratio
    kept = [
        p
        for p in recitals.picks
        if feats[p.unit]["sparse"] * recitals.best_sparse >= bar
        and feats[p.unit]["dense"] * recitals.best_dense >= dense_bar
    ]
    return kept[: weights.recitals]


def _words(hits: Sequence[Hit]) -> set[str]:
    text = " ".join(str(h.payload.get("heading", "")) + " " + h.text for h in hits)
    return set(tokenize(text))


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
        if (
            scores[unit] < top * w.keep_ratio
            or scores[unit] < w.min_score
            or scores[previous] - scores[unit] > w.gap
        ):
            break
        kept.append(unit)
    sources = {u[0] for u in kept}
    for unit in units[len(kept) :]:
        if len(kept) >= w.top_k + 1:
            break
        if unit[0] not in sources and scores[unit] >= max(top * w.other_instrument, w.min_score):
            kept.append(unit)
            sources.add(unit[0])
    return kept


def federal_named(asked: Sequence[str]) -> bool:
    return FEDERAL in asked
