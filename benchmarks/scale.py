"""How the embedded index scales: the bundled corpus copied 1×, 5×, 20× (and, by hand, 100×)
under distinct jurisdiction codes, each size in fresh child processes. Prints one JSON line
per size, then a summary line with the ratios to 1×.

    python -m benchmarks.scale [--sizes 1,5,20] [--repeat 5]
    python -m benchmarks.scale --sizes 1,5,20,100     # by hand, not in CI (~150k chunks)

Per size: ingest seconds, no-op re-ingest seconds, disk MB, time to the first answer after a
process start (open the index, load the model, answer), that process's peak RSS, and `ask`
p50/p95 (engine, uncached, extractive writer) for questions naming one, none and three
jurisdictions. Copy 0 keeps the real codes; copy c is `X<c>-<code>`, so filters select the
same chunks at every size while the index grows.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUESTIONS = {
    "one": [
        "What must a company do after a data breach in Massachusetts?",
        "Do consumers in California have a right to correct inaccurate personal information?",
        "How long does a controller have to notify a personal data breach under the GDPR?",
    ],
    "none": [
        "What counts as personal information?",
        "When is consent required before processing personal data?",
    ],
    "three": [
        "Compare breach notification duties in California, New York and Massachusetts.",
        "How do the right to delete rules differ in California, Virginia and the EU?",
    ],
}
_JURISDICTION = re.compile(r'^jurisdiction:\s*"?([^"\n]+)"?\s*$', re.M)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)


def make_corpus(source: Path, target: Path, copies: int) -> None:
    for c in range(copies):
        for file in sorted(source.rglob("*.md")):
            if file.stem.upper() == "README":
                continue
            text = file.read_text(encoding="utf-8")
            if c:
                text = _JURISDICTION.sub(
                    lambda m, c=c: f'jurisdiction: "X{c}-{m.group(1)}"', text, count=1
                )
            out = target / f"copy{c:03d}" / file.relative_to(source)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")


def _index(folder: Path):
    from bot.index.config import open_index
    from bot.settings import load_settings

    return open_index(load_settings(qdrant_path=folder, openai_api_key=None))


def worker_ingest(corpus: Path, folder: Path) -> dict:
    from ingestion.pipeline import ingest

    index = _index(folder)
    started = time.perf_counter()
    first = ingest(index, [corpus])
    ingest_s = time.perf_counter() - started
    started = time.perf_counter()
    again = ingest(index, [corpus])
    noop_s = time.perf_counter() - started
    chunks = index.count()
    index.close()
    assert not again.changed
    return {"chunks": chunks, "files": len(first.files), "ingest_s": round(ingest_s, 2),
            "noop_reingest_s": round(noop_s, 3)}  # fmt: skip


class Clock:
    """CPU (user + sys of this process) and wall seconds of each stage since the last one; the
    first stage starts when the parent spawned the process (time.monotonic() is one clock for
    every process on Linux) and at CPU 0."""

    def __init__(self, wall_started: float) -> None:
        self.wall, self.cpu = wall_started, 0.0
        self.stages: dict[str, dict[str, float]] = {}

    def lap(self, stage: str) -> None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu, wall = usage.ru_utime + usage.ru_stime, time.monotonic()
        self.stages[stage] = {
            "cpu_s": round(cpu - self.cpu, 3),
            "wall_s": round(wall - self.wall, 3),
        }
        self.cpu, self.wall = cpu, wall

    def total(self) -> dict[str, float]:
        return {k: round(sum(s[k] for s in self.stages.values()), 3) for k in ("cpu_s", "wall_s")}


def worker_ask(folder: Path, repeat: int, clock: Clock) -> dict:
    """First answer after a process start, by stage: interpreter start and imports, opening the
    index (backend and embedding model), the catalogue and coverage, the first ask."""
    from bot.engine.core import Engine
    from bot.engine.writers.extractive import ExtractiveWriter

    clock.lap("start_and_imports")
    index = _index(folder)
    clock.lap("index_open")
    engine = Engine(index=index, writer=ExtractiveWriter(), top_k=5)
    engine.covered()
    engine.catalogue()
    clock.lap("catalogue_coverage")
    engine.ask(QUESTIONS["one"][0])
    clock.lap("first_ask")
    total = clock.total()
    out: dict = {"first_answer_s": round(total["wall_s"], 2),
                 "first_answer_cpu_s": round(total["cpu_s"], 2),
                 "first_answer_stages": clock.stages}  # fmt: skip
    for kind, questions in QUESTIONS.items():
        times = []
        for _ in range(repeat):
            for q in questions:
                t = time.perf_counter()
                engine.ask(q)
                times.append((time.perf_counter() - t) * 1000)
        out[f"ask_{kind}_p50_ms"] = percentile(times, 0.5)
        out[f"ask_{kind}_p95_ms"] = percentile(times, 0.95)
    out["rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    index.close()
    return out


def _child(*args: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "benchmarks.scale", *args],
                         capture_output=True, text=True, check=True)  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1,5,20")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=Path("data/corpus"))
    parser.add_argument("--worker", choices=["ingest", "ask"], help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--started", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker == "ingest":
        print(json.dumps(worker_ingest(args.corpus, args.folder)))
        return 0
    if args.worker == "ask":
        print(json.dumps(worker_ask(args.folder, args.repeat, Clock(args.started))))
        return 0
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory(prefix="reggi-scale-") as tmp:
            corpus, folder = Path(tmp) / "corpus", Path(tmp) / "index"
            make_corpus(args.corpus, corpus, size)
            row: dict = {"benchmark": "scale", "copies": size}
            row |= _child("--worker", "ingest", "--corpus", str(corpus), "--folder", str(folder))
            row["disk_mb"] = round(
                sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20, 1
            )
            row |= _child("--worker", "ask", "--folder", str(folder), "--repeat", str(args.repeat),
                          "--started", repr(time.monotonic()))  # fmt: skip
            shutil.rmtree(corpus)
        rows.append(row)
        print(json.dumps(row), flush=True)
    base = rows[0]
    print(json.dumps({
        "benchmark": "scale-summary",
        "index": "Qdrant Edge (embedded)",
        "ratios_to_first": {
            str(r["copies"]): {k: round(r[k] / base[k], 2) for k in
                               ("ask_one_p50_ms", "ask_none_p50_ms", "ask_three_p50_ms",
                                "first_answer_s") if base[k]}
            for r in rows
        },
    }))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
