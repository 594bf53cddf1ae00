"""Hybrid retrieval over the Qdrant index: dense + BM25 sparse searches in Qdrant (one round
trip), fused by Qdrant's reciprocal rank fusion.

`HybridRetriever` is a LlamaIndex retriever; the postprocessors below are LlamaIndex node
postprocessors. The engine composes them explicitly, per jurisdiction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import cast

from llama_index.core.postprocessor.types import BaseNodePostprocessor
from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode
from llama_index.core.vector_stores.utils import metadata_dict_to_node
from qdrant_client import models as qm
from qdrant_client.hybrid.fusion import reciprocal_rank_fusion

from bot.errors import ServiceUnavailable
from bot.index import sparse
from bot.index.store import DENSE, SPARSE, RegulationIndex

log = logging.getLogger(__name__)


def point_to_node(point: qm.ScoredPoint | qm.Record) -> TextNode:
    payload = dict(point.payload or {})
    node = metadata_dict_to_node(payload)
    node.id_ = str(point.id)
    return node  # type: ignore[return-value]


def jurisdiction_filter(
    jurisdictions: Sequence[str] | None, *, include_recitals: bool = False
) -> qm.Filter | None:
    must: list[qm.Condition] = []
    must_not: list[qm.Condition] = []
    if jurisdictions:
        must.append(
            qm.FieldCondition(key="jurisdiction", match=qm.MatchAny(any=list(jurisdictions)))
        )
    if not include_recitals:
        must_not.append(qm.FieldCondition(key="kind", match=qm.MatchValue(value="recital")))
    if not must and not must_not:
        return None
    return qm.Filter(must=must or None, must_not=must_not or None)


@dataclass
class Search:
    nodes: list[NodeWithScore]
    best_dense: float
    best_sparse: float


class HybridRetriever(BaseRetriever):
    """Dense and sparse candidates from Qdrant, fused by reciprocal rank fusion."""

    def __init__(
        self,
        *,
        index: RegulationIndex,
        jurisdictions: Sequence[str] | None = None,
        candidates: int = 40,
        include_recitals: bool = False,
        expand: Callable[[str], str] = lambda q: q,
    ) -> None:
        super().__init__()
        self._index = index
        self._filter = jurisdiction_filter(jurisdictions, include_recitals=include_recitals)
        self._candidates = candidates
        self._expand = expand

    def search(self, text: str, embedding: list[float] | None = None) -> Search:
        """Dense and sparse candidates from one Qdrant round trip, fused by RRF, plus the raw
        best dense and sparse scores (the relevance floor needs them: fused scores say nothing
        about absolute relevance)."""
        dense = embedding or self._index.embedding.get_query_embedding(text)
        indices, values = sparse.encode_query(self._expand(text))
        requests = [
            qm.QueryRequest(
                query=dense,
                using=DENSE,
                limit=self._candidates,
                filter=self._filter,
                with_payload=True,
            )
        ]
        if indices:
            requests.append(
                qm.QueryRequest(
                    query=qm.SparseVector(indices=indices, values=values),
                    using=SPARSE,
                    limit=self._candidates,
                    filter=self._filter,
                    with_payload=True,
                )
            )
        try:
            responses = self._index.client.query_batch_points(
                self._index.collection, requests=requests
            )
        except Exception as exc:  # noqa: BLE001 — any client failure: Qdrant is unreachable
            raise ServiceUnavailable("qdrant", str(exc)) from exc
        rankings = [r.points for r in responses]
        # Read the raw scores first: the fusion below overwrites them with fused ones.
        best = [ranking[0].score if ranking else 0.0 for ranking in rankings]
        # Qdrant's own RRF (the one its query API applies to prefetches), over both lists.
        fused = reciprocal_rank_fusion(rankings, limit=self._candidates)
        nodes = [NodeWithScore(node=point_to_node(p), score=p.score) for p in fused]
        return Search(
            nodes=nodes,
            best_dense=best[0],
            best_sparse=best[1] if len(best) > 1 else 0.0,
        )

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return self.search(query_bundle.query_str, query_bundle.embedding).nodes


def merge_pieces(pieces: Sequence[TextNode]) -> TextNode:
    """Pieces of one section as one node, in document order: the text a quote is taken from,
    with every paragraph's subdivision label."""
    ordered = sorted(pieces, key=lambda n: n.metadata.get("piece", 0))
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
            key = (n.node.metadata.get("source", ""), n.node.metadata.get("section", ""))
            groups.setdefault(key, []).append(n)
        return [
            NodeWithScore(
                node=merge_pieces([cast(TextNode, m.node) for m in group]), score=group[0].score
            )
            for group in groups.values()
        ]
