"""Jurisdictions: canonical codes, display names, and detection from a question. Pure.

The catalogue covers what the bundled corpus holds (US federal, California, Massachusetts,
New York, Virginia, the EU) plus a gazetteer of other US states and countries, so that a
question about a place the index does not cover is recognised as such rather than
answered from another jurisdiction's law.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.engine.places import misspelt, place_patterns
from bot.index.corpus_format import FEDERAL, US_STATES, jurisdiction_code

__all__ = ["FEDERAL", "CATALOGUE", "canonical_code", "detect", "is_us_state", "name_of"]


@dataclass(frozen=True)
class Jurisdiction:
    code: str
    name: str
    # Patterns matched case-insensitively (names, adjectives, statutes, citations).
    patterns: tuple[str, ...] = ()
    # Patterns matched case-sensitively (postal abbreviations, "Mass.").
    exact: tuple[str, ...] = ()


_KNOWN: tuple[Jurisdiction, ...] = (
    Jurisdiction(
        "US-CA",
        "California",
        patterns=(
            r"californian?s?",
            r"calif\.",
            r"ccpa",
            r"cpra",
            r"caloppa",
            r"cal\.\s*civ\.\s*code",
            r"cal(?:ifornia)?\.?\s*code\s*(?:of\s*)?regs?\.?",
            r"civil\s+code\s+(?:section\s+|§\s*)?1798",
            r"1798\.\d+",
            r"11\s*c\.?c\.?r\.?",
            r"cppa",
        ),
        exact=(r"CA",),
    ),
    Jurisdiction(
        "US-MA",
        "Massachusetts",
        patterns=(
            r"massachusetts",
            r"201\s*cmr\s*17",
            r"m\.?\s*g\.?\s*l\.?\s*(?:c\.|ch\.|chapter)?\s*93h",
            r"mass\.\s*gen\.\s*laws",
            r"(?:chapter|ch\.|c\.)\s*93h",
            r"93h",
        ),
        exact=(r"Mass\.", r"MA"),
    ),
    Jurisdiction(
        "US-NY",
        "New York",
        patterns=(
            r"new\s+york(?:er)?s?",
            r"shield\s+act",
            r"nydfs",
            r"nycrr",
            r"(?:ny|new\s+york)\s+department\s+of\s+financial\s+services",
            r"gen(?:eral)?\.?\s*bus(?:iness)?\.?\s*law",
            r"gbl",
            r"899-?(?:aa|bb)",
        ),
        exact=(r"NY", r"N\.Y\."),
    ),
    Jurisdiction(
        "US-VA",
        "Virginia",
        patterns=(
            r"(?<!west\s)virginian?s?",
            r"vcdpa",
            r"va\.\s*code",
            r"59\.1-5\d\d",
        ),
        exact=(r"VA", r"CDPA"),
    ),
    Jurisdiction(
        "EU",
        "European Union",
        patterns=(
            r"european\s+union",
            r"europeans?",
            r"europe",
            r"e\.u\.",
            r"(?<!uk\s)gdpr",
            r"(?<!uk\s)general\s+data\s+protection\s+regulation",
            r"regulation\s*\(eu\)\s*2016/679",
            r"2016/679",
            r"eea",
        ),
        exact=(r"EU",),
    ),
    Jurisdiction(
        FEDERAL,
        "United States (federal)",
        patterns=(
            r"federal",
            r"hipaa",
            r"coppa",
            r"can-?spam",
            r"ftc",
            r"hhs",
            r"\d+\s*c\.?\s*f\.?\s*r\.?",
            r"\d+\s*u\.?\s*s\.?\s*c\.?",
            r"covered\s+entit(?:y|ies)",
            r"protected\s+health\s+information",
        ),
    ),
)

_STATE_LAWS = {
    "US-CO": (r"cpa\b(?!.*calif)", r"colorado\s+privacy\s+act"),
    "US-CT": (r"ctdpa",),
    "US-TX": (r"tdpsa",),
    "US-IL": (r"bipa", r"biometric\s+information\s+privacy\s+act"),
    "US-UT": (r"ucpa",),
}
_COUNTRIES = {
    "GB": ("united kingdom", "uk", "u.k.", "britain", "british", "england", "uk gdpr", "scotland"),
    "CA-CANADA": ("canada", "canadian", "pipeda", "quebec", "ontario"),
    "AU": ("australia", "australian"),
    "BR": ("brazil", "brazilian", "lgpd"),
    "CN": ("china", "chinese", "pipl"),
    "IN": ("india", "indian", "dpdp"),
    "JP": ("japan", "japanese", "appi"),
    "SG": ("singapore", "pdpa"),
    "CH": ("switzerland", "swiss", "fadp"),
    "KR": ("south korea", "korea", "korean", "pipa"),
    "MX": ("mexico", "mexican"),
    "ZA": ("south africa", "popia"),
    "NZ": ("new zealand",),
    "IL": ("israel", "israeli"),
    "AE": ("uae", "united arab emirates", "dubai"),
    "RU": ("russia", "russian"),
}


def _other_jurisdictions() -> tuple[Jurisdiction, ...]:
    found: list[Jurisdiction] = []
    known_states = {j.code for j in _KNOWN}
    for abbr, name in US_STATES.items():
        code = f"US-{abbr}"
        if code in known_states:
            continue
        pattern = re.escape(name.lower()).replace(r"\ ", r"\s+") + r"(?:ns?|s)?"
        found.append(Jurisdiction(code, name, patterns=(pattern, *_STATE_LAWS.get(code, ()))))
    for code, names in _COUNTRIES.items():
        label = names[0].title() if len(names[0]) > 3 else names[0].upper()
        pats = tuple(re.escape(n).replace(r"\ ", r"\s+") for n in names if n not in ("uk", "u.k."))
        exact = (r"UK", r"U\.K\.") if "uk" in names else ()
        found.append(Jurisdiction(code, label, patterns=pats, exact=exact))
    return tuple(found)


CATALOGUE: tuple[Jurisdiction, ...] = _KNOWN + _other_jurisdictions()
_BY_CODE = {j.code: j for j in CATALOGUE}

_NAMES = {j.name.upper(): j.code for j in CATALOGUE}


def canonical_code(value: str) -> str:
    """ "us-ca", "CA", "California", "federal" → "US-CA"/"US"; unknown codes upper-cased."""
    key = " ".join(value.strip().upper().replace("_", "-").split())
    return key if key in _BY_CODE else jurisdiction_code(key, _NAMES)


def name_of(code: str) -> str:
    j = _BY_CODE.get(code)
    return j.name if j else code


def is_us_state(code: str) -> bool:
    return code.startswith("US-")


def _compile(j: Jurisdiction) -> list[re.Pattern[str]]:
    pats = [re.compile(rf"(?<![\w-]){p}(?![\w-])", re.IGNORECASE) for p in j.patterns]
    pats += [re.compile(rf"(?<![\w-]){p}(?![\w-])") for p in j.exact]
    return pats


_COMPILED = [(j, _compile(j)) for j in CATALOGUE]
_PLACES = [
    (code, re.compile(rf"(?<![\w-])(?:{'|'.join(alts)})(?![\w-])"))
    for code, alts in place_patterns().items()
]
_SPELLINGS = {j.name.lower(): j.code for j in CATALOGUE if j.code != FEDERAL}


def detect(question: str) -> tuple[str, ...]:
    """Canonical codes of the jurisdictions a question names, in the order first mentioned."""
    hits: list[tuple[int, str]] = []
    text = question.replace("’", "'")
    starts: set[int] = set()
    for j, patterns in _COMPILED:
        positions = [m.start() for p in patterns for m in p.finditer(text)]
        starts.update(positions)
        if positions:
            hits.append((min(positions), j.code))
    for code, pattern in _PLACES:
        m = pattern.search(text)
        if m:
            hits.append((m.start(), code))
    hits.extend((at, code) for at, code in misspelt(text, _SPELLINGS) if at not in starts)
    codes = [code for _, code in sorted(hits)]
    # "West Virginia" also contains "Virginia"; the lookbehind handles it, but a UK GDPR
    # question must not count as an EU one: "UK GDPR" is matched by GB only.
    return tuple(dict.fromkeys(codes))


_PREPOSITIONS = r"(?:(?:in|from|of|for|under|and|or|the)\s+)*"
_PLACE_NAMES = re.compile(
    r"(?<![\w-])"
    + _PREPOSITIONS
    + r"(?:californian?s?'?s?|calif\.|massachusetts'?|new\s+york(?:er)?s?'?s?|"
    r"(?<!west\s)virginian?s?'?)(?![\w-])",
    re.IGNORECASE,
)
_PLACE_CODES = re.compile(r"(?<![\w-])(?i:" + _PREPOSITIONS + r")(?:CA|MA|NY|VA|Mass\.)(?![\w-])")


def strip_places(question: str) -> str:
    """The question without the names of the US states it is about ("in California and
    Massachusetts"): once retrieval is filtered to those jurisdictions, the names only pull
    in sections that happen to mention the state. "EU" stays: in "transfers from the EU"
    the place is what the question is about."""
    stripped = _PLACE_CODES.sub(" ", _PLACE_NAMES.sub(" ", question))
    return " ".join(stripped.split()) or question


def parse_codes(values: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """Parse a --jurisdiction value ("US-CA,US-MA", "CA, MA", ["EU"]) into canonical codes."""
    if values is None:
        return ()
    items = values.split(",") if isinstance(values, str) else list(values)
    return tuple(dict.fromkeys(canonical_code(v) for v in items if v.strip()))
