"""What the index holds, unit by unit: the instruments of each jurisdiction, their sections,
subdivisions, kinds and cross-references. Built from stored payloads; pure.

The engine reads it once per index version. It answers the questions retrieval and
declining ask before any search: does GDPR have an Article 104, which instrument does
"164.999" belong to, is the indexed text of 23 NYCRR 500 complete, which sections does
§ 7012 refer to and which refer to it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Unit:
    source: str
    key: str  # section_key
    section: str  # as written: "1798.100", "Article 17"
    heading: str
    jurisdiction: str
    kind: str  # unit kind: definition, obligation, exception, enforcement, procedural, recital
    labels: frozenset[str]  # subdivision labels present: "(a)", "(a)(1)"
    refs: tuple[str, ...]  # section keys it refers to (unresolved)


@dataclass(frozen=True)
class Instrument:
    source: str
    jurisdiction: str
    title: str
    short_title: str
    instrument_type: str  # statute, regulation, recital
    complete: bool
    missing: str
    version: str
    keys: tuple[str, ...]  # section keys in document order
    word: str = "§"  # how its units are named: "Article", "Section", "§", "Recital"
    nicknames: frozenset[str] = frozenset()  # acronyms its titles use: "CCPA", "HIPAA"

    @property
    def label(self) -> str:
        return self.short_title or self.title or self.source

    def span(self) -> str:
        """ "Articles 1–99", "§§ 164.102–164.534"."""
        numbers = [k.removeprefix("recital-") for k in self.keys]
        numbers = [k for k in numbers if k[:1].isdigit()]
        if not numbers:
            return "no numbered sections"
        first, last = numbers[0].upper(), numbers[-1].upper()
        plural = "§§" if self.word == "§" else f"{self.word}s"
        return f"{plural} {first}–{last}" if first != last else self.names(first)

    def names(self, key: str) -> str:
        return f"{self.word} {key.upper() if self.word != '§' else key}"


@dataclass
class Catalogue:
    instruments: dict[str, Instrument] = field(default_factory=dict)
    units: dict[tuple[str, str], Unit] = field(default_factory=dict)
    # (source, key) of the units that refer to a unit, resolved within the jurisdiction
    cited_by: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)
    resolved_refs: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)

    @classmethod
    def from_payloads(cls, payloads: Iterable[Mapping[str, Any]]) -> Catalogue:
        by_unit: dict[tuple[str, str], dict[str, Any]] = {}
        labels: dict[tuple[str, str], set[str]] = defaultdict(set)
        docs: dict[str, dict[str, Any]] = {}
        order: dict[str, list[tuple[tuple, str]]] = defaultdict(list)
        for p in payloads:
            source, key = str(p.get("source", "")), str(p.get("section_key", ""))
            if not source or not key:
                continue
            unit = (source, key)
            labels[unit].update(str(x) for x in (p.get("paragraph_labels") or []) if x)
            if unit not in by_unit:
                by_unit[unit] = dict(p)
                order[source].append((_ordinal(key), key))
            docs.setdefault(source, dict(p))
        cat = cls()
        nicknames = _nicknames(docs)
        for source, p in docs.items():
            keys = tuple(k for _, k in sorted(order[source]))
            cat.instruments[source] = Instrument(
                source=source,
                jurisdiction=str(p.get("jurisdiction", "")),
                title=str(p.get("title", "")),
                short_title=str(p.get("short_title", "")),
                instrument_type=str(p.get("instrument_type", "") or _type_of(p)),
                complete=p.get("complete") is not False,
                missing=str(p.get("missing", "") or ""),
                version=str(p.get("version", "") or ""),
                keys=keys,
                word=_word(str(p.get("section", ""))),
                nicknames=nicknames.get(source, frozenset()),
            )
        for unit, p in by_unit.items():
            cat.units[unit] = Unit(
                source=unit[0],
                key=unit[1],
                section=str(p.get("section", "")),
                heading=str(p.get("heading", "")),
                jurisdiction=str(p.get("jurisdiction", "")),
                kind=str(
                    p.get("unit_kind", "")
                    or ("recital" if p.get("kind") == "recital" else "obligation")
                ),
                labels=frozenset(labels[unit]),
                refs=tuple(str(r) for r in (p.get("refs") or [])),
            )
        by_key: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
        for (source, key), u in cat.units.items():
            by_key[(u.jurisdiction, key)].append((source, key))
        for unit, u in cat.units.items():
            resolved = [t for r in u.refs for t in by_key.get((u.jurisdiction, r), []) if t != unit]
            cat.resolved_refs[unit] = resolved
            for target in resolved:
                cat.cited_by.setdefault(target, []).append(unit)
        return cat

    # --- look-ups -------------------------------------------------------------------------------
    def in_jurisdictions(self, codes: Iterable[str]) -> list[Instrument]:
        wanted = set(codes)
        return [i for i in self.instruments.values() if i.jurisdiction in wanted]

    def find(self, key: str, jurisdictions: Iterable[str] = ()) -> list[Unit]:
        """Units with this section key (in these jurisdictions, if any are given)."""
        wanted = set(jurisdictions)
        return [
            u
            for (_, k), u in self.units.items()
            if k == key and (not wanted or u.jurisdiction in wanted)
        ]

    def instrument_for_number(
        self, key: str, jurisdictions: Iterable[str] = ()
    ) -> Instrument | None:
        """The instrument whose numbering a section number belongs to, though it may not have
        it: "164.999" → 45 CFR Part 164 (its keys share "164."), "7400" → the CCPA
        regulations (4-digit 7xxx), "104" → GDPR (plain article numbers)."""
        wanted = set(jurisdictions)
        shape = _shape(key)
        best: tuple[int, Instrument] | None = None
        for inst in self.instruments.values():
            if wanted and inst.jurisdiction not in wanted or inst.instrument_type == "recital":
                continue
            score = max((_affinity(shape, _shape(k)) for k in inst.keys), default=0)
            if score and (best is None or score > best[0]):
                best = (score, inst)
        return best[1] if best else None

    def recital_codes(self) -> frozenset[str]:
        """Jurisdictions whose index holds recitals (background to their articles)."""
        return frozenset(
            i.jurisdiction for i in self.instruments.values() if i.instrument_type == "recital"
        )

    def named_sources(self, question: str) -> frozenset[str]:
        """Instruments the question names by an acronym of their titles ("HIPAA", "CPRA",
        "SHIELD Act", "NYDFS"), matched case-insensitively for names of four letters or more
        and as written for shorter ones ("CMR", "GBL")."""
        found = set()
        for inst in self.instruments.values():
            for name in inst.nicknames:
                flags = re.IGNORECASE if len(name) >= 4 else 0
                if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", question, flags):
                    found.add(inst.source)
                    break
        return frozenset(found)

    def related(self, unit: tuple[str, str]) -> list[tuple[str, str]]:
        """Units this one refers to and units referring to it (same jurisdiction)."""
        return list(
            dict.fromkeys([*self.resolved_refs.get(unit, []), *self.cited_by.get(unit, [])])
        )


_ACRONYM = re.compile(r"(?<![\w-])[A-Z][A-Z-]{1,10}[A-Z](?![\w-])")


def _nicknames(docs: Mapping[str, Mapping[str, Any]]) -> dict[str, frozenset[str]]:
    """Acronyms in each instrument's title and short title ("CCPA/CPRA", "HIPAA", "CAN-SPAM"),
    keeping those that name at most two instruments (a statute and its regulation)."""
    found = {
        source: frozenset(_ACRONYM.findall(f"{p.get('title', '')} {p.get('short_title', '')}"))
        for source, p in docs.items()
    }
    counts: dict[str, int] = defaultdict(int)
    for names in found.values():
        for n in names:
            counts[n] += 1
    return {s: frozenset(n for n in names if counts[n] <= 2) for s, names in found.items()}


def _word(section: str) -> str:
    first = section.split()[0] if " " in section else ""
    return first if first in ("Article", "Section", "Recital", "Rule") else "§"


def _type_of(payload: Mapping[str, Any]) -> str:
    return "recital" if payload.get("kind") == "recital" else "statute"


def _ordinal(key: str) -> tuple:
    parts = re.findall(r"\d+|[a-z]+", key)
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)  # type: ignore[return-value]


def _shape(key: str) -> tuple[str, str, int]:
    """(prefix before the last separator, separator, digits of the last part)."""
    m = re.match(r"^(?P<prefix>.*?)(?P<sep>[.\-]?)(?P<last>[0-9a-z]+)$", key)
    if not m:
        return (key, "", 0)
    return (m.group("prefix"), m.group("sep"), len(m.group("last")))


def _affinity(a: tuple[str, str, int], b: tuple[str, str, int]) -> int:
    """How surely two section numbers belong to one numbering scheme (0 = not at all)."""
    if a[0] and a[0] == b[0] and a[1] == b[1]:
        return 3  # "164.999" and "164.534"
    if not a[0] and not b[0] and a[1] == b[1] == "" and a[2] == b[2]:
        return 2 if a[2] >= 3 else 1  # "7400" and "7304"; "104" and "99" (1)
    if not a[0] and not b[0] and a[1] == b[1] == "":
        return 1
    return 0
