"""Comparison tables: when a question compares, one row per jurisdiction, verbatim cells. Pure.

A table is made when a question asks to compare ("compare", "vs", "differ") or spans several
jurisdictions on one point (a deadline, who must be notified, penalties, consent). Every
cell is text found in the quoted sources: the rule is the jurisdiction's short-answer sentence
(quoted by its first footnote); the deadline or amount is each phrase of that kind written in
that sentence ("72 hours", "30 calendar days", "without unreasonable delay", "$2,500") or, when
it states none, in the jurisdiction's other quotes, each marked with the pinpoint of its rule;
who it binds is the party the rule sentence names as bearing the duty (the subject of its
"shall"/"must"/"may not", or the party a right is exercised against: "the right to obtain from
the controller"), else "not named in the quoted rule". Nothing is computed or reworded.
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
# Who a rule binds: the subject of its first duty ("shall", "must", "may not", "is required
# to", "is liable"), or, for a right ("X shall have the right to …"), the party the right is
# exercised against as written ("to obtain from the controller", "to request that a business").
_DUTY = re.compile(
    r"\b(?P<modal>(?:shall|must|may)\s+not|shall|must|(?:is|are)\s+(?:required|obliged|obligated"
    r"|prohibited)\s+(?:to|from)|(?:is|are)\s+liable)\b"
    r"(?P<right>\s+(?:also\s+)?(?:have\s+the\s+right|be\s+entitled))?",
    re.IGNORECASE,
)
_RIGHT = re.compile(r"\b(?:ha(?:s|ve)\s+the\s+right|(?:is|are)\s+entitled)\b", re.IGNORECASE)
# "shall be made", "must be given": a passive rule names no one it binds ("shall be required",
# "shall be liable" and "shall be responsible" still bind their subject).
_PASSIVE = re.compile(
    r"^\s+(?:not\s+)?be\s+(?:\w+ly\s+)?(?!(?:required|obliged|obligated|permitted|entitled|"
    r"authori[sz]ed|prohibited|allowed|liable|responsible|subject|able)\b)"
    r"(?:\w+ed|\w+en|made|given|sent|done|kept|paid|held|brought|set|shown|met|told|sold|put)\b",
    re.IGNORECASE,
)
# Words that name a party a rule can bind (as opposed to "the notice", "the disclosure").
_PARTY = (
    r"(?:controllers?|processors?|business(?:es)?|persons?|entit(?:y|ies)|individuals?|"
    r"agenc(?:y|ies)|operators?|providers?|contractors?|part(?:y|ies)|associates?|senders?|"
    r"employers?|brokers?|licensees?|licensors?|owners?|insurers?|compan(?:y|ies)|"
    r"corporations?|organi[sz]ations?|plans?|clearinghouses?|departments?|commissions?|"
    r"secretary|attorney\s+general|superintendent|director|boards?|authorit(?:y|ies)|"
    r"member\s+states?|offices?|officers?|recipients?|representatives?|undertakings?|"
    r"bod(?:y|ies)|institutions?|vendors?|manufacturers?|sellers?|advertisers?|consumers?|"
    r"data\s+subjects?|parents?|guardians?|residents?|employees?|affiliates?|subsidiar(?:y|ies)|"
    r"government|agents?|users?|carriers?|holders?|maintainers?|firms?|partnerships?|banks?|"
    r"lenders?|hospitals?|schools?|practitioners?|merchants?|retailers?|issuers?|trustees?|"
    r"he|she|they|who|whoever|one)"
)
_HEAD = re.compile(
    rf"^(?:(?!(?:of|to|in|for|with|by|on|from|under|at|that|which|who|whose|be)\b)[\w’'-]+\s+)"
    rf"{{0,5}}?{_PARTY}\b(?!\s+(?:information|data|records?|rights?)\b)",
    re.IGNORECASE,
)
_DETERMINER = re.compile(
    rf"^(?:the|a|an|any|each|every|no|all|such|said|that|this|its|their|both|either|neither|"
    rf"another|other|one)\b|^{_PARTY}\b",
    re.IGNORECASE,
)
_AGAINST = re.compile(
    rf"\b(?:from|against|request(?:s|ing)?\s+that|direct|require|of|for)\s+"
    rf"(?P<party>(?:the|a|an|any|each|every|such|that)\s+(?:[\w-]+\s+){{0,3}}?{_PARTY})\b",
    re.IGNORECASE,
)
_UNLAWFUL = re.compile(
    rf"^it\s+(?:is|shall\s+be)\s+unlawful\s+for\s+(?P<party>(?:[\w-]+\s+){{0,4}}?{_PARTY})\b",
    re.IGNORECASE,
)
# An opening clause ("Subject to …,", "Except as provided in …,", "If …,") is not the subject.
_OPENING = re.compile(
    r"^(?:subject to|except|notwithstanding|if|when|where|unless|in the case of|pursuant to|"
    r"upon|after|before|for purposes of|to the extent|in addition to|in \w+ing|by \w+ing|"
    r"during|within|once)\b[^,]*,\s*",
    re.IGNORECASE,
)
# A parenthetical after the subject (", taking account of …,", ", acting as a third party,").
_ASIDE = re.compile(
    r",\s+(?:\w+ing|in|with|without|where|when|if|unless|upon|pursuant|subject|under|as|at|by|"
    r"on|after|before|within|except|notwithstanding|to\s+the\s+extent|which|who|whether|"
    r"regardless|through|not(?:withstanding)?)\b.*$",
    re.IGNORECASE | re.DOTALL,
)
_RELATIVE_END = re.compile(r"\b(?:that|which|who)\s*$", re.IGNORECASE)
_NUMBERING = re.compile(r"^(?:\(\w{1,5}\)\s*|\d{1,3}\.\s+|[A-Z]\.\s+)+")
NOT_STATED = "not stated in the quoted text"
NOT_NAMED = "not named in the quoted rule"
NOT_IN_RULE = "none in this rule"
SUBJECT_WORDS = 30
OTHER_FIGURES = 3  # other footnotes of a row whose figures are shown, each with its pinpoint


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
    """Who a rule binds, as written ("" when the sentence names no one): the subject of its
    first duty ("the controller", "An individual or business that conducts business in
    California"), without opening clauses or asides; for a right, the party it is exercised
    against ("the right to obtain from the controller" → "the controller")."""
    text = _NUMBERING.sub("", sentence.strip())
    unlawful = _UNLAWFUL.match(text)
    if unlawful:
        return unlawful.group("party")
    start, fallback = 0, ""
    for m in _DUTY.finditer(text):
        before, after, later = text[start : m.start()], text[m.end() :], start > 0
        if _RELATIVE_END.search(before):
            # "A business that is required to notify … shall send": the duty of a relative
            # clause qualifies the subject; the sentence's own duty follows.
            fallback = fallback or _subject(before, later=later)
            continue
        start = m.end()
        if m.group("right") or _RIGHT.match(after):
            against = _AGAINST.search(after)
            if against:
                return against.group("party")
            continue  # whose duty a right is: not written here; a later duty may say
        if _PASSIVE.match(after):
            continue
        subject = _subject(before, later=later)
        if subject:
            return subject
    right = _RIGHT.search(text)
    if right:
        against = _AGAINST.search(text[right.end() :])
        if against:
            return against.group("party")
    return fallback


def _subject(before: str, *, later: bool) -> str:
    """The party named just before a modal, as written, or "". After an earlier duty or right
    (`later`), the clause starts after its "and" ("… and the controller shall")."""
    bounds = r";\s+|:\s+|\.\s+"
    if later:
        bounds += r"|\band\s+(?=(?:the|a|an|such|said|each|any)\s)"
    clause = re.split(bounds, before)[-1]
    clause = clause.strip().rstrip(",")
    while _OPENING.match(clause):
        clause = _OPENING.sub("", clause, count=1)
    parts = clause.split(", ")
    for k, part in enumerate(parts):
        if _DETERMINER.match(part) and _HEAD.match(part):
            clause = ", ".join(parts[k:])
            break
    else:
        return ""
    clause = _ASIDE.sub("", clause).strip().rstrip(",")
    # An aside inside a relative clause ("A business that, acting as …, controls"): its head.
    clause = re.sub(r"\s+(?:that|which|who|whose|and|or)$", "", clause, flags=re.IGNORECASE)
    words = clause.split()
    if len(words) > SUBJECT_WORDS:
        clause = " ".join(words[:SUBJECT_WORDS]).rstrip(",;:") + " …"
    return clause


def columns_for(point: str) -> tuple[str, ...]:
    figure = {"deadline": "Deadline (as written)", "penalty": "Amount (as written)"}.get(
        point, "Deadline or amount (as written)"
    )
    return ("Rule", figure, "Who it binds", "Pinpoint")


def figure_cell(rule: str, others: Sequence[tuple[str, str]], point: str) -> str:
    """The deadlines or amounts of a row: those of its rule sentence; when it states none,
    those of the jurisdiction's other quotes, each with the pinpoint of the rule it belongs to
    (`others`: (pinpoint with its [n], quote)), so a figure is never read as the row's own."""
    own = figures(rule, point)
    if own:
        return "; ".join(own)
    elsewhere = [
        f"{', '.join(found)} in {where}"
        for where, quote in others
        if (found := figures(quote, point))
    ][:OTHER_FIGURES]
    return "; ".join([NOT_IN_RULE, *elsewhere]) if elsewhere else NOT_STATED


def row(
    jurisdiction: str,
    name: str,
    *,
    rule: str,
    others: Sequence[tuple[str, str]],
    pinpoint: str,
    n: int,
    point: str,
) -> Row:
    """One row: the rule sentence, its figures (or others', marked with their pinpoint), who
    it binds, the pinpoint."""
    return Row(
        jurisdiction=jurisdiction,
        name=name,
        cells=(
            f"“{rule}” [{n}]",
            figure_cell(rule, others, point),
            subject_of(rule) or NOT_NAMED,
            f"{pinpoint} [{n}]",
        ),
    )


def table(rows: Sequence[Row], point: str) -> Table | None:
    return Table(columns=columns_for(point), rows=tuple(rows), point=point) if rows else None
