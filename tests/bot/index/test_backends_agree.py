"""Qdrant Edge (the embedded default) and the server path rank the same.

The server path is qdrant-client against its own in-process implementation
(`QdrantClient(":memory:")`), the stand-in for a Qdrant server: no server binary exists on
the build machines. Both hold the same points, copied from the Edge index of the corpus.
"""

import json

import numpy as np
import pytest

from bot.index import sparse
from bot.index.hybrid import rrf
from bot.index.schema import Scope
from tests.fixtures.index import EVAL_SET, server_index


@pytest.fixture(scope="module")
def both(corpus_index):
    server = server_index(corpus_index.embedding, "agree")
    server.ensure_collection()
    points = list(corpus_index.backend.export())
    for start in range(0, len(points), 256):
        server.backend.upsert(points[start : start + 256])
    assert server.count() == corpus_index.count() == len(points)
    yield corpus_index, server, points
    server.close()


def _questions():
    return [json.loads(line)["question"] for line in EVAL_SET.read_text().splitlines() if line]


def overlap(a, b, k=10):
    top_a, top_b = {h.id for h in a[:k]}, {h.id for h in b[:k]}
    return len(top_a & top_b) / max(1, min(k, len(top_a), len(top_b)))


def test_edge_and_the_server_path_rank_the_same_on_the_dev_questions(both):
    edge, server, _ = both
    scopes = [Scope(), Scope(jurisdictions=("US-CA", "US")), Scope(jurisdictions=("US-NY",))]
    dense, sparse_, fused = [], [], []
    for question in _questions():
        vector = edge.embedding.get_query_embedding(question)
        terms = sparse.encode_query(question)
        for scope in scopes:
            a = edge.search(scope, dense=vector, sparse=terms, limit=40)
            b = server.search(scope, dense=vector, sparse=terms, limit=40)
            dense.append(overlap(a.dense, b.dense))
            sparse_.append(overlap(a.sparse, b.sparse))
            fused.append(overlap(rrf([a.dense, a.sparse], 40), rrf([b.dense, b.sparse], 40)))
            assert a.best_dense == pytest.approx(b.best_dense, abs=1e-4)
            assert a.best_sparse == pytest.approx(b.best_sparse, rel=1e-3)
    assert min(dense) == 1.0
    assert np.mean(sparse_) >= 0.99 and np.mean(fused) >= 0.99


def test_filtered_dense_search_never_loses_a_jurisdictions_sections(both):
    """Exact search under every jurisdiction filter: the top 40 is the brute-force top 40."""
    edge, _, points = both
    ids = [p.id for p in points]
    matrix = np.array([p.dense for p in points], dtype=np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    codes = np.array([p.payload["jurisdiction"] for p in points])
    kinds = np.array([p.payload["kind"] for p in points])
    for question in _questions()[:12]:
        vector = np.array(edge.embedding.get_query_embedding(question), dtype=np.float32)
        scores = matrix @ (vector / np.linalg.norm(vector))
        for code in sorted(set(codes)):
            mask = (codes == code) & (kinds != "recital")
            order = [i for i in np.argsort(-scores) if mask[i]][:40]
            found = edge.search(
                Scope(jurisdictions=(code,)), dense=vector.tolist(), sparse=None, limit=40
            )
            # The same scores as brute force (ids may differ only among equal scores at the cut).
            assert [h.score for h in found.dense] == pytest.approx(
                [float(scores[i]) for i in order], abs=1e-5
            ), code
            assert len({h.id for h in found.dense} ^ {ids[i] for i in order}) <= 2, code
