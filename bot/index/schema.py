"""What the index stores, independent of any backend: payload keys, the section key, the
backend-neutral filter (`Scope`) and the plain values searches return.

Both backends (Qdrant Edge for the embedded folder, qdrant-client for a server) translate
these into their own types; nothing here imports Qdrant.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

# The section key is part of the corpus grammar; re-exported with the payload keys.
from bot.index.corpus_format import section_key as section_key

# --- the version of what ingestion writes ---------------------------------------------------
# Bump INGESTION_VERSION whenever the same files ingest to different chunks: their text, any
# metadata (subdivision labels from ingestion/labels.py, citations, unit kinds, references…) or
# the catalogue fields kept in each file's source record. Every ingest records it in the index
# metadata and in each file's source record; bot.compose.ensure_index re-ingests an index made
# by another version on start (docs/operations.md, "Upgrading Reggi").
# tests/ingestion/test_version.py fails when the output changed and this number did not.
INGESTION_VERSION = 2

# --- payload keys --------------------------------------------------------------------------
JURISDICTION = "jurisdiction"
SOURCE = "source"
ROOT = "root"
TITLE = "title"
SHORT_TITLE = "short_title"
CITATION = "citation"
SECTION = "section"
SECTION_KEY = "section_key"
HEADING = "heading"
SUBSECTION = "subsection"
PATH = "path"
URL = "url"
VERSION = "version"
KIND = "kind"
PIECE = "piece"
PIECES = "pieces"
PARAGRAPH_LABELS = "paragraph_labels"
CONTENT_HASH = "content_hash"

KIND_SECTION = "section"
KIND_RECITAL = "recital"

# Payload keys with a keyword index (filters on them are fast on every backend). New
# structural keys (unit kind, instrument type, cross-references) are added here.
KEYWORD_INDEXES: tuple[str, ...] = (JURISDICTION, SOURCE, SECTION_KEY, KIND, ROOT)

# Named vectors of the chunk collection.
DENSE = "dense"
SPARSE = "sparse"

Value = str | int | bool


@dataclass(frozen=True)
class Scope:
    """Which chunks a search, scroll or count sees. Each field is "any of these values"; an
    empty tuple means no constraint. Recitals are left out unless `exclude_kinds` says
    otherwise. `where` / `where_not` take further (payload key, values) pairs."""

    jurisdictions: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    section_keys: tuple[str, ...] = ()
    roots: tuple[str, ...] = ()
    exclude_kinds: tuple[str, ...] = (KIND_RECITAL,)
    where: tuple[tuple[str, tuple[Value, ...]], ...] = ()
    where_not: tuple[tuple[str, tuple[Value, ...]], ...] = ()

    @classmethod
    def all(cls) -> Scope:
        """Every chunk, recitals included."""
        return cls(exclude_kinds=())

    def must(self) -> list[tuple[str, tuple[Value, ...]]]:
        """(key, any of values) conditions that must all hold."""
        named = [
            (JURISDICTION, self.jurisdictions),
            (SOURCE, self.sources),
            (SECTION_KEY, self.section_keys),
            (ROOT, self.roots),
        ]
        return [(k, tuple(v)) for k, v in [*named, *self.where] if v]

    def must_not(self) -> list[tuple[str, tuple[Value, ...]]]:
        """(key, any of values) conditions none of which may hold."""
        return [(k, tuple(v)) for k, v in [(KIND, self.exclude_kinds), *self.where_not] if v]

    def is_everything(self) -> bool:
        return not self.must() and not self.must_not()


@dataclass(frozen=True)
class Hit:
    """One stored chunk as a search, scroll or retrieve returns it (score 0 outside search)."""

    id: str
    score: float
    payload: dict[str, Any]

    @property
    def text(self) -> str:
        """The chunk's text, from the node LlamaIndex stored in its payload."""
        content = self.payload.get("_node_content")
        if isinstance(content, str):
            try:
                return str(json.loads(content).get("text", ""))
            except ValueError:
                return ""
        return str(self.payload.get("text", ""))


@dataclass(frozen=True)
class Ranked:
    """The raw rankings of one hybrid search: dense cosine and sparse BM25 scores, unfused."""

    dense: list[Hit]
    sparse: list[Hit]

    @property
    def best_dense(self) -> float:
        return self.dense[0].score if self.dense else 0.0

    @property
    def best_sparse(self) -> float:
        return self.sparse[0].score if self.sparse else 0.0


@dataclass(frozen=True)
class Query:
    """One hybrid search: a dense vector, an optional sparse one, within a scope."""

    dense: Sequence[float]
    sparse: tuple[list[int], list[float]] | None = None
    scope: Scope = field(default_factory=Scope)
    limit: int = 40


@dataclass(frozen=True)
class Point:
    """One chunk to store."""

    id: str
    dense: list[float]
    sparse: tuple[list[int], list[float]]
    payload: dict[str, Any]
