"""The subdivisions of a retrieved section, read for their legal structure. Pure.

Each paragraph of a section is one subdivision (its label comes from ingestion, see
`ingestion/labels.py`), read with the lead-ins of the subdivisions above it and, when it is
itself a lead-in ending in ":", with the items it introduces. What a paragraph is — a rule, a
heading, an example, an exception, a definition, a rule for a public body, a history note,
whether it states a time limit or an amount, the specific case it opens with — does not
depend on the question, so it is read once per paragraph text (`features`, cached).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from llama_index.core.schema import NodeWithScore

from bot.engine.sentences import AMOUNT, DEADLINE, DURATION
from bot.index.sparse import tokenize

ITEM_LIMIT = 12  # items a lead-in brings at most
CHARS_LIMIT = 2400  # characters of a completed lead-in at most
ROOT = 5  # stems are compared on their first letters: "employe(e)" and "employ(ed)" meet

# Words that name where a rule is, not what it says ("Part 500", "under Article 6"), and the
# words of asking itself ("how do we", "can we still"), which say nothing about the rule.
_FILLER = frozenset(tokenize(
    "part section article chapter title under subdivision law laws rule rules "
    "how do does did have has having get gets got also ask asked asking want wants need needs "
    "can could would should us we our ours one each just case away still like okay yes "
    "someone anyone anything everything something thing things actually really exactly "
    "what which who whom whose when where why whether else please quick question "
    "from my me mine your yours their theirs them they it its this that these those there here "
    "about into onto than then some very such i you he she his her him were been being so too"
))  # fmt: skip

_EXAMPLE = re.compile(
    r"^(?:\(\w{1,5}\)\s*)*\(?(?:illustrative\s+)?examples?\b|^(?:\(\w{1,5}\)\s*)*for\s+example\b|"
    r"\b(?:Business|Company|Controller|Operator|Consumer)\s+[A-Z],\s|"
    r"\b(?:Business|Company)\s+[A-Z]\s+(?:is|operates|sells|collects|uses|wants|plans)\b",
    re.IGNORECASE,
)
_CARVE_OUT = re.compile(
    r"\bnothing\s+in\s+this\b|\bshall\s+not\s+be\s+(?:construed|interpreted|required)\b|"
    r"\b(?:does|do|shall)\s+not\s+(?:apply|limit|restrict|require)\b|"
    r"\bis\s+not\s+required\b|\bare\s+not\s+required\b|\bnot\s+be\s+required\b|"
    r"\bexempt\w*\s+from\b|\bis\s+not\s+a\s+(?:sale|breach)\b",
    re.IGNORECASE,
)
_HISTORY = re.compile(
    r"^\((?:Added|Amended|Repealed|Enacted|Renumbered|Source)\b|^\[|^Note:\s+Authority|"
    r"^\\?\*\s*Pursuant to|^\d{4}, (?:Sp\. Sess\.|c{1,2}\. )",
    re.IGNORECASE,
)
_RULE = re.compile(
    r"\b(?:shall|must|may\s+not|is\s+required|are\s+required|prohibit(?:s|ed)?|is\s+unlawful|"
    r"has\s+the\s+right|have\s+the\s+right|is\s+entitled|no\s+later\s+than|is\s+liable|"
    r"are\s+liable)\b",
    re.IGNORECASE,
)
_HEADING = re.compile(r"^(?:\(\w{1,5}\)\s*|\d{1,3}\.\s+|[A-Z]\.\s+)*[A-Z][^.;:]{0,90}\.?$")
# A definition: one or more quoted terms ("“Sell,” “selling,” “sale,” or “sold” means"), or a
# bare one ("Breach means"), then "means"/"includes".
_DEFINES = re.compile(
    r"^(?:\(\w{1,5}\)\s*)*(?P<terms>(?:(?:,|or|and)?\s*[“\"‘][^”\"’]{1,80}[”\"’]+,?\s*)+)"
    r"(?:shall\s+)?(?:means?|includes?|has\s+the\s+(?:same\s+)?meaning)\b|"
    r"^(?P<bare>[A-Z][\w'’\- ]{1,60}?)\s+(?:means|stands\s+for)\b"
)
_QUOTED = re.compile(r"[“\"‘]([^”\"’]{1,80})[”\"’]")
# A time limit, not any duration ("within 30 days", "no later than 60 calendar days after
# discovery", "72 hours after"), unlike "a posting for a period of 90 days".
_TIME_LIMIT = re.compile(
    rf"\b(?:within|no later than|not later than|no more than|not more than|in no case later than)"
    rf"\b[^.;:]{{0,60}}?(?:{DURATION.pattern})|(?:{DURATION.pattern})\s+(?:after|of|from|following|"
    rf"before|prior to)\b",
    re.IGNORECASE,
)
# A rule addressed to a public body: the words before its first "shall"/"may"/"must" (after
# any opening clause) name an authority.
_PUBLIC_BODY = re.compile(
    r"\b(?:department|commission|secretary|attorney general|board|superintendent|"
    r"supervisory authorit(?:y|ies)|director|agency|agencies|office|legislat\w+|member states?|"
    r"court|the cppa|the ftc)\b",
    re.IGNORECASE,
)
_MODAL = re.compile(r"\b(?:shall|must|may|is authorized to)\b", re.IGNORECASE)
# The act a rule regulates: the words after its modal ("shall not collect personal …").
_ACT = re.compile(
    r"\b(?:shall|must|may)(?:\s+(?:not|also|only|be|have|promptly|immediately))*\s+"
    r"(?P<act>(?:[\w-]+\s+){0,2}[\w-]+)",
    re.IGNORECASE,
)
_MARKERS = re.compile(r"^(?:\(\w{1,5}\)\s*|\d{1,3}\.\s+|[A-Za-z]\.\s+)+")
_BACK_REFERENCE = re.compile(
    r"\b(?:pursuant\s+to|under|required\s+by|in\s+accordance\s+with|referred\s+to\s+in|"
    r"described\s+in)\s+(?:this\s+(?:section|subdivision|subsection|article|paragraph)\b|"
    r"(?:paragraph|subdivision|subsection)\s+\(?\w{1,4}\)?)",
    re.IGNORECASE,
)
# A specific case: a paragraph that opens with its condition ("Where the controller has made
# the personal data public …,", "If a business collects personal information online,", "In
# responding to a request to delete,"); the clause up to its first comma.
_CONDITION = re.compile(
    r"^(?:where|if|when|whenever|in\s+the\s+event|in\s+the\s+case\s+of|in\s+cases?\s+(?:where|in\s+which)|"
    r"in\s+\w+ing|upon|for\s+purposes\s+of|"
    r"once|after|unless)\b(?P<clause>[^,;:]{3,300}),",
    re.IGNORECASE,
)


def roots(text: str) -> frozenset[str]:
    """Stemmed words cut to their first ROOT letters (numbers whole), filler words dropped."""
    return frozenset(
        t if t[:1].isdigit() else t[:ROOT]
        for t in tokenize(text)
        if len(t) >= 2 and t not in _FILLER
    )


_NEGATION = re.compile(
    r"\b(?:not|never|no|don'?t|doesn'?t|didn'?t|isn'?t|aren'?t|won'?t|cannot|can'?t)\s+"
    r"(?:(?:be|been|have|to|a|an|the|yet)\s+)?(?P<word>[a-z][\w-]+)(?:\s+or\s+(?P<other>[a-z][\w-]+))?",
    re.IGNORECASE,
)


def negated(text: str) -> frozenset[str]:
    """The words a text negates, as roots ("does not own" → "own", "not required" → "requi")."""
    return frozenset().union(
        *(roots(f"{m.group('word')} {m.group('other') or ''}") for m in _NEGATION.finditer(text))
    )


def is_lead_in(sentence: str) -> bool:
    return sentence.rstrip().endswith((":", "—", "–", "following", "either"))


@dataclass(frozen=True)
class Features:
    """What a paragraph is, whatever the question."""

    roots: frozenset[str]
    words: int
    history: bool  # a history or source note
    rule: bool  # states a rule ("shall", "must", "may not", "is required")
    heading: bool  # a bare heading ("(4) Prohibition of transmission … after objection")
    example: bool  # an illustrative example ("Business H, a coffee shop …")
    exception: bool  # a carve-out ("Nothing in this title …", "is not required if …")
    defines: frozenset[str] | None  # the term a definition defines
    authority: frozenset[str] | None  # the public body its rule is addressed to
    time_limit: bool  # "within 30 days", "72 hours after"
    timing: bool  # any deadline phrase ("without unreasonable delay")
    amount: bool  # "$2,500", "4 %"
    lead_in: bool  # ends in ":" and introduces items
    fragment: bool  # an item of its lead-in's sentence ("(d) the need for …", "(A) A brief …;")
    acts: frozenset[str]  # what its rules regulate: the words after "shall (not)", "must"
    negated: frozenset[str]  # words it negates ("does not own", "not required")
    condition: frozenset[str] = frozenset()  # the words of the case it opens with ("Where …,")


@lru_cache(maxsize=16384)
def features(text: str) -> Features:
    head = text[:240]
    rule = bool(_RULE.search(text))
    defined = _DEFINES.match(text)
    addressee = _addressee(text)
    return Features(
        roots=roots(text),
        words=len(text.split()),
        history=bool(_HISTORY.search(text)),
        rule=rule,
        heading=not rule and bool(_HEADING.match(text)) and len(text.split()) <= 14,
        example=bool(_EXAMPLE.search(head)),
        exception=bool(_CARVE_OUT.search(head)),
        defines=_defined(defined) if defined else None,
        authority=roots(addressee) if addressee and _PUBLIC_BODY.search(addressee) else None,
        time_limit=bool(_TIME_LIMIT.search(text)),
        timing=bool(DEADLINE.search(text)),
        amount=bool(AMOUNT.search(text)),
        lead_in=is_lead_in(text),
        fragment=bool(re.match(r"[a-z]", _MARKERS.sub("", text)))
        or bool(re.search(r"(?:;|; and|; or|, and|, or)\s*$", text)),
        acts=frozenset().union(*(roots(m.group("act")) for m in _ACT.finditer(text))),
        negated=negated(text),
        condition=_condition(text),
    )


def _condition(text: str) -> frozenset[str]:
    """The words of the specific case a paragraph states: its opening condition ("Where …,"),
    or a subject qualified by another part's duty ("An individual or business that is
    required to issue a notification pursuant to this section to more than 500 residents")."""
    plain = _MARKERS.sub("", text)
    m = _CONDITION.match(plain)
    if m:
        return roots(m.group("clause"))
    modal = _MODAL.search(plain[:400])
    before = plain[: modal.start()] if modal else ""
    ref = _BACK_REFERENCE.search(before)
    qualified = ref and re.search(r"\b(?:that|which|who)\b", before[: ref.start()], re.IGNORECASE)
    return roots(before) if qualified else frozenset()


