"""Quote selection: which sentences of a retrieved section are quoted, and the footnote
(citation and subdivision label) they are cited to. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from llama_index.core.schema import NodeWithScore

from bot.answer import Citation
from bot.engine.currency import currency
from bot.engine.sentences import best_sentences
from bot.index.sparse import tokenize


def subdivision_of(node: NodeWithScore, sentence: str) -> str:
    """The subdivision label ("(c)(2)") of the paragraph of `node` that holds `sentence`."""
    labels = node.node.metadata.get("paragraph_labels") or []
    for paragraph, label in zip(node.node.get_content().split("\n\n"), labels, strict=False):
        if sentence in paragraph:
            return label
    return ""


def make_citation(n: int, node: NodeWithScore, quotes: Sequence[str]) -> Citation:
    """A footnote for `node` quoting `quotes`, cited to the subdivision of the first quote."""
    m = node.node.metadata
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
        subsection=subdivision_of(node, quotes[0]) if quotes else "",
        **currency(m),
    )


def quote_for(node: NodeWithScore, question: str, limit: int = 2) -> list[str]:
    """Up to `limit` sentences of the one subdivision of `node` that best answers `question`,
    so the footnote's label is the label of everything it quotes. A subdivision the question
    names (metadata "pinpoint", e.g. "(3)(a)") wins; otherwise the operative rule: an example
    or a "Nothing in this title…" carve-out only when the question asks for one."""
    paragraphs = subdivisions(node)
    if not paragraphs:
        return []
    pinpoint = str(node.node.metadata.get("pinpoint") or "")
    if pinpoint:
        named = [p for p in paragraphs if p[0].startswith(pinpoint)]
        paragraphs = named or paragraphs
    terms = set(tokenize(question))
    wants_example = bool(_ASKS_EXAMPLE.search(question))
    wants_exception = bool(_ASKS_EXCEPTION.search(question))
    scored = [
        (_paragraph_score(text, label, terms, wants_example, wants_exception), i)
        for i, (label, text) in enumerate(paragraphs)
    ]
    best = max(scored, key=lambda x: (x[0], -x[1]))[1]
    label, text = paragraphs[best]
    return best_sentences(text, question, limit=limit)


def subdivisions(node: NodeWithScore) -> list[tuple[str, str]]:
    """(label, paragraph text) for each paragraph of a node, in order."""
    labels = list(node.node.metadata.get("paragraph_labels") or [])
    texts = [p for p in node.node.get_content().split("\n\n")]
    labels += [""] * (len(texts) - len(labels))
    return [(label, t.strip()) for label, t in zip(labels, texts, strict=False) if t.strip()]


_EXAMPLE = re.compile(
    r"^\(?(?:illustrative\s+)?examples?\b|^for\s+example\b|\bBusiness\s+[A-Z],\s", re.I
)
_CARVE_OUT = re.compile(
    r"\bnothing\s+in\s+this\b|\bshall\s+not\s+be\s+(?:construed|interpreted)\b|"
    r"\bdoes\s+not\s+(?:apply|limit|restrict)\b|\bshall\s+not\s+apply\b",
    re.I,
)
_HISTORY = re.compile(r"^\((?:Added|Amended|Repealed|Enacted|Renumbered|Source)\b|^\[", re.I)
_ASKS_EXAMPLE = re.compile(r"\bexamples?\b|\billustrat", re.I)
_ASKS_EXCEPTION = re.compile(
    r"\bexcept|\bexempt|\bcarve|\bnot\s+apply|\bdoesn'?t\s+apply|\bonly\s+for\b|\blimit", re.I
)
_RULE = re.compile(
    r"\b(?:shall|must|may\s+not|is\s+required|are\s+required|prohibit\w*|has\s+the\s+right|"
    r"have\s+the\s+right|is\s+entitled|no\s+later\s+than|within)\b",
    re.I,
)


def _paragraph_score(
    text: str, label: str, terms: set[str], wants_example: bool, wants_exception: bool
) -> float:
    words = tokenize(text)
    if not words:
        return -1.0
    hits = len(set(words) & terms)
    score = hits / (1.0 + 0.01 * len(words))
    if _RULE.search(text):
        score += 0.6 if hits else 0.2
    if _EXAMPLE.search(text):
        score += 1.0 if wants_example else -2.0
    if _CARVE_OUT.search(text[:200]):
        score += 1.0 if wants_exception else -1.5
    if _HISTORY.search(text):
        score -= 3.0
    if len(words) < 4:
        score -= 1.0
    score -= 0.15 * label.count("(")  # the broader subdivision states the rule
    return score
