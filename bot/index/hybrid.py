"""Hybrid retrieval over the regulation index: dense and BM25 sparse rankings from one
round trip, fused by reciprocal rank fusion.

`HybridRetriever` is a LlamaIndex retriever over `RegulationIndex` (the same for both
backends), so it composes with LlamaIndex's query engines and postprocessors; the engine
calls `search()` directly because it also needs the raw best scores. The postprocessors below
are LlamaIndex node postprocessors. The engine composes them explicitly, per jurisdiction.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from llama_index.core.postprocessor.types import BaseNodePostprocessor
from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode
from llama_index.core.vector_stores.utils import metadata_dict_to_node

from bot.index import sparse
from bot.index.schema import PIECE, SECTION, SOURCE, Hit, Scope
from bot.index.store import RegulationIndex

log = logging.getLogger(__name__)

RRF_K = 2  # Qdrant's ranking constant for reciprocal rank fusion (as in qdrant-client)


def hit_to_node(hit: Hit) -> TextNode:
    node = metadata_dict_to_node(dict(hit.payload))
    node.id_ = hit.id
    return node  # type: ignore[return-value]


def rrf(rankings: Sequence[Sequence[Hit]], limit: int) -> list[Hit]:
    """Reciprocal rank fusion as qdrant-client computes it: each ranking adds
    1 / (rank + k - 1) for ranks counted from 1; ties keep the order points were first seen."""
    scores: dict[str, float] = {}
    first: dict[str, Hit] = {}
    for ranking in rankings:
        for rank, hit in enumerate(ranking):
            scores[hit.id] = scores.get(hit.id, 0.0) + 1 / (rank + 1 + RRF_K - 1)
            first.setdefault(hit.id, hit)
    ordered = sorted(scores.items(), key=lambda item: item[1], reverse=True)[:limit]
    return [Hit(id=i, score=s, payload=first[i].payload) for i, s in ordered]


@dataclass
class Search:
    nodes: list[NodeWithScore]
    best_dense: float
    best_sparse: float


class HybridRetriever(BaseRetriever):
    """Dense and sparse candidates within a scope, fused by reciprocal rank fusion."""

    def __init__(
        self, *, index: RegulationIndex, scope: Scope | None = None, candidates: int = 40
    ) -> None:
        super().__init__()
        self._index = index
        self._scope = scope or Scope()
        self._candidates = candidates

    def search(self, text: str, embedding: list[float] | None = None) -> Search:
        """Fused candidates plus the raw best dense and sparse scores (the relevance floor
        needs them: fused scores say nothing about absolute relevance)."""
        dense = embedding or self._index.embedding.get_query_embedding(text)
        indices, values = sparse.encode_query(text)
        ranked = self._index.search(
            self._scope,
            dense=dense,
            sparse=(indices, values) if indices else None,
            limit=self._candidates,
        )
        rankings = [ranked.dense, ranked.sparse] if indices else [ranked.dense]
        fused = rrf(rankings, self._candidates)
        return Search(
            nodes=[NodeWithScore(node=hit_to_node(h), score=h.score) for h in fused],
            best_dense=ranked.best_dense,
            best_sparse=ranked.best_sparse,
        )

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        """LlamaIndex's retriever entry point (`retrieve(...)`)."""
        return self.search(query_bundle.query_str, query_bundle.embedding).nodes


def merge_pieces(pieces: Sequence[TextNode]) -> TextNode:
    """Pieces of one section as one node, in document order: the text a quote is taken from,
    with every paragraph's subdivision label."""
    ordered = sorted(pieces, key=lambda n: n.metadata.get(PIECE, 0))
    if len(ordered) == 1:
        return ordered[0]
    metadata = dict(ordered[0].metadata)
    metadata["paragraph_labels"] = [
        label for n in ordered for label in (n.metadata.get("paragraph_labels") or [])
    ]
    metadata["subsection"] = ""
    return TextNode(
        id_=ordered[0].node_id,
        text="\n\n".join(n.get_content() for n in ordered),
        metadata=metadata,
    )


class SectionCollapse(BaseNodePostprocessor):
    """One node per section, at the rank of its best piece; the section's other pieces among
    the candidates are merged into it, so quotes can come from any relevant part of it."""

    def _postprocess_nodes(
        self, nodes: list[NodeWithScore], query_bundle: QueryBundle | None = None
    ) -> list[NodeWithScore]:
        groups: dict[tuple[str, str], list[NodeWithScore]] = {}
        for n in nodes:
            key = (n.node.metadata.get(SOURCE, ""), n.node.metadata.get(SECTION, ""))
            groups.setdefault(key, []).append(n)
        return [
            NodeWithScore(node=merge_pieces([m.node for m in group]), score=group[0].score)  # type: ignore[misc]
            for group in groups.values()
        ]
