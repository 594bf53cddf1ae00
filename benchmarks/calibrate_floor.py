"""`python -m benchmarks.calibrate_floor [QUESTIONS.jsonl]` — calibrate the relevance floor.

The floor is the engine's last way to decline: after the explicit signals of `plan()` (places
not indexed, sections that do not exist, missing parts, other fields of law), a search whose
best raw dense cosine and best raw BM25 score are both under the floor counts as "nothing
relevant found". This script runs every question once with the floor off, records those two
scores per search, and sweeps the floor: for each (min_dense, min_sparse) it counts

- false declines: answerable questions the floor would decline (or, for one of several asked
  jurisdictions, call "not covered"), and
- false answers: unanswerable questions that get past both the explicit signals and the floor.

It prints JSON: the whole curve, its Pareto front, the engine's current floor with its counts,
and whether one grid step higher on either axis would add false declines (the current floor
should keep that margin, so it is not fitted to the last question of the set).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_SET = Path(__file__).resolve().parents[1] / "data" / "eval" / "dev2.jsonl"
DENSE_GRID = [round(0.15 + 0.05 * i, 2) for i in range(12)]  # 0.15 … 0.70
SPARSE_GRID = [float(x) for x in range(0, 26, 2)]  # 0 … 24


@dataclass(frozen=True)
class Observed:
    id: str
    answerable: bool
    declined_by_plan: bool
    searches: tuple[tuple[float, float], ...]  # (best dense, best sparse) per search


def observe(engine: Any, questions: list[dict[str, Any]]) -> list[Observed]:
    out = []
    for q in questions:
        found = engine.retrieve(q["question"])
        out.append(
            Observed(
                id=q.get("id", ""),
                answerable=bool(q["expected"]),
                declined_by_plan=found.abstained and not found.scores,
                searches=tuple((s.best_dense, s.best_sparse) for s in found.scores),
            )
        )
    return out


def counts(observed: list[Observed], min_dense: float, min_sparse: float) -> dict[str, Any]:
    def passes(dense: float, sparse: float) -> bool:
        return dense >= min_dense or sparse >= min_sparse

    false_declines = false_answers = 0
    for o in observed:
        if o.declined_by_plan:
            false_declines += o.answerable  # an explicit signal declined it
            continue
        passed = [passes(d, s) for d, s in o.searches]
        if not passed:
            continue  # answered from the sections it names: no search, no floor
        if o.answerable and not all(passed):
            false_declines += 1
        if not o.answerable and any(passed):
            false_answers += 1
    answerable = sum(o.answerable for o in observed) or 1
    unanswerable = sum(not o.answerable for o in observed) or 1
    return {
        "min_dense": min_dense,
        "min_sparse": min_sparse,
        "false_declines": false_declines,
        "false_answers": false_answers,
        "false_decline_rate": round(false_declines / answerable, 4),
        "false_answer_rate": round(false_answers / unanswerable, 4),
    }


def pareto(curve: list[dict[str, Any]]) -> list[dict[str, Any]]:
    front = []
    for p in sorted(curve, key=lambda p: (p["false_declines"], p["false_answers"])):
        if not front or p["false_answers"] < front[-1]["false_answers"]:
            front.append(p)
    return front


def margin(curve: list[dict[str, Any]], dense: float, sparse: float) -> dict[str, Any]:
    """Counts one grid step above (dense, sparse) on each axis."""
    up_d = next((d for d in DENSE_GRID if d > dense), DENSE_GRID[-1])
    up_s = next((s for s in SPARSE_GRID if s > sparse), SPARSE_GRID[-1])
    at = {(p["min_dense"], p["min_sparse"]): p for p in curve}
    return {
        "dense_step": at.get((up_d, next((s for s in SPARSE_GRID if s >= sparse), sparse))),
        "sparse_step": at.get((next((d for d in DENSE_GRID if d >= dense), dense), up_s)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.calibrate_floor")
    parser.add_argument("questions", nargs="?", type=Path, default=DEFAULT_SET)
    args = parser.parse_args(argv)

    from bot.compose import build_components, ensure_index
    from bot.engine.core import RelevanceFloor
    from bot.eval import read_questions
    from bot.settings import load_settings

    components = build_components(load_settings())
    ensure_index(components)
    engine = components.engine
    current = engine._floor  # noqa: SLF001 — reported beside the curve
    engine._floor = RelevanceFloor(min_dense=-1.0, min_sparse=-1.0)  # noqa: SLF001 — off
    observed = observe(engine, read_questions(args.questions))
    curve = [counts(observed, d, s) for d in DENSE_GRID for s in SPARSE_GRID]
    front = pareto(curve)
    print(
        json.dumps(
            {
                "questions": str(args.questions),
                "answerable": sum(o.answerable for o in observed),
                "unanswerable": sum(not o.answerable for o in observed),
                "declined_by_explicit_signals": {
                    "unanswerable": sum(o.declined_by_plan and not o.answerable for o in observed),
                    "answerable": sum(o.declined_by_plan and o.answerable for o in observed),
                },
                "current": counts(observed, current.min_dense, current.min_sparse),
                "one_step_higher": margin(curve, current.min_dense, current.min_sparse),
                "pareto_front": front,
                "curve": curve,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