def _defined(m: re.Match[str]) -> frozenset[str]:
    """The words of the term(s) a definition defines."""
    if m.group("bare"):
        return roots(m.group("bare"))
    return frozenset().union(*(roots(t) for t in _QUOTED.findall(m.group("terms"))))


def _addressee(text: str) -> str:
    """Who the first rule of a paragraph binds, as written ("" when it states none)."""
    m = _MODAL.search(text[:400])
    if not m:
        return ""
    return _MARKERS.sub("", text[: m.start()]).rsplit(",", 1)[-1].strip()


@dataclass(frozen=True)
class Subdivision:
    index: int  # position among the node's paragraphs
    label: str  # "(c)(1)(A)" or ""
    text: str  # the paragraph, verbatim
    ancestors: tuple[int, ...]  # positions (in the list) of the lead-ins above it
    items: tuple[int, ...]  # positions of the items it introduces, when it is a lead-in

    @property
    def features(self) -> Features:
        return features(self.text)


def subdivisions(node: NodeWithScore) -> list[Subdivision]:
    """Each paragraph of a node with its label, its ancestors and its items, in order."""
    return list(
        _subdivisions(
            node.node.get_content(), tuple(node.node.metadata.get("paragraph_labels") or ())
        )
    )


@lru_cache(maxsize=4096)
def _subdivisions(content: str, labels: tuple[str, ...]) -> tuple[Subdivision, ...]:
    texts = [t.strip() for t in content.split("\n\n")]
    padded = list(labels) + [""] * (len(texts) - len(labels))
    kept = [
        (i, label, text) for i, (label, text) in enumerate(zip(padded, texts, strict=False)) if text
    ]
    latest: dict[str, int] = {}  # label → the first paragraph of its latest run
    ancestors: list[tuple[int, ...]] = []
    for k, (_, label, _) in enumerate(kept):
        parts = re.findall(r"\([^)]*\)", label)
        above = ["".join(parts[:d]) for d in range(len(parts))]
        ancestors.append(tuple(latest[a] for a in above if a in latest))
        if k == 0 or kept[k - 1][1] != label:
            latest[label] = k
    out = []
    for k, (i, label, text) in enumerate(kept):
        items: list[int] = []
        if is_lead_in(text):
            for j in range(k + 1, len(kept)):
                other = kept[j][1]
                inside = other.startswith(label) and other != label if label else bool(other)
                if not inside or len(items) >= ITEM_LIMIT:
                    break
                items.append(j)
        out.append(Subdivision(i, label, text, ancestors[k], tuple(items)))
    return tuple(out)


def complete(sentence: str, items: Sequence[Subdivision]) -> str:
    """`sentence`, followed by the items it introduces when it ends in ":" (verbatim)."""
    if not is_lead_in(sentence) or not items:
        return sentence
    text = " ".join([sentence.strip(), *(s.text for s in items)])
    if len(text) > CHARS_LIMIT:
        text = text[:CHARS_LIMIT].rsplit(" ", 1)[0].rstrip(" ,;:") + " …"
    return text
