"""Quote selection: which sentences of a retrieved section are quoted, and the footnote
(citation and subdivision label) they are cited to. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence

from llama_index.core.schema import NodeWithScore

from bot.answer import Citation
from bot.engine.currency import currency
from bot.engine.sentences import best_sentences


def subdivision_of(node: NodeWithScore, sentence: str) -> str:
    """The subdivision label ("(c)(2)") of the paragraph of `node` that holds `sentence`."""
    labels = node.node.metadata.get("paragraph_labels") or []
    for paragraph, label in zip(node.node.get_content().split("\n\n"), labels, strict=False):
        if sentence in paragraph:
            return label
    return ""


def make_citation(n: int, node: NodeWithScore, quotes: Sequence[str]) -> Citation:
    """A footnote for `node` quoting `quotes`, cited to the subdivision of the first quote."""
    m = node.node.metadata
    return Citation(
        n=n,
        citation=m.get("citation", ""),
        section=m.get("section", ""),
        heading=m.get("heading", ""),
        title=m.get("title", ""),
        jurisdiction=m.get("jurisdiction", ""),
        url=m.get("url", ""),
        source=m.get("source", ""),
        quote=" … ".join(quotes),
        subsection=subdivision_of(node, quotes[0]) if quotes else "",
        **currency(m),
    )


def quote_for(node: NodeWithScore, question: str, limit: int = 2) -> list[str]:
    return best_sentences(node.node.get_content(), question, limit=limit)
