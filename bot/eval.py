"""`python -m bot.eval QUESTIONS.jsonl [--notes NOTES.md] [--json]` — the quality of the answer
a user sees, scored on its footnotes.

Questions: one JSON object a line (id, question, expected [{source, section}]; `expected: []`
marks a question the corpus cannot answer). A footnote hits an expected section when the
source paths are equal and the section numbers are equal after `section_key`.

Figures (answerable questions unless said otherwise):
- recall: share of the expected sections cited; hit: share of questions with at least one;
- precision: share of an answer's footnotes that cite an expected section;
- mrr: 1 / the footnote number of the first expected section;
- declines: share of unanswerable questions the answer declines;
- false_not_covered: share of answerable questions declined (a question the engine refuses
  as not about law included), or told "not covered" for a jurisdiction an expected section
  belongs to;
- pinpoint: share of footnotes citing an expected section whose subdivision label agrees with
  the subdivisions `dev2-notes.md` gives for that section (sections the notes name without a
  subdivision are not counted); a broader label agrees too ("(a)" with a noted "(a)(2)(C)");
- pinpoint_strict: the same, counting only quotes of the noted subdivision or one inside it
  ("(a)(2)" for a noted "(a)"; not "(a)" for a noted "(a)(2)(C)", nor the span "(a)–(e)");
all per category (the notes' single/multi/cite/compare/abstain) and per jurisdiction.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.engine.writers import markers
from bot.errors import BadQuestion
from bot.index.corpus_format import section_key

Key = tuple[str, str]  # (source, section_key)


@dataclass
class Footnote:
    source: str
    section: str  # section_key
    label: str  # "(a)(2)" or ""
    jurisdiction: str


@dataclass
class QuestionResult:
    id: str
    expected: list[Key]
    footnotes: list[Footnote]
    declined: bool
    not_covered: tuple[str, ...] = ()  # jurisdictions the answer says are not covered
    category: str = ""
    expected_jurisdictions: tuple[str, ...] = ()  # jurisdiction of each expected section
    pinpoints: dict[str, list[str]] = field(default_factory=dict)  # section_key → labels
    writer: str = ""
    short_on_target: bool = False  # the short answer quotes or cites an expected section
    sentences: int = 0  # sentences the claim checks read (model writers)
    removed: int = 0  # ... and removed

    @property
    def cited(self) -> list[Key]:
        return list(dict.fromkeys((f.source, f.section) for f in self.footnotes))

    @property
    def recall(self) -> float:
        wanted = set(self.expected)
        return len(wanted & set(self.cited)) / len(wanted) if wanted else 0.0

    @property
    def precision(self) -> float:
        if not self.footnotes:
            return 0.0
        wanted = set(self.expected)
        return sum(1 for f in self.footnotes if (f.source, f.section) in wanted) / len(
            self.footnotes
        )

    @property
    def reciprocal_rank(self) -> float:
        for rank, f in enumerate(self.footnotes, start=1):
            if (f.source, f.section) in self.expected:
                return 1.0 / rank
        return 0.0

    @property
    def false_not_covered(self) -> bool:
        return bool(self.expected) and (
            self.declined or bool(set(self.not_covered) & set(self.expected_jurisdictions))
        )

    def pinpoint_checks(self, *, strict: bool = False) -> list[bool]:
        """One entry per footnote citing an expected section with noted subdivisions."""
        agree = _within if strict else _agrees
        out = []
        wanted = set(self.expected)
        for f in self.footnotes:
            labels = self.pinpoints.get(f.section)
            if (f.source, f.section) in wanted and labels:
                out.append(any(agree(f.label, label) for label in labels))
        return out


def _agrees(cited: str, noted: str) -> bool:
    """ "(a)(2)" agrees with "(a)" and "(a)(2)(B)"; an empty label agrees with nothing."""
    return bool(cited) and (cited.startswith(noted) or noted.startswith(cited))


def _within(cited: str, noted: str) -> bool:
    """The strict reading: the quote is the noted subdivision or one inside it. "(a)(2)" is
    within "(a)", "(c)(1)–(2)" within "(c)"; "(a)" is not within "(a)(2)(B)" (it quotes more
    than the rule), nor is the span "(a)–(e)" within "(a)"."""
    if not cited or not cited.startswith(noted):
        return False
    dash = cited.find("–")
    return dash == -1 or dash > len(noted)


@dataclass
class Report:
    results: list[QuestionResult] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        out = _figures(self.results)
        by_category: dict[str, list[QuestionResult]] = defaultdict(list)
        by_jurisdiction: dict[str, list[float]] = defaultdict(list)
        for r in self.results:
            by_category[r.category or "?"].append(r)
            for code in dict.fromkeys(r.expected_jurisdictions):
                mine = [f for f in r.footnotes if f.jurisdiction == code]
                wanted = {
                    e
                    for e, j in zip(r.expected, r.expected_jurisdictions, strict=True)
                    if j == code
                }
                found = wanted & {(f.source, f.section) for f in mine}
                by_jurisdiction[code].append(len(found) / len(wanted) if wanted else 0.0)
        out["by_category"] = {k: _figures(v) for k, v in sorted(by_category.items())}
        out["recall_by_jurisdiction"] = {k: _mean(v) for k, v in sorted(by_jurisdiction.items())}
        out["by_writer"] = self.by_writer()
        return out

    def by_writer(self) -> dict[str, dict[str, float]]:
        """Per writer: share of answers whose short answer quotes or cites an expected
        section, and share of sentences the claim checks removed."""
        out: dict[str, dict[str, float]] = {}
        answered = [r for r in self.results if r.expected and not r.declined]
        for writer in sorted({r.writer for r in answered}):
            mine = [r for r in answered if r.writer == writer]
            sentences = sum(r.sentences for r in mine)
            out[writer] = {
                "answers": len(mine),
                "short_answer_on_target": _mean(1.0 if r.short_on_target else 0.0 for r in mine),
                "sentences_removed": round(sum(r.removed for r in mine) / sentences, 4)
                if sentences
                else 0.0,
            }
        return out


def _figures(results: Sequence[QuestionResult]) -> dict[str, Any]:
    answerable = [r for r in results if r.expected]
    unanswerable = [r for r in results if not r.expected]
    checks = [c for r in answerable for c in r.pinpoint_checks()]
    strict = [c for r in answerable for c in r.pinpoint_checks(strict=True)]
    figures: dict[str, Any] = {"n": len(results)}
    if answerable:
        figures |= {
            "recall": _mean(r.recall for r in answerable),
            "hit": _mean(1.0 if r.recall > 0 else 0.0 for r in answerable),
            "precision": _mean(r.precision for r in answerable if not r.declined),
            "mrr": _mean(r.reciprocal_rank for r in answerable),
            "false_not_covered": _mean(1.0 if r.false_not_covered else 0.0 for r in answerable),
            "footnotes": _mean(len(r.footnotes) for r in answerable),
        }
        if checks:
            figures["pinpoint"] = _mean(1.0 if c else 0.0 for c in checks)
            figures["pinpoint_n"] = len(checks)
            figures["pinpoint_strict"] = _mean(1.0 if c else 0.0 for c in strict)
    if unanswerable:
        figures["declines"] = _mean(1.0 if r.declined else 0.0 for r in unanswerable)
    return figures


def _mean(values: Iterable[float]) -> float:
    values = list(values)
    return round(sum(values) / len(values), 4) if values else 0.0


def read_questions(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


# --- dev2-notes.md: "- d2-001 single — 93H § 3(a) (…), § 3(b) (…); Art. 28(3)(a) …" ---------
_NOTE_LINE = re.compile(r"^- (?P<id>\S+) (?P<category>[a-z]+)\b(?: — (?P<rest>.*))?$")
_SECTION_TOKEN = re.compile(
    r"(?:Art\.\s*|Article\s+|Recital\s+|§\s*)?"
    r"(?P<num>\d{1,4}(?:\.\d+){0,2}(?:-(?:\d+|[a-z]{2}))?[A-Z]?)"
    r"(?P<subs>(?:\([0-9A-Za-z]{1,5}\))*)"
    r"(?P<va>(?:\s+[A-Z](?:\s+\d{1,2})?)(?=[\s,;(]|$))?"
)
_CONTINUATION = re.compile(r"^\s*(?:,|and|or|-|–)\s*(?P<subs>(?:\([0-9A-Za-z]{1,5}\))+)")


def parse_notes(text: str) -> dict[str, tuple[str, dict[str, list[str]]]]:
    """{question id: (category, {section_key: [subdivision labels]})} from dev2-notes.md.

    Explanations in parentheses are dropped first; "(c)(1)-(2)" gives (c)(1) and (c)(2);
    "(a)(2), (b)" gives (a)(2) and (b); Virginia's "59.1-577 B 1" gives (B)(1). A section
    followed by a quoted defined term ("160.103 'Business associate' (1)(ii)") gets no labels:
    its subdivisions belong to the definition, not to the section."""
    notes: dict[str, tuple[str, dict[str, list[str]]]] = {}
    for line in text.splitlines():
        m = _NOTE_LINE.match(line.strip())
        if not m:
            continue
        rest = _drop_explanations(m.group("rest") or "")
        labels: dict[str, list[str]] = {}
        current = ""
        i = 0
        while i < len(rest):
            cont = _CONTINUATION.match(rest[i:]) if current else None
            if cont:
                previous = labels[current][-1] if labels[current] else ""
                ranged = cont.group(0).strip().startswith(("-", "–"))
                labels[current].extend(_continue(previous, cont.group("subs"), ranged))
                i += cont.end()
                continue
            tok = _SECTION_TOKEN.match(rest, i)
            prev = rest[i - 1] if i else " "
            if tok and tok.group("num") and not prev.isalnum() and prev != "(":
                recital = rest[i:].startswith("Recital")
                current = section_key(("Recital " if recital else "") + tok.group("num"))
                subs = (tok.group("subs") or "") + "".join(
                    f"({p})" for p in (tok.group("va") or "").split()
                )
                labels.setdefault(current, [])
                if subs:
                    labels[current].append(subs)
                i = tok.end() or i + 1
                if rest[i:].lstrip()[:1] in ("'", "‘", "“", '"') and rest[i:].strip():
                    labels[current] = []  # a defined term: its own subdivisions
                    current = ""
                continue
            i += 1
        notes[m.group("id")] = (m.group("category"), labels)
    return notes


_PART = re.compile(r"\(([^)]*)\)")
_ROMANS = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]


def _style(part: str) -> str:
    if part.isdigit():
        return "digit"
    if part in _ROMANS[1:] or (part == "i"):
        return "roman"
    return "upper" if part.isupper() else "lower"


def _continue(previous: str, subs: str, ranged: bool) -> list[str]:
    """Labels a continuation names, relative to the previous label."""
    prev = _PART.findall(previous)
    new = _PART.findall(subs)
    if not prev or not new:
        return [subs]
    styles = [_style(p) for p in prev]
    first = _style(new[0])
    depth = max((d for d, st in enumerate(styles) if st == first), default=len(prev))
    depth = max(depth, 0)
    base = prev[:depth]
    if not ranged:
        return ["".join(f"({p})" for p in base + new)]
    start, end = prev[depth] if depth < len(prev) else new[0], new[0]
    values = _between(start, end)
    return ["".join(f"({p})" for p in base + [v] + new[1:]) for v in values[1:]] or [
        "".join(f"({p})" for p in base + new)
    ]


def _between(start: str, end: str) -> list[str]:
    if start.isdigit() and end.isdigit():
        return [str(n) for n in range(int(start), int(end) + 1)]
    if start in _ROMANS and end in _ROMANS and _ROMANS.index(start) < _ROMANS.index(end):
        return _ROMANS[_ROMANS.index(start) : _ROMANS.index(end) + 1]
    if len(start) == len(end) == 1 and start.isalpha() and ord(start) <= ord(end):
        return [chr(c) for c in range(ord(start), ord(end) + 1)]
    return [start, end]


def _drop_explanations(text: str) -> str:
    """Remove parenthesised groups that contain a space (explanations, however nested);
    keep subdivision markers such as "(a)"."""
    out: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == "(":
            depth, j = 0, i
            while j < len(text):
                depth += {"(": 1, ")": -1}.get(text[j], 0)
                if depth == 0:
                    break
                j += 1
            group = text[i : j + 1]
            if " " in group:
                i = j + 1
                continue
            out.append(group)
            i = j + 1
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def evaluate(
    engine: Any, questions: Sequence[dict[str, Any]], notes: dict[str, Any] | None = None
) -> Report:
    notes = notes or {}
    jurisdiction_of: dict[str, str] = {}
    for inst in engine.coverage():
        for doc in inst["instruments"]:
            jurisdiction_of[doc["source"]] = inst["code"]
    report = Report()
    for q in questions:
        expected = [(e["source"], section_key(e["section"])) for e in q["expected"]]
        category, pinpoints = notes.get(q.get("id", ""), ("", {}))
        if not category:
            category = "abstain" if not expected else ""
        try:
            answer = engine.ask(q["question"])
        except BadQuestion:  # refused ("not about law"): a decline the user sees
            report.results.append(
                QuestionResult(
                    id=q.get("id", ""),
                    expected=expected,
                    footnotes=[],
                    declined=True,
                    category=category,
                    expected_jurisdictions=tuple(
                        jurisdiction_of.get(src, "?") for src, _ in expected
                    ),
                    pinpoints=pinpoints,
                )
            )
            continue
        report.results.append(
            QuestionResult(
                id=q.get("id", ""),
                expected=expected,
                footnotes=[
                    Footnote(c.source, section_key(c.section), c.subsection, c.jurisdiction)
                    for c in answer.citations
                ]
                if not answer.abstained
                else [],
                declined=answer.abstained,
                not_covered=tuple(answer.missing_jurisdictions),
                category=category,
                expected_jurisdictions=tuple(jurisdiction_of.get(src, "?") for src, _ in expected),
                pinpoints=pinpoints,
                writer=answer.writer.split(":")[0],
                short_on_target=short_on_target(answer, set(expected)),
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
    parser.add_argument(
        "--notes", type=Path, help="dev2-notes.md-style notes (default: <questions>-notes.md)"
    )
    parser.add_argument("--k", type=int, default=5, help="sections per jurisdiction at most")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON last")
    args = parser.parse_args(argv)

    from bot.compose import build_components, ensure_index
    from bot.settings import load_settings

    notes_path = args.notes or args.questions.with_name(f"{args.questions.stem}-notes.md")
    notes = parse_notes(notes_path.read_text()) if notes_path.exists() else {}
    settings = load_settings(retrieval_top_k=args.k)
    components = build_components(settings)
    ensure_index(components)
    report = evaluate(components.engine, read_questions(args.questions), notes)
    summary = report.summary()
    out = sys.stderr if args.json else sys.stdout
    for r in report.results:
        if r.expected:
            flag = f"recall {r.recall:.2f} precision {r.precision:.2f}"
            flag += " NOT-COVERED" if r.false_not_covered else ""
        else:
            flag = "declined" if r.declined else "ANSWERED"
        print(f"{r.id:>8}  {flag}", file=out)
    if args.json:
        print(json.dumps(summary))
    else:
        for key, value in summary.items():
            print(f"{key:>22}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
