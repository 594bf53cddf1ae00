"""The answer engine: a question in, a cited, jurisdiction-tagged `Answer` out.

retriever (hybrid, per jurisdiction) → node postprocessors (section collapse, top k,
relevance floor) → writer (OpenAI or extractive), composed explicitly here.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from llama_index.core.schema import NodeWithScore, TextNode

from bot.answer import Answer, Citation, Turn
from bot.engine.catalogue import Catalogue
from bot.engine.definitions import asked_terms, defining, defining_label
from bot.engine.jurisdictions import FEDERAL, detect, name_of, parse_codes, strip_places
from bot.engine.named import fits, without_refs
from bot.engine.plan import Decline, Direct, not_covered_text, plan
from bot.engine.query import check_question, is_about_law, not_about_law, section_refs
from bot.engine.quotes import make_citation, quote_for
from bot.engine.select import Pick, Selected, Weights, background, select
from bot.engine.thesaurus import expand
from bot.engine.writers import SourceGroup, Writer
from bot.errors import NAMED_OFF_TOPIC, NOT_COVERED, ServiceUnavailable
from bot.index import sparse
from bot.index.hybrid import hit_to_node, merge_pieces
from bot.index.schema import KIND, KIND_RECITAL, Hit, Query, Ranked, Scope
from bot.index.store import RegulationIndex
from bot.index.vocabulary import NO_VOCABULARY, Vocabulary
from bot.index.vocabulary import scan as scan_vocabulary
from bot.index.vocabulary import stored as stored_vocabulary

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RelevanceFloor:
    """When a search found nothing relevant, from the raw scores of its best candidates (fused
    or relative scores carry no absolute meaning): the best dense cosine and the best BM25
    score. Relevant when dense ≥ `min_dense` or sparse ≥ `min_sparse`.

    The defaults come from `python -m benchmarks.calibrate_floor` on data/eval/dev2.jsonl
    (see docs/retrieval.md, "Declining"); the explicit signals of `plan()` decline first.
    """

    min_dense: float = 0.30
    min_sparse: float = 6.0

    def passes(self, chosen: Selected) -> bool:
        return chosen.best_dense >= self.min_dense or chosen.best_sparse >= self.min_sparse

    @classmethod
    def for_embedding(cls, embedding_id: str) -> RelevanceFloor:
        """Floors calibrated on the bundled corpus, per embedding model."""
        if embedding_id.startswith("wordllama"):
            return cls()
        # Unmeasured model: rely on the sparse score alone, conservatively.
        return cls(min_dense=2.0, min_sparse=8.0)


@dataclass
class Retrieval:
    """What retrieval found, before any writing."""

    question: str
    asked: tuple[str, ...]
    groups: list[SourceGroup] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    declines: list[Decline] = field(default_factory=list)
    closest: list[NodeWithScore] = field(default_factory=list)  # when abstaining
    scores: list[Selected] = field(default_factory=list)  # per search, for calibration
    timings_ms: dict[str, float] = field(default_factory=dict)

    @property
    def abstained(self) -> bool:
        return not self.groups

    def sections(self) -> list[NodeWithScore]:
        return [n for g in self.groups for n in g.nodes]


class Engine:
    """Answers questions over a `RegulationIndex` with a `Writer`."""

    def __init__(
        self,
        *,
        index: RegulationIndex,
        writer: Writer,
        top_k: int = 5,
        candidates: int = 40,
        max_question_chars: int = 2000,
        floor: RelevanceFloor | None = None,
        weights: Weights | None = None,
    ) -> None:
        self._index = index
        self._writer = writer
        self._top_k = top_k
        self._candidates = candidates
        self._max_chars = max_question_chars
        self._floor = floor or RelevanceFloor.for_embedding(index.embedding_id)
        self._weights = weights or Weights(top_k=top_k)
        self._catalogue: tuple[str, Catalogue] | None = None
        self._vocabulary: tuple[str, Vocabulary] | None = None

    # --- what the index holds ------------------------------------------------------------------
    def index_version(self) -> str:
        return self._index.version()

    @property
    def writer_id(self) -> str:
        return f"{self._writer.name}|{getattr(self._writer, '_model', '')}|k={self._top_k}"

    def coverage(self) -> list[dict]:
        """[{code, name, instruments: [{title, citation, source, sections}], sections}]."""
        return self._index.coverage().as_dicts(name_of)

    def covered(self) -> set[str]:
        return set(self._index.coverage().codes)

    def resolve_jurisdictions(
        self, question: str, explicit: Sequence[str] | None = None
    ) -> tuple[str, ...]:
        """The jurisdiction codes a question is about (explicit ones win)."""
        return parse_codes(list(explicit)) if explicit else detect(question)

    # --- retrieval -----------------------------------------------------------------------------
    def catalogue(self) -> Catalogue:
        """The index's units and instruments, read once per index version (from the records
        ingest wrote, one per file: no scan of the chunks)."""
        version = self.index_version()
        if self._catalogue is None or self._catalogue[0] != version:
            self._catalogue = (version, Catalogue.from_payloads(self._index.unit_payloads()))
        return self._catalogue[1]

    def vocabulary(self) -> Vocabulary:
        """Each instrument's distinctive terms: as ingestion stored them for this version of
        the index, or (an index an older ingestion wrote) read once from every section."""
        version = self.index_version()
        if self._vocabulary is None or self._vocabulary[0] != version:
            found = stored_vocabulary(self._index, version) or scan_vocabulary(self._index)
            self._vocabulary = (version, found)
        return self._vocabulary[1]

    def retrieve(
        self,
        question: str,
        *,
        jurisdictions: Sequence[str] | None = None,
        history: Sequence[Turn] = (),
    ) -> Retrieval:
        started = time.perf_counter()
        text = check_question(question, max_chars=self._max_chars)
        asked = self.resolve_jurisdictions(text, jurisdictions)
        context = history[-1].question if history else ""
        if history and not asked:
            asked = tuple(history[-1].jurisdictions)
        refs = section_refs(text)
        if not asked and not refs and not history and not is_about_law(text):
            raise not_about_law()
        covered = self.covered()
        if not covered:
            raise ServiceUnavailable("index", "the collection is empty")
        catalogue = self.catalogue()
        result = Retrieval(question=text, asked=asked)
        planned = plan(text, asked=asked, refs=refs, catalogue=catalogue, covered=covered)
        result.missing = list(planned.missing)
        result.declines = list(planned.declines)
        # The places are handled by the jurisdiction filters; searching for their names
        # only finds sections that happen to mention them.
        query = strip_places(f"{context} {text}".strip())
        direct = self._direct(planned.direct) if planned.direct else []
        if direct and not planned.searches:
            result.groups = direct
            return self._done(result, started)
        if not planned.searches:
            if any(d.reason == "place" for d in planned.declines):
                result.closest = self._closest(query)
            return self._done(result, started)
        if direct:
            query = without_refs(query, refs)
        expanded = expand(query)
        embedding = self._index.embedding.get_query_embedding(query)
        sparse_query = sparse.encode_query(expanded)
        queries = [
            Query(
                dense=embedding,
                sparse=sparse_query if sparse_query[0] else None,
                scope=Scope(jurisdictions=spec.scope),
                limit=self._candidates,
            )
            for spec in planned.searches
        ]
        # Recitals are searched apart, as background for the articles of their jurisdiction.
        with_recitals = [
            i for i, spec in enumerate(planned.searches) if spec.target in catalogue.recital_codes()
        ]
        queries += [
            replace(queries[i], scope=Scope(jurisdictions=(planned.searches[i].target or "",),
                                            where=((KIND, (KIND_RECITAL,)),), exclude_kinds=()))
            for i in with_recitals
        ]  # fmt: skip
        rankings = self._index.search_many(queries)
        recital_rankings = dict(zip(with_recitals, rankings[len(planned.searches) :], strict=True))
        rankings = rankings[: len(planned.searches)]
        federal_asked = FEDERAL in asked
        vocabulary = self.vocabulary() if not federal_asked else NO_VOCABULARY
        federal: list[Pick] = []

        def picked(target: str | None, ranked: Ranked) -> Selected:
            return select(
                expanded,
                target,
                ranked,
                catalogue,
                weights=self._weights,
                federal_asked=federal_asked,
                vocabulary=vocabulary,
            )

        for i, (spec, ranked) in enumerate(zip(planned.searches, rankings, strict=True)):
            chosen = picked(spec.target, ranked)
            result.scores.append(chosen)
            if not self._floor.passes(chosen):
                if spec.target is not None:
                    result.missing.append(spec.target)
                continue
            own = [p for p in chosen.picks if spec.target is None or p.jurisdiction == spec.target]
            if spec.target is not None and not own:
                # Every candidate was federal law: the state was crowded out of its search,
                # which says nothing about its own law. Search the state alone.
                alone = replace(queries[i], scope=Scope(jurisdictions=(spec.target,)))
                mine = picked(spec.target, self._index.search_many([alone])[0])
                if self._floor.passes(mine):
                    own = [p for p in mine.picks if p.jurisdiction == spec.target]
            if spec.target is not None:
                federal.extend(p for p in chosen.picks if p.jurisdiction != spec.target)
            if spec.target is None:
                result.groups.extend(_groups(own))
            elif own:
                if i in recital_rankings:
                    recitals = select(
                        expanded, spec.target, recital_rankings[i], catalogue, weights=self._weights
                    )
                    own = own + background(recitals, chosen, self._weights)
                result.groups.append(SourceGroup(spec.target, name_of(spec.target), _nodes(own)))
            else:
                result.missing.append(spec.target)
        if federal and FEDERAL not in [g.jurisdiction for g in result.groups]:
            unique = list({p.unit: p for p in sorted(federal, key=lambda p: -p.score)}.values())
            result.groups.append(SourceGroup(FEDERAL, name_of(FEDERAL), _nodes(unique)))
        if direct:
            self._with_named(result, direct)
        terms = asked_terms(text)
        if terms and result.groups:
            self._with_definitions(result, terms, catalogue)
        if not result.groups and not result.declines:
            result.declines.append(Decline("relevance", NOT_COVERED))
        return self._done(result, started)

    def _with_definitions(
        self, result: Retrieval, terms: Sequence[str], catalogue: Catalogue
    ) -> None:
        """A section defining a term the question asks about leads its jurisdiction's
        sections, quoted at the defining paragraph: one of the sections found if it defines
        the term (a statute's first section, "As used in this chapter", or the named section
        itself), else the jurisdiction's definitions section that does."""
        codes = {g.jurisdiction for g in result.groups}
        found = {_unit(n) for g in result.groups for n in g.nodes}
        definitions = {
            key
            for key, u in catalogue.units.items()
            if u.kind == "definition" and u.jurisdiction in codes
        }
        wanted = found | definitions
        scope = Scope(
            sources=tuple(dict.fromkeys(s for s, _ in wanted)),
            section_keys=tuple(dict.fromkeys(k for _, k in wanted)),
        )
        pieces = [h for h in self._index.scroll(scope) if _hit_unit(h) in wanted]
        texts = {h.id: hit_to_node(h).get_content() for h in pieces}
        hits = set(defining(texts.items(), terms))
        by_unit: dict[tuple[str, str], list[TextNode]] = defaultdict(list)
        for h in sorted(pieces, key=lambda h: h.payload.get("piece", 0)):
            if h.id in hits:
                by_unit[_hit_unit(h)].append(hit_to_node(h))
        for i, group in enumerate(result.groups):
            mine = [_unit(n) for n in group.nodes]
            here = {u for u in by_unit if catalogue.units[u].jurisdiction == group.jurisdiction}
            chosen = [u for u in mine if u in here] or sorted(here & definitions)
            if not chosen:
                continue
            lead = [
                NodeWithScore(node=_pinpointed(merge_pieces(by_unit[u]), terms), score=1.0)
                for u in chosen
            ]
            rest = tuple(n for n in group.nodes if _unit(n) not in chosen)
            result.groups[i] = SourceGroup(group.jurisdiction, group.name, (*lead, *rest))

    def _with_named(self, result: Retrieval, direct: list[SourceGroup]) -> None:
        """Named sections answer for their jurisdictions alone when the search for the
        question's topic ranks them near its best; otherwise the search's sections come first
        and the answer says the named one may be off topic. Asked jurisdictions no named
        section belongs to keep the search's sections."""
        searched = {g.jurisdiction: g for g in result.groups}
        groups: list[SourceGroup] = []
        off_topic: list[str] = []
        for group in direct:
            units = [_unit(n) for n in group.nodes]
            found = searched.pop(group.jurisdiction, None)
            if found is None or all(
                fits(u, result.scores, ratio=self._weights.keep_ratio) for u in units
            ):
                groups.append(group)
                continue
            off_topic += [str(n.node.metadata.get("citation", "")) for n in group.nodes]
            others = tuple(n for n in found.nodes if _unit(n) not in units)
            groups.append(SourceGroup(group.jurisdiction, group.name, others + group.nodes))
        result.groups = groups + list(searched.values())
        result.missing = [j for j in result.missing if j not in {g.jurisdiction for g in direct}]
        if off_topic:
            names = " and ".join(c for c in dict.fromkeys(off_topic) if c) or "The named section"
            result.declines.append(Decline("named", NAMED_OFF_TOPIC.format(sections=names)))

    def _done(self, result: Retrieval, started: float) -> Retrieval:
        result.timings_ms["retrieval"] = (time.perf_counter() - started) * 1000
        return result

    def _closest(self, query: str) -> list[NodeWithScore]:
        """The three sections nearest to a declined question, listed for reference only."""
        ranked = self._index.search(
            Scope(),
            dense=self._index.embedding.get_query_embedding(query),
            sparse=sparse.encode_query(expand(query)),
            limit=self._candidates,
        )
        chosen = select(query, None, ranked, self.catalogue(), weights=self._weights)
        ranked_picks = sorted(chosen.picks, key=lambda p: -p.score)[:3]
        return list(_nodes(ranked_picks))

    def _direct(self, direct: Sequence[Direct]) -> list[SourceGroup]:
        """Sections the question names, fetched whole, with the subdivision it names."""
        nodes: list[NodeWithScore] = []
        for d in direct:
            scope = Scope(sources=(d.source,), section_keys=(d.key,), exclude_kinds=())
            pieces = sorted(self._index.scroll(scope), key=lambda h: h.payload.get("piece", 0))
            if pieces:
                node = merge_pieces([hit_to_node(h) for h in pieces])
                node.metadata["pinpoint"] = d.subdivision
                nodes.append(NodeWithScore(node=node, score=1.0))
        return _group_by_jurisdiction(nodes)

    # --- answering -----------------------------------------------------------------------------
    def ask(
        self,
        question: str,
        *,
        jurisdictions: Sequence[str] | None = None,
        history: Sequence[Turn] = (),
        on_text: Callable[[str], None] | None = None,
    ) -> Answer:
        started = time.perf_counter()
        found = self.retrieve(question, jurisdictions=jurisdictions, history=history)
        names = {j: name_of(j) for j in (*found.asked, *(g.jurisdiction for g in found.groups))}
        if found.abstained:
            answer = self._abstention(found, names)
        else:
            context = history[-1].question if history else ""
            written = self._writer.write(
                found.question, found.groups, context=context, on_text=on_text
            )
            covered = tuple(dict.fromkeys(c.jurisdiction for c in written.citations))
            answer = Answer(
                question=found.question,
                answer=written.answer,
                parts=written.parts,
                citations=written.citations,
                jurisdictions=covered,
                missing_jurisdictions=tuple(dict.fromkeys(found.missing)),
                jurisdiction_names=names,
                writer=written.writer,
                writer_note=written.note,
                timings_ms={**found.timings_ms, **written.timings_ms},
                short=written.short,
                table=written.table,
                checks=written.checks,
            )
            if found.missing:
                answer = answer.with_changes(
                    answer=f"{answer.answer}\n\n{not_covered_text(found.missing)}".strip()
                )
            notes = [d.text for d in found.declines]
            if notes:
                answer = answer.with_changes(
                    answer=f"{answer.answer}\n\n{' '.join(dict.fromkeys(notes))}".strip()
                )
        timings = dict(answer.timings_ms)
        timings["total"] = (time.perf_counter() - started) * 1000
        return answer.with_changes(timings_ms=timings, id=uuid.uuid4().hex[:16])

    def _abstention(self, found: Retrieval, names: dict[str, str]) -> Answer:
        citations: list[Citation] = []
        for node in found.closest:
            quotes = quote_for(node, found.question, limit=1)
            citations.append(make_citation(len(citations) + 1, node, quotes))
            names.setdefault(citations[-1].jurisdiction, name_of(citations[-1].jurisdiction))
        texts = list(dict.fromkeys(d.text for d in found.declines)) or [
            not_covered_text(found.missing or list(found.asked))
        ]
        text = " ".join(texts)
        if citations:
            refs = "; ".join(f"{c.citation} [{c.n}]" for c in citations)
            text += f" The closest sections in the index, for reference only: {refs}."
        return Answer(
            question=found.question,
            answer=text,
            citations=tuple(citations),
            jurisdictions=(),
            missing_jurisdictions=tuple(dict.fromkeys(found.missing or found.asked)),
            jurisdiction_names=names,
            writer="none",
            abstained=True,
            timings_ms=dict(found.timings_ms),
        )


