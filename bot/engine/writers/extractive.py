"""The offline writer: every sentence it writes is a verbatim quote of a source, with its [n].

Detail: per jurisdiction, one footnote per retrieved section, quoting the one subdivision that
states the rule asked about (`bot.engine.quotes.choose`) and cited to it. Short answer: per
jurisdiction, the best of the first sections' quotes, completed with the items it introduces,
introduced by its pinpoint ("Under Cal. Civ. Code § 1798.100(a): “…”"); it is that section's
footnote. Comparison questions also get a table of verbatim cells (see compare.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from bot.answer import Citation, Part, Row
from bot.engine.quotes import asked, choose
from bot.engine.similarity import DenseSimilarity
from bot.engine.writers import SourceGroup, Written, make_citation
from bot.engine.writers.compare import point_of, preferred_phrases, row, table, wants_table
from bot.engine.writers.short import Lead, lead_of


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

    def __init__(
        self, *, sentences_per_section: int = 2, similarity: DenseSimilarity | None = None
    ) -> None:
        self._per_section = sentences_per_section
        self._similarity = similarity

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
        ask = asked(query)
        similar = self._similarity.for_question(query) if self._similarity else None
        point = point_of(question)
        comparing = wants_table(question, len(groups))
        prefer = preferred_phrases(point)
        citations: list[Citation] = []
        parts: list[Part] = []
        short: list[Part] = []
        rows: list[Row] = []
        for group in groups:
            choices = [
                choose(node, ask, limit=self._per_section, similarity=similar)
                for node in group.nodes
            ]
            lead = lead_of(choices, prefer=prefer)
            # The short answer's section is the jurisdiction's first footnote, so the short
            # answer, its table row and the first footnote rest on the same pinpoint.
            order = sorted(
                zip(group.nodes, choices, strict=True),
                key=lambda pair: lead is None or pair[0] is not lead.node,
            )
            lines = []
            lead_citation: Citation | None = None
            own: list[Citation] = []
            for node, choice in order:
                if choice is None:
                    continue
                # One footnote per section, cited to the one subdivision it quotes; the
                # short answer's section quotes the short answer's text whole.
                is_lead = lead is not None and node is lead.node
                quotes = [lead.text] if is_lead and lead else list(choice.quotes)
                citation = make_citation(len(citations) + 1, node, quotes, label=choice.label)
                citations.append(citation)
                own.append(citation)
                lines.append(_line(citation, quotes))
                if is_lead:
                    lead_citation = citation
            if lines:
                parts.append(Part(group.jurisdiction, group.name, "\n".join(lines)))
            if lead is not None and lead_citation is not None:
                short.append(Part(group.jurisdiction, group.name, short_text(lead_citation, lead)))
                if comparing:
                    others = [(f"{c.pinpoint} [{c.n}]", c.quote) for c in own[1:]]
                    rows.append(
                        row(
                            group.jurisdiction,
                            group.name,
                            rule=lead.text,
                            others=others,
                            pinpoint=lead_citation.pinpoint,
                            n=lead_citation.n,
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
