"""The one grammar of the corpus markdown. Pure.

Every loader writes, and every later step reads, the same markdown (see data/corpus/README.md):

- `# ` headings: the document title, then structural groupings (chapters, parts, subparts);
- `## ` headings: one citable unit each — "§ 1798.100. Title", "Article 17 — Title",
  "Section 3A", "Recital (26)", or a bare number "17.03 Title" / "500.17 Title";
- each subdivision ("(a)", "(1)", "(A)", "(i)", "1.", "A.") starts its own paragraph.

It lives in `bot.index` because both sides need it: ingestion parses documents with it, and
the engine compares the section numbers a question names with the ones the index holds
(`section_key`). Neither side keeps a regex of its own for these.
"""

from __future__ import annotations

import re

GROUP_HEADING = "# "
UNIT_HEADING = "## "

# A section number as written: "1798.100", "164.404", "59.1-577", "899-aa", "3A", "7012".
NUMBER = r"[0-9]+[A-Za-z]?(?:[.\-–][0-9A-Za-z]+)*"
# The words that introduce a named unit, with their canonical form.
UNIT_WORDS = {
    "article": "Article",
    "art": "Article",
    "section": "Section",
    "sec": "Section",
    "recital": "Recital",
    "rule": "Rule",
    "regulation": "Regulation",
}

# "§ 1798.100. General Duties", "§ 164.404 Notification.", "§ 59.1-577", "§§ 7000-7001"
_SECTION_SIGN = re.compile(r"^§+\s*(?P<num>[0-9A-Za-z][0-9A-Za-z.\-]*?)\.?(?=\s|$)\s*(?P<rest>.*)$")
# "Article 17 — Right to erasure", "Section 3A", "Recital (26)", "Rule 5. Title"
_NAMED_UNIT = re.compile(
    r"^(?P<kind>Article|Art\.|Section|Sec\.|Recital|Rule|Regulation)\s+"
    r"(?P<num>\(?[0-9]+[A-Za-z]?(?:[.\-][0-9A-Za-z]+)*\)?)\.?(?=[\s—–:.\-]|$)[\s—–:.\-]*(?P<rest>.*)$",
    re.IGNORECASE,
)

# A bare number heading, as in regulations printed without "§": "17.03 Duty to Protect",
# "500.17 Notices to Superintendent".
_BARE_NUMBER = re.compile(r"^(?P<num>[0-9]{1,4}\.[0-9]{1,4}[A-Za-z]?)\.?\s+(?P<rest>[A-Z].*)$")

# Subdivision markers at a paragraph start: "(a)", "(1)", "(1a)", "(A)", "(iv)", "(aa)";
# "1." (GDPR paragraphs), "A." (Virginia subsections) and "a." (Virginia subdivisions' items).
PAREN_MARKER = r"\((?P<m>[0-9]{1,3}[a-z]?|[a-z]{1,4}|[A-Z]{1,3})\)"
DOT_MARKER = r"(?P<n>[0-9]{1,3}|[A-Z])\."
LOWER_DOT_MARKER = r"(?P<l>[a-z])\."
SUBDIVISION_MARKER = re.compile(rf"^{PAREN_MARKER}\s*|^{DOT_MARKER}\s+|^{LOWER_DOT_MARKER}\s+")
ROMAN = re.compile(r"^(?=[ivxl]+$)(?:x{0,3})(?:ix|iv|v?i{0,3})$|^l$")


def parse_unit_heading(line: str) -> tuple[str, str]:
    """Split a `##` heading into (section number as written, heading text)."""
    text = line.strip()
    m = _SECTION_SIGN.match(text)
    if m:
        return m.group("num"), _clean_heading(m.group("rest"))
    m = _NAMED_UNIT.match(text)
    if m:
        kind = UNIT_WORDS[m.group("kind").rstrip(".").lower()]
        num = m.group("num")
        if kind == "Recital":
            num = num.strip("()")
        return f"{kind} {num}", _clean_heading(m.group("rest"))
    m = _BARE_NUMBER.match(text)
    if m:
        return m.group("num"), _clean_heading(m.group("rest"))
    return text, ""


def _clean_heading(rest: str) -> str:
    return rest.strip().strip("—–-:").strip().rstrip(".").strip()


def section_key(section: str) -> str:
    """Comparable section number: drops "§", "Section", "Article"/"Art.", spaces and case."""
    key = section.lower().replace("§", "")
    recital = key.startswith("recital")
    key = re.sub(r"\b(section|sec\.|article|art\.|recital)\s*", "", key)
    key = re.sub(r"[\s()]", "", key).rstrip(".")
    return f"recital-{key}" if recital else key


def leading_markers(paragraph: str) -> list[str]:
    """Leading subdivision markers of a paragraph: "(c) (1) A business" → ["c", "1"];
    "2. The controller" → ["2."]; "a. For the purposes" → ["a."]."""
    found: list[str] = []
    rest = paragraph
    while True:
        m = SUBDIVISION_MARKER.match(rest)
        if not m:
            return found
        found.append(m.group("m") or (m.group("n") or m.group("l")) + ".")
        rest = rest[m.end() :]


# --- jurisdiction codes as stored in the payload ---------------------------------------------
FEDERAL = "US"
US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa",
    "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
    "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi",
    "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire",
    "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee",
    "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming", "DC": "District of Columbia",
}  # fmt: skip
CODE_ALIASES = {
    "FEDERAL": FEDERAL, "US-FEDERAL": FEDERAL, "USA": FEDERAL, "UNITED STATES": FEDERAL,
    "EUROPE": "EU", "EUROPEAN UNION": "EU",
}  # fmt: skip
_STATE_BY_NAME = {name.upper(): f"US-{abbr}" for abbr, name in US_STATES.items()}


def jurisdiction_code(value: str, names: dict[str, str] | None = None) -> str:
    """ "us-ca", "CA", "California", "federal" → "US-CA"/"US"; unknown values upper-cased.

    `names` maps further upper-cased display names to codes (the engine's gazetteer)."""
    key = " ".join(value.strip().upper().replace("_", "-").split())
    if key in CODE_ALIASES:
        return CODE_ALIASES[key]
    if key in _STATE_BY_NAME:
        return _STATE_BY_NAME[key]
    if names and key in names:
        return names[key]
    if len(key) == 2 and key in US_STATES:
        return f"US-{key}"
    return key
