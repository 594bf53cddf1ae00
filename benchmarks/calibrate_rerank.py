"""`python -m benchmarks.calibrate_rerank [--sweep NAME=V1,V2,... ...]` — the rerank's weights and
cut-off as curves.

Runs `bot.eval` end to end (the footnotes of the answer) on data/eval/dev.jsonl and
data/eval/dev2.jsonl together, once with the engine's `Weights` and once per value of each
swept parameter (the others kept), in one process over one index, and prints JSON:
{parameter: [{value, dev: {recall, precision}, dev2: {...}, pooled: {...}}]}. Parameters are
`bot.engine.select.Weights` fields; a pair moved together is written "a=…&b=…" (the i-th
values go together). A value is kept only where it helps both sets and hurts neither
(docs/retrieval.md, "Calibration").
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SETS = (ROOT / "data" / "eval" / "dev.jsonl", ROOT / "data" / "eval" / "dev2.jsonl")
DEFAULT_SWEEPS = (
    "named=0,0.1,0.2,0.3,0.5,0.8&not_named=0,-0.1,-0.2,-0.3,-0.5,-0.8",
    "heading_idf=0,0.1,0.2,0.3,0.5",
    "keep_ratio=0.6,0.66,0.72,0.78,0.84",
    "gap=0.12,0.15,0.18,0.24,0.3",
    "other_instrument=0.5,0.55,0.6,0.65,0.7",
    "federal_ratio=1.0,1.6,2.0,2.5,3.0,99",
    "federal_scope=2,3,4,5,6,99",
    "federal_scoped_ratio=0.6,0.8,0.9,1.0,1.2,1.4",
    "top_k=3,4,5,6",
)


def parse_sweep(spec: str) -> list[dict[str, float]]:
    """ "a=1,2&b=3,4" → [{a: 1, b: 3}, {a: 2, b: 4}]."""
    columns = {}
    for part in spec.split("&"):
        name, values = part.split("=", 1)
        columns[name.strip()] = [float(v) for v in values.split(",")]
    lengths = {len(v) for v in columns.values()}
    if len(lengths) != 1:
        raise ValueError(f"parameters moved together need as many values each: {spec}")
    return [{n: vs[i] for n, vs in columns.items()} for i in range(lengths.pop())]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.calibrate_rerank")
    parser.add_argument("--sweep", action="append", help="NAME=V1,V2[&NAME2=...]")
    args = parser.parse_args(argv)

    from bot.compose import build_components, ensure_index
    from bot.eval import evaluate, parse_notes, read_questions
    from bot.settings import load_settings

    components = build_components(load_settings())
    ensure_index(components)
    engine = components.engine
    sets = []
    for path in SETS:
        notes_path = path.with_name(f"{path.stem}-notes.md")
        notes = parse_notes(notes_path.read_text()) if notes_path.exists() else {}
        sets.append((path.stem, read_questions(path), notes))
    full = engine._weights  # noqa: SLF001 — the calibration varies the engine's own weights

    def run(changes: dict[str, float]) -> dict[str, Any]:
        typed = {k: int(v) if k == "top_k" else v for k, v in changes.items()}
        engine._weights = dataclasses.replace(full, **typed)  # type: ignore[arg-type]  # noqa: SLF001
        out: dict[str, Any] = dict(changes)
        pooled_r = pooled_p = 0.0
        count = 0
        for name, questions, notes in sets:
            s = evaluate(engine, questions, notes).summary()
            answerable = sum(1 for q in questions if q["expected"])
            out[name] = {"recall": round(s["recall"], 3), "precision": round(s["precision"], 3)}
            pooled_r += s["recall"] * answerable
            pooled_p += s["precision"] * answerable
            count += answerable
        out["pooled"] = {
            "recall": round(pooled_r / count, 3),
            "precision": round(pooled_p / count, 3),
        }
        engine._weights = full  # noqa: SLF001
        return out

    report: dict[str, Any] = {"engine": run({})}
    for spec in args.sweep or DEFAULT_SWEEPS:
        report[spec.split("=")[0]] = [run(changes) for changes in parse_sweep(spec)]
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
