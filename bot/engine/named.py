"""A section the question names, checked against what the question is about. Pure.

A named section is always fetched; when the question also says what it is about ("GDPR
Article 15 — the right to be forgotten"), the normal search runs as well, without the
section number, and the named section is kept alone only if that search ranks it near its
best. Otherwise the answer cites the sections the search found beside it and says the named
one may not be the provision asked about (a wrong number is a common slip).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine.query import SectionRef
from bot.engine.select import Selected, Unit
from bot.index.sparse import tokenize

# Words of a question that ask about a section without saying what it is about.
_ASKING = frozenset(
    tokenize("what which does do say says said explain explains require requires required "
             "requirement requirements mean means summarize summarise summary quote cite pull up "
             "show text exactly actually tell list give section sections article articles art "
             "chapter part paragraph subsection subdivision rule regulation regulations code "
             "statute act law cfr usc ccr cmr nycrr civ cal gbl mgl gdpr ccpa cpra hipaa coppa "
             "can-spam vcdpa please me us our")
)  # fmt: skip
MIN_TOPIC_TERMS = 2


def without_refs(question: str, refs: Sequence[SectionRef]) -> str:
    """The question with the section references as written taken out."""
    for ref in refs:
        if ref.text:
            question = question.replace(ref.text, " ")
    return " ".join(question.split())


def topic_terms(question: str, refs: Sequence[SectionRef]) -> set[str]:
    """What the question says it is about, beyond naming sections: its terms without the
    references, the asking words and the names of instruments."""
    return {t for t in tokenize(without_refs(question, refs)) if t not in _ASKING and t.isalpha()}


def has_topic(question: str, refs: Sequence[SectionRef]) -> bool:
    return len(topic_terms(question, refs)) >= MIN_TOPIC_TERMS


def fits(unit: Unit, searches: Sequence[Selected], *, ratio: float) -> bool:
    """Whether a search for the question's topic ranks the named unit near its best: among the
    candidates of a search covering it, scoring at least `ratio` × the best section of its
    jurisdiction there."""
    for chosen in searches:
        found = chosen.candidates
        if found is None or unit not in found.features:
            continue
        scores = chosen.scores
        same = [s for u, s in scores.items() if found.jurisdiction[u] == found.jurisdiction[unit]]
        if same and scores[unit] >= max(same) * ratio:
            return True
    return False
