"""Section-aware chunking: one chunk per citable unit, long units split at subsection boundaries.

Pure functions over the structured markdown every loader produces (its grammar:
`ingestion.corpus_format`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingestion.corpus_format import (
    GROUP_HEADING,
    UNIT_HEADING,
    leading_markers,
    parse_unit_heading,
)
from ingestion.labels import paragraph_labels

MAX_PIECE_WORDS = 200

_STRUCT_RANK = {
    "title": 0,
    "division": 1,
    "part": 2,
    "subpart": 3,
    "chapter": 4,
    "subchapter": 5,
    "article": 6,
    "section": 7,
}
_SENTENCE_END = re.compile(r"(?<=[.;:])\s+(?=[(A-Z0-9“\"])")


@dataclass(frozen=True)
class Unit:
    """A citable unit as written in the document."""

    section: str  # "1798.100", "Article 17", "Section 3A", "Recital 26"
    heading: str  # "General Duties of Businesses that Collect Personal Information"
    heading_line: str  # the full heading text as written
    path: tuple[str, ...]  # structural headings above it
    body: str


@dataclass(frozen=True)
class Piece:
    """One chunk: a whole unit, or the part of a long unit starting at `subsection`."""

    unit: Unit
    text: str
    subsection: str  # "" for a whole unit, else "(c)" or "(c)(2)"
    ordinal: int  # position of this piece among the unit's pieces, from 0
    pieces: int  # how many pieces the unit has
    paragraph_labels: tuple[str, ...] = ()  # subdivision label of each paragraph of `text`


def structural_rank(heading: str) -> int:
    first = heading.strip().split()[0].lower().rstrip(".,") if heading.strip() else ""
    return _STRUCT_RANK.get(first, len(_STRUCT_RANK))


def split_units(markdown: str) -> tuple[str, list[Unit]]:
    """Return (document title from the first `#`, the `##` units in order)."""
    title = ""
    path: list[tuple[int, str]] = []
    units: list[Unit] = []
    current: tuple[str, list[str]] | None = None
    current_path: tuple[str, ...] = ()

    def close() -> None:
        if current is not None:
            heading_line, lines = current
            section, heading = parse_unit_heading(heading_line)
            units.append(
                Unit(section, heading, heading_line, current_path, "\n".join(lines).strip())
            )

    for line in markdown.splitlines():
        if line.startswith(UNIT_HEADING):
            close()
            current = (line[len(UNIT_HEADING) :].strip(), [])
            current_path = tuple(h for _, h in path)
        elif line.startswith(GROUP_HEADING):
            close()
            current = None
            heading = line[len(GROUP_HEADING) :].strip()
            if not title:
                title = heading
                continue
            rank = structural_rank(heading)
            while path and path[-1][0] >= rank:
                path.pop()
            path.append((rank, heading))
        elif current is not None:
            current[1].append(line)
    close()
    return title, units


def paragraphs(body: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", body) if p.strip()]


def _split_long_paragraph(paragraph: str, limit: int) -> list[str]:
    sentences = _SENTENCE_END.split(paragraph)
    out: list[str] = []
    buf: list[str] = []
    words = 0
    for s in sentences:
        n = len(s.split())
        if buf and words + n > limit:
            out.append(" ".join(buf))
            buf, words = [], 0
        buf.append(s)
        words += n
    if buf:
        out.append(" ".join(buf))
    return out


def split_unit(unit: Unit, max_words: int = MAX_PIECE_WORDS) -> list[Piece]:
    """One piece for a short unit; for a long one, pieces at subsection boundaries.

    Every piece records the subdivision label of each of its paragraphs, so a quote can be
    cited to its exact subdivision ("(c)(2)").
    """
    paras = paragraphs(unit.body)
    labelled: list[tuple[str, str, bool]] = []  # (label, text, starts a subdivision)
    for p, label in zip(paras, paragraph_labels(paras), strict=True):
        starts = bool(leading_markers(p))
        parts = _split_long_paragraph(p, max_words) if len(p.split()) > max_words else [p]
        for i, part in enumerate(parts):
            labelled.append((label, part, starts and i == 0))
    if sum(len(p.split()) for p in paras) <= max_words:
        labels = tuple(label for label, _, _ in labelled)
        return [Piece(unit, "\n\n".join(t for _, t, _ in labelled), "", 0, 1, labels)]
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    words = 0
    for label, text, starts in labelled:
        n = len(text.split())
        top_level_start = starts and label.count("(") == 1
        if groups and (words + n > max_words or (top_level_start and words >= max_words // 2)):
            groups.append((label, [(label, text)]))
            words = n
        elif groups:
            groups[-1][1].append((label, text))
            words += n
        else:
            groups.append((label, [(label, text)]))
            words = n
    return [
        Piece(
            unit,
            "\n\n".join(t for _, t in items),
            label,
            i,
            len(groups),
            tuple(lab for lab, _ in items),
        )
        for i, (label, items) in enumerate(groups)
    ]


def chunk_document(markdown: str, max_words: int = MAX_PIECE_WORDS) -> tuple[str, list[Piece]]:
    """All pieces of a document, in document order; units with no body are skipped."""
    title, units = split_units(markdown)
    pieces: list[Piece] = []
    for unit in units:
        if unit.body:
            pieces.extend(split_unit(unit, max_words))
    return title, pieces
