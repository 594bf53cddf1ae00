"""Sentences of a regulation text, and which of them answer a question. Pure."""

from __future__ import annotations

import re

from bot.index.sparse import tokenize

_ABBREVIATIONS = {
    "cal", "civ", "stat", "gen", "bus", "regs", "reg", "tit", "no", "nos", "sec", "secs",
    "pub", "l", "ann", "e.g", "i.e", "etc", "inc", "co", "corp", "art", "arts", "para",
    "pp", "p", "seq", "v", "vs", "mass", "st", "u.s", "c.f.r", "u.s.c", "ch", "c", "fed",
    "n.y", "va", "subd", "subpara", "cf", "ltd", "dr", "mr", "ms", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sept", "oct", "nov", "dec", "approx", "id", "ibid", "al",
}  # fmt: skip
_BOUNDARY = re.compile(r"(?<=[.?!])[”\"’)]*\s+(?=[(“\"A-Z0-9])")


def sentences(text: str) -> list[str]:
    """Split into sentences; every sentence is a verbatim substring of `text`."""
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        start = 0
        for m in _BOUNDARY.finditer(paragraph):
            before = paragraph[start : m.start()].rstrip('”"’)')
            last_word = before.rsplit(None, 1)[-1].rstrip(".").lower() if before.split() else ""
            if last_word in _ABBREVIATIONS or re.fullmatch(
                r"\(?[a-z]\)?|\(?\d{1,3}\)?|\([ivx]+\)", last_word
            ):
                continue
            out.append(paragraph[start : m.start()].strip())
            start = m.end()
        tail = paragraph[start:].strip()
        if tail:
            out.append(tail)
    return [s for s in out if s]


_NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|forty|forty-five|fifty|sixty|seventy|seventy-two|eighty|ninety|hundred)"
)
_DURATION = (
    rf"\b(?:\d+|{_NUMBER_WORD})(?:\s*\(\d+\))?(?:-|\s+)(?:calendar\s+|business\s+|working\s+)?"
    r"(?:hours?|days?|weeks?|months?|years?)\b"
)
_TIMING = (
    r"without (?:unreasonable|undue) delay|in the most expedient time possible"
    r"|as soon as (?:practicable|possible|reasonably practicable)|immediately|promptly"
)
_AMOUNT = (
    r"(?:\$|USD\s?|EUR\s?|€)\s?\d[\d,. ]*\d(?:\s+(?:million|billion))?"
    r"|\b\d[\d ]*\d\s+EUR\b|\b\d+(?:\.\d+)?\s?(?:%|percent)"
)
# Deadlines ("72 hours", "30 calendar days", "without unreasonable delay") and amounts
# ("$2,500", "4 %") as written.
DEADLINE = re.compile(rf"{_DURATION}|{_TIMING}", re.IGNORECASE)
DURATION = re.compile(_DURATION, re.IGNORECASE)
AMOUNT = re.compile(_AMOUNT, re.IGNORECASE)
ANY_FIGURE = re.compile(rf"{_DURATION}|{_TIMING}|{_AMOUNT}", re.IGNORECASE)

_OBLIGATION = re.compile(r"\b(?:shall|must|may not|is required|are required|prohibit\w*)\b", re.I)


def relevance(sentence: str, query_terms: set[str]) -> float:
    terms = set(tokenize(sentence))
    if not terms:
        return 0.0
    hits = float(len(terms & query_terms))
    if hits and _OBLIGATION.search(sentence):
        hits += 0.5  # a rule, rather than an example or a definition, answers a lawyer
    # Prefer sentences that say much about the question, not long ones that say everything.
    return hits / (1.0 + 0.02 * len(sentence.split()))


def best_sentences(text: str, question: str, limit: int = 2, max_words: int = 90) -> list[str]:
    """The `limit` sentences of `text` most relevant to `question`, in their original order."""
    query_terms = set(tokenize(question))
    unique = list(dict.fromkeys(sentences(text)))  # a sentence repeated in the text is one
    candidates = [(i, s) for i, s in enumerate(unique) if 8 <= len(s.split()) <= max_words] or [
        (i, s) for i, s in enumerate(unique) if len(s.split()) >= 3
    ]
    if not candidates:
        return [text.strip()] if text.strip() else []
    ranked = sorted(candidates, key=lambda c: (-relevance(c[1], query_terms), c[0]))
    chosen = [c for c in ranked[:limit] if relevance(c[1], query_terms) > 0] or ranked[:1]
    return [s for _, s in sorted(chosen)]
