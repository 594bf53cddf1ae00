"""Our own offline BM25 sparse encoder: term weights for documents, term ids for queries.

Qdrant stores the document side (BM25 term-frequency saturation) in a named sparse vector
with the IDF modifier, so IDF is computed by Qdrant over the whole collection, on a server
exactly as in local mode.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_EN

K1 = 1.2
B = 0.75
AVG_DOC_WORDS = 140.0  # pieces are at most ~200 words; the corpus average is close to this

_TOKEN = re.compile(r"[a-z0-9]+(?:[.\-][a-z0-9]+)*")
_STOP = frozenset(STOPWORDS_EN)
_stemmer = Stemmer.Stemmer("english")
# Texts whose tokens are kept: an answer tokenizes the same pieces, paragraphs and question
# again and again (~240 calls per answer, 23 % distinct, over the dev questions); 4,096 texts
# answer 71 % of the calls from memory and hold a few MB.
TOKEN_MEMO = 4096


def tokenize(text: str) -> list[str]:
    """Lower-case word and section-number tokens, stop words removed, stemmed."""
    return list(_tokens(text))


@lru_cache(maxsize=TOKEN_MEMO)
def _tokens(text: str) -> tuple[str, ...]:
    words = [w for w in _TOKEN.findall(text.lower().replace("’", "'")) if w not in _STOP]
    return tuple(_stemmer.stemWords(words))


def term_id(token: str) -> int:
    return zlib.crc32(token.encode("utf-8")) & 0x7FFFFFFF


def encode_document(text: str) -> tuple[list[int], list[float]]:
    counts = Counter(term_id(t) for t in tokenize(text))
    length = sum(counts.values()) or 1
    norm = K1 * (1 - B + B * length / AVG_DOC_WORDS)
    items = sorted(counts.items())
    return [i for i, _ in items], [tf * (K1 + 1) / (tf + norm) for _, tf in items]


def encode_query(text: str) -> tuple[list[int], list[float]]:
    counts = Counter(term_id(t) for t in tokenize(text))
    items = sorted(counts.items())
    return [i for i, _ in items], [float(c) for _, c in items]


def documents_fn(texts: Sequence[str]) -> tuple[list[list[int]], list[list[float]]]:
    """LlamaIndex `sparse_doc_fn`."""
    encoded = [encode_document(t) for t in texts]
    return [e[0] for e in encoded], [e[1] for e in encoded]


def queries_fn(texts: Sequence[str]) -> tuple[list[list[int]], list[list[float]]]:
    """LlamaIndex `sparse_query_fn`."""
    encoded = [encode_query(t) for t in texts]
    return [e[0] for e in encoded], [e[1] for e in encoded]
