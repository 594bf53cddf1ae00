"""Answer writers: they turn retrieved sections into answer text with [n] footnotes.

Which sentence of a section is quoted, and the footnote it gets, is decided in
`bot.engine.quotes` (re-exported here for the writers).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from llama_index.core.schema import NodeWithScore

from bot.answer import Citation, Part, Table
from bot.engine.quotes import make_citation, quote_for, subdivision_of

__all__ = [
    "SourceGroup",
    "Writer",
    "Written",
    "make_citation",
    "markers",
    "quote_for",
    "renumber",
    "subdivision_of",
    "summary_line",
]


@dataclass(frozen=True)
class SourceGroup:
    """The sections retrieved for one jurisdiction, best first."""

    jurisdiction: str
    name: str
    nodes: tuple[NodeWithScore, ...]


@dataclass(frozen=True)
class Written:
    answer: str
    parts: tuple[Part, ...]
    citations: tuple[Citation, ...]
    writer: str
    note: str = ""
    timings_ms: dict[str, float] = field(default_factory=dict)
    short: tuple[Part, ...] = ()  # the short answer (per jurisdiction, or one part with "")
    table: Table | None = None
    checks: dict[str, int] = field(default_factory=dict)  # {"sentences": n, "removed": m}


class Writer(Protocol):
    name: str

    def write(
        self,
        question: str,
        groups: Sequence[SourceGroup],
        *,
        context: str = "",
        on_text: Callable[[str], None] | None = None,  # the draft as it is written (h15)
    ) -> Written: ...


def summary_line(groups: Sequence[SourceGroup], numbers: dict[str, int]) -> str:
    """ "Sections that apply — California: Cal. Civ. Code § 1798.100 [1]; …"""
    pieces = []
    for g in groups:
        refs = ", ".join(
            f"{n.node.metadata.get('citation', '')} [{numbers[n.node.node_id]}]"
            for n in g.nodes
            if n.node.node_id in numbers
        )
        if refs:
            pieces.append(f"{g.name}: {refs}")
    return "Sections that apply — " + "; ".join(pieces) + "." if pieces else ""


_MARKER = re.compile(r"\[(\d+(?:\s*[,;–-]\s*\d+)*)\]")


def markers(text: str) -> list[int]:
    """Footnote numbers cited in `text`, in order, "[1, 3]" and "[2-4]" included."""
    found: list[int] = []
    for m in _MARKER.finditer(text):
        for part in re.split(r"\s*[,;]\s*", m.group(1)):
            bounds = re.split(r"\s*[–-]\s*", part)
            if len(bounds) == 2 and all(b.isdigit() for b in bounds):
                lo, hi = int(bounds[0]), int(bounds[1])
                found.extend(range(lo, hi + 1) if 0 < hi - lo < 10 else (lo, hi))
            elif part.isdigit():
                found.append(int(part))
    return found


def renumber(text: str, mapping: dict[int, int]) -> str:
    """Rewrite markers through `mapping`; markers not in it are removed."""

    def sub(m: re.Match[str]) -> str:
        numbers = [mapping[n] for n in markers(m.group(0)) if n in mapping]
        return "".join(f"[{n}]" for n in dict.fromkeys(numbers))

    cleaned = _MARKER.sub(sub, text)
    return re.sub(r"[ \t]+([.,;:])", r"\1", re.sub(r"[ \t]{2,}", " ", cleaned)).strip()
