"""`python -m benchmarks.ablation [QUESTIONS.jsonl]` — the effect of each retrieval stage.

Runs `bot.eval` on the questions (default data/eval/dev2.jsonl, with its notes) once with the
full pipeline and once per stage removed, in one process over one index, and prints JSON:
{stage removed: figures}. Scoring stages are switched off through `Weights`; the query
understanding and explicit-decline stages by replacing the function in this process only.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

DEFAULT_SET = Path(__file__).resolve().parents[1] / "data" / "eval" / "dev2.jsonl"
KEYS = ("recall", "hit", "precision", "mrr", "declines", "false_not_covered", "pinpoint")


@contextmanager
def replaced(module: Any, name: str, value: Any) -> Iterator[None]:
    old = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, old)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ablation")
    parser.add_argument("questions", nargs="?", type=Path, default=DEFAULT_SET)
    args = parser.parse_args(argv)

    from bot.compose import build_components, ensure_index
    from bot.engine import core, jurisdictions, plan, thesaurus
    from bot.engine.select import Weights
    from bot.eval import evaluate, parse_notes, read_questions
    from bot.settings import load_settings

    components = build_components(load_settings())
    ensure_index(components)
    engine = components.engine
    questions = read_questions(args.questions)
    notes_path = args.questions.with_name(f"{args.questions.stem}-notes.md")
    notes = parse_notes(notes_path.read_text()) if notes_path.exists() else {}
    full = engine._weights  # noqa: SLF001 — the ablation varies the engine's own weights

    def run(weights: Weights = full) -> dict[str, Any]:
        engine._weights = weights  # noqa: SLF001
        summary = evaluate(engine, questions, notes).summary()
        engine._weights = full  # noqa: SLF001
        return {k: summary.get(k) for k in KEYS}

    w = dataclasses.replace
    stages: dict[str, Callable[[], dict[str, Any]]] = {
        "none (full pipeline)": run,
        "heading match": lambda: run(w(full, heading=0.0)),
        "heading IDF share": lambda: run(w(full, heading_idf=0.0)),
        "term coverage": lambda: run(w(full, coverage=0.0)),
        "unit-kind priors": lambda: run(w(full, procedural=0.0, enforcement=0.0)),
        "cross-reference boost": lambda: run(w(full, related=0.0)),
        "named instrument": lambda: run(w(full, named=0.0, not_named=0.0)),
        "recitals as background": lambda: run(w(full, recital_ratio=99.0)),
        "adaptive cut-off (always top k)": lambda: run(w(full, keep_ratio=0.0, gap=99.0)),
        "per-instrument slot": lambda: run(w(full, other_instrument=99.0)),
        "federal gating": lambda: run(w(full, federal_ratio=0.0)),
        "federal scope terms (ratio 1.6 alone)": lambda: run(
            w(full, federal_scope=99.0, federal_ratio=1.6)
        ),
        "whole rerank (plain RRF order)": lambda: run(
            Weights(
                sparse=0,
                dense=0,
                heading=0,
                heading_idf=0,
                coverage=0,
                rrf=1.0,
                procedural=0,
                enforcement=0,
                related=0,
                named=0,
                not_named=0,
                top_k=full.top_k,
            )
        ),  # fmt: skip
    }
    results = {name: stage() for name, stage in stages.items()}
    with replaced(core, "asked_terms", _none):
        results["definitions lead"] = run()
    with replaced(thesaurus, "ACRONYMS", {}):
        results["acronyms of the field"] = run()
    with replaced(plan, "has_topic", lambda *_: False):
        results["named sections also searched"] = run()
    with replaced(jurisdictions, "_PLACES", []), replaced(jurisdictions, "misspelt", _none):
        results["cities, demonyms, typos"] = run()
    with replaced(plan, "other_field", lambda q: None), replaced(plan, "_missing_part", _nothing):
        results["other-field and missing-part declines"] = run()
    results["operative-subdivision quotes"] = _with_plain_quotes(run)
    results["dense similarity of subdivisions"] = _without_dense(engine, run)
    print(json.dumps({"questions": str(args.questions), "stage_removed": results}))
    return 0


def _none(*_: Any) -> list:
    return []


def _nothing(*_: Any) -> None:
    return None


def _with_plain_quotes(run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Quotes chosen on the question's words alone: no legal structure (rule, heading, example,
    exception, definition, authority, deadline), no depth or length, no dense similarity."""
    from functools import partial

    from bot.engine import quotes
    from bot.engine.writers import extractive

    plain = partial(quotes.choose, plain=True)
    with replaced(extractive, "choose", plain):
        return run()


def _without_dense(engine: Any, run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    writer = engine._writer  # noqa: SLF001 — the ablation varies the engine's own writer
    with replaced(writer, "_similarity", None):
        return run()


if __name__ == "__main__":
    sys.exit(main())
