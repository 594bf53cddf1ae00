"""The qdrant-client backend: a Qdrant server or cluster (QDRANT_URL). qdrant-client's own
in-process implementation (`QdrantClient(":memory:")` / `path=`) runs the same code and is
what the tests use as the server's stand-in (no server binary exists on the build machines)."""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from qdrant_client import QdrantClient
from qdrant_client import models as qm

from bot.index.backends import META_INDEX
from bot.index.schema import DENSE, KEYWORD_INDEXES, SPARSE, Hit, Point, Query, Ranked, Scope

META_POINT_ID = 1  # the "index" record keeps the id older indexes used
_META_NAMESPACE = uuid.UUID("0b7e3c52-6a0e-4f43-9a57-6d657461a11d")
PAGE = 512


def to_filter(scope: Scope | None) -> qm.Filter | None:
    """The Qdrant filter of a scope (None for no constraint)."""
    if scope is None or scope.is_everything():
        return None
    must: list[qm.Condition] = [
        qm.FieldCondition(key=k, match=qm.MatchAny(any=list(v)))  # type: ignore[arg-type]
        for k, v in scope.must()
    ]
    must_not: list[qm.Condition] = [
        qm.FieldCondition(key=k, match=qm.MatchAny(any=list(v)))  # type: ignore[arg-type]
        for k, v in scope.must_not()
    ]
    return qm.Filter(must=must or None, must_not=must_not or None)


def _hit(point: Any) -> Hit:
    return Hit(
        id=str(point.id),
        score=float(getattr(point, "score", 0.0) or 0.0),
        payload=dict(point.payload or {}),
    )


def _meta_id(key: str) -> int | str:
    return META_POINT_ID if key == META_INDEX else str(uuid.uuid5(_META_NAMESPACE, key))


