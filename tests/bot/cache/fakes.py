"""Small fakes for the cache tests: an answer source, a jurisdiction resolver, an embedder."""

from __future__ import annotations

import pathlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from bot.answer import Answer, Citation, Turn
from bot.errors import ReggiError

_NAMES = {"US-CA": "California", "EU": "European Union"}


@dataclass
class FakeEngine:
    """Answers with a real `Answer` naming the question; counts calls; can raise or abstain."""

    calls: list[tuple[str, tuple[str, ...] | None, int]] = field(default_factory=list)
    fail_with: ReggiError | None = None
    abstain: bool = False
    writer_note: str = ""

    def ask(
        self,
        question: str,
        *,
        jurisdictions: Sequence[str] | None = None,
        history: Sequence[Turn] = (),
    ) -> Answer:
        self.calls.append((question, tuple(jurisdictions) if jurisdictions else None, len(history)))
        if self.fail_with is not None:
            raise self.fail_with
        codes = tuple(jurisdictions) if jurisdictions else resolve(question, None)
        if self.abstain:
            return Answer(question=question, answer="Not covered.", abstained=True)
        return Answer(
            question=question,
            answer=f"Answer #{len(self.calls)} to {question!r} [1]",
            citations=(
                Citation(
                    n=1,
                    citation="Cal. Civ. Code § 1798.105",
                    section="1798.105",
                    heading="Right to delete",
                    title="CCPA",
                    jurisdiction=codes[0] if codes else "US",
                    url="https://example.org/1798.105",
                    source="ccpa/1798.105.md",
                    quote="A consumer shall have the right to request deletion.",
                ),
            ),
            jurisdictions=codes,
            jurisdiction_names={c: _NAMES.get(c, c) for c in codes},
            writer_note=self.writer_note,
            timings_ms={"total": 12.5},
            id=f"a{len(self.calls)}",
        )


def resolve(question: str, explicit: Sequence[str] | None) -> tuple[str, ...]:
    """The engine's job in production; here: explicit codes, else two keywords."""
    if explicit:
        return tuple(sorted(explicit))
    text = question.lower()
    found = []
    if "ccpa" in text or "california" in text:
        found.append("US-CA")
    if "gdpr" in text:
        found.append("EU")
    return tuple(sorted(found))


@lru_cache(maxsize=1)
def _wordllama():  # type: ignore[no-untyped-def]
    import wordllama
    from wordllama import WordLlama

    return WordLlama.load(cache_dir=pathlib.Path(wordllama.__file__).parent, disable_download=True)


def embed(text: str) -> np.ndarray:
    """The project's default offline embedding model (wordllama)."""
    return _wordllama().embed([text], norm=True)[0]


@dataclass
class Version:
    """A mutable index version, as a re-ingest would change it."""

    value: str = "v1"

    def __call__(self) -> str:
        return self.value
