"""What the index covers: jurisdictions, their instruments and section counts, and the units
(sections) of each instrument.

Recorded at ingest time, one `SourceRecord` per ingested file (with the ids and content
hashes of its chunks, which also make a re-ingest that changes nothing a no-op), so that
reading the coverage or the catalogue of units never scans the chunks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# The chunk payload fields the engine's catalogue reads (bot/engine/catalogue.py): those of the
# instrument (the same in every chunk of a file) and those of one unit (the same in every chunk
# of a section, except the subdivision labels, which are the union of its chunks').
INSTRUMENT_FIELDS = (
    "source", "jurisdiction", "title", "short_title", "instrument_type", "complete", "missing",
    "version",
)  # fmt: skip
UNIT_FIELDS = ("section_key", "section", "heading", "unit_kind", "kind", "paragraph_labels", "refs")
LABELS = "paragraph_labels"
FIRST_CHUNK = "first_chunk"


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
    # INSTRUMENT_FIELDS of its chunks, and UNIT_FIELDS (and FIRST_CHUNK) per unit
    # (`catalogue_fields`); None in records written before they were kept.
    instrument: dict[str, Any] | None = None
    units: list[dict[str, Any]] | None = None
    # The folder it was ingested from (absolute; "" in records written before it was kept), so
    # that a re-ingest can read the file again, and the ingestion version that wrote it
    # (`schema.INGESTION_VERSION`; 0 before it was kept).
    root_path: str = ""
    ingestion_version: int = 0

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
            "instrument": self.instrument,
            "units": self.units,
            "root_path": self.root_path,
            "ingestion_version": self.ingestion_version,
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
            instrument=data.get("instrument"),
            units=data.get("units"),
            root_path=str(data.get("root_path") or ""),
            ingestion_version=int(data.get("ingestion_version") or 0),
        )

    def unit_payloads(self) -> list[dict[str, Any]]:
        """One payload per unit, as the chunks carry them (instrument and unit fields)."""
        return [{**(self.instrument or {}), **unit} for unit in self.units or ()]


def source_key(root: str, source: str) -> str:
    return f"{root}/{source}"


def catalogue_fields(chunks: Iterable[tuple[str, Mapping[str, Any]]]) -> tuple[dict, list[dict]]:
    """(instrument fields, unit fields per unit) of one file's chunks, given as (point id,
    payload); chunks without a section key belong to no unit. Each unit also keeps the
    smallest id of its chunks (`FIRST_CHUNK`): a scan of the chunks meets them in id order,
    and `ordered_units` gives the units in that order."""
    instrument: dict[str, Any] = {}
    units: dict[str, dict[str, Any]] = {}
    for point_id, p in chunks:
        if not instrument:
            instrument = {f: p[f] for f in INSTRUMENT_FIELDS if f in p}
        key = str(p.get("section_key", "") or "")
        if not key:
            continue
        unit = units.get(key)
        if unit is None:
            unit = units[key] = {f: p[f] for f in UNIT_FIELDS if f in p}
            unit[LABELS], unit[FIRST_CHUNK] = [], point_id
        labels = [str(x) for x in (p.get(LABELS) or []) if x]
        unit[LABELS] = sorted({*unit[LABELS], *labels})
        unit[FIRST_CHUNK] = min(unit[FIRST_CHUNK], point_id)
    return instrument, sorted(units.values(), key=lambda u: u[FIRST_CHUNK])


def ordered_units(records: Iterable[SourceRecord]) -> list[dict[str, Any]]:
    """The unit payloads of these records (those with chunks), in the order a scan of the
    chunks would first meet each unit (point id order), so that the catalogue built from them
    is the one a scan builds."""
    units = [u for r in records if r.chunks for u in r.unit_payloads()]
    return sorted(units, key=lambda u: u[FIRST_CHUNK])


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
