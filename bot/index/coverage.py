"""What the index covers: jurisdictions, their instruments and section counts.

Recorded at ingest time, one `SourceRecord` per ingested file (with the ids and content
hashes of its chunks, which also make a re-ingest that changes nothing a no-op), so that
reading the coverage never scans the chunks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Instrument:
    source: str
    title: str
    sections: int
    version: str = ""
    as_of: str = ""
    complete: bool | None = None


@dataclass(frozen=True)
class JurisdictionCoverage:
    code: str
    instruments: tuple[Instrument, ...]

    @property
    def sections(self) -> int:
        return sum(i.sections for i in self.instruments)


@dataclass(frozen=True)
class Coverage:
    jurisdictions: tuple[JurisdictionCoverage, ...] = ()

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(j.code for j in self.jurisdictions)

    @property
    def sections(self) -> int:
        return sum(j.sections for j in self.jurisdictions)

    def as_dicts(self, name_of: Callable[[str], str]) -> list[dict[str, Any]]:
        """[{code, name, instruments: [{source, title, sections, …}], sections}] — the JSON shape
        of /api/coverage."""
        return [
            {
                "code": j.code,
                "name": name_of(j.code),
                "instruments": [
                    {
                        "source": i.source,
                        "title": i.title,
                        "sections": i.sections,
                        "version": i.version,
                        "as_of": i.as_of,
                        "complete": i.complete,
                    }
                    for i in j.instruments
                ],
                "sections": j.sections,
            }
            for j in self.jurisdictions
        ]


@dataclass
class SourceRecord:
    """One ingested file: where it came from, what it is, and its chunks (id → content hash).
    A hash of "" marks a chunk whose write has not been confirmed yet."""

    root: str
    source: str
    jurisdiction: str
    title: str
    sections: int
    version: str = ""
    as_of: str = ""
    complete: bool | None = None
    chunks: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return source_key(self.root, self.source)

    def to_json(self) -> dict[str, Any]:
        return {
            "root": self.root,
            "source": self.source,
            "jurisdiction": self.jurisdiction,
            "title": self.title,
            "sections": self.sections,
            "version": self.version,
            "as_of": self.as_of,
            "complete": self.complete,
            "chunks": dict(self.chunks),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SourceRecord:
        complete = data.get("complete")
        return cls(
            root=str(data.get("root", "")),
            source=str(data.get("source", "")),
            jurisdiction=str(data.get("jurisdiction", "")),
            title=str(data.get("title", "")),
            sections=int(data.get("sections", 0)),
            version=str(data.get("version", "")),
            as_of=str(data.get("as_of", "")),
            complete=None if complete is None else bool(complete),
            chunks={str(k): str(v) for k, v in (data.get("chunks") or {}).items()},
        )


def source_key(root: str, source: str) -> str:
    return f"{root}/{source}"


def coverage_of(records: Iterable[SourceRecord]) -> Coverage:
    """Coverage from the source records, sorted by jurisdiction code and source."""
    by_code: dict[str, list[Instrument]] = defaultdict(list)
    for r in sorted(records, key=lambda r: (r.jurisdiction, r.source)):
        if not r.chunks:
            continue
        by_code[r.jurisdiction].append(
            Instrument(
                source=r.source,
                title=r.title or r.source,
                sections=r.sections,
                version=r.version,
                as_of=r.as_of,
                complete=r.complete,
            )
        )
    return Coverage(
        tuple(JurisdictionCoverage(code, tuple(insts)) for code, insts in sorted(by_code.items()))
    )


def coverage_of_payloads(payloads: Iterable[Mapping[str, Any]]) -> Coverage:
    """Coverage counted from chunk payloads (an index built before coverage was recorded)."""
    sections: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    titles: dict[str, str] = {}
    for p in payloads:
        sections[p.get("jurisdiction", "")][p.get("source", "")].add(p.get("section", ""))
        titles[p.get("source", "")] = p.get("title", "")
    return Coverage(
        tuple(
            JurisdictionCoverage(
                code,
                tuple(
                    Instrument(source=src, title=titles.get(src, src), sections=len(secs))
                    for src, secs in sorted(by_source.items())
                ),
            )
            for code, by_source in sorted(sections.items())
        )
    )
