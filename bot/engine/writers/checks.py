"""Claim checks for model-written answers: every sentence is cited, every figure is sourced. Pure.

A sentence passes when it carries at least one marker that points at a given source, every
section it names ("§ 1798.82", "Article 33") is one of the sources it cites or appears in
their text, and every number, amount, percentage and duration in it appears in the text of a
source it cites ("30 days" needs "30 days" or "thirty days" there; "30 business days" is not
"30 days"). A sentence that fails is removed. Structure is kept: headings, bullets, labels
ending in ":" and statements that the sources do not cover something (without figures).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.engine.sentences import sentences
from bot.engine.writers import markers


@dataclass(frozen=True)
class Source:
    """A numbered source as the model saw it."""

    citation: str
    section: str
    text: str


@dataclass(frozen=True)
class Checked:
    text: str  # what passed, in the reply's layout, markers as the model wrote them
    sentences: int  # sentences checked
    removed: tuple[tuple[str, str], ...]  # (sentence, why) for each removed sentence


_MARKER = re.compile(r"\[\d+(?:\s*[,;–-]\s*\d+)*\]")
_MARKERS_AFTER_STOP = re.compile(r"([.!?])((?:\s*\[\d+(?:\s*[,;–-]\s*\d+)*\])+)")
_FOOTNOTE_LIST_HEAD = re.compile(
    r"^\s*(?:#{1,6}\s*)?[*_]*(?:sources|references|footnotes|citations|notes)[*_]*\s*:?[*_]*\s*$",
    re.IGNORECASE,
)
_FOOTNOTE_LINE = re.compile(r"^\s*(?:[-*•]\s*)?(?:\[\^?\d+\]:?|\^\d+|\d+\.)\s+\S")
_BULLET = re.compile(r"^(\s*(?:[-*•+]|\d{1,2}[.)])\s+)")
_NO_SOURCE = re.compile(
    r"\b(?:sources?|provided (?:texts?|sections?)|indexed (?:texts?|regulations?))\b.*"
    r"\b(?:do(?:es)? not|don't|doesn't|are silent|say nothing)\b",
    re.IGNORECASE,
)
_REF = re.compile(
    r"§§?\s*(?P<a>\d[\w.\-–]*)"
    r"|\b(?:Art(?:icle)?s?\.?|Sections?|Sec\.|Recitals?|Chapter|ch\.|Part|tit(?:le)?\.?)\s*"
    r"\(?(?P<b>\d[\w.\-–]*)\)?"
    r"|\b(?P<c>\d+)\s+(?:C\.?F\.?R|U\.?S\.?C|CMR|NYCRR)\.?"
    r"|Regulation \(EU\) (?P<d>\d{4}/\d+)",
    re.IGNORECASE,
)
_LABEL = re.compile(r"\((?:\d{1,3}|[a-z]{1,4}|[A-Z])\)")
_UNITS = {"hour": "hour", "day": "day", "week": "week", "month": "month", "year": "year"}
_DURATION = re.compile(
    r"(?P<n>\d+(?:\.\d+)?)(?:\s*\(\d+\))?(?:-|\s+)(?P<q>calendar\s+|business\s+|working\s+)?"
    r"(?P<u>hour|day|week|month|year)s?\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"(?<![\w.])\d+(?:,\d{3})*(?:\s\d{3}(?!\d))*(?:\.\d+)?(?:\s+(?:million|billion))?"
)
_SMALL = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {
    w: 10 * i
    for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split())
    if w != "_"
}
_SCALE = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_WORD = "|".join([*_SMALL, *_TENS, *_SCALE])
_WORDS = re.compile(rf"\b(?:{_WORD})(?:(?:[\s-]+|\s+and\s+)(?:{_WORD}))*\b", re.IGNORECASE)


def _words_value(phrase: str) -> int:
    total, current = 0, 0
    for word in re.split(r"[\s-]+", phrase.lower()):
        if word == "and":
            continue
        if word in _SMALL:
            current += _SMALL[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in _SCALE:
            total += max(current, 1) * _SCALE[word]
            current = 0
    return total + current


def digits(text: str) -> str:
    """`text` with number words written as digits ("thirty days" → "30 days")."""
    return _WORDS.sub(lambda m: str(_words_value(m.group(0))), text)


def _value(token: str) -> float:
    scale = 1
    for word, factor in (("million", 1_000_000), ("billion", 1_000_000_000)):
        if token.endswith(word):
            scale, token = factor, token[: -len(word)]
    return float(re.sub(r"[,\s]", "", token)) * scale


def figures(text: str) -> tuple[set[tuple[float, str, str]], set[float]]:
    """(durations as (value, unit, qualifier), other numeric values) written in `text`."""
    text = _MARKER.sub(" ", digits(text))
    text = _REF.sub(" ", text)
    text = _LABEL.sub(" ", text)
    durations = {
        (float(m.group("n")), _UNITS[m.group("u").lower()], (m.group("q") or "").strip().lower())
        for m in _DURATION.finditer(text)
    }
    rest = _DURATION.sub(" ", text)
    values = {_value(m.group(0)) for m in _NUMBER.finditer(rest)}
    return durations, values


def _all_values(text: str) -> set[float]:
    durations, values = figures(text)
    return values | {d[0] for d in durations}


def refs(text: str) -> list[str]:
    """Section numbers a sentence names ("1798.82", "33")."""
    return [next(g for g in m.groups() if g) for m in _REF.finditer(text)]


def problem(sentence: str, sources: Mapping[int, Source]) -> str:
    """Why `sentence` fails the checks, or "" when it passes."""
    cited = [sources[n] for n in markers(sentence) if n in sources]
    if not cited:
        if _NO_SOURCE.search(sentence) and not _all_values(sentence):
            return ""
        return "no valid marker" if markers(sentence) else "uncited"
    haystack = " ".join(f"{s.citation} {s.section} {s.text}" for s in cited)
    for ref in refs(sentence):
        core = ref.rstrip(".").split("(")[0]
        if core and core not in haystack:
            return f"names § {ref}, which the cited sources are not"
    durations, values = figures(sentence)
    source_durations, source_values = figures(" ".join(s.text for s in cited))
    source_values |= {d[0] for d in source_durations}
    for value, unit, qualifier in durations:
        allowed = {qualifier, "calendar"} if not qualifier else {qualifier}
        if not any(
            d[0] == value and d[1] == unit and d[2] in allowed | ({""} if not qualifier else set())
            for d in source_durations
        ):
            written = f"{qualifier} {unit}" if qualifier else unit
            return f"duration {value:g} {written}s not in the cited sources"
    for value in values:
        if value not in source_values:
            return f"number {value:g} not in the cited sources"
    return ""


def strip_footnote_list(text: str) -> str:
    """The reply without a footnote list at its end ("Sources:", "[1] Cal. Civ. Code …")."""
    lines = text.rstrip().splitlines()
    for i, line in enumerate(lines):
        if _FOOTNOTE_LIST_HEAD.match(line) and all(
            not ln.strip() or _FOOTNOTE_LINE.match(ln) or _MARKER.match(ln.strip())
            for ln in lines[i + 1 :]
        ):
            return "\n".join(lines[:i]).rstrip()
    end = len(lines)
    while end and (not lines[end - 1].strip() or _FOOTNOTE_LINE.match(lines[end - 1])):
        if lines[end - 1].strip() and _words_only(lines[end - 1]) and markers(lines[end - 1]):
            break  # "1. A business must … [2]." is an answer bullet, not a footnote
        end -= 1
    return "\n".join(lines[:end]).rstrip()


def _words_only(line: str) -> bool:
    """A numbered line that reads as a claim (ends like a sentence) rather than a reference."""
    return bool(re.search(r"[.!?]\W*$|\[\d+\]\W*$", line.strip())) and not re.match(
        r"^\s*\[\^?\d+\]", line
    )


def _is_label(line: str) -> bool:
    bare = line.strip().strip("*_ ")
    return (
        not bare
        or line.lstrip().startswith("#")
        or (bare.endswith(":") and not markers(bare) and len(bare.split()) <= 10)
        or (line.strip().startswith("**") and line.strip().endswith("**") and not markers(line))
    )


def check(text: str, sources: Mapping[int, Source]) -> Checked:
    """Remove every sentence of `text` that fails; keep the layout of what passes."""
    kept_lines: list[str] = []
    count = 0
    removed: list[tuple[str, str]] = []
    for line in text.splitlines():
        if _is_label(line):
            kept_lines.append(line)
            continue
        bullet = _BULLET.match(line)
        prefix = bullet.group(1) if bullet else ""
        body = _MARKERS_AFTER_STOP.sub(r"\2\1", line[len(prefix) :])
        kept = []
        for sentence in sentences(body):
            count += 1
            why = problem(sentence, sources)
            if why:
                removed.append((sentence, why))
            else:
                kept.append(sentence)
        if kept:
            kept_lines.append(prefix + " ".join(kept))
    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(kept_lines)).strip()
    return Checked(text=_drop_empty_headings(cleaned), sentences=count, removed=tuple(removed))


def _drop_empty_headings(text: str) -> str:
    """Headings and labels left with nothing under them are dropped too."""
    lines = text.splitlines()
    out: list[str] = []
    for i, line in enumerate(lines):
        if line.strip() and _is_label(line):
            following = next((ln for ln in lines[i + 1 :] if ln.strip()), "")
            if not following or (
                following.lstrip().startswith("#") and line.lstrip().startswith("#")
            ):
                continue
        out.append(line)
    return "\n".join(out).strip()
