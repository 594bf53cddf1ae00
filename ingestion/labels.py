"""Subdivision labels: the "(c)(1)(A)" each paragraph of a unit is cited to. Pure.

The corpus grammar puts each subdivision in its own paragraph, but nesting is not shown by
indentation, so it is read from the markers themselves, the way a reader does:

- a marker continues the list it is the next item of ("(B)" after "(A)", "(ii)" after "(i)",
  "(b)" after "(a)", at whatever depth that list is), else opens a list one level deeper when
  it is a first item ("(1)", "(a)", "(A)", "(i)", "1.", "a."), so the reuse of a style deeper
  down ("(a)(1)(i)(a)" in 23 NYCRR, "(a)(5)(i)(A)(1)" in 45 CFR) nests instead of jumping
  back up;
- "(i)" is a letter after "(h)" and a numeral otherwise; when both readings continue a list,
  the next marker decides ("(ii)" or "(j)");
- a first item inside a paragraph's own heading counts as a marker: "(c) Content of
  notification —(1) Elements." is (c)(1), "(1) Written notice. (i) Written notification …" is
  (1)(i) — only when the list it opens goes on in a later paragraph;
- a paragraph without a marker continues the subdivision before it, except that text after
  the last item of a list, followed by the next item of the enclosing list, belongs to the
  enclosing subdivision ("The controller shall bear the burden …" after Art. 12(5)(b) is 12(5));
- history and source notes ("[78 FR 5695 …]", "2021, Sp. Sess. I, cc. 35, 36.") belong to
  no subdivision and end the unit's text (a unit may hold two versions, one after the other);
  an unmarked definition ("Breach means …") is a unit of its own in a definitions section:
  it closes the lists before it (its own items are labelled from "(1)" again).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingestion.corpus_format import ROMAN, leading_markers

# A heading at a paragraph's start, then a first marker: "Standard —(1) General rule.",
# "Content of the accounting. (1) The covered entity", "shall mean either: (i) personal".
_INLINE = re.compile(
    r"^(?P<head>[^()]{1,300}?(?:\s*[—–]|[.:]))\s*\((?P<m>1|i|a|A)\)\s+(?=[A-Za-z“\"‘])"
)
_HEAD_WORDS = 14  # a heading ("Standard: Access control.") is short and states no rule
_LEAD_IN_WORDS = 40  # a lead-in ending in ":" may state one ("shall mean either: (i) …")
_MODAL = re.compile(r"\b(?:shall|must|may)\b", re.IGNORECASE)
_HISTORY = re.compile(
    r"^(?:\[\d+ FR |\((?:Added|Amended|Repealed|Enacted|Renumbered|Formerly|Source)\b|"
    r"\d{4}, (?:Sp\. Sess\.|c{1,2}\. )|Note: Authority cited|\(Source: )"
)
# A definition of its own in a list of definitions ("Breach means …", "“Consent” means …")
# starts afresh: the items of the definition before it are closed.
_DEFINITION = re.compile(
    r"^(?:[“\"‘][^”\"’]{1,80}[”\"’](?:,? or [“\"‘][^”\"’]{1,80}[”\"’])?|[A-Z][\w'’\-, ()]{0,120}?)"
    r"(?:,?\s+(?:means|includes|has the (?:same )?meaning|stands for)\b|:\s*\(1\)\s)"
)


_ROMAN_NEXT = {"i": "ii", "v": "vi", "x": "xi", "l": "li"}


@dataclass(frozen=True)
class _Level:
    style: str  # digit, lower, upper, roman; "dot-" prefixed for "1.", "A.", "a."
    marker: str  # as written, without the dot


def _styles(marker: str) -> list[str]:
    """The styles a marker can be read as (a lone "i", "v", "x", "l" is a letter or a numeral)."""
    dot = "dot-" if marker.endswith(".") else ""
    m = marker.rstrip(".")
    if m[:1].isdigit():
        return [dot + "digit"]
    if m.isupper():
        return [dot + "upper"]
    if ROMAN.match(m):
        return [dot + "roman", dot + "lower"] if len(m) == 1 else [dot + "roman"]
    return [dot + "lower"]


def _ordinal(marker: str, style: str) -> int:
    m = marker.rstrip(".").lower()
    if style.endswith("digit"):
        digits = re.match(r"\d+", m)
        return int(digits.group()) if digits else 0
    if style.endswith("roman"):
        values = {"i": 1, "v": 5, "x": 10, "l": 50}
        total = 0
        for i, ch in enumerate(m):
            value = values[ch]
            total += -value if i + 1 < len(m) and values[m[i + 1]] > value else value
        return total
    if len(m) == 1:
        return ord(m) - ord("a") + 1
    if len(set(m)) == 1:  # "(aa)", "(bb)": doubled letters continue after "(z)"
        return 26 * (len(m) - 1) + ord(m[0]) - ord("a") + 1
    return 26 * (ord(m[0]) - ord("a") + 1) + ord(m[1]) - ord("a") + 1  # "(ab)" after "(aa)"


def _follows(previous: _Level, marker: str, style: str) -> bool:
    """Whether `marker` (read as `style`) is the next item after `previous`."""
    if previous.style != style:
        return False
    before, after = _ordinal(previous.marker, style), _ordinal(marker, style)
    if style.endswith("lower") and len(marker.rstrip(".")) == 2 and previous.marker == "z":
        return True
    if style.endswith("digit") and after == before and marker.rstrip(".") != previous.marker:
        return True  # "(1a)" after "(1)"
    return after == before + 1


def _place(stack: list[_Level], marker: str, style: str) -> tuple[int, int]:
    """(how good, depth) of reading `marker` as `style` given the open lists: 2 continues a
    list, 1 opens a deeper one, 0 falls back to the last list of that style."""
    for depth in range(len(stack) - 1, -1, -1):
        if _follows(stack[depth], marker, style):
            return 2, depth
    top = stack[-1].style if stack else ""
    if _ordinal(marker, style) == 1 and style != top:
        return 1, len(stack)
    same = [d for d, level in enumerate(stack) if level.style == style]
    return (0, same[-1]) if same else (0, 0)


def _inline(paragraph: str, markers: list[str]) -> str:
    """A first marker inside the paragraph's own heading ("—(1)", ". (i)"), or ""."""
    rest = paragraph
    for _ in markers:
        rest = re.sub(r"^(?:\([^)]*\)|[0-9A-Za-z]{1,3}\.)\s*", "", rest, count=1)
    m = _INLINE.match(rest)
    if not m:
        return ""
    head = m.group("head")
    if head.endswith(":"):
        return m.group("m") if len(head.split()) <= _LEAD_IN_WORDS else ""
    if len(head.split()) > _HEAD_WORDS or _MODAL.search(head):
        return ""
    return m.group("m")


