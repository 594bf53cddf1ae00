"""The verbatim short answer: the operative sentence of a jurisdiction. Pure.

Each section's quote is chosen in `bot.engine.quotes` (the subdivision that states the rule
asked about, and its best sentence); the short answer takes the best of the first few
sections' choices, the retrieval order weighing in, preferring a rule ("shall", "must") over
an example or a definition and, when the question asks for a deadline or an amount, a
sentence that states one. A lead-in ending in ":" brings the items it introduces, so
"inform consumers of the following:" is never left hanging.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from llama_index.core.schema import NodeWithScore

from bot.engine.quotes import Choice

RANK_PENALTY = 0.5  # per place in the retrieval order, among the first SECTIONS
SECTIONS = 3
_OPERATIVE = re.compile(
    r"\b(?:shall|must|may not|is required|are required|prohibit\w*|is entitled|has the right|"
    r"is unlawful)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Lead:
    """The sentence chosen for a jurisdiction's short answer, and where it comes from."""

    node: NodeWithScore
    sentence: str  # verbatim, as found in the node's text
    text: str  # the sentence completed with the items it introduces (verbatim)
    label: str = ""  # the subdivision it is quoted from


def lead_of(
    choices: Sequence[Choice | None], *, prefer: re.Pattern[str] | None = None
) -> Lead | None:
    """The short answer among the choices of a jurisdiction's sections (best section first)."""
    best: tuple[float, int, Choice] | None = None
    for rank, choice in enumerate(choices[:SECTIONS]):
        if choice is None or len(choice.lead.split()) < 4:
            continue
        score = choice.score - RANK_PENALTY * rank
        if _OPERATIVE.search(choice.text):
            score += 0.15
        if prefer is not None and prefer.search(choice.text):
            score += 0.15
        if best is None or score > best[0]:
            best = (score, -rank, choice)
    if best is None:
        return None
    choice = best[2]
    return Lead(node=choice.node, sentence=choice.lead, text=choice.text, label=choice.label)
