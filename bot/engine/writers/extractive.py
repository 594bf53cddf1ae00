"""The offline writer: every sentence it writes is a verbatim quote of a source, with its [n].

Short answer: per jurisdiction, the most responsive operative sentence, completed with the
items it introduces, introduced by its pinpoint ("Under Cal. Civ. Code § 1798.100(a): “…”").
Detail: per jurisdiction, each retrieved section's best sentences. Comparison questions also
get a table of verbatim cells (see compare.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace

from bot.answer import Citation, Part, Row
from bot.engine.writers import SourceGroup, Written, make_citation, quote_for, subdivision_of
from bot.engine.writers.compare import point_of, preferred_phrases, row, table, wants_table
from bot.engine.writers.short import Lead, lead_sentence


def short_text(citation: Citation, lead: Lead) -> str:
    return f"Under {citation.pinpoint}: “{lead.text}” [{citation.n}]"


def joined_short(short: Sequence[Part]) -> str:
    """The short answer as one text (for history and plain fallbacks)."""
    if len(short) == 1:
        return short[0].text
    return "\n\n".join(f"{p.name}: {p.text}" if p.name else p.text for p in short)


class ExtractiveWriter:
    """Quotes the sources; nothing is reworded, so nothing needs checking."""

    name = "extractive"

    def __init__(self, *, sentences_per_section: int = 2) -> None:
        self._per_section = sentences_per_section

    def write(
        self,
        question: str,
        groups: Sequence[SourceGroup],
        *,
        context: str = "",
        on_text: Callable[[str], None] | None = None,  # unused: the answer is ready at once
    ) -> Written:
        started = time.perf_counter()
        query = f"{context} {question}".strip()
        point = point_of(question)
        comparing = wants_table(question, len(groups))
        prefer = preferred_phrases(point)
        citations: list[Citation] = []
        parts: list[Part] = []
        short: list[Part] = []
        rows: list[Row] = []
        for group in groups:
            lead = lead_sentence(group.nodes, query, prefer=prefer)
            lines = []
            for node in group.nodes:
                quotes = quote_for(node, query, self._per_section)
                if lead is not None and node is lead.node:
                    # The lead's footnote quotes the lead whole; the section's other best
                    # sentences get a footnote of their own.
                    lead_citation = make_citation(len(citations) + 1, node, [lead.sentence])
                    rest = [q for q in quotes if q not in lead.text and lead.sentence not in q]
                    same = [q for q in rest if subdivision_of(node, q) == lead_citation.subsection]
                    quotes = [q for q in rest if q not in same]
                    lead_citation = _with_quote(lead_citation, lead.text)
                    citations.append(lead_citation)
                    lines.append(_line(lead_citation, [lead.text, *same]))
                if not quotes:
                    continue
                citation = make_citation(len(citations) + 1, node, quotes)
                citations.append(citation)
                lines.append(_line(citation, quotes))
            if lines:
                parts.append(Part(group.jurisdiction, group.name, "\n".join(lines)))
            if lead is not None:
                cited = next(c for c in citations if c.quote == lead.text)
                short.append(Part(group.jurisdiction, group.name, short_text(cited, lead)))
                if comparing:
                    quoted = [c.quote for c in citations if c.jurisdiction == group.jurisdiction]
                    rows.append(
                        row(
                            group.jurisdiction,
                            group.name,
                            rule=lead.text,
                            quoted=quoted,
                            pinpoint=cited.pinpoint,
                            n=cited.n,
                            point=point,
                        )
                    )
        return Written(
            answer=joined_short(short),
            parts=tuple(parts),
            citations=tuple(citations),
            writer=self.name,
            timings_ms={"writing": (time.perf_counter() - started) * 1000},
            short=tuple(short),
            table=table(rows, point) if comparing and len(rows) > 1 else None,
        )


def _line(citation: Citation, quotes: Sequence[str]) -> str:
    quoted = " … ".join(f"“{q}”" for q in quotes)
    return f"• {citation.pinpoint}: {quoted} [{citation.n}]"


def _with_quote(citation: Citation, quote: str) -> Citation:
    return replace(citation, quote=quote)
