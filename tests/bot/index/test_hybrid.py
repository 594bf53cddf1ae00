import random

from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode
from qdrant_client import models as qm
from qdrant_client.hybrid.fusion import reciprocal_rank_fusion

from bot.index.hybrid import HybridRetriever, SectionCollapse, hit_to_node, merge_pieces, rrf
from bot.index.schema import Hit, Scope


def test_rrf_ranks_exactly_as_qdrant_client_does():
    rng = random.Random(7)
    for _ in range(50):
        ids = [f"p{i}" for i in range(30)]
        rankings = [rng.sample(ids, rng.randint(0, 20)) for _ in range(2)]
        ours = rrf([[Hit(i, 0.0, {"i": i}) for i in r] for r in rankings], limit=15)
        theirs = reciprocal_rank_fusion(
            [[qm.ScoredPoint(id=i, version=0, score=0.0) for i in r] for r in rankings], limit=15
        )
        assert [(h.id, h.score) for h in ours] == [(str(p.id), p.score) for p in theirs]
        assert all(h.payload == {"i": h.id} for h in ours)


def test_retriever_fuses_within_its_scope(server_index):
    retriever = HybridRetriever(index=server_index, scope=Scope(jurisdictions=("EU",)))
    search = retriever.search("erasure of personal data", embedding=[1.0, 0.0, 0.0, 0.0])
    sections = [n.node.metadata["section"] for n in search.nodes]
    assert sections == ["Article 17"]  # the recital is left out, other places too
    assert search.best_dense > 0.9 and search.best_sparse > 0
    # LlamaIndex's own entry point gives the same nodes.
    nodes = retriever.retrieve(QueryBundle("erasure of personal data", embedding=[1.0, 0, 0, 0]))
    assert [n.node.node_id for n in nodes] == [n.node.node_id for n in search.nodes]


def test_hit_to_node_restores_text_and_metadata(server_index):
    hit = next(h for h in server_index.scroll() if h.payload["section"] == "§ 2")
    node = hit_to_node(hit)
    assert (
        node.node_id == hit.id
        and node.get_content() == "A business shall give notice at collection."
    )
    assert node.metadata["jurisdiction"] == "US-CA"


def _piece(section: str, piece: int, text: str, labels: list[str]) -> TextNode:
    meta = {"source": "a.md", "section": section, "piece": piece, "paragraph_labels": labels}
    return TextNode(id_=f"{section}-{piece}", text=text, metadata=meta)


def test_section_collapse_merges_pieces_in_document_order():
    nodes = [
        NodeWithScore(node=_piece("§ 1", 1, "second", ["(b)"]), score=0.9),
        NodeWithScore(node=_piece("§ 2", 0, "other", []), score=0.8),
        NodeWithScore(node=_piece("§ 1", 0, "first", ["(a)"]), score=0.5),
    ]
    out = SectionCollapse().postprocess_nodes(nodes)
    assert [n.score for n in out] == [0.9, 0.8]
    assert out[0].node.get_content() == "first\n\nsecond"
    assert out[0].node.metadata["paragraph_labels"] == ["(a)", "(b)"]
    assert merge_pieces([nodes[1].node]) is nodes[1].node
