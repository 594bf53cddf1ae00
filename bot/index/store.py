"""The Qdrant index of regulation chunks: one collection with dense + sparse vectors, and a
small companion collection recording which embedding model built it and the index version.

Local mode (`QdrantClient(path=...)`) and a Qdrant server go through the same code.
"""

from __future__ import annotations

import logging
import time
import uuid
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.vector_stores.qdrant import QdrantVectorStore
from qdrant_client import QdrantClient
from qdrant_client import models as qm

from bot.errors import IndexMismatch, ServiceUnavailable
from bot.index import sparse
from bot.settings import Settings

log = logging.getLogger(__name__)

DENSE = "dense"
SPARSE = "sparse"
META_POINT_ID = 1
PAYLOAD_INDEXES = ("jurisdiction", "source", "section_key", "kind", "root")


def open_client(settings: Settings) -> QdrantClient:
    """One client per process (local mode allows only one per path)."""
    if settings.qdrant_url:
        api_key = settings.qdrant_api_key.get_secret_value() if settings.qdrant_api_key else None
        return QdrantClient(url=settings.qdrant_url, api_key=api_key, timeout=10)
    settings.qdrant_path.mkdir(parents=True, exist_ok=True)
    return QdrantClient(path=str(settings.qdrant_path))


@dataclass(frozen=True)
class IndexMeta:
    embedding_model: str
    dimension: int
    version: str
    chunks: int
    updated_at: float
    complete: bool


class RegulationIndex:
    """Read and write access to the chunk collection and its metadata."""

    def __init__(self, *, client: QdrantClient, collection: str, embedding: BaseEmbedding) -> None:
        self.client = client
        self.collection = collection
        self.meta_collection = f"{collection}__meta"
        self.embedding = embedding
        self._dimension: int | None = None
        self._vector_store: QdrantVectorStore | None = None

    # --- metadata ----------------------------------------------------------------------------
    @property
    def embedding_id(self) -> str:
        return self.embedding.model_name

    def dimension(self) -> int:
        if self._dimension is None:
            self._dimension = len(self.embedding.get_text_embedding("dimension probe"))
        return self._dimension

    def read_meta(self) -> IndexMeta | None:
        try:
            if not self.client.collection_exists(self.meta_collection):
                return None
            points = self.client.retrieve(self.meta_collection, ids=[META_POINT_ID])
        except Exception as exc:  # noqa: BLE001 — any client failure means Qdrant is unreachable
            raise ServiceUnavailable("qdrant", str(exc)) from exc
        if not points:
            return None
        p = points[0].payload or {}
        return IndexMeta(
            embedding_model=str(p.get("embedding_model", "")),
            dimension=int(p.get("dimension", 0)),
            version=str(p.get("version", "")),
            chunks=int(p.get("chunks", 0)),
            updated_at=float(p.get("updated_at", 0)),
            complete=bool(p.get("complete", False)),
        )

    def write_meta(self, *, version: str, chunks: int, complete: bool) -> None:
        if not self.client.collection_exists(self.meta_collection):
            self.client.create_collection(
                self.meta_collection,
                vectors_config=qm.VectorParams(size=1, distance=qm.Distance.DOT),
            )
        payload = {
            "embedding_model": self.embedding_id,
            "dimension": self.dimension(),
            "version": version,
            "chunks": chunks,
            "updated_at": time.time(),
            "complete": complete,
        }
        self.client.upsert(
            self.meta_collection,
            [qm.PointStruct(id=META_POINT_ID, vector=[1.0], payload=payload)],
            wait=True,
        )

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
                f"The collection '{self.collection}' was built with the embedding model "
                f"'{meta.embedding_model}' ({meta.dimension} dimensions) but EMBEDDING_MODEL is "
                f"'{self.embedding_id}'. Re-ingest with `python -m ingestion --rebuild PATH`, "
                "or set QDRANT_COLLECTION to another collection."
            )

    # --- collection ----------------------------------------------------------------------------
    def exists(self) -> bool:
        try:
            return self.client.collection_exists(self.collection)
        except Exception as exc:  # noqa: BLE001
            raise ServiceUnavailable("qdrant", str(exc)) from exc

    def count(self) -> int:
        if not self.exists():
            return 0
        return self.client.count(self.collection, exact=True).count

    def ensure_collection(self) -> None:
        self.check_model()
        if self.exists():
            return
        self.client.create_collection(
            self.collection,
            vectors_config={
                DENSE: qm.VectorParams(size=self.dimension(), distance=qm.Distance.COSINE)
            },
            sparse_vectors_config={SPARSE: qm.SparseVectorParams(modifier=qm.Modifier.IDF)},
        )
        with warnings.catch_warnings():
            # Local mode warns that payload indexes have no effect there; on a server they
            # make the filtered searches fast.
            warnings.simplefilter("ignore", UserWarning)
            for field in PAYLOAD_INDEXES:
                self.client.create_payload_index(
                    self.collection, field_name=field, field_schema=qm.PayloadSchemaType.KEYWORD
                )

    def drop(self) -> None:
        for name in (self.collection, self.meta_collection):
            if self.client.collection_exists(name):
                self.client.delete_collection(name)
        self._vector_store = None

    @property
    def vector_store(self) -> QdrantVectorStore:
        """The LlamaIndex vector store over the collection (hybrid, with our sparse encoder)."""
        if self._vector_store is None:
            self._vector_store = QdrantVectorStore(
                collection_name=self.collection,
                client=self.client,
                enable_hybrid=True,
                sparse_doc_fn=sparse.documents_fn,
                sparse_query_fn=sparse.queries_fn,
                dense_vector_name=DENSE,
                sparse_vector_name=SPARSE,
                sparse_config=qm.SparseVectorParams(modifier=qm.Modifier.IDF),
                batch_size=128,
            )
        return self._vector_store

    def stored_hashes_by_root(self, roots: Iterable[str]) -> dict[str, tuple[str, str, str]]:
        """{point id: (content hash, source, root)} of the stored chunks ingested from `roots`."""
        roots = list(roots)
        flt = qm.Filter(must=[qm.FieldCondition(key="root", match=qm.MatchAny(any=roots))])
        out: dict[str, tuple[str, str, str]] = {}
        for point in self.scroll(fields=["content_hash", "source", "root"], flt=flt):
            p = point.payload or {}
            out[str(point.id)] = (
                str(p.get("content_hash", "")),
                str(p.get("source", "")),
                str(p.get("root", "")),
            )
        return out

    def scroll(
        self, *, fields: list[str] | bool = True, flt: qm.Filter | None = None
    ) -> Iterator[Any]:
        offset = None
        while True:
            points, offset = self.client.scroll(
                self.collection,
                scroll_filter=flt,
                limit=512,
                offset=offset,
                with_payload=fields,
                with_vectors=False,
            )
            yield from points
            if offset is None:
                return

    def delete(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        for start in range(0, len(ids), 256):
            self.client.delete(
                self.collection,
                points_selector=qm.PointIdsList(
                    points=list[qm.ExtendedPointId](ids[start : start + 256])
                ),
                wait=True,
            )


def new_version() -> str:
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + "-" + uuid.uuid4().hex[:8]