def _pinpointed(node: TextNode, terms: Sequence[str]) -> TextNode:
    """A definitions node quoted at the paragraph defining the term, when it can tell."""
    labels = [str(x) for x in node.metadata.get("paragraph_labels") or []]
    label = defining_label(node.get_content(), labels, terms)
    if label:
        node.metadata["pinpoint"] = label
    return node


def _hit_unit(hit: Hit) -> tuple[str, str]:
    return (str(hit.payload.get("source", "")), str(hit.payload.get("section_key", "")))


def _unit(node: NodeWithScore) -> tuple[str, str]:
    return (
        str(node.node.metadata.get("source", "")),
        str(node.node.metadata.get("section_key", "")),
    )


def _nodes(picks: Sequence[Pick]) -> tuple[NodeWithScore, ...]:
    """One node per picked section: its pieces among the candidates, merged in order."""
    return tuple(
        NodeWithScore(node=merge_pieces([hit_to_node(h) for h in p.hits]), score=p.score)
        for p in picks
    )


def _groups(picks: Sequence[Pick]) -> list[SourceGroup]:
    by_code: dict[str, list[Pick]] = defaultdict(list)
    for p in picks:
        by_code[p.jurisdiction].append(p)
    return [SourceGroup(code, name_of(code), _nodes(ps)) for code, ps in by_code.items()]


def _group_by_jurisdiction(nodes: Sequence[NodeWithScore]) -> list[SourceGroup]:
    grouped: dict[str, list[NodeWithScore]] = defaultdict(list)
    for n in nodes:
        grouped[n.node.metadata.get("jurisdiction", "")].append(n)
    return [SourceGroup(code, name_of(code), tuple(ns)) for code, ns in grouped.items()]
