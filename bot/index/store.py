"""The regulation index: one chunk collection (dense + sparse vectors) and its metadata
records, over a backend (`bot.index.backends`). This is the only module that calls a backend,
and the one place where a backend failure becomes `ServiceUnavailable("qdrant", detail)`.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import BaseNode, MetadataMode
from llama_index.core.vector_stores.utils import node_to_metadata_dict

from bot.errors import IndexMismatch, ReggiError, ServiceUnavailable
from bot.index import sparse
from bot.index.backends import META_INDEX, META_SOURCE_PREFIX, Backend
from bot.index.coverage import (
    INSTRUMENT_FIELDS,
    UNIT_FIELDS,
    Coverage,
    SourceRecord,
    catalogue_fields,
    coverage_of,
    coverage_of_payloads,
    ordered_units,
    source_key,
)
from bot.index.schema import (
    CONTENT_HASH,
    JURISDICTION,
    ROOT,
    SECTION,
    SOURCE,
    TITLE,
    VERSION,
    Hit,
    Point,
    Query,
    Ranked,
    Scope,
)

log = logging.getLogger(__name__)

WRITE_BATCH = 256


@dataclass(frozen=True)
class IndexMeta:
    embedding_model: str
    dimension: int
    version: str
    chunks: int
    updated_at: float
    complete: bool
    # The version of the ingestion code that wrote the index (`schema.INGESTION_VERSION`); 0 for an
    # index written before it was recorded.
    ingestion_version: int = 0


@contextmanager
def _translated() -> Iterator[None]:
    """Any backend failure means the index is unavailable; Reggi's own errors pass through."""
    try:
        yield
    except ReggiError:
        raise
    except Exception as exc:  # noqa: BLE001 — the libraries raise plain Exception subclasses
        log.warning("index call failed: %s", exc)
        raise ServiceUnavailable("qdrant", str(exc)) from exc