def _successor(marker: str) -> set[str]:
    return {"1": {"2"}, "i": {"ii"}, "a": {"b"}, "A": {"B"}}.get(marker, set())


def paragraph_labels(paragraphs: Sequence[str]) -> list[str]:
    """The subdivision label of each paragraph of one unit ("" outside any subdivision)."""
    markers = [leading_markers(p) for p in paragraphs]
    later_firsts: list[set[str]] = [set() for _ in paragraphs]  # first markers of later ones
    seen: set[str] = set()
    for i in range(len(paragraphs) - 1, -1, -1):
        later_firsts[i] = set(seen)
        seen |= {m.rstrip(".") for m in markers[i][:1]}
    upcoming = [
        [m.rstrip(".") for later in markers[i + 1 :] for m in later] for i in range(len(markers))
    ]
    stack: list[_Level] = []
    base: list[_Level] | None = None  # the open lists above a run of definitions
    labels: list[str] = []
    depths: list[int | None] = []  # depth of each marked paragraph, None when unmarked
    for i, paragraph in enumerate(paragraphs):
        if _HISTORY.match(paragraph):
            stack, base = [], None
            labels.append("")
            depths.append(None)
            continue
        definition = not markers[i] and bool(_DEFINITION.match(paragraph))
        if definition:
            base = list(stack) if base is None else base
            stack = list(base)
        own = list(markers[i])
        if own or definition or not stack:
            extra = _inline(paragraph, own)
            if extra and _successor(extra) & later_firsts[i]:
                own.append(extra)
        if not own:
            labels.append("".join(f"({lv.marker})" for lv in stack))
            depths.append(None)
            continue
        for j, marker in enumerate(own):
            following = own[j + 1] if j + 1 < len(own) else _next_marker(markers, i)
            if j >= len(markers[i]):  # a first item found in the heading: its list goes on
                following = min(_successor(marker))
            stack = _push(stack, marker, following, upcoming[i] if j + 1 == len(own) else ())
            if base is not None and len(stack) <= len(base):
                base = None  # the definitions are over
        labels.append("".join(f"({lv.marker})" for lv in stack))
        depths.append(len(stack))
    return _close_lists(labels, depths)


def _next_marker(markers: Sequence[list[str]], i: int) -> str:
    for later in markers[i + 1 :]:
        if later:
            return later[0]
    return ""


def _push(
    stack: list[_Level], marker: str, following: str, later: Sequence[str] = ()
) -> list[_Level]:
    """`stack` with `marker` placed. A letter-or-numeral ("(i)", "(v)") right under a letter is
    a letter unless the next marker is its numeral successor ("(ii)"); deeper down it is read
    the way the first of its successors among the `later` markers reads it ("(ii)" or "(j)")."""
    styles = _styles(marker)
    if len(styles) == 2:
        m = marker.rstrip(".")
        numeral, letter = _ROMAN_NEXT.get(m, ""), chr(ord(m) + 1)
        if stack and stack[-1].style == styles[1]:
            styles = [styles[0] if following == numeral else styles[1]]
        else:
            for nxt in later:
                if nxt in (numeral, letter):
                    styles = [styles[0] if nxt == numeral else styles[1]]
                    break
    options: list[tuple[bool, int, int, int, str]] = []
    for style in styles:
        score, depth = _place(stack, marker, style)
        trial = [*stack[:depth], _Level(style, marker.rstrip("."))]
        hint = bool(following) and any(
            _place(trial, following, s)[0] == 2 for s in _styles(following)
        )
        options.append((hint, score, -len(options), depth, style))
    _, _, _, depth, style = max(options)
    return [*stack[:depth], _Level(style, marker.rstrip("."))]


def _close_lists(labels: list[str], depths: list[int | None]) -> list[str]:
    """Unmarked text after a list item whose next marked paragraph is shallower belongs to
    the subdivision that holds the list."""
    out = list(labels)
    i = 0
    while i < len(labels):
        if depths[i] is not None or i == 0 or not labels[i]:
            i += 1
            continue
        start = i
        while i < len(labels) and depths[i] is None and labels[i]:
            i += 1
        previous = next((d for d in reversed(depths[:start]) if d is not None), None)
        following = depths[i] if i < len(labels) else None
        if (
            previous is not None
            and previous >= 2
            and following is not None
            and following < previous
        ):
            parent = "".join(re.findall(r"\([^)]*\)", labels[start])[: previous - 1])
            for j in range(start, i):
                out[j] = parent
    return out
