"""The verbatim short answer: the most responsive operative sentence of a jurisdiction. Pure.

A sentence is chosen among the best sentences of the jurisdiction's first few sections (the
retrieval order weighs in), preferring a rule ("shall", "must") over an example or a
definition, and, when the question asks for a deadline or an amount, a sentence that states
one. A lead-in ending in ":" brings the items it introduces, so "inform consumers of the
following:" is never left hanging.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from llama_index.core.schema import NodeWithScore

from bot.engine.sentences import relevance, sentences
from bot.index.sparse import tokenize

ITEM_LIMIT = 12  # items a lead-in brings at most
CHARS_LIMIT = 2400  # characters of a completed lead-in at most
_RANK_WEIGHT = (1.0, 0.85, 0.7)
_OPERATIVE = re.compile(
    r"\b(?:shall|must|may not|is required|are required|prohibit\w*|is entitled|has the right)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Lead:
    """The sentence chosen for a jurisdiction's short answer, and where it comes from."""

    node: NodeWithScore
    sentence: str  # verbatim, as found in the node's text
    text: str  # the sentence completed with the items it introduces (verbatim)


def paragraph_label(node: NodeWithScore, sentence: str) -> tuple[int, str]:
    """(index, subdivision label) of the paragraph of `node` holding `sentence`; (-1, "")."""
    labels = node.node.metadata.get("paragraph_labels") or []
    for i, paragraph in enumerate(node.node.get_content().split("\n\n")):
        if sentence in paragraph:
            return i, labels[i] if i < len(labels) else ""
    return -1, ""


def complete_lead_in(node: NodeWithScore, sentence: str) -> str:
    """`sentence`, followed by the items it introduces when it ends in ":" (verbatim)."""
    if not sentence.rstrip().endswith((":", "—", "–")):
        return sentence
    index, label = paragraph_label(node, sentence)
    if index < 0:
        return sentence
    paragraphs = node.node.get_content().split("\n\n")
    labels = list(node.node.metadata.get("paragraph_labels") or [])
    items: list[str] = []
    for j in range(index + 1, len(paragraphs)):
        item_label = labels[j] if j < len(labels) else ""
        inside = item_label.startswith(label) and item_label != label if label else item_label
        if not inside or len(items) >= ITEM_LIMIT:
            break
        items.append(paragraphs[j].strip())
    text = " ".join([sentence.strip(), *items])
    if len(text) > CHARS_LIMIT:
        text = text[:CHARS_LIMIT].rsplit(" ", 1)[0].rstrip(" ,;:") + " …"
    return text


def lead_sentence(
    nodes: Sequence[NodeWithScore], question: str, *, prefer: re.Pattern[str] | None = None
) -> Lead | None:
    """The single most responsive operative sentence among the first sections of `nodes`."""
    terms = set(tokenize(question))
    best: tuple[float, int, int, str, NodeWithScore] | None = None
    for rank, node in enumerate(nodes[: len(_RANK_WEIGHT)]):
        for position, sentence in enumerate(dict.fromkeys(sentences(node.node.get_content()))):
            words = len(sentence.split())
            if words < 6 or words > 120:
                continue
            # A sentence sharing no word with the question still answers when nothing does.
            score = max(relevance(sentence, terms), 1e-3) * _RANK_WEIGHT[rank]
            if not _OPERATIVE.search(sentence):
                score *= 0.6
            if prefer is not None and prefer.search(sentence):
                score *= 1.6
            key = (score, -rank, -position)
            if best is None or key > best[:3]:
                best = (score, -rank, -position, sentence, node)
    if best is None:
        return None
    sentence, node = best[3], best[4]
    return Lead(node=node, sentence=sentence, text=complete_lead_in(node, sentence))
