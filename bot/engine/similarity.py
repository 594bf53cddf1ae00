"""Dense similarity of a question to candidate subdivisions, for the quote chooser.

The index's embedding model (wordllama by default) embeds the question once and each
candidate text once: a section's paragraphs recur across questions, so their vectors are
kept (bounded, least recently used first out). Only the few best candidates of a section by
the other signals are embedded (`bot.engine.quotes.DENSE_TOP`), so a cold answer costs a few
dozen short texts and a warm one only the question.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from bot.engine.quotes import Similarity


class Embedding(Protocol):
    def get_query_embedding(self, query: str) -> list[float]: ...

    def get_text_embedding_batch(self, texts: list[str]) -> list[list[float]]: ...


class DenseSimilarity:
    """Cosine of texts to a question, with the texts' vectors kept between questions."""

    def __init__(self, *, embedding: Embedding, max_texts: int = 8192) -> None:
        self._embedding = embedding
        self._max = max_texts
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def for_question(self, question: str) -> Similarity:
        query = _unit(self._embedding.get_query_embedding(question))

        def similarity(texts: Sequence[str]) -> list[float]:
            return [float(v @ query) for v in self._vectors_of(texts)]

        return similarity

    def _vectors_of(self, texts: Sequence[str]) -> list[np.ndarray]:
        with self._lock:  # the model is fast: one lock around reading and filling the store
            missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
            if missing:
                vectors = self._embedding.get_text_embedding_batch(missing)
                for text, vector in zip(missing, vectors, strict=True):
                    self._vectors[text] = _unit(vector)
            out = []
            for text in texts:
                self._vectors.move_to_end(text)
                out.append(self._vectors[text])
            while len(self._vectors) > self._max:
                self._vectors.popitem(last=False)
        return out


def _unit(vector: Sequence[float]) -> np.ndarray:
    v = np.asarray(vector, dtype=np.float32)
    norm = float(np.linalg.norm(v))
    return v / norm if norm else v
