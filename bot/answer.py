"""The channel-neutral answer: what the engine returns and every channel renders."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Protocol

ANSWER_SCHEMA_VERSION = 2  # 2: short answer, comparison table, currency on footnotes

NOT_LEGAL_ADVICE = (
    "Reggi quotes the indexed regulation texts; it is not legal advice. "
    "Check the cited sections before relying on them."
)


@dataclass(frozen=True)
class Citation:
    """One numbered footnote: a section the answer relied on, and the sentence(s) quoted."""

    n: int
    citation: str  # "Cal. Civ. Code § 1798.100"
    section: str  # "1798.100", "Article 17", "Section 3A"
    heading: str
    title: str  # the instrument's title
    jurisdiction: str  # canonical code: "US-CA", "EU", "US"
    url: str
    source: str  # file path relative to the ingested root
    quote: str  # verbatim sentence(s) relied on
    subsection: str = ""  # pinpoint label of the quote, "(a)(2)"
    version: str = ""  # the instrument's version line from its front matter
    as_of: str = ""  # "2013-03-26" / "2026-02": the date the indexed text is current to
    ingested: str = ""  # "2026-12-01": when this text entered the index
    complete: bool = True  # False: the indexed text of this instrument is incomplete

    @property
    def pinpoint(self) -> str:
        """ "Cal. Civ. Code § 1798.100(a)(2)": the citation with its subdivision."""
        label = self.citation or self.section or self.title
        sub = self.subsection.strip()
        if not sub or sub in label:
            return label
        return f"{label}{sub}" if sub.startswith("(") else f"{label} {sub}"


@dataclass(frozen=True)
class Part:
    """The answer for one jurisdiction."""

    jurisdiction: str
    name: str  # "California"
    text: str  # with [n] markers


@dataclass(frozen=True)
class Row:
    """One jurisdiction's row of a comparison table; cells hold text with [n] markers."""

    jurisdiction: str
    name: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A side-by-side comparison: one row per jurisdiction, one column per point asked."""

    columns: tuple[str, ...]  # headers of the cells, after the jurisdiction column
    rows: tuple[Row, ...]
    point: str = ""  # what is compared, e.g. "deadline"


@dataclass(frozen=True)
class Turn:
    """An earlier question and answer in the same conversation, for follow-ups."""

    question: str
    answer: str = ""
    jurisdictions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """A question's answer, with footnotes and the jurisdictions it covers."""

    question: str
    answer: str  # the short answer as one text with [n] markers (history, fallbacks)
    parts: tuple[Part, ...] = ()  # the detail, one part per jurisdiction
    short: tuple[Part, ...] = ()  # the short answer; per jurisdiction, or one part with ""
    table: Table | None = None  # the comparison, when the question compares
    citations: tuple[Citation, ...] = ()
    jurisdictions: tuple[str, ...] = ()  # covered
    missing_jurisdictions: tuple[str, ...] = ()  # asked, nothing relevant found
    jurisdiction_names: dict[str, str] = field(default_factory=dict)
    notice: str = NOT_LEGAL_ADVICE
    writer: str = "extractive"
    abstained: bool = False  # the index does not cover the question
    cached: bool = False
    cache_note: str = ""  # e.g. "answered an identical earlier question: …"
    writer_note: str = ""  # e.g. the OpenAI fallback notice, or what the checks removed
    checks: dict[str, int] = field(default_factory=dict)  # {"sentences": n, "removed": m}
    timings_ms: dict[str, float] = field(default_factory=dict)
    id: str = ""  # stable id of this answer (for feedback)

    def name_of(self, code: str) -> str:
        return self.jurisdiction_names.get(code, code)

    def citation(self, n: int) -> Citation | None:
        return next((c for c in self.citations if c.n == n), None)

    def as_of(self) -> str:
        """The oldest "as of" date among the sources relied on ("" when none is known)."""
        dates = [c.as_of for c in self.citations if c.as_of]
        return min(dates) if dates else ""

    def incomplete_sources(self) -> tuple[Citation, ...]:
        return tuple(c for c in self.citations if not c.complete)

    def with_changes(self, **changes: Any) -> Answer:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """The public JSON shape (`ask --json`, `/api/ask`)."""
        data = asdict(self)
        data["parts"] = [asdict(p) for p in self.parts]
        data["short"] = [asdict(p) for p in self.short]
        data["table"] = (
            None
            if self.table is None
            else {
                "columns": list(self.table.columns),
                "rows": [
                    {"jurisdiction": r.jurisdiction, "name": r.name, "cells": list(r.cells)}
                    for r in self.table.rows
                ],
                "point": self.table.point,
            }
        )
        data["as_of"] = self.as_of()
        data["citations"] = [asdict(c) for c in self.citations]
        data["jurisdictions"] = list(self.jurisdictions)
        data["missing_jurisdictions"] = list(self.missing_jurisdictions)
        data["schema_version"] = ANSWER_SCHEMA_VERSION
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Answer:
        """Inverse of to_dict; raises ValueError on another schema version or bad shape."""
        if not isinstance(data, dict) or data.get("schema_version") != ANSWER_SCHEMA_VERSION:
            version = data.get("schema_version") if isinstance(data, dict) else None
            raise ValueError(f"unsupported answer schema {version!r}")
        try:
            return cls._from_fields(data)
        except (TypeError, KeyError, AttributeError) as exc:
            raise ValueError(f"malformed answer: {exc}") from exc

    @classmethod
    def _from_fields(cls, data: dict[str, Any]) -> Answer:
        fields = dict(data)
        fields.pop("schema_version")
        fields.pop("as_of", None)  # derived
        fields.pop("layout", None)  # what the web API adds for its page
        fields["parts"] = tuple(Part(**p) for p in fields.get("parts", ()))
        fields["short"] = tuple(Part(**p) for p in fields.get("short", ()))
        table = fields.get("table")
        fields["table"] = (
            None
            if not table
            else Table(
                columns=tuple(table["columns"]),
                rows=tuple(
                    Row(r["jurisdiction"], r["name"], tuple(r["cells"])) for r in table["rows"]
                ),
                point=table.get("point", ""),
            )
        )
        fields["citations"] = tuple(Citation(**c) for c in fields.get("citations", ()))
        fields["jurisdiction_names"] = dict(fields.get("jurisdiction_names") or {})
        fields["jurisdictions"] = tuple(fields.get("jurisdictions", ()))
        fields["missing_jurisdictions"] = tuple(fields.get("missing_jurisdictions", ()))
        return cls(**fields)


class AnswerSource(Protocol):
    """Anything that answers questions: the engine, or the engine behind the cache."""

    def ask(
        self,
        question: str,
        *,
        jurisdictions: Sequence[str] | None = None,
        history: Sequence[Turn] = (),
        on_text: Callable[[str], None] | None = None,  # a model writer's draft, as written
    ) -> Answer: ...
