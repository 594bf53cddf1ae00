"""`python -m benchmarks.calibrate_case` — the weight of a specific case in the quote chooser.

A paragraph that states a specific case ("Where the controller has made the personal data
public, …", "A business that is required to notify pursuant to this section more than 500
residents …") after its section's general rule ranks lower by `quotes.CASE` times the share of
the case's words the question does not use. This script sweeps that weight and prints JSON:
for each value, pinpoint accuracy on dev2 (with its notes) and the share of answers whose
short answer quotes or cites an expected section on dev2 and dev. The chosen value should sit
inside a flat stretch of the curve, not at its edge.
"""

from __future__ import annotations

import json
from pathlib import Path

from bot.engine import quotes
from bot.eval import evaluate, parse_notes, read_questions

DATA = Path(__file__).resolve().parents[1] / "data" / "eval"
GRID = [0.0, 0.15, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0]


def _on_target(summary: dict) -> float:
    return float(
        summary.get("by_writer", {}).get("extractive", {}).get("short_answer_on_target", 0)
    )


def main() -> int:
    from bot.compose import build_components, ensure_index
    from bot.settings import load_settings

    components = build_components(load_settings())
    ensure_index(components)
    dev2 = read_questions(DATA / "dev2.jsonl")
    dev = read_questions(DATA / "dev.jsonl")
    notes = parse_notes((DATA / "dev2-notes.md").read_text())
    current = quotes.CASE
    curve = []
    for weight in GRID:
        quotes.CASE = weight
        on_dev2 = evaluate(components.engine, dev2, notes).summary()
        on_dev = evaluate(components.engine, dev, {}).summary()
        curve.append(
            {
                "case": weight,
                "dev2_pinpoint": on_dev2.get("pinpoint"),
                "dev2_short_answer_on_target": _on_target(on_dev2),
                "dev_short_answer_on_target": _on_target(on_dev),
            }
        )
    quotes.CASE = current
    print(json.dumps({"current": current, "curve": curve}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
