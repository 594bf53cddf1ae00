"""Turn plain text (a PDF's text layer, a pasted statute) into the corpus' structured markdown.

Pure functions. The conventions are those of `data/corpus/README.md`:

- `##` heads one citable unit: `§ 1798.100. Title`, `Article 17 — Title`, `Section 3A`,
  `Recital (26)`, `Annex I`;
- `#` heads the document title and structural groupings: `CHAPTER III — Rights of the data
  subject`, `PART 164—SECURITY AND PRIVACY`, `Subpart D—…`, and (in a document whose units are
  `§` sections) `Article 1. GENERAL PROVISIONS`;
- every subdivision ((a), (1), (A), (i), "1.", "A.") starts its own paragraph; hard-wrapped lines
  of one paragraph are joined again. No word of the text is changed or dropped.

Which word names a citable unit depends on the document: a `§` document uses Articles as
groupings, a document of Articles uses Sections as groupings (GDPR "Section 1 — Transparency"),
and a statute without either is divided into Sections (M.G.L. c. 93H "Section 3A"). The first
family present in the order `§`, Article, Section wins; the others become structural headings.

Loaders that know their headings (HTML tags, Word heading styles) build `Block`s themselves and
render them with `blocks_to_markdown`; plain text goes through `structure_plain_text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from ingestion.corpus_format import DOT_MARKER, NUMBER, PAREN_MARKER

BlockKind = Literal["heading", "subtitle", "para"]

# The unit families in order of precedence (see the module docstring).
UNIT_FAMILIES = ("§", "article", "section")
# Families that are citable units whatever else the document contains.
ALWAYS_UNIT = ("recital", "annex")

_NUM = NUMBER
_ROMAN_OR_NUM = r"(?:[0-9]+[A-Za-z]?(?:[.\-][0-9A-Za-z]+)*|[IVXLCDM]+[A-Z]?|[A-Z])"
# After the number: end of line, or a separator and a title ("§ 164.404 Notification" has none).
_TITLE_SEP = r"(?:\s*[.:—–]\s*|\s+[-—–]\s+|\s+)"

_SECTION_SIGN = re.compile(rf"^§\s*(?P<num>{_NUM})(?P<dot>\.?)(?:\s+(?P<title>.+))?$")
# leginfo prints a section number alone: "1798.100." (optionally followed by "(a) …"); also
# "899-bb." and "59.1-577." but not a page range "258-279." or "Pub. L. 111-5.".
_BARE_NUMBER = re.compile(
    r"^(?P<num>[0-9]+(?:\.[0-9]+[A-Za-z]?)+(?:-[0-9]+(?:\.[0-9]+)?)?|[0-9]+-[a-z]{1,3})\."
    r"(?:\s+(?P<title>\(.+))?$"
)
_ARTICLE = re.compile(
    rf"^(?P<word>Article|ARTICLE|Art\.)\s+(?P<num>[0-9]+[a-z]?|[IVXLC]+)\b\.?(?:{_TITLE_SEP}(?P<title>.+))?$"
)
_SECTION = re.compile(
    rf"^(?P<word>Section|SECTION|Sec\.|SEC\.)\s+(?P<num>{_NUM})\b\.?(?:{_TITLE_SEP}(?P<title>.+))?$"
)
_RECITAL = re.compile(r"^(?:Recital|RECITAL)\s+\(?(?P<num>[0-9]+)\)?\.?$")
_ANNEX = re.compile(
    r"^(?P<word>Annex|ANNEX|Appendix|APPENDIX|Schedule|SCHEDULE)\s+(?P<num>[0-9]+[A-Za-z]?|[IVXLC]+|[A-Z])\b\.?"
    rf"(?:{_TITLE_SEP}(?P<title>.+))?$"
)
_STRUCTURAL = re.compile(
    r"^(?P<word>CHAPTER|Chapter|PART|Part|SUBPART|Subpart|TITLE|Title|DIVISION|Division|"
    r"SUBCHAPTER|Subchapter|SUBTITLE|Subtitle|BOOK|Book)\s+"
    rf"(?P<num>{_ROMAN_OR_NUM})\b\.?(?:{_TITLE_SEP}(?P<title>.+))?$"
)

# A title after the number must look like one: a capital, a bracket ("[Reserved]"), a quote or a
# subdivision marker (split off into the body). "Section 1798.100 requires …" is a sentence.
_TITLE_START = re.compile(r"^[A-Z0-9\[(“\"‘']")
# Table-of-contents lines: dot leaders or a trailing page number after a wide gap.
_TOC_LINE = re.compile(r"\.{4,}|…{2,}|\s{3,}[0-9]{1,4}$")

# Paragraph starts: (a) (1) (A) (i) (aa); "1. The …" (GDPR); "A. A controller …" (Virginia);
# a definition "“Term” means …".
_MARKER = re.compile(rf"^{PAREN_MARKER}")
_NUMBERED = re.compile(rf"^{DOT_MARKER}\s+[A-Z“\"‘(]")
_HISTORY_NOTE = re.compile(r"^\((?:Added|Amended|Repealed|Enacted|Renumbered|Formerly|Source)\b")
_DEFINITION = re.compile(r"^[“\"‘][^”\"’]{1,100}[”\"’],?\s+(?:means|includes|has the meaning)\b")
# A line starting with "(a)" continues the previous one when it is a cross-reference
# ("… required by paragraph\n(a) of this section").
_REFERENCE_WORDS = re.compile(
    r"(?:\b(?:paragraphs?|subparagraphs?|subdivisions?|subsections?|sections?|clauses?|points?|"
    r"articles?|items?|to|through)|[§,])$",
    re.IGNORECASE,
)
_REFERENCE_AFTER = re.compile(r"^\([^)]*\)\s*(?:of|and|or|through|to|,|;|\)|\(|$)")

# A paragraph ending like this continues on the next line, even if that line looks like a heading.
_CONTINUES = re.compile(
    r"(?:\b(?:sections?|articles?|paragraphs?|subdivisions?|chapters?|parts?|of|to|in|and|or|under|"
    r"with|by|see|pursuant|per|than|the|a|an)|[§,])$",
    re.IGNORECASE,
)
_MID_SENTENCE = set("abcdefghijklmnopqrstuvwxyz,")
_PAGE_NUMBER = re.compile(
    r"^(?:-\s*)?[0-9]{1,4}(?:\s*-)?$|^(?:Page|page)\s+[0-9]+(?:\s+of\s+[0-9]+)?$"
)


@dataclass(frozen=True)
class Block:
    """One piece of a document on its way to markdown.

    `heading` blocks are classified by pattern; `level` forces `#` (1) or `##` (2) when the
    source says so and the pattern does not (an unnumbered HTML heading, a Word "Heading 2").
    A `subtitle` is appended to the heading before it ("Article 17" + "Right to erasure").
    """

    kind: BlockKind
    text: str
    level: int | None = None


@dataclass(frozen=True)
class HeadingMatch:
    family: str  # "§", "article", "section", "recital", "annex", "structural"
    number: str  # "1798.100", "17", "3A", "I"
    label: str  # the heading without its title: "§ 1798.100.", "Article 17"
    title: str  # "" when the line holds only the number
    text: str  # the heading as it will be written
    loose: bool = False  # the title follows the number after a bare space ("Article 6 GDPR …")


def collapse(text: str) -> str:
    """Collapse runs of whitespace (including no-break spaces) to one space."""
    return re.sub(r"\s+", " ", text.replace("\u00ad", "")).strip()


def match_heading(line: str) -> HeadingMatch | None:
    """Classify one line as a unit or structural heading, or None for ordinary text."""
    text = collapse(line)
    if not text or len(text) > 300 or _TOC_LINE.search(line.strip()):
        return None
    m = _SECTION_SIGN.match(text)
    if m:
        return _with_title("§", m, f"§ {m.group('num')}{m.group('dot')}")
    m = _BARE_NUMBER.match(text)
    if m:
        label = f"§ {m.group('num')}."
        return HeadingMatch("§", m.group("num"), label, m.group("title") or "", f"§ {text}")
    m = _RECITAL.match(text)
    if m:
        label = f"Recital ({m.group('num')})"
        return HeadingMatch("recital", m.group("num"), label, "", label)
    for family, pattern in (
        ("article", _ARTICLE),
        ("section", _SECTION),
        ("annex", _ANNEX),
    ):
        m = pattern.match(text)
        if m:
            return _with_title(family, m, f"{m.group('word')} {m.group('num')}")
    m = _STRUCTURAL.match(text)
    if m:
        return _with_title("structural", m, f"{m.group('word')} {m.group('num')}")
    return None


def _with_title(family: str, m: re.Match[str], label: str) -> HeadingMatch | None:
    title = (m.group("title") or "").strip()
    if title and not _TITLE_START.match(title):
        return None
    text = m.string if title else label
    loose = bool(title) and not m.string[m.end("num") : m.start("title")].strip()
    return HeadingMatch(family, m.group("num"), label, title, text, loose)


def is_paragraph_start(line: str, previous: str = "") -> bool:
    """True when `line` opens a new paragraph rather than continuing `previous`."""
    text = line.strip()
    if _MARKER.match(text):
        prev = previous.rstrip()
        return not (prev and (_REFERENCE_WORDS.search(prev) or _REFERENCE_AFTER.match(text)))
    return bool(_NUMBERED.match(text) or _DEFINITION.match(text) or _HISTORY_NOTE.match(text))


def join_lines(previous: str, line: str) -> str:
    """Re-join a hard-wrapped line; a line-end hyphen is kept, never guessed away."""
    if not previous:
        return line
    if (
        previous.endswith("-")
        and len(previous) > 1
        and previous[-2].isalpha()
        and line[:1].islower()
    ):
        return previous + line
    return f"{previous} {line}"


def _is_subtitle(line: str, following: str | None) -> bool:
    """Is `line` the caption printed under a bare "Article 17" / "CHAPTER III" line?"""
    text = collapse(line)
    if not text or len(text) > 120 or text.endswith((".", ",", ";", ":")):
        return False
    if not _TITLE_START.match(text) or _MARKER.match(text) or _NUMBERED.match(text):
        return False
    if match_heading(text):
        return False
    if text.isupper():
        return True
    # A caption stands alone; a first line of body text runs on into the next line.
    if following is None or not following.strip() or _starts_block(following):
        return True
    last_word = text.rsplit(" ", 1)[-1].lower()
    return last_word not in _FUNCTION_WORDS and bool(_SENTENCE_START.match(following.strip()))


def _starts_block(line: str) -> bool:
    text = line.strip()
    return bool(match_heading(text) or is_paragraph_start(text))


def _is_continuation(line: str) -> bool:
    text = line.strip()
    return bool(text) and not _starts_block(text) and text[:1].islower()


_FUNCTION_WORDS = {
    "a",
    "an",
    "the",
    "of",
    "to",
    "and",
    "or",
    "in",
    "for",
    "with",
    "by",
    "under",
    "on",
}
_SENTENCE_START = re.compile(
    r"^(?:The|A|An|Any|Each|Every|No|Nothing|If|When|Whenever|Where|Except|Notwithstanding|Unless|"
    r"In|For|As|This|These|Such|All|Upon|Subject to)\s"
)


def _is_sentence(title: str) -> bool:
    """ "The attorney general may bring an action …" is body text, not a section caption."""
    words = title.split()
    if not _SENTENCE_START.match(title) or len(words) < 8:
        return False
    # "When a Business Must Conduct a Risk Assessment." is a caption in title case.
    capitalised = sum(1 for w in words if w[:1].isupper())
    return capitalised < 0.5 * len(words)


def _typical_width(lines: list[str]) -> int | None:
    """The width of a full line in hard-wrapped text (None for short or unwrapped text)."""
    lengths = sorted(len(line) for line in lines if line)
    if len(lengths) < 20:
        return None
    width = lengths[int(len(lengths) * 0.9)]
    return width if 40 <= width <= 200 else None


def _ends_paragraph(last: str, line: str, width: int | None) -> bool:
    """A line ending a sentence well short of the margin ends its paragraph."""
    return (
        width is not None
        and len(last) < 0.7 * width
        and last.endswith((".", ":", ";", ".)", ".]", ".”"))
        and bool(re.match(r"[A-Z“\"\[]", line))
    )


#: How much of a growing paragraph's end the checks read: far more than any pattern anchored
#: at its end (`_CONTINUES`, `_REFERENCE_WORDS`, a line-end hyphen) can span.
_TAIL_CHARS = 256


class _Paragraph:
    """A paragraph re-joined from wrapped lines in linear time: the pieces are joined once,
    and the checks on its end read only `tail` (re-scanning the whole paragraph for every
    line made a long unbroken paragraph quadratic)."""

    __slots__ = ("parts", "tail")

    def __init__(self, text: str = "") -> None:
        self.parts = [text] if text else []
        self.tail = text[-_TAIL_CHARS:]

    def __bool__(self) -> bool:
        return bool(self.parts)

    def add(self, line: str) -> None:
        joined = join_lines(self.tail, line)  # looks only at the end of what came before
        self.parts.append(joined[len(self.tail) :])
        self.tail = joined[-_TAIL_CHARS:]

    def text(self) -> str:
        return "".join(self.parts)


def text_to_blocks(text: str, *, drop_page_numbers: bool = False) -> list[Block]:
    """Split plain text into heading, subtitle and paragraph blocks (linear in the text)."""
    text = re.sub(r"\u00ad\s*", "", text.replace("\r\n", "\n").replace("\r", "\n"))
    raw = text.split("\n")
    lines = [collapse(line) for line in raw]
    if drop_page_numbers:
        lines = ["" if _PAGE_NUMBER.match(line) else line for line in lines]
    blocks: list[Block] = []
    para = _Paragraph()

    def flush() -> None:
        nonlocal para
        if para:
            blocks.append(Block("para", para.text()))
        para = _Paragraph()

    def next_nonblank(start: int, skip_blank: int = 1) -> int | None:
        j, blanks = start, 0
        while j < len(lines) and not lines[j]:
            j, blanks = j + 1, blanks + 1
        return j if j < len(lines) and blanks <= skip_blank else None

    width = _typical_width(lines)
    last = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line:
            flush()
            i += 1
            continue
        if _TOC_LINE.search(raw[i].strip()):
            flush()  # a contents entry is a paragraph of its own, never a heading
            blocks.append(Block("para", line))
            i += 1
            continue
        heading = match_heading(raw[i])
        if (
            heading
            and para
            and (
                _CONTINUES.search(para.tail) or (heading.loose and para.tail[-1:] in _MID_SENTENCE)
            )
        ):
            # "… pursuant to Section\n1798.185." / "… in\nArticle 6 TFEU …" continue a
            # sentence.
            heading = None
        if heading is None:
            if (
                para
                and not is_paragraph_start(line, para.tail)
                and not _ends_paragraph(last, line, width)
            ):
                para.add(line)
            else:
                flush()
                para = _Paragraph(line)
            last = line
            i += 1
            continue
        flush()
        i += 1
        if heading.title and (_MARKER.match(heading.title) or _is_sentence(heading.title)):
            # "§ 1798.100. (a) A business …", "Section 5. The attorney general may …":
            # the number heads the unit, the rest is body.
            blocks.append(Block("heading", heading.label))
            para, last = _Paragraph(heading.title), heading.title
            continue
        if heading.title and i < len(lines) and _is_continuation(lines[i]):
            caption, j = heading.title, i
            while j < len(lines) and _is_continuation(lines[j]) and not caption.endswith("."):
                caption, j = join_lines(caption, lines[j]), j + 1
            after = lines[j] if j < len(lines) else ""
            if caption.endswith(".") and len(caption) <= 250 and not _is_continuation(after):
                # A caption wrapped over two lines ("§ 312.3 Regulation of … on the internet.").
                prefix = heading.text[: len(heading.text) - len(heading.title)]
                blocks.append(Block("heading", prefix + caption))
                i = j
            else:
                blocks.append(Block("heading", heading.label))
                para, last = _Paragraph(heading.title), heading.title
            continue
        blocks.append(Block("heading", line))
        if not heading.title and heading.family != "recital":
            nxt = next_nonblank(i)
            if nxt is not None:
                k = nxt + 1
                following = lines[k] if k < len(lines) else None
                if _is_subtitle(lines[nxt], following):
                    blocks.append(Block("subtitle", lines[nxt]))
                    i = nxt + 1
    flush()
    return blocks


def unit_family(blocks: list[Block]) -> str | None:
    """The family whose headings are the citable units of this document."""
    present = set()
    for block in blocks:
        if block.kind == "heading":
            m = match_heading(block.text)
            if m:
                present.add(m.family)
    return next((family for family in UNIT_FAMILIES if family in present), None)


def blocks_to_markdown(blocks: list[Block], *, title: str | None = None) -> str:
    """Render blocks as the corpus' markdown; `title`, if given and not already first, heads it."""
    primary = unit_family(blocks)
    rendered: list[tuple[int, str, str | None]] = []  # (level, text, unit number) / (0, para, None)
    for block in blocks:
        if block.kind == "subtitle":
            if rendered and rendered[-1][0] in (1, 2):
                level, text, number = rendered[-1]
                rendered[-1] = (level, f"{text} — {collapse(block.text)}", number)
            else:
                rendered.append((0, collapse(block.text), None))
            continue
        text = collapse(block.text)
        if not text:
            continue
        if block.kind == "para":
            rendered.append((0, _escape(text), None))
            continue
        m = match_heading(text)
        if m and (m.family in ALWAYS_UNIT or m.family == primary):
            rendered.append((2, m.text, f"{m.family}:{m.number}"))
        elif m or block.level is None:
            rendered.append((1, text, None))
        else:
            rendered.append((1 if block.level <= 1 else 2, text, None))
    rendered = _drop_toc_duplicates(rendered)
    if title and not (rendered and rendered[0][0] == 1):
        rendered.insert(0, (1, collapse(title), None))
    out = [("#" * level + " " + text) if level else text for level, text, _ in rendered]
    return "\n\n".join(out) + "\n" if out else ""


