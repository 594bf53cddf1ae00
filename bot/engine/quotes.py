"""Quote selection: which subdivision of a retrieved section is quoted, which of its sentences,
and the footnote (citation and subdivision label) they are cited to. Pure.

Every paragraph of a section is a candidate subdivision (`bot.engine.subdivisions`). For a
question, a candidate scores by

- the question's terms it uses, weighted by how rare each is among the section's paragraphs
  (IDF), the lead-ins above it counting half and the items a lead-in introduces counting
  ITEM_WEIGHT (it then brings them into the quote); statutory words for the question's plain
  ones (`bot.engine.thesaurus`) count half;
- legal sentence structure: a rule ("shall", "must", "may not", "is required") over a heading;
  a time limit or an amount when the question asks for one;
- its kind: an example ("Business H, a coffee shop …") or an exception or carve-out ("Nothing
  in this title …", "is not required if …") only when the question asks for one; a definition
  when the question uses the term it defines; a rule addressed to a public body ("The
  department shall adopt regulations …") lower, unless the question names that body; history
  and source notes never; a specific case — a paragraph opening with its condition ("Where
  the controller has made the personal data public, …") or whose subject is qualified by
  another part's duty ("A business that is required to notify pursuant to this section more
  than 500 residents …") — lower, when the section states its general rule before it (its
  first operative paragraph that is no such case), by CASE times the share of the case's
  words the question does not use (a question about that case keeps it);
- depth and length: the broader, shorter subdivision when the rest is equal;
- optionally, the dense similarity of the DENSE_TOP best candidates to the question.

Within the subdivision, the sentence quoted first is the one using most of the question's
terms, a rule or a lead-in ahead; an example sentence ("For example, …") only when the
question asks for one. A subdivision the question names (metadata "pinpoint", e.g. "(3)(a)")
wins. Every footnote
quotes one subdivision, and its label is the label of that subdivision.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from llama_index.core.schema import NodeWithScore

from bot.answer import Citation
from bot.engine.currency import currency
from bot.engine.jurisdictions import strip_places
from bot.engine.sentences import DEADLINE, sentences
from bot.engine.subdivisions import (
    Features,
    Subdivision,
    complete,
    is_lead_in,
    negated,
    roots,
    subdivisions,
)
from bot.engine.thesaurus import expand

ITEM_WEIGHT = 0.6  # the words of the items a lead-in brings, against its own
ITEM_WORDS = 10  # the length an item adds to its lead-in (a list is read as one rule)
SMOOTHING = 2.0  # added to the question's weight in a section: a term or two decide little
DEPTH = 0.03  # per level below the first: the broader subdivision states the rule
TIME_LIMIT = 0.15  # a time limit ("within 30 days"), when the question asks for a deadline
NEGATED = 0.15  # the question and the paragraph negate the same word
ACT = 0.1  # a rule whose act ("shall not collect") is what the question asks about
ASKED_KIND = 0.5  # an example or an exception, when the question asks for one
UNLABELLED = 0.2  # text outside any subdivision, in a section that has them (no pinpoint)
FRAGMENT = 0.1  # an item read without the lead-in whose sentence it ends
NAMED_HEAD = 0.3  # the opening paragraph of the subdivision a question names
GENERAL = 0.1  # the section's general rule (its first operative paragraph)
CASE = 0.5  # a paragraph opening with a case ("Where …,") the question does not ask about
EXAMPLE_SENTENCE = 1.0  # in hits: an example sentence, unless the question asks for one
DENSE_TOP = 4  # candidates per section rescored by dense similarity, when it is given
DENSE_WEIGHT = 1.0
DENSE_CHARS = 1200

Similarity = Callable[[Sequence[str]], Sequence[float]]  # texts → cosine to the question


@dataclass(frozen=True)
class Asked:
    """What a question asks for, read once per question."""

    terms: frozenset[str]
    extra: frozenset[str] = frozenset()  # statutory words for its plain ones (thesaurus)
    example: bool = False
    exception: bool = False
    definition: bool = False
    deadline: bool = False
    amount: bool = False
    negated: frozenset[str] = frozenset()  # what it says is not so ("we don't own it")


@dataclass(frozen=True)
class Choice:
    """The subdivision of one section chosen to be quoted, and what is quoted of it."""

    node: NodeWithScore
    label: str
    quotes: tuple[str, ...]  # verbatim sentences of the subdivision, in text order
    lead: str  # the sentence that answers best (one of `quotes`)
    text: str  # `lead`, followed by the items it introduces when it ends in ":"
    score: float


_ASKS_EXAMPLE = re.compile(r"\bexamples?\b|\billustrat|\bfor instance\b", re.I)
_ASKS_EXCEPTION = re.compile(
    r"\bexcept|\bexempt|\bexclu|\bcarve|\bnot\s+apply|\bdoesn'?t\s+apply|\bonly\s+for\b|"
    r"\blimit(?:s|ed|ations)?\s+(?:on|to)\b|\brefus|\bdeny|\bdenial|\bdecline|\bsay\s+no\b|"
    r"\bnot\s+required\b|\b(?:don'?t|do\s+not|doesn'?t)\s+(?:have|need)\s+to\b|\bno\s+need\b|"
    r"\bstill\s+(?:keep|use|retain)\b|\bwithout\b",
    re.I,
)
_ASKS_DEFINITION = re.compile(
    r"\bdefin\w*|\bmeaning\b|\bwhat\s+(?:is|are|counts?|does)\b|\bcount\s+as\b|\bmean\b|"
    r"\bconsidered\b|\bqualif\w+\b|\bdeemed\b",
    re.I,
)
_ASKS_DEADLINE = re.compile(
    r"\bdeadlines?\b|\bhow\s+(?:long|soon|quickly|fast|many\s+days)\b|\btime\s*(?:limit|frame|line)s?\b"
    r"|\bwithin\b|\bwhen\b|\bby\s+when\b|\bdays?\b|\bhours?\b|\bclock\b",
    re.I,
)
_ASKS_AMOUNT = re.compile(
    r"\bhow\s+much\b|\bpenalt\w*|\bfines?\b|\bdamages\b|\bcaps?\b|\bamounts?\b|\bfee\b|\bcharge\b",
    re.I,
)
_EXAMPLE_SENTENCE = re.compile(
    r"^(?:\(\w{1,5}\)\s*)*(?:for\s+example|for\s+instance|illustrative\s+examples?|examples?)\b",
    re.IGNORECASE,
)
_OBLIGATION = re.compile(r"\b(?:shall|must|may not|is required|are required)\b", re.I)
# The courtesies of a message ("Dear colleague", "Kind regards", "Thanks, Dana").
_COURTESY = re.compile(
    r"\b(?:kind|best|warm)\s+regards\b|\bregards\b|\bcheers\b|\bthanks?(?:\s+you)?\b|"
    r"\bdear\s+\w+|\b(?:hi|hello|hey|morning)\b|\bbest\s*,|,\s*\w+\.?\s*$",
    re.IGNORECASE,
)


def asked(question: str) -> Asked:
    """The terms and the kind of answer a question asks for."""
    plain = _COURTESY.sub(" ", strip_places(question))
    terms = roots(plain)
    return Asked(
        terms=terms,
        extra=roots(expand(plain)) - terms,
        example=bool(_ASKS_EXAMPLE.search(plain)),
        exception=bool(_ASKS_EXCEPTION.search(plain)),
        definition=bool(_ASKS_DEFINITION.search(plain)),
        deadline=bool(_ASKS_DEADLINE.search(plain)),
        amount=bool(_ASKS_AMOUNT.search(plain)),
        negated=negated(plain),
    )


def kind_score(f: Features, a: Asked) -> float:
    """Legal structure and kind of a paragraph, for the question asked."""
    if f.history:
        return -3.0
    score = 0.0
    if f.rule:
        score += 0.12
        if f.acts & a.terms:
            score += ACT  # the rule regulates what the question asks about
    elif f.heading:
        score -= 0.5  # a heading: its items say what it is about
    if f.example:
        score += ASKED_KIND if a.example else -1.0
    if f.exception:
        score += ASKED_KIND if a.exception else -0.35
    if f.defines is not None:
        if f.defines and f.defines <= a.terms:
            score += 0.5 if a.definition or len(f.defines) > 1 else 0.3
        elif not a.definition:
            score -= 0.15
    if f.authority is not None:
        # A rule for an authority, not for whoever asks (unless the question names it).
        score -= 0.12 if f.authority & a.terms else 0.3
    if a.deadline and f.time_limit:
        score += TIME_LIMIT
    elif a.deadline and f.timing:
        score += 0.05
    if a.negated & f.negated:
        score += NEGATED  # "we don't own it" and "does not own": the same case
    if a.amount and f.amount:
        score += 0.15
    return score


def _scores(subs: Sequence[Subdivision], a: Asked, plain: bool) -> list[float]:
    feats = [s.features for s in subs]
    n = len(subs)
    wanted = sorted(a.terms | a.extra)  # in order: the sums below do not depend on hashing
    df = {t: sum(1 for f in feats if t in f.roots) for t in wanted}
    weight = {
        t: (2.0 if t in a.terms else 1.0) * math.log(1.0 + (n + 1) / (df[t] + 0.5))
        for t in wanted
        if df[t]
    }
    total = sum(weight.values()) + SMOOTHING
    labelled = any(sub.label for sub in subs)
    asked_words = a.terms | a.extra
    general = _general(subs)
    out = []
    for k, (sub, f) in enumerate(zip(subs, feats, strict=True)):
        own = f.roots
        brought = set().union(*(feats[j].roots for j in sub.items)) - own
        context = set().union(*(feats[j].roots for j in sub.ancestors)) - own - brought
        lexical = (
            sum(w for t, w in weight.items() if t in own)
            + ITEM_WEIGHT * sum(w for t, w in weight.items() if t in brought)
            + 0.5 * sum(w for t, w in weight.items() if t in context)
        ) / total
        score = lexical
        if not plain:
            score += kind_score(f, a)
            score -= 0.06 * math.log2(1 + (f.words + ITEM_WORDS * len(sub.items)) / 40)
            score -= DEPTH * max(sub.label.count("(") - 1, 0)
            if f.fragment and any(feats[j].lead_in for j in sub.ancestors[-1:]):
                score -= FRAGMENT
            if not sub.label and labelled:
                score -= UNLABELLED
            if f.condition and 0 <= general < k:
                score -= CASE * len(f.condition - asked_words) / len(f.condition)
        if len(own) < 3 and not sub.items:
            score -= 1.0
        out.append(score)
    return out


def _general(subs: Sequence[Subdivision]) -> int:
    """The position of a section's general rule: its first paragraph that states a rule and is
    not a specific case ("Where …,"), an example, exception, definition, rule for an authority
    or note (-1 when none)."""
    for k, sub in enumerate(subs):
        f = sub.features
        special = f.example or f.exception or f.defines is not None or f.history or f.fragment
        if f.rule and not special and not f.condition and f.authority is None:
            return k
    return -1


def _rank_sentences(text: str, a: Asked) -> list[str]:
    unique = list(dict.fromkeys(sentences(text)))
    candidates = [s for s in unique if len(s.split()) >= 3] or unique

    def weight(s: str) -> float:
        terms = roots(s)
        hits = len(terms & a.terms) + 0.5 * len(terms & a.extra)
        if _OBLIGATION.search(s):
            hits += 0.5
        if a.deadline and DEADLINE.search(s):
            hits += 0.5
        if s.rstrip().endswith(":"):
            hits += 0.3
        if not a.example and _EXAMPLE_SENTENCE.match(s):
            hits -= EXAMPLE_SENTENCE  # an illustration inside a rule's paragraph
        return hits / (1.0 + 0.02 * len(s.split()))

    return sorted(candidates, key=lambda s: -weight(s))


def choose(
    node: NodeWithScore,
    question: str | Asked,
    *,
    limit: int = 2,
    plain: bool = False,
    similarity: Similarity | None = None,
) -> Choice | None:
    """The subdivision of `node` that best answers the question, and what to quote of it.
    `similarity` rescores the DENSE_TOP best candidates; `plain` scores on the question's
    words alone (the ablation's baseline)."""
    a = question if isinstance(question, Asked) else asked(question)
    subs = subdivisions(node)
    if not subs:
        return None
    allowed = list(range(len(subs)))
    pinpoint = str(node.node.metadata.get("pinpoint") or "")
    if pinpoint:
        allowed = [k for k, s in enumerate(subs) if s.label.startswith(pinpoint)] or allowed
    scores = _scores(subs, a, plain)
    if pinpoint and allowed and subs[allowed[0]].label.startswith(pinpoint):
        scores[allowed[0]] += NAMED_HEAD  # the subdivision named: its own opening paragraph
    ranked = sorted(allowed, key=lambda k: (-scores[k], k))
    if similarity is not None and not plain and len(ranked) > 1:
        top = ranked[:DENSE_TOP]
        texts = [" ".join(s.text for s in _read_with(subs, k))[:DENSE_CHARS] for k in top]
        cosines = dict(zip(top, similarity(texts), strict=True))
        ranked = sorted(top, key=lambda k: (-(scores[k] + DENSE_WEIGHT * cosines[k]), k))
    k = ranked[0]
    sub = subs[k]
    order = _rank_sentences(sub.text, a)
    if not order:
        return None
    chosen = set(order[:limit])
    quotes = tuple(s for s in dict.fromkeys(sentences(sub.text)) if s in chosen)
    lead = order[0]
    last = sub.text.rstrip().endswith(lead.rstrip())
    items = [subs[j] for j in sub.items] if last else []
    label = sub.label or _span(items)
    text = complete(lead, items)
    opening = _lead_in_above(subs, sub)
    if opening:
        # An item read without the lead-in that governs it misleads ("(1) Provide … the
        # basis for the denial" is a duty only "In cases where a business denies …").
        quotes = (opening, *quotes)
        text = f"{opening} … {text}"
    return Choice(node, label, quotes, lead, text, scores[k])


def _lead_in_above(subs: Sequence[Subdivision], sub: Subdivision) -> str:
    """The sentence introducing the list `sub` is an item of (its nearest ancestor's last
    sentence, when that ends in ":"), verbatim; "" when `sub` is not such an item."""
    if not sub.ancestors:
        return ""
    parent = subs[sub.ancestors[-1]]
    if sub.index not in {subs[j].index for j in parent.items}:
        return ""
    said = sentences(parent.text)
    return said[-1].strip() if said and is_lead_in(said[-1]) else ""


def _span(items: Sequence[Subdivision]) -> str:
    """The label of a list a section-level lead-in brings: "(a)–(e)", "(1)–(6)"."""
    labels = [i.label for i in items if i.label]
    if not labels:
        return ""
    depth = min(label.count("(") for label in labels)
    tops = list(dict.fromkeys(label for label in labels if label.count("(") == depth))
    return tops[0] if len(tops) == 1 else f"{tops[0]}–{tops[-1]}"


def _read_with(subs: Sequence[Subdivision], k: int) -> list[Subdivision]:
    """A subdivision as a reader takes it in: its lead-ins, itself, its items."""
    sub = subs[k]
    return [*(subs[j] for j in sub.ancestors), sub, *(subs[j] for j in sub.items)]


def quote_for(node: NodeWithScore, question: str, limit: int = 2) -> list[str]:
    """Up to `limit` sentences of the one subdivision of `node` that best answers
    `question`, in text order (see `choose`)."""
    choice = choose(node, question, limit=limit)
    return list(choice.quotes) if choice else []


def subdivision_of(node: NodeWithScore, sentence: str) -> str:
    """The subdivision label ("(c)(2)") of the paragraph of `node` that holds `sentence`."""
    for sub in subdivisions(node):
        if sentence in sub.text:
            return sub.label
    return ""


def make_citation(
    n: int, node: NodeWithScore, quotes: Sequence[str], *, label: str | None = None
) -> Citation:
    """A footnote for `node` quoting `quotes`, cited to `label` (by default the subdivision
    of the first quote)."""
    m = node.node.metadata
    if label is None:
        label = subdivision_of(node, quotes[0]) if quotes else ""
    return Citation(
        n=n,
        citation=m.get("citation", ""),
        section=m.get("section", ""),
        heading=m.get("heading", ""),
        title=m.get("title", ""),
        jurisdiction=m.get("jurisdiction", ""),
        url=m.get("url", ""),
        source=m.get("source", ""),
        quote=" … ".join(quotes),
        subsection=label,
        **currency(m),
    )
