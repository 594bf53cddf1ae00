"""`python -m bot.eval QUESTIONS.jsonl [--k 5] [--json]` — retrieval and answer quality.

Reads the format of shared/eval (one JSON object a line: id, question, expected [{source,
section}]). A retrieved section hits an expected one when the source paths are equal and the
section numbers are equal after dropping "§", "Section", "Article"/"Art.", spaces and case.
Each asked jurisdiction gets its own top k (that is how the engine retrieves), so "the top
k" of a two-jurisdiction question holds up to 2k sections; MRR ranks them round-robin.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import Any

from bot.engine.writers import markers
from bot.index.corpus_format import section_key


@dataclass
class QuestionResult:
    id: str
    expected: list[tuple[str, str]]
    retrieved: list[tuple[str, str]]
    abstained: bool
    markers_total: int
    markers_valid: int
    writer: str = ""
    short_on_target: bool = False  # the short answer quotes or cites an expected section
    sentences: int = 0  # sentences the claim checks read (model writers)
    removed: int = 0  # ... and removed

    @property
    def recall(self) -> float:
        found = set(self.retrieved) & set(self.expected)
        return len(found) / len(set(self.expected)) if self.expected else 0.0

    @property
    def reciprocal_rank(self) -> float:
        for rank, item in enumerate(self.retrieved, start=1):
            if item in self.expected:
                return 1.0 / rank
        return 0.0


@dataclass
class Report:
    results: list[QuestionResult] = field(default_factory=list)
    jurisdiction_of: dict[str, str] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        answerable = [r for r in self.results if r.expected]
        unanswerable = [r for r in self.results if not r.expected]
        by_j: dict[str, list[float]] = defaultdict(list)
        for r in answerable:
            for code in sorted({self.jurisdiction_of.get(src, "?") for src, _ in r.expected}):
                wanted = [e for e in r.expected if self.jurisdiction_of.get(e[0], "?") == code]
                by_j[code].append(len(set(wanted) & set(r.retrieved)) / len(set(wanted)))
        total_markers = sum(r.markers_total for r in self.results)
        valid_markers = sum(r.markers_valid for r in self.results)
        return {
            "recall_at_k": _mean(r.recall for r in answerable),
            "hit_at_k": _mean(1.0 if r.recall > 0 else 0.0 for r in answerable),
            "mrr": _mean(r.reciprocal_rank for r in answerable),
            "abstention": _mean(1.0 if r.abstained else 0.0 for r in unanswerable),
            "citation_validity": valid_markers / total_markers if total_markers else 1.0,
            "n": len(self.results),
            "by_jurisdiction": {k: round(_mean(v), 4) for k, v in sorted(by_j.items())},
            "by_writer": self.by_writer(),
        }

    def by_writer(self) -> dict[str, dict[str, float]]:
        """Per writer: share of answers whose short answer quotes or cites an expected
        section, and share of sentences the claim checks removed."""
        out: dict[str, dict[str, float]] = {}
        for writer in sorted({r.writer for r in self.results if r.expected and not r.abstained}):
            mine = [
                r for r in self.results if r.writer == writer and r.expected and not r.abstained
            ]
            sentences = sum(r.sentences for r in mine)
            out[writer] = {
                "answers": len(mine),
                "short_answer_on_target": _mean(1.0 if r.short_on_target else 0.0 for r in mine),
                "sentences_removed": round(sum(r.removed for r in mine) / sentences, 4)
                if sentences
                else 0.0,
            }
        return out


def _mean(values: Iterable[float]) -> float:
    values = list(values)
    return round(sum(values) / len(values), 4) if values else 0.0


def read_questions(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def round_robin(groups: Sequence[Sequence[tuple[str, str]]]) -> list[tuple[str, str]]:
    merged: list[tuple[str, str]] = []
    for row in zip_longest(*groups):
        merged.extend(item for item in row if item is not None and item not in merged)
    return merged


def evaluate(engine: Any, questions: Sequence[dict[str, Any]]) -> Report:
    report = Report()
    for inst in engine.coverage():
        for doc in inst["instruments"]:
            report.jurisdiction_of[doc["source"]] = inst["code"]
    for q in questions:
        found = engine.retrieve(q["question"])
        groups = [
            [(n.node.metadata["source"], n.node.metadata["section_key"]) for n in g.nodes]
            for g in found.groups
        ]
        answer = engine.ask(q["question"])
        retrieved_sections = {
            (n.node.metadata["source"], n.node.metadata["section"]) for n in found.sections()
        } | {(n.node.metadata["source"], n.node.metadata["section"]) for n in found.closest}
        by_number = {c.n: (c.source, c.section) for c in answer.citations}
        texts = [answer.answer, *(p.text for p in answer.parts)]
        cited = [n for t in texts for n in markers(t)]
        valid = [n for n in cited if by_number.get(n) in retrieved_sections]
        expected = {(e["source"], section_key(e["section"])) for e in q["expected"]}
        report.results.append(
            QuestionResult(
                id=q.get("id", ""),
                expected=[(e["source"], section_key(e["section"])) for e in q["expected"]],
                retrieved=round_robin(groups),
                abstained=answer.abstained,
                markers_total=len(cited),
                markers_valid=len(valid),
                writer=answer.writer.split(":")[0],
                short_on_target=short_on_target(answer, expected),
                sentences=answer.checks.get("sentences", 0),
                removed=answer.checks.get("removed", 0),
            )
        )
    return report


def short_on_target(answer: Any, expected: set[tuple[str, str]]) -> bool:
    """Whether the short answer cites ([n]) or quotes ("Under <citation>") an expected section."""
    short = " ".join(p.text for p in answer.short) or answer.answer
    cited = {answer.citation(n) for n in markers(short)} - {None}
    cited |= {c for c in answer.citations if c.citation and f"Under {c.citation}" in short}
    return any((c.source, section_key(c.section)) in expected for c in cited)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.eval", description=__doc__)
    parser.add_argument("questions", type=Path)
    parser.add_argument("--k", type=int, default=5, help="sections per jurisdiction")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON last")
    args = parser.parse_args(argv)

    from bot.compose import build_components, ensure_index
    from bot.settings import load_settings

    settings = load_settings(retrieval_top_k=args.k)
    components = build_components(settings)
    ensure_index(components)
    report = evaluate(components.engine, read_questions(args.questions))
    summary = report.summary()
    for r in report.results:
        flag = "abstained" if r.abstained else f"recall {r.recall:.2f}"
        print(f"{r.id:>8}  {flag}", file=sys.stderr if args.json else sys.stdout)
    if args.json:
        print(json.dumps(summary))
    else:
        for key, value in summary.items():
            print(f"{key:>18}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
