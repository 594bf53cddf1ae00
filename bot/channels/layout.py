"""What every channel shows of an `Answer`, in which order: one function, pure.

Order: short answer first (per jurisdiction when there are several), the comparison table
where there is one, the detail per jurisdiction, notes, footnotes with how current each
source is, and a footer naming the oldest "as of" date relied on. Slack, Teams, the web page,
the CLI and the Word export all render from `layout()`, so a single-part answer, a model's
lead without parts and an abstention look the same everywhere.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.answer import Answer, Citation, Part, Table
from bot.engine.currency import display_date
from bot.errors import INCOMPLETE, NOTHING_FOUND_FOR, SOME_INCOMPLETE


@dataclass(frozen=True)
class Layout:
    short: tuple[Part, ...]  # the short answer; a part's name is "" when it covers everything
    table: Table | None
    details: tuple[Part, ...]  # per jurisdiction
    notes: tuple[str, ...]  # missing jurisdictions, cache and writer notes
    footer: str  # "Oldest source relied on: text as of 26 March 2013 (45 C.F.R. § 164.404)."


def layout(answer: Answer) -> Layout:
    """The pieces of `answer` in reading order, whatever wrote it (0, 1 or several parts)."""
    short = tuple(p for p in answer.short if p.text.strip())
    if not short and answer.answer.strip():
        short = (Part("", "", answer.answer.strip()),)
    shown = {p.text.strip() for p in short}
    details = tuple(p for p in answer.parts if p.text.strip() and p.text.strip() not in shown)
    notes: list[str] = []
    if answer.missing_jurisdictions and not answer.abstained:
        names = ", ".join(answer.name_of(c) for c in answer.missing_jurisdictions)
        notes.append(NOTHING_FOUND_FOR.format(names=names))
    notes += [n.strip() for n in (answer.cache_note, answer.writer_note) if n.strip()]
    return Layout(short, answer.table, details, tuple(notes), footer(answer))


def heading(part: Part, answer: Answer) -> str:
    return part.name or (answer.name_of(part.jurisdiction) if part.jurisdiction else "")


def currency_line(citation: Citation) -> str:
    """ "Text as of 26 March 2013 (as amended through …); indexed 1 December 2026; …"."""
    pieces = []
    if citation.as_of:
        as_of = f"Text as of {display_date(citation.as_of)}"
        if citation.version:
            as_of += f" ({citation.version})"
        pieces.append(as_of)
    elif citation.version:
        pieces.append(f"Version: {citation.version}")
    if citation.ingested:
        pieces.append(f"indexed {display_date(citation.ingested)}")
    if not citation.complete:
        pieces.append(INCOMPLETE)
    line = "; ".join(pieces)
    return line[:1].upper() + line[1:] if line else ""


def short_currency(citation: Citation) -> str:
    """The compact form: "as of 26 March 2013 · indexed 1 December 2026 · incomplete text"."""
    pieces = []
    if citation.as_of:
        pieces.append(f"as of {display_date(citation.as_of)}")
    if citation.ingested:
        pieces.append(f"indexed {display_date(citation.ingested)}")
    if not citation.complete:
        pieces.append(INCOMPLETE)
    return " · ".join(pieces)


def footer(answer: Answer) -> str:
    """The oldest "as of" date the answer relies on, and which source it is."""
    oldest = answer.as_of()
    if not oldest:
        return ""
    sources = [c.pinpoint for c in answer.citations if c.as_of == oldest]
    line = f"Oldest source relied on: text as of {display_date(oldest)} ({sources[0]}"
    line += f" and {len(sources) - 1} more)." if len(sources) > 1 else ")."
    if answer.incomplete_sources():
        line += f" {SOME_INCOMPLETE}"
    return line


def table_rows(table: Table) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """(header, rows) of a comparison, the jurisdiction first."""
    return ("Jurisdiction", *table.columns), [
        (r.name or r.jurisdiction, *r.cells) for r in table.rows
    ]


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]], width: int = 100) -> str:
    """An aligned plain-text table, cells wrapped to fit `width` characters."""
    count = len(header)
    gap = 3
    room = max(width - gap * (count - 1), 10 * count)
    longest = [max([len(header[i]), *(len(r[i]) for r in rows)]) for i in range(count)]
    # Each column starts at its longest word (at least 10); the room left goes to the columns
    # in proportion to how much more they hold, so long rules get the width.
    words = [max([10, *(len(w) for c in [header[i], *(r[i] for r in rows)] for w in c.split())])
             for i in range(count)]  # fmt: skip
    widths = [min(longest[i], words[i], room // count) for i in range(count)]
    spare = room - sum(widths)
    want = [longest[i] - widths[i] for i in range(count)]
    total = sum(want)
    if total and spare > 0:
        extra = [min(want[i], spare * want[i] // total) for i in range(count)]
        widths = [w + e for w, e in zip(widths, extra, strict=True)]

    def lines(cells: Sequence[str]) -> list[str]:
        wrapped = [textwrap.wrap(c, widths[i]) or [""] for i, c in enumerate(cells)]
        height = max(len(w) for w in wrapped)
        return [
            (" " * gap)
            .join(
                (wrapped[i][k] if k < len(wrapped[i]) else "").ljust(widths[i])
                for i in range(count)
            )
            .rstrip()
            for k in range(height)
        ]

    out = lines(header)
    out.append((" " * gap).join("-" * w for w in widths))
    for i, r in enumerate(rows):
        if i:
            out.append("")
        out.extend(lines(r))
    return "\n".join(out)


def view_json(answer: Answer) -> dict[str, Any]:
    """`layout()` as JSON for the web page: it renders these pieces, it computes none."""
    view = layout(answer)

    def part(p: Part) -> dict[str, str]:
        return {"jurisdiction": p.jurisdiction, "name": heading(p, answer), "text": p.text}

    return {
        "short": [part(p) for p in view.short],
        "details": [part(p) for p in view.details],
        "notes": list(view.notes),
        "footer": view.footer,
        "sources": {
            str(c.n): {"pinpoint": c.pinpoint, "currency": currency_line(c)}
            for c in answer.citations
        },
    }
