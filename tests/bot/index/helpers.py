"""A small index of hand-made chunks (no embedding model): a fixed-vector embedding and nodes
shaped like the ingestion's, for backend, store and retriever tests."""

from __future__ import annotations

from typing import Any

from llama_index.core.embeddings import MockEmbedding
from llama_index.core.schema import TextNode

from bot.index.schema import section_key

DIM = 4

CHUNKS = [
    ("US-CA", "ca.md", "§ 1", "Consumers may request deletion of personal information.", [1, 0, 0, 0]),
    ("US-CA", "ca.md", "§ 2", "A business shall give notice at collection.", [0.9, 0.1, 0, 0]),
    ("US-CA", "ca-regs.md", "§ 7001", "Definitions for the regulations.", [0, 1, 0, 0]),
    ("US-MA", "ma.md", "Section 3", "Notice of a security breach to the attorney general.", [0, 0, 1, 0]),
    ("EU", "gdpr.md", "Article 17", "Right to erasure: deletion of personal data.", [0.8, 0, 0, 0.2]),
    ("EU", "recitals.md", "Recital 65", "Erasure and deletion of personal data (recital).", [1, 0, 0, 0.01]),
]  # fmt: skip


def node(code: str, source: str, section: str, text: str, vector: list[float]) -> TextNode:
    metadata: dict[str, Any] = {
        "source": source,
        "root": "corpus",
        "title": source.upper(),
        "jurisdiction": code,
        "section": section,
        "section_key": section_key(section),
        "kind": "recital" if section.startswith("Recital") else "section",
        "piece": 0,
        "content_hash": f"h-{source}-{section}",
    }
    n = TextNode(id_=_uuid(source, section), text=text, metadata=metadata)
    n.embedding = [float(v) for v in vector]
    return n


def _uuid(*parts: str) -> str:
    import uuid

    return str(uuid.uuid5(uuid.NAMESPACE_URL, "|".join(parts)))


def nodes() -> list[TextNode]:
    return [node(*c) for c in CHUNKS]


def embedding() -> MockEmbedding:
    return MockEmbedding(embed_dim=DIM)