class ServerBackend:
    """One collection (plus `<collection>__meta`) on a Qdrant server through qdrant-client."""

    def __init__(self, *, client: QdrantClient, collection: str, description: str) -> None:
        self.client = client
        self.collection = collection
        self.meta_collection = f"{collection}__meta"
        self.description = description
        self.notice = ""

    def optimize(self) -> None:
        """A server optimizes in the background."""

    def flush(self) -> None:
        """Writes are acknowledged once applied (wait=True)."""

    def exists(self) -> bool:
        return self.client.collection_exists(self.collection)

    def create(self, *, dimension: int) -> None:
        self.client.create_collection(
            self.collection,
            vectors_config={DENSE: qm.VectorParams(size=dimension, distance=qm.Distance.COSINE)},
            sparse_vectors_config={SPARSE: qm.SparseVectorParams(modifier=qm.Modifier.IDF)},
        )
        with warnings.catch_warnings():
            # Local mode warns that payload indexes have no effect there; on a server they
            # make the filtered searches fast.
            warnings.simplefilter("ignore", UserWarning)
            for key in KEYWORD_INDEXES:
                self.client.create_payload_index(
                    self.collection, field_name=key, field_schema=qm.PayloadSchemaType.KEYWORD
                )

    def drop(self) -> None:
        for name in (self.collection, self.meta_collection):
            if self.client.collection_exists(name):
                self.client.delete_collection(name)

    def upsert(self, points: Sequence[Point]) -> None:
        self.client.upsert(
            self.collection,
            [
                qm.PointStruct(
                    id=p.id,
                    vector={
                        DENSE: list(p.dense),
                        SPARSE: qm.SparseVector(indices=p.sparse[0], values=p.sparse[1]),
                    },
                    payload=p.payload,
                )
                for p in points
            ],
            wait=True,
        )

    def delete(self, ids: Sequence[str]) -> None:
        self.client.delete(
            self.collection, points_selector=qm.PointIdsList(points=list(ids)), wait=True
        )

    def search(self, queries: Sequence[Query]) -> list[Ranked]:
        requests: list[qm.QueryRequest] = []
        shape: list[bool] = []  # per query: has a sparse request
        for q in queries:
            flt = to_filter(q.scope)
            requests.append(
                qm.QueryRequest(
                    query=list(q.dense),
                    using=DENSE,
                    limit=q.limit,
                    filter=flt,
                    params=qm.SearchParams(exact=True),
                    with_payload=True,
                )
            )
            has_sparse = bool(q.sparse and q.sparse[0])
            shape.append(has_sparse)
            if has_sparse:
                assert q.sparse is not None
                requests.append(
                    qm.QueryRequest(
                        query=qm.SparseVector(indices=q.sparse[0], values=q.sparse[1]),
                        using=SPARSE,
                        limit=q.limit,
                        filter=flt,
                        with_payload=True,
                    )
                )
        with warnings.catch_warnings():
            # Local mode (the tests' stand-in) always searches exactly and says so.
            warnings.filterwarnings("ignore", message="Local mode performs exact")
            responses = iter(self.client.query_batch_points(self.collection, requests=requests))
        out = []
        for has_sparse in shape:
            dense = [_hit(p) for p in next(responses).points]
            sparse = [_hit(p) for p in next(responses).points] if has_sparse else []
            out.append(Ranked(dense=dense, sparse=sparse))
        return out

    def scroll(self, scope: Scope, fields: Sequence[str] | None) -> Iterator[Hit]:
        offset = None
        flt = to_filter(scope)
        while True:
            points, offset = self.client.scroll(
                self.collection,
                scroll_filter=flt,
                limit=PAGE,
                offset=offset,
                with_payload=list(fields) if fields is not None else True,
                with_vectors=False,
            )
            yield from (_hit(p) for p in points)
            if offset is None:
                return

    def export(self) -> Iterator[Point]:
        """Every stored point with its vectors (to copy the index elsewhere)."""
        offset = None
        while True:
            points, offset = self.client.scroll(
                self.collection, limit=PAGE, offset=offset, with_payload=True, with_vectors=True
            )
            for p in points:
                vectors: Any = p.vector or {}
                sv = vectors.get(SPARSE)
                yield Point(
                    id=str(p.id),
                    dense=list(vectors.get(DENSE) or []),
                    sparse=(list(sv.indices), list(sv.values)) if sv is not None else ([], []),
                    payload=dict(p.payload or {}),
                )
            if offset is None:
                return

    def retrieve(self, ids: Sequence[str], fields: Sequence[str] | None) -> list[Hit]:
        points = self.client.retrieve(
            self.collection,
            ids=list(ids),
            with_payload=list(fields) if fields is not None else True,
            with_vectors=False,
        )
        return [_hit(p) for p in points]

    def count(self, scope: Scope | None) -> int:
        return self.client.count(self.collection, count_filter=to_filter(scope), exact=True).count

    # --- metadata records (the `<collection>__meta` collection) ----------------------------
    def get_meta(self, key: str) -> dict[str, Any] | None:
        if not self.client.collection_exists(self.meta_collection):
            return None
        points = self.client.retrieve(self.meta_collection, ids=[_meta_id(key)])
        if not points:
            return None
        payload = dict(points[0].payload or {})
        payload.pop("_key", None)
        return payload

    def list_meta(self, prefix: str) -> dict[str, dict[str, Any]]:
        if not self.client.collection_exists(self.meta_collection):
            return {}
        out: dict[str, dict[str, Any]] = {}
        offset = None
        while True:
            points, offset = self.client.scroll(
                self.meta_collection, limit=PAGE, offset=offset, with_payload=True
            )
            for p in points:
                payload = dict(p.payload or {})
                key = str(payload.pop("_key", ""))
                if key.startswith(prefix) and key:
                    out[key] = payload
            if offset is None:
                return out

    def put_meta(self, records: Mapping[str, dict[str, Any] | None]) -> None:
        if not self.client.collection_exists(self.meta_collection):
            self.client.create_collection(
                self.meta_collection,
                vectors_config=qm.VectorParams(size=1, distance=qm.Distance.DOT),
            )
        upserts = [
            qm.PointStruct(id=_meta_id(k), vector=[1.0], payload={**v, "_key": k})
            for k, v in records.items()
            if v is not None
        ]
        deletes: list[qm.ExtendedPointId] = [_meta_id(k) for k, v in records.items() if v is None]
        if upserts:
            self.client.upsert(self.meta_collection, upserts, wait=True)
        if deletes:
            self.client.delete(
                self.meta_collection, points_selector=qm.PointIdsList(points=deletes), wait=True
            )

    def close(self) -> None:
        self.client.close()
