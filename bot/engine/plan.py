"""Planning a question's retrieval, before any search. Pure.

plan() decides from explicit signals first: places the index does not cover, sections that do
not exist or are missing from an incomplete instrument, other fields of law. What is left
becomes one search per asked jurisdiction (US states together with federal law), or a
search of everything when no jurisdiction is named.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.engine.catalogue import Catalogue, Instrument
from bot.engine.jurisdictions import FEDERAL, is_us_state, name_of
from bot.engine.named import has_topic
from bot.engine.query import SectionRef, other_field
from bot.errors import (
    CHANGE_NOT_INDEXED,
    NO_SUCH_SECTION,
    NO_SUCH_UNIT,
    NOT_COVERED,
    NOT_COVERED_FOR,
    OTHER_FIELD,
    PART_NOT_INDEXED,
    SECTION_NOT_INDEXED,
    SUBDIVISION_NOT_INDEXED,
)
from bot.index.sparse import tokenize


@dataclass(frozen=True)
class Decline:
    """Why (part of) a question cannot be answered from the index, in a sentence."""

    reason: str  # place | unit | missing | field | relevance
    text: str


@dataclass(frozen=True)
class Direct:
    """A section the question names, to be answered from directly."""

    source: str
    key: str
    subdivision: str = ""


@dataclass(frozen=True)
class SearchSpec:
    target: str | None  # the asked jurisdiction (None: everything)
    scope: tuple[str, ...]  # jurisdiction codes searched


@dataclass
class Plan:
    asked: tuple[str, ...]
    missing: list[str] = field(default_factory=list)  # asked, not indexed
    direct: list[Direct] = field(default_factory=list)
    searches: list[SearchSpec] = field(default_factory=list)
    declines: list[Decline] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # said beside an answer

    @property
    def declined(self) -> bool:
        return bool(self.declines) and not self.direct and not self.searches


def plan(
    question: str,
    *,
    asked: Sequence[str],
    refs: Sequence[SectionRef],
    catalogue: Catalogue,
    covered: set[str],
) -> Plan:
    result = Plan(asked=tuple(asked))
    result.missing = [j for j in asked if j not in covered]
    targets = [j for j in asked if j in covered]
    if asked and not targets:
        result.declines.append(Decline("place", not_covered_text(result.missing)))
        return result
    field_name = other_field(question)
    if field_name:
        result.declines.append(
            Decline(
                "field",
                OTHER_FIELD.format(field=field_name),
            )
        )
        return result
    scope_codes = _scope_codes(targets, covered)
    for ref in refs:
        _resolve(ref, catalogue, scope_codes, result)
    if refs and not result.direct:
        return result  # every named section was declined
    if result.direct:
        # The named sections are fetched; a question that also says what it is about is
        # searched too, to check that they are about that (see bot/engine/named.py).
        if has_topic(question, refs):
            result.searches = _searches(targets)
        return result
    missing_part = _missing_part(question, catalogue.in_jurisdictions(scope_codes))
    if missing_part:
        result.declines.append(missing_part)
        return result
    result.searches = _searches(targets)
    return result


def _searches(targets: Sequence[str]) -> list[SearchSpec]:
    """One search per asked jurisdiction (a US state with federal law), or one of everything."""
    if not targets:
        return [SearchSpec(None, ())]
    return [SearchSpec(t, (t, FEDERAL) if is_us_state(t) else (t,)) for t in targets]


def not_covered_text(codes: Sequence[str]) -> str:
    if not codes:
        return NOT_COVERED
    names = [name_of(c) for c in dict.fromkeys(codes)]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return NOT_COVERED_FOR.format(places=joined)


def _scope_codes(targets: Sequence[str], covered: set[str]) -> list[str]:
    if not targets:
        return sorted(covered)
    codes = list(targets)
    if any(is_us_state(t) for t in targets):
        codes.append(FEDERAL)
    return codes


def _resolve(ref: SectionRef, catalogue: Catalogue, scope: Sequence[str], result: Plan) -> None:
    hint = [ref.jurisdiction] if ref.jurisdiction else list(scope)
    units = catalogue.find(ref.section_key, hint) or (
        catalogue.find(ref.section_key) if not ref.jurisdiction else []
    )
    units = [u for u in units if catalogue.instruments[u.source].instrument_type != "recital"]
    if units:
        for u in units:
            holder = catalogue.instruments[u.source]
            if ref.subdivision and _is_missing_subdivision(ref, holder, u.labels):
                result.declines.append(
                    Decline(
                        "missing",
                        SUBDIVISION_NOT_INDEXED.format(
                            instrument=holder.label,
                            section=f"{ref.section_key}{ref.subdivision}",
                            why=_first_sentence(holder.missing),
                        ),
                    )
                )
                continue
            result.direct.append(Direct(u.source, u.key, ref.subdivision))
        return
    inst = catalogue.instrument_for_number(ref.section_key, hint)
    if inst is None:
        result.declines.append(
            Decline(
                "unit",
                NO_SUCH_SECTION.format(section=ref.text or ref.section_key),
            )
        )
    elif not inst.complete and _mentions(inst.missing, ref.section_key):
        result.declines.append(
            Decline(
                "missing",
                SECTION_NOT_INDEXED.format(
                    section=inst.names(ref.section_key),
                    instrument=inst.label,
                    why=_first_sentence(inst.missing),
                ),
            )
        )
    else:
        result.declines.append(
            Decline(
                "unit",
                NO_SUCH_UNIT.format(
                    instrument=inst.label, section=inst.names(ref.section_key), span=inst.span()
                ),
            )
        )


def _is_missing_subdivision(ref: SectionRef, inst: Instrument, labels: frozenset[str]) -> bool:
    """Only an incomplete instrument whose `missing` note names the section is trusted to lack
    a subdivision; elsewhere a label mismatch is more likely a labelling quirk."""
    if inst.complete or any(label.startswith(ref.subdivision) for label in labels):
        return False
    return _mentions(inst.missing, ref.section_key)


def _mentions(text: str, key: str) -> bool:
    return bool(re.search(rf"(?<![\w.]){re.escape(key)}(?![\d])", text, re.IGNORECASE))


def _first_sentence(text: str) -> str:
    first = re.split(r"(?<=[.;])\s+(?=[A-Z])", text.strip(), maxsplit=1)[0]
    return first if first.endswith((".", ";")) else first + "."


_PART_NOTE = re.compile(r"(?P<num>\d{1,4}\.\d{1,3}[a-z]?)\s*\((?P<what>[^)]{4,80})\)")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def _missing_part(question: str, instruments: Sequence[Instrument]) -> Decline | None:
    """A question about a part an incomplete instrument's note lists as missing: "500.12
    (multi-factor authentication)" when the question asks about multi-factor authentication,
    or a later amendment ("the 2024 … rule") the note says is not reflected."""
    asked = set(tokenize(question))
    years = set(_YEAR.findall(question))
    for inst in instruments:
        if inst.complete or not inst.missing:
            continue
        for m in _PART_NOTE.finditer(inst.missing):
            words = set(tokenize(m.group("what")))
            if len(words) >= 2 and words <= asked:
                return Decline(
                    "missing",
                    PART_NOT_INDEXED.format(
                        section=inst.names(m.group("num")),
                        instrument=inst.label,
                        what=m.group("what"),
                        why=_first_sentence(inst.missing),
                    ),
                )
        for clause in re.split(r"[;,]|\s+and\s+", inst.missing):
            shared = set(tokenize(clause)) & asked
            if years & set(_YEAR.findall(clause)) and len(shared - years) >= 2:
                return Decline(
                    "missing",
                    CHANGE_NOT_INDEXED.format(
                        instrument=inst.label, why=_first_sentence(inst.missing)
                    ),
                )
    return None
