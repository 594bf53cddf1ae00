"""The channel-neutral answer: what the engine returns and every channel renders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Protocol

ANSWER_SCHEMA_VERSION = 1

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
    subsection: str = ""


@dataclass(frozen=True)
class Part:
    """The answer for one jurisdiction."""

    jurisdiction: str
    name: str  # "California"
    text: str  # with [n] markers


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
    answer: str  # summary text with [n] markers (the whole answer for one jurisdiction)
    parts: tuple[Part, ...] = ()
    citations: tuple[Citation, ...] = ()
    jurisdictions: tuple[str, ...] = ()  # covered
    missing_jurisdictions: tuple[str, ...] = ()  # asked, nothing relevant found
    jurisdiction_names: dict[str, str] = field(default_factory=dict)
    notice: str = NOT_LEGAL_ADVICE
    writer: str = "extractive"
    abstained: bool = False  # the index does not cover the question
    cached: bool = False
    cache_note: str = ""  # e.g. "answered an identical earlier question: …"
    writer_note: str = ""  # e.g. the OpenAI fallback notice
    timings_ms: dict[str, float] = field(default_factory=dict)
    id: str = ""  # stable id of this answer (for feedback)

    def name_of(self, code: str) -> str:
        return self.jurisdiction_names.get(code, code)

    def citation(self, n: int) -> Citation | None:
        return next((c for c in self.citations if c.n == n), None)

    def with_changes(self, **changes: Any) -> Answer:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """The public JSON shape (`ask --json`, `/api/ask`)."""
        data = asdict(self)
        data["parts"] = [asdict(p) for p in self.parts]
        data["citations"] = [asdict(c) for c in self.citations]
        data["jurisdictions"] = list(self.jurisdictions)
        data["missing_jurisdictions"] = list(self.missing_jurisdictions)
        data["schema_version"] = ANSWER_SCHEMA_VERSION
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Answer:
        """Inverse of to_dict; raises ValueError on another schema version or bad shape."""
        if data.get("schema_version") != ANSWER_SCHEMA_VERSION:
            raise ValueError(f"unsupported answer schema {data.get('schema_version')!r}")
        fields = dict(data)
        fields.pop("schema_version")
        fields["parts"] = tuple(Part(**p) for p in fields.get("parts", ()))
        fields["citations"] = tuple(Citation(**c) for c in fields.get("citations", ()))
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
    ) -> Answer: ...
