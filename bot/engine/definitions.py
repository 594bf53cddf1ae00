"""Definitions a question turns on. Pure.

"What is a sale under the Virginia act", "are we even a 'business' under CCPA", "does an IP
address count as 'personal data'": when a question asks what a term means or whether
something counts as it, the definitions section that defines the term is cited, first,
whether or not the search ranked it: a defined term's meaning is in its definition.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# A definitional question: it asks what a term means or whether something counts as it.
_CUE = re.compile(
    r"\b(?:mean|means|meaning|define[sd]?|definition|count(?:s|ed)?\s+as|considered|"
    r"qualif(?:y|ies)\s+as|what\s+is|what's|what\s+are|who\s+is|who\s+counts|even\s+an?)\b|"
    r"\b(?:is|are)\s+(?:[\w,-]+\s+){0,12}[‘'“\"]",  # "are IP addresses 'personal data'"
    re.I,
)
_QUOTED = re.compile(r"[‘'“\"]([A-Za-z][A-Za-z \-]{1,50}?)[’'”\"]")
_AFTER_CUE = re.compile(
    r"\b(?:what\s+is|what's|who\s+is|count(?:s|ed)?\s+as|qualif(?:y|ies)\s+as|definition\s+of|"
    r"even)\s+(?:an?\s+|the\s+)?(?P<term>[a-z][a-z\-]*(?:\s+[a-z][a-z\-]*){0,3}?)"
    r"(?=\s+(?:under|in|for|according|within|per)\b|\s*[?,.;:]|$)",
    re.I,
)
_STOP = frozenset("it this that there they we us our a an the".split())


def asked_terms(question: str) -> list[str]:
    """The terms a definitional question asks about, lower-case, in order ([] if it asks
    no such thing)."""
    if not _CUE.search(question):
        return []
    found = [m.group(1) for m in _QUOTED.finditer(question)]
    found += [m.group("term") for m in _AFTER_CUE.finditer(question)]
    terms = []
    for t in found:
        t = " ".join(t.lower().split())
        if t and t not in _STOP and len(t) > 2 and t not in terms:
            terms.append(t)
    return terms


def defines(text: str, term: str) -> bool:
    """Whether a definitions text defines the term: “Term” means …, ‘term’ means …, “Sell,”
    “selling,” … means …, or a paragraph opening "Term: (1) …" / "Term means …"."""
    words = r"\s+".join(re.escape(w) for w in term.split())
    name = rf"{words}(?:s|es)?(?:\s+of\s+[a-z][a-z ]{{0,30}}?)?"  # "sale" → “Sale of personal data”
    quoted = (
        rf"[“\"‘']{name}[,.]?[”\"’']{{1,2}}"
        rf"(?:,?\s*(?:or\s+)?[“\"‘'][^”\"’']{{1,40}}[”\"’']{{1,2}},?)*"
        rf"\s*(?:means|has\s+the\s+meaning|shall\s+mean|includes|refers\s+to)\b"
    )
    opening = rf"^(?:\([0-9a-z]+\)\s*)*{name}(?::|\s+means\b|\s*$)"
    return bool(re.search(quoted, text, re.I) or re.search(opening, text, re.I | re.M))


def defining_label(text: str, labels: list[str], terms: Iterable[str]) -> str:
    """The subdivision label of the first paragraph defining one of the terms ("" if none or
    if the paragraphs and labels do not line up)."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    if len(paragraphs) != len(labels):
        return ""
    for paragraph, label in zip(paragraphs, labels, strict=True):
        if any(defines(paragraph, t) for t in terms):
            return label
    return ""


def defining(pieces: Iterable[tuple[str, str]], terms: Iterable[str]) -> list[str]:
    """Of (piece id, text) pairs, the ids of the pieces defining one of the terms."""
    wanted = list(terms)
    return [pid for pid, text in pieces if any(defines(text, t) for t in wanted)]
