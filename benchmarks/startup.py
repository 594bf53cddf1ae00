"""Cold start of `python -m bot ask`: fresh child processes, each answering one question over the
already-built embedded index (no server running), beside baselines measured in the same run and
interleaved with it (so the machine's load weighs on every case alike):

- `python`: a bare interpreter (`python -c pass`);
- `import_llama_index`: `python -c "import llama_index.core"`, the framework's own import;
- `plain_vector_store_index`: a plain LlamaIndex script that loads a persisted in-memory
  `VectorStoreIndex` of the same chunks and vectors, with the same embedding model, and
  retrieves the top 5 for the same question;
- `reggi_ask`: `python -m bot ask QUESTION`.

CPU is user + sys of each child (`resource.getrusage(RUSAGE_CHILDREN)` around it), wall is
from spawn to exit. Then one `python -X importtime -m bot ask` run: the modules costing the
most (cumulative, as imported at the top level) and the packages costing the most (self time
summed). Prints one JSON object.

    python -m benchmarks.startup [--repeat 5] [--question "..."]

Uses the configured index (QDRANT_PATH), ingesting the bundled corpus on the first `ask` if it
is empty; no `serve` may hold the folder (the ask would go through the server).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

QUESTION = "What must a company do after a data breach in Massachusetts?"

PLAIN_SCRIPT = """
import sys
from llama_index.core import StorageContext, load_index_from_storage
from bot.index.embeddings import WordLlamaEmbedding
storage = StorageContext.from_defaults(persist_dir=sys.argv[1])
index = load_index_from_storage(storage, embed_model=WordLlamaEmbedding())
found = index.as_retriever(similarity_top_k=5).retrieve(sys.argv[2])
print(found[0].node.get_content()[:80])
"""
_IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def run_child(argv: list[str], env: dict[str, str]) -> dict[str, float]:
    """CPU seconds (user + sys) and wall seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"cpu_s": cpu, "wall_s": wall}


def summarize(runs: list[dict[str, float]]) -> dict[str, float]:
    out: dict[str, float] = {}
    for key in ("cpu_s", "wall_s"):
        values = [r[key] for r in runs]
        out[f"{key}_p50"] = round(statistics.median(values), 3)
        out[f"{key}_min"] = round(min(values), 3)
        out[f"{key}_max"] = round(max(values), 3)
    return out


def import_profile(stderr: str, top: int = 15) -> dict[str, Any]:
    """From `-X importtime` output: top-level imports by cumulative ms, packages by self ms."""
    rows = []
    for line in stderr.splitlines():
        m = _IMPORT_LINE.match(line)
        if m:
            rows.append((int(m[1]), int(m[2]), len(m[3]), m[4]))
    top_level = sorted((r for r in rows if r[2] <= 1), key=lambda r: -r[1])[:top]
    packages: Counter[str] = Counter()
    for self_us, _, _, name in rows:
        packages[name.split(".")[0]] += self_us
    return {
        "top_level_cumulative_ms": [[r[3], round(r[1] / 1000, 1)] for r in top_level],
        "packages_self_ms": [[n, round(us / 1000, 1)] for n, us in packages.most_common(top)],
        "modules_imported": len(rows),
    }


def persist_plain_index(folder: Path) -> None:
    """A persisted in-memory VectorStoreIndex of the index's chunks and stored vectors."""
    from llama_index.core import VectorStoreIndex
    from llama_index.core.schema import TextNode

    from bot.index.config import open_index
    from bot.index.hybrid import hit_to_node
    from bot.index.schema import Hit
    from bot.settings import load_settings

    index = open_index(load_settings(openai_api_key=None))
    nodes = []
    for point in index.backend.export():
        node = hit_to_node(Hit(id=point.id, score=0.0, payload=point.payload))
        nodes.append(TextNode(id_=node.node_id, text=node.text, metadata=node.metadata,
                              embedding=list(point.dense)))  # fmt: skip
    embedding = index.embedding
    index.close()
    plain = VectorStoreIndex(nodes, embed_model=embedding)
    plain.storage_context.persist(persist_dir=str(folder))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--question", default=QUESTION)
    args = parser.parse_args()
    env = dict(os.environ, REGGI_ENV_FILE="", PYTHONPATH=os.getcwd())
    env.pop("OPENAI_API_KEY", None)
    python = sys.executable
    ask = [python, "-m", "bot", "ask", args.question]
    subprocess.run(ask, env=env, check=True, stdout=subprocess.DEVNULL)  # builds the index once
    with tempfile.TemporaryDirectory(prefix="reggi-startup-") as tmp:
        persist_plain_index(Path(tmp))
        cases = {
            "python": [python, "-c", "pass"],
            "import_llama_index": [python, "-c", "import llama_index.core"],
            "plain_vector_store_index": [python, "-c", PLAIN_SCRIPT, tmp, args.question],
            "reggi_ask": ask,
        }
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in cases}
        for _ in range(args.repeat):
            for name, argv in cases.items():
                runs[name].append(run_child(argv, env))
    profile = subprocess.run([python, "-X", "importtime", *ask[1:]], env=env, check=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
    results = {name: summarize(r) for name, r in runs.items()}
    reggi = results["reggi_ask"]["cpu_s_p50"]
    print(
        json.dumps(
            {
                "benchmark": "startup",
                "question": args.question,
                "repeat": args.repeat,
                "load_average": [round(x, 2) for x in os.getloadavg()],
                "cases": results,
                "reggi_cpu_over_import_llama_index": round(
                    reggi / max(results["import_llama_index"]["cpu_s_p50"], 1e-9), 2
                ),
                "reggi_cpu_over_plain_vector_store_index": round(
                    reggi / max(results["plain_vector_store_index"]["cpu_s_p50"], 1e-9), 2
                ),
                "importtime": import_profile(profile.stderr),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
