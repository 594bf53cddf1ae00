"""Comparison tables: when a question compares, one row per jurisdiction, verbatim cells. Pure.

A table is made when a question asks to compare ("compare", "vs", "differ") or spans several
jurisdictions on one point (a deadline, who must be notified, penalties, consent). Every
cell is text found in the quoted sources: the rule is the jurisdiction's lead sentence, the
deadline or amount is each phrase of that kind written in the quoted text ("72 hours",
"30 calendar days", "without unreasonable delay", "$2,500"), who it binds is the subject of
the rule sentence as written. Nothing is computed or reworded.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.answer import Row, Table
from bot.engine.sentences import AMOUNT, ANY_FIGURE, DEADLINE

_COMPARE = re.compile(
    r"\bcompar\w*|\bvs\.?(?=\s)|\bversus\b|\bdiffer\w*|\bside[- ]by[- ]side\b|\bcontrast\w*"
    r"|\bsimilar\w*|\bsame\b",
    re.IGNORECASE,
)
POINTS: dict[str, re.Pattern[str]] = {
    "deadline": re.compile(
        r"\bdeadlines?\b|\bhow (?:long|soon|quickly|fast)\b|\btime ?(?:limit|frame|line)s?\b"
        r"|\bwithin\b|\bwhen (?:must|do|does|should|to)\b|\bby when\b|\bhow many days\b",
        re.IGNORECASE,
    ),
    "notify": re.compile(
        r"\bnotif\w*|\bwho must be (?:told|informed)\b|\bwhom?\b.{0,30}\binform\w*",
        re.IGNORECASE,
    ),
    "penalty": re.compile(
        r"\bpenalt\w*|\bfines?\b|\bsanctions?\b|\bdamages\b|\bhow much\b|\bliab\w*",
        re.IGNORECASE,
    ),
    "consent": re.compile(r"\bconsent\w*|\bopt[- ]?(?:in|out)\b|\bpermission\b", re.IGNORECASE),
}
_PHRASES = {"deadline": DEADLINE, "penalty": AMOUNT}
_SUBJECT = re.compile(
    r"^(?P<subject>.+?)\s+(?P<modal>shall|must|may not|is required|are required)"
    r"(?P<passive>\s+(?:not\s+)?be\b)?",
    re.IGNORECASE | re.DOTALL,
)
# An opening clause ("Subject to …,", "Except as provided in …,", "If …,") is not the subject.
_OPENING = re.compile(
    r"^(?:subject to|except|notwithstanding|if|when|where|unless|in the case of|pursuant to|"
    r"upon|after|before|for purposes of|to the extent|in addition to|in \w+ing|by \w+ing|"
    r"during|within|once)\b[^,]*,\s*",
    re.IGNORECASE,
)
NOT_STATED = "not stated in the quoted text"
NOT_NAMED = "not named in the rule sentence"
SUBJECT_WORDS = 30


def point_of(question: str) -> str:
    """The point a question asks about ("deadline", "notify", "penalty", "consent") or ""."""
    for name, pattern in POINTS.items():
        if pattern.search(question):
            return name
    return ""


def wants_table(question: str, jurisdictions: int) -> bool:
    """A comparison: asked for, or several jurisdictions on one point."""
    if jurisdictions < 2:
        return False
    return bool(_COMPARE.search(question)) or bool(point_of(question))


def preferred_phrases(point: str) -> re.Pattern[str] | None:
    """The phrases a rule sentence should state for this point (deadline, amount)."""
    if point == "notify":
        return _PHRASES["deadline"]
    return _PHRASES.get(point)


def figures(text: str, point: str = "") -> list[str]:
    """Deadlines and amounts written in `text`, verbatim, in order, each once."""
    pattern = _PHRASES.get(point) or ANY_FIGURE
    if point == "notify":
        pattern = _PHRASES["deadline"]
    found = [m.group(0).strip() for m in pattern.finditer(text)]
    return list(dict.fromkeys(found))


def subject_of(sentence: str) -> str:
    """Who a rule binds, as written: the words before its "shall"/"must" ("" when none)."""
    m = _SUBJECT.match(re.sub(r"^(?:\(\w{1,5}\)\s*|\d{1,3}\.\s+)+", "", sentence.strip()))
    if not m or m.group("passive"):
        return ""  # "… shall be made": the sentence names no one it binds
    subject = m.group("subject").strip().rstrip(",")
    while _OPENING.match(subject):
        subject = _OPENING.sub("", subject, count=1)
    if not subject:
        return ""
    words = subject.split()
    if len(words) > SUBJECT_WORDS:
        subject = " ".join(words[:SUBJECT_WORDS]).rstrip(",;:") + " …"
    return subject


def columns_for(point: str) -> tuple[str, ...]:
    figure = {"deadline": "Deadline (as written)", "penalty": "Amount (as written)"}.get(
        point, "Deadline or amount (as written)"
    )
    return ("Rule", figure, "Who it binds", "Pinpoint")


def row(
    jurisdiction: str,
    name: str,
    *,
    rule: str,
    quoted: Sequence[str],
    pinpoint: str,
    n: int,
    point: str,
) -> Row:
    """One row: the rule sentence, the figures in the quoted text, its subject, the pinpoint."""
    found = figures(rule, point) or [f for q in quoted for f in figures(q, point)]
    return Row(
        jurisdiction=jurisdiction,
        name=name,
        cells=(
            f"“{rule}” [{n}]",
            "; ".join(dict.fromkeys(found)) or NOT_STATED,
            subject_of(rule) or NOT_NAMED,
            f"{pinpoint} [{n}]",
        ),
    )


def table(rows: Sequence[Row], point: str) -> Table | None:
    return Table(columns=columns_for(point), rows=tuple(rows), point=point) if rows else None