def _drop_toc_duplicates(
    rendered: list[tuple[int, str, str | None]],
) -> list[tuple[int, str, str | None]]:
    """Drop unit headings with no body whose number heads a unit again later (a contents list)."""
    keep: list[tuple[int, str, str | None]] = []
    for index, item in enumerate(rendered):
        level, _, number = item
        if level == 2 and number is not None:
            rest = rendered[index + 1 :]
            empty = not rest or rest[0][0] != 0
            if empty and any(other[2] == number for other in rest):
                continue
        keep.append(item)
    return keep


def _escape(paragraph: str) -> str:
    """A body paragraph must never read as a heading."""
    return "\\" + paragraph if paragraph.startswith("#") else paragraph


def structure_plain_text(text: str) -> str:
    """Plain text lines → structured markdown (see the module docstring)."""
    blocks = text_to_blocks(text, drop_page_numbers=True)
    if len(blocks) > 1 and blocks[0].kind == "para" and _looks_like_title(blocks[0].text, text):
        blocks[0] = replace(blocks[0], kind="heading", level=1)
    return blocks_to_markdown(blocks)


def _looks_like_title(first: str, text: str) -> bool:
    """The first line of a document, alone in its block, short and not a sentence."""
    first_line = next((collapse(line) for line in text.splitlines() if line.strip()), "")
    return (
        first == first_line
        and len(first) <= 150
        and not first.endswith((".", ",", ";", ":"))
        and not _starts_block(first)
        and bool(_TITLE_START.match(first))
    )


def guess_title(markdown: str) -> str | None:
    """The document's own title: its first `#` heading, else None."""
    for line in markdown.splitlines():
        if line.startswith("# "):
            return line[2:].strip() or None
    return None
