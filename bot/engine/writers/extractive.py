"""The offline writer: quotes the most relevant sentences of each retrieved section."""

from __future__ import annotations

import time
from collections.abc import Sequence

from bot.answer import Citation, Part
from bot.engine.writers import SourceGroup, Written, make_citation, quote_for, summary_line


class ExtractiveWriter:
    """Every sentence it writes is a verbatim quote of a source, with its [n]."""

    name = "extractive"

    def __init__(self, *, sentences_per_section: int = 2) -> None:
        self._per_section = sentences_per_section

    def write(self, question: str, groups: Sequence[SourceGroup], *, context: str = "") -> Written:
        started = time.perf_counter()
        query = f"{context} {question}".strip()
        citations: list[Citation] = []
        parts = []
        numbers: dict[str, int] = {}
        for group in groups:
            lines = []
            for node in group.nodes:
                quotes = quote_for(node, query, self._per_section)
                if not quotes:
                    continue
                n = len(citations) + 1
                numbers[node.node.node_id] = n
                citation = make_citation(n, node, quotes)
                citations.append(citation)
                label = f"{citation.citation}{citation.subsection}"
                quoted = " … ".join(f"“{q}”" for q in quotes)
                lines.append(f"• {label}: {quoted} [{n}]")
            if lines:
                parts.append(Part(group.jurisdiction, group.name, "\n".join(lines)))
        return Written(
            answer=summary_line(groups, numbers),
            parts=tuple(parts),
            citations=tuple(citations),
            writer=self.name,
            timings_ms={"writing": (time.perf_counter() - started) * 1000},
        )