class RegulationIndex:
    """Read and write access to the chunk collection and its metadata."""

    def __init__(self, *, backend: Backend, embedding: BaseEmbedding) -> None:
        self.backend = backend
        self.embedding = embedding
        self._dimension: int | None = None
        self._coverage: tuple[IndexMeta | None, Coverage] | None = None

    @property
    def description(self) -> str:
        return self.backend.description

    @property
    def notice(self) -> str:
        """What the operator should be told once about this index (or "")."""
        return self.backend.notice

    # --- metadata ----------------------------------------------------------------------------
    @property
    def embedding_id(self) -> str:
        return self.embedding.model_name

    def dimension(self) -> int:
        if self._dimension is None:
            self._dimension = len(self.embedding.get_text_embedding("dimension probe"))
        return self._dimension

    def read_meta(self) -> IndexMeta | None:
        with _translated():
            p = self.backend.get_meta(META_INDEX)
        if p is None:
            return None
        return IndexMeta(
            embedding_model=str(p.get("embedding_model", "")),
            dimension=int(p.get("dimension", 0)),
            version=str(p.get("version", "")),
            chunks=int(p.get("chunks", 0)),
            updated_at=float(p.get("updated_at", 0)),
            complete=bool(p.get("complete", False)),
            ingestion_version=int(p.get("ingestion_version") or 0),
        )

    def get_record(self, key: str) -> dict[str, Any] | None:
        """A record kept beside the index under `key` (derived data such as the vocabulary)."""
        with _translated():
            return self.backend.get_meta(key)

    def put_record(self, key: str, record: dict[str, Any]) -> None:
        with _translated():
            self.backend.put_meta({key: record})

    def write_meta(
        self, *, version: str, chunks: int, complete: bool, ingestion_version: int
    ) -> None:
        record = {
            "embedding_model": self.embedding_id,
            "dimension": self.dimension(),
            "version": version,
            "chunks": chunks,
            "updated_at": time.time(),
            "complete": complete,
            "ingestion_version": ingestion_version,
        }
        with _translated():
            self.backend.put_meta({META_INDEX: record})

    def version(self) -> str:
        meta = self.read_meta()
        return meta.version if meta else "empty"

    def check_model(self) -> None:
        """Refuse to use a collection built with another embedding model."""
        meta = self.read_meta()
        if meta is None:
            return
        if meta.embedding_model != self.embedding_id or meta.dimension != self.dimension():
            raise IndexMismatch(
                f"The index ({self.description}) was built with the embedding model "
                f"'{meta.embedding_model}' ({meta.dimension} dimensions) but EMBEDDING_MODEL is "
                f"'{self.embedding_id}'. Re-ingest with `python -m ingestion --rebuild PATH`, "
                "or set QDRANT_COLLECTION to another collection."
            )

    # --- what the index covers -----------------------------------------------------------------
    def sources(self) -> dict[str, SourceRecord]:
        """The ingested files' records, by `source_key(root, source)`."""
        with _translated():
            raw = self.backend.list_meta(META_SOURCE_PREFIX)
        return {k[len(META_SOURCE_PREFIX) :]: SourceRecord.from_json(v) for k, v in raw.items()}

    def put_sources(self, records: Mapping[str, SourceRecord | None]) -> None:
        """Write (or, for None, forget) source records."""
        items = {
            META_SOURCE_PREFIX + key: (None if r is None else r.to_json())
            for key, r in records.items()
        }
        if items:
            with _translated():
                self.backend.put_meta(items)

    def backfill_sources(self) -> dict[str, SourceRecord]:
        """Source records for an index written before they existed (or before they kept the
        catalogue's fields): one scan of every chunk, after which coverage, the catalogue and
        re-ingests never scan again."""
        records: dict[str, SourceRecord] = {}
        sections: dict[str, set[str]] = {}
        payloads: dict[str, list[tuple[str, Mapping]]] = {}
        fields = [ROOT, SOURCE, JURISDICTION, TITLE, SECTION, VERSION, "retrieved", "complete"]
        fields += [f for f in (*INSTRUMENT_FIELDS, *UNIT_FIELDS) if f not in fields]
        for h in self.scroll(fields=[*fields, CONTENT_HASH]):
            p = h.payload
            key = source_key(str(p.get(ROOT, "")), str(p.get(SOURCE, "")))
            if key not in records:
                records[key] = SourceRecord(
                    root=str(p.get(ROOT, "")),
                    source=str(p.get(SOURCE, "")),
                    jurisdiction=str(p.get(JURISDICTION, "")),
                    title=str(p.get(TITLE, "")),
                    sections=0,
                    version=str(p.get(VERSION, "")),
                    as_of=str(p.get("retrieved", "")),
                    complete=bool(p.get("complete", True)),
                )
                sections[key] = set()
                payloads[key] = []
            records[key].chunks[h.id] = str(p.get(CONTENT_HASH, ""))
            sections[key].add(str(p.get(SECTION, "")))
            payloads[key].append((h.id, p))
        for key, record in records.items():
            record.sections = len(sections[key])
            record.instrument, record.units = catalogue_fields(payloads[key])
        self.put_sources(dict(records))
        return records

    def unit_payloads(self) -> Iterator[Mapping]:
        """One payload per unit (section) of every ingested file, with the fields the
        catalogue reads, from the source records written at ingest time, in the order a scan
        of the chunks meets them. Records written before they kept these fields: the chunks'
        own payloads, one scan (the next `python -m ingestion` rewrites the records)."""
        records = self.sources() if self.exists() else {}
        if records and all(r.units is not None for r in records.values() if r.chunks):
            yield from ordered_units(records.values())
            return
        yield from (h.payload for h in self.scroll(fields=[*INSTRUMENT_FIELDS, *UNIT_FIELDS]))

    def coverage(self) -> Coverage:
        """Jurisdictions, instruments and section counts, from the records written at ingest
        time (an index built before those records existed is counted once per version)."""
        # Keyed on the whole metadata record: it is rewritten when an ingest finishes, so
        # coverage read while one was running is not kept.
        meta = self.read_meta()
        if self._coverage and self._coverage[0] == meta:
            return self._coverage[1]
        records = self.sources() if self.exists() else {}
        if records:
            result = coverage_of(records.values())
        elif self.exists():
            result = coverage_of_payloads(
                h.payload
                for h in self.scroll(fields=["jurisdiction", "source", "title", "section"])
            )
        else:
            result = Coverage()
        self._coverage = (meta, result)
        return result

    # --- collection ----------------------------------------------------------------------------
    def exists(self) -> bool:
        with _translated():
            return self.backend.exists()

    def count(self, scope: Scope | None = None) -> int:
        if not self.exists():
            return 0
        with _translated():
            return self.backend.count(scope)

    def ensure_collection(self) -> None:
        self.check_model()
        if self.exists():
            return
        with _translated():
            self.backend.create(dimension=self.dimension())

    def drop(self) -> None:
        with _translated():
            self.backend.drop()
        self._coverage = None

    def close(self) -> None:
        with _translated():
            self.backend.close()

    def optimize(self) -> None:
        """Compact the storage after an ingest (on Edge: merges segments, purges deleted points
        so the sparse IDF stops counting them; holds the GIL, so never in the server)."""
        with _translated():
            self.backend.optimize()

    def flush(self) -> None:
        with _translated():
            self.backend.flush()

    # --- writing -------------------------------------------------------------------------------
    def add(self, nodes: Sequence[BaseNode]) -> None:
        """Store embedded LlamaIndex nodes (payload as LlamaIndex's Qdrant store writes it)."""
        points = [
            Point(
                id=node.node_id,
                dense=node.get_embedding(),
                sparse=sparse.encode_document(node.get_content(metadata_mode=MetadataMode.EMBED)),
                payload=node_to_metadata_dict(node, remove_text=False, flat_metadata=False),
            )
            for node in nodes
        ]
        for start in range(0, len(points), WRITE_BATCH):
            with _translated():
                self.backend.upsert(points[start : start + WRITE_BATCH])

    def delete(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        for start in range(0, len(ids), WRITE_BATCH):
            with _translated():
                self.backend.delete(ids[start : start + WRITE_BATCH])

    def stored_hashes_by_root(self, roots: Iterable[str]) -> dict[str, tuple[str, str, str]]:
        """{point id: (content hash, source, root)} of the stored chunks ingested from `roots`."""
        scope = Scope(roots=tuple(roots), exclude_kinds=())
        return {
            h.id: (
                str(h.payload.get(CONTENT_HASH, "")),
                str(h.payload.get(SOURCE, "")),
                str(h.payload.get(ROOT, "")),
            )
            for h in self.scroll(scope, fields=[CONTENT_HASH, SOURCE, ROOT])
        }

    # --- reading -------------------------------------------------------------------------------
    def search(
        self,
        scope: Scope,
        *,
        dense: Sequence[float],
        sparse: tuple[list[int], list[float]] | None,
        limit: int,
    ) -> Ranked:
        """Dense (exact) and sparse rankings with their raw scores, in one round trip."""
        return self.search_many([Query(dense=dense, sparse=sparse, scope=scope, limit=limit)])[0]

    def search_many(self, queries: Sequence[Query]) -> list[Ranked]:
        with _translated():
            return self.backend.search(queries)

    def scroll(
        self, scope: Scope | None = None, *, fields: Sequence[str] | None = None
    ) -> Iterator[Hit]:
        """Every chunk in `scope` (default: all, recitals included), without vectors."""
        with _translated():
            pages = self.backend.scroll(scope or Scope.all(), fields)
        while True:
            with _translated():
                hit = next(pages, None)
            if hit is None:
                return
            yield hit

    def retrieve(self, ids: Sequence[str], *, fields: Sequence[str] | None = None) -> list[Hit]:
        with _translated():
            return self.backend.retrieve(ids, fields)


def new_version() -> str:
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + "-" + uuid.uuid4().hex[:8]
