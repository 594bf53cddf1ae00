"""Answer latency and retrieval quality over the dev questions, side by side with a baseline
built the way the LlamaIndex docs start: a plain in-memory `VectorStoreIndex` over the same
chunks and vectors (dense only, default retriever, same embedding), its top 5 quoted by the
same extractive writer. Reggi's asks are uncached (the engine, not the cache). Prints one
JSON object.

    python -m benchmarks.answer [--questions data/eval/dev.jsonl] [--k 5] [--repeat 3]

Uses the configured index (QDRANT_PATH / QDRANT_URL), ingesting the bundled corpus if empty.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=Path, default=Path("data/eval/dev.jsonl"))
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3, help="timed passes over the questions")
    args = parser.parse_args()

    from llama_index.core import VectorStoreIndex
    from llama_index.core.schema import TextNode
    from llama_index.vector_stores.qdrant import QdrantVectorStore
    from qdrant_client import QdrantClient

    from bot.compose import build_components, ensure_index
    from bot.engine.writers import SourceGroup
    from bot.engine.writers.extractive import ExtractiveWriter
    from bot.eval import evaluate, read_questions
    from bot.index.backends.server import ServerBackend
    from bot.index.hybrid import hit_to_node
    from bot.index.schema import Hit, section_key
    from bot.settings import load_settings

    settings = load_settings(retrieval_top_k=args.k, openai_api_key=None)
    components = build_components(settings)
    ensure_index(components)
    engine = components.engine
    questions = read_questions(args.questions)

    # Reggi: hybrid, per jurisdiction, relevance floor, extractive writer.
    engine.ask(questions[0]["question"])  # warm-up
    reggi_ms = []
    for _ in range(args.repeat):
        for q in questions:
            started = time.perf_counter()
            engine.ask(q["question"])
            reggi_ms.append((time.perf_counter() - started) * 1000)
    reggi = evaluate(engine, questions).summary()

    # Baseline: VectorStoreIndex.from_vector_store(...).as_retriever(similarity_top_k=k).
    index = components.index
    nodes = []
    for point in index.backend.export():
        node = hit_to_node(Hit(id=point.id, score=0.0, payload=point.payload))
        node.embedding = list(point.dense)
        nodes.append(TextNode(id_=node.node_id, text=node.text, metadata=node.metadata,
                              embedding=node.embedding))  # fmt: skip
    writer = ExtractiveWriter()

    def measure(retriever) -> dict:
        def baseline_ask(question: str):
            found = retriever.retrieve(question)
            writer.write(question, [SourceGroup("", "", tuple(found))])
            return found

        baseline_ask(questions[0]["question"])
        times = []
        for _ in range(args.repeat):
            for q in questions:
                started = time.perf_counter()
                baseline_ask(q["question"])
                times.append((time.perf_counter() - started) * 1000)
        recalls = []
        for q in questions:
            if not q["expected"]:
                continue
            found = {
                (n.node.metadata["source"], n.node.metadata["section_key"])
                for n in baseline_ask(q["question"])
            }
            expected = {(e["source"], section_key(e["section"])) for e in q["expected"]}
            recalls.append(len(found & expected) / len(expected))
        return {
            "p50_ms": percentile(times, 0.50),
            "p95_ms": percentile(times, 0.95),
            "mean_ms": round(statistics.fmean(times), 2),
            "recall_at_k": round(statistics.fmean(recalls), 4),
            "abstention": 0.0,
        }

    # The LlamaIndex default: VectorStoreIndex over its in-memory SimpleVectorStore.
    plain = measure(
        VectorStoreIndex(nodes, embed_model=index.embedding).as_retriever(similarity_top_k=args.k)
    )
    # The same over QdrantVectorStore, qdrant-client's in-process Qdrant holding the same points.
    client = QdrantClient(":memory:")
    copy = ServerBackend(client=client, collection="baseline", description="in-process")
    copy.create(dimension=index.dimension())
    points = list(index.backend.export())
    for start in range(0, len(points), 256):
        copy.upsert(points[start : start + 256])
    store = QdrantVectorStore(collection_name="baseline", client=client, dense_vector_name="dense")
    over_qdrant = measure(
        VectorStoreIndex.from_vector_store(store, embed_model=index.embedding).as_retriever(
            similarity_top_k=args.k
        )
    )
    reggi_p50 = percentile(reggi_ms, 0.5)

    print(
        json.dumps(
            {
                "benchmark": "answer",
                "questions": len(questions),
                "k": args.k,
                "embedding": index.embedding_id,
                "index": index.description,
                "chunks": index.count(),
                "reggi": {
                    "p50_ms": percentile(reggi_ms, 0.50),
                    "p95_ms": percentile(reggi_ms, 0.95),
                    "mean_ms": round(statistics.fmean(reggi_ms), 2),
                    # bot.eval scores the answer's footnotes (recall of the cited sections)
                    "recall_at_k": reggi.get("recall", 0.0),
                    "abstention": reggi.get("declines", 0.0),
                    "precision": reggi.get("precision", 0.0),
                },
                "baseline_vector_store_index": plain,
                "baseline_vector_store_index_over_qdrant": over_qdrant,
                "ratio_p50": round(reggi_p50 / max(plain["p50_ms"], 1e-9), 2),
                "ratio_p50_over_qdrant": round(reggi_p50 / max(over_qdrant["p50_ms"], 1e-9), 2),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
