"""How current a source is: the "as of" date read from an instrument's front matter. Pure.

The version line says it in many ways ("as amended through March 26, 2013", "effective
2026-01-01", "applies from 2018-05-25", "(February 2026)"). The date an instrument's text is
current to is, in order of preference: an "as amended through/by … <date>" date, else the
latest date in the version line, else the latest date in its `retrieved` line, else the date
it was ingested. Dates are ISO strings ("2013-03-26", or "2026-02" when only the month is
known), so the oldest of several is their minimum.
"""

from __future__ import annotations

import re
from typing import Any

_MONTHS = {
    m: i
    for i, m in enumerate(
        "january february march april may june july august september october november december".split(),
        start=1,
    )
}
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DATE = re.compile(
    r"(?P<iso>\b(?P<y1>(?:19|20)\d{2})-(?P<m1>\d{2})(?:-(?P<d1>\d{2}))?\b)"
    rf"|(?P<mdy>\b(?P<m2>{_MONTH})\s+(?:(?P<d2>\d{{1,2}}),?\s+)?(?P<y2>(?:19|20)\d{{2}})\b)"
    rf"|(?P<dmy>\b(?P<d3>\d{{1,2}})\s+(?P<m3>{_MONTH})\s+(?P<y3>(?:19|20)\d{{2}})\b)",
    re.IGNORECASE,
)
_AMENDED = re.compile(r"as amended (?:through|eff(?:ective|\.)?)", re.IGNORECASE)


def _month(name: str) -> int:
    name = name.lower().rstrip(".")
    return next(i for m, i in _MONTHS.items() if m.startswith(name[:3]))


def dates_in(text: str) -> list[str]:
    """Every date in `text` as an ISO string, in order of appearance."""
    found = []
    for m in _DATE.finditer(text or ""):
        if m.group("iso"):
            y, mo, d = m.group("y1"), int(m.group("m1")), m.group("d1")
        elif m.group("mdy"):
            y, mo, d = m.group("y2"), _month(m.group("m2")), m.group("d2")
        else:
            y, mo, d = m.group("y3"), _month(m.group("m3")), m.group("d3")
        if not 1 <= mo <= 12:
            continue
        found.append(f"{y}-{mo:02d}-{int(d):02d}" if d else f"{y}-{mo:02d}")
    return found


def as_of(version: str, retrieved: str = "", ingested: str = "") -> str:
    """The date the indexed text is current to (see the module docstring)."""
    amended = _AMENDED.search(version or "")
    if amended:
        after = dates_in(version[amended.end() :])
        if after:
            return after[0]
    for text in (version, retrieved):
        dates = dates_in(text)
        if dates:
            return max(dates)
    return ingested[:10]


def currency(metadata: dict[str, Any]) -> dict[str, Any]:
    """The footnote fields for a retrieved piece's payload: version, as_of, ingested, complete."""
    version = str(metadata.get("version") or "")
    ingested = str(metadata.get("ingested") or "")[:10]
    complete = metadata.get("complete", True)
    return {
        "version": version,
        "as_of": as_of(version, str(metadata.get("retrieved") or ""), ingested),
        "ingested": ingested,
        "complete": complete is not False and str(complete).lower() not in ("false", "no", "0"),
    }


def display_date(iso: str) -> str:
    """ "2013-03-26" → "26 March 2013"; "2026-02" → "February 2026"."""
    parts = iso.split("-")
    names = [m.capitalize() for m in _MONTHS]
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {names[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"{names[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        pass
    return iso
