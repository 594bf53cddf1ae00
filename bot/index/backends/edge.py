"""The Qdrant Edge backend: the Qdrant engine's Rust core in-process, over a folder on disk
(`qdrant-edge-py`). The embedded default.

Layout of `QDRANT_PATH`: `<collection>.edge/shard/` (the Edge shard) and
`<collection>.edge/meta/` (one JSON file per metadata record). Only one process may open a
shard (Edge locks its write-ahead log); `bot.index.owner` says who holds it.

Dense search is exact (`SearchParams(exact=True)`): at these sizes it costs a few
milliseconds and never loses a rare jurisdiction's sections under a filter, which HNSW can.
The HNSW graph is therefore not built (m=0), so `optimize()` only merges segments and purges
deleted points (which the sparse IDF would otherwise keep counting).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import qdrant_edge as qe

from bot.index.schema import DENSE, KEYWORD_INDEXES, SPARSE, Hit, Point, Query, Ranked, Scope

PAGE = 512
SUFFIX = ".edge"


def to_filter(scope: Scope | None) -> qe.Filter | None:
    """The Edge filter of a scope (None for no constraint)."""
    if scope is None or scope.is_everything():
        return None
    must: list[Any] = [
        qe.FieldCondition(key=k, match=qe.MatchAny(any=list(v)))  # type: ignore[arg-type]
        for k, v in scope.must()
    ]
    must_not: list[Any] = [
        qe.FieldCondition(key=k, match=qe.MatchAny(any=list(v)))  # type: ignore[arg-type]
        for k, v in scope.must_not()
    ]
    return qe.Filter(must=must or None, must_not=must_not or None)


def _hit(point: Any) -> Hit:
    return Hit(
        id=str(point.id),
        score=float(getattr(point, "score", 0.0) or 0.0),
        payload=dict(point.payload or {}),
    )


def is_locked_error(exc: BaseException) -> bool:
    """Edge's error when another process holds the shard (its WAL lock)."""
    return "WouldBlock" in str(exc) or "already accessed" in str(exc)


class EdgeBackend:
    """One Edge shard in `<folder>/<collection>.edge/` and its metadata records."""

    def __init__(self, *, folder: Path, collection: str) -> None:
        self.folder = folder
        self.root = folder / f"{collection}{SUFFIX}"
        self.shard_path = self.root / "shard"
        self.meta_path = self.root / "meta"
        self.description = f"the index folder {folder}"
        self.notice = ""  # set when an older index was replaced
        self._shard: qe.EdgeShard | None = None
        self._meta: dict[str, dict[str, Any]] | None = None
        if self.shard_path.is_dir() and any(self.shard_path.iterdir()):
            self._shard = qe.EdgeShard.load(str(self.shard_path))

    @property
    def shard(self) -> qe.EdgeShard:
        if self._shard is None:
            raise RuntimeError(f"no index in {self.root}")
        return self._shard

    # --- collection ----------------------------------------------------------------------------
    def exists(self) -> bool:
        return self._shard is not None

    def create(self, *, dimension: int) -> None:
        config = qe.EdgeConfig(
            vectors={DENSE: qe.EdgeVectorParams(size=dimension, distance=qe.Distance.Cosine)},
            sparse_vectors={SPARSE: qe.EdgeSparseVectorParams(modifier=qe.Modifier.Idf)},
            hnsw_config=qe.HnswIndexConfig(m=0, ef_construct=100, full_scan_threshold=10_000),
        )
        self.shard_path.mkdir(parents=True, exist_ok=True)
        shard = qe.EdgeShard.create(str(self.shard_path), config)
        for key in KEYWORD_INDEXES:
            shard.update(qe.UpdateOperation.create_field_index(key, qe.PayloadSchemaType.Keyword))
        self._shard = shard

    def drop(self) -> None:
        if self._shard is not None:
            self._shard.close()
            self._shard = None
        shutil.rmtree(self.root, ignore_errors=True)
        self._meta = None

    def optimize(self) -> None:
        """Merge segments and purge deleted points (run by the ingestion, not the server)."""
        if self._shard is not None:
            self._shard.optimize()

    def close(self) -> None:
        if self._shard is not None:
            self._shard.flush()
            self._shard.close()
            self._shard = None

    # --- points --------------------------------------------------------------------------------
    def upsert(self, points: Sequence[Point]) -> None:
        self.shard.update(
            qe.UpdateOperation.upsert_points(
                [
                    qe.Point(
                        id=p.id,
                        vector={
                            DENSE: list(p.dense),
                            SPARSE: qe.SparseVector(indices=p.sparse[0], values=p.sparse[1]),
                        },
                        payload=p.payload,
                    )
                    for p in points
                ]
            )
        )

    def delete(self, ids: Sequence[str]) -> None:
        self.shard.update(qe.UpdateOperation.delete_points(list(ids)))

    def flush(self) -> None:
        if self._shard is not None:
            self._shard.flush()

    def search(self, queries: Sequence[Query]) -> list[Ranked]:
        requests: list[qe.QueryRequest] = []
        shape: list[bool] = []
        for q in queries:
            flt = to_filter(q.scope)
            requests.append(
                qe.QueryRequest(
                    limit=q.limit,
                    query=qe.Query.Nearest(list(q.dense), using=DENSE),
                    filter=flt,
                    params=qe.SearchParams(exact=True),
                    with_payload=True,
                    with_vector=False,
                )
            )
            has_sparse = bool(q.sparse and q.sparse[0])
            shape.append(has_sparse)
            if has_sparse:
                assert q.sparse is not None
                requests.append(
                    qe.QueryRequest(
                        limit=q.limit,
                        query=qe.Query.Nearest(
                            qe.SparseVector(indices=q.sparse[0], values=q.sparse[1]), using=SPARSE
                        ),
                        filter=flt,
                        with_payload=True,
                        with_vector=False,
                    )
                )
        responses = iter(self.shard.query_batch(qe.QueryBatchRequest(requests)))
        out = []
        for has_sparse in shape:
            dense = [_hit(p) for p in next(responses)]
            sparse = [_hit(p) for p in next(responses)] if has_sparse else []
            out.append(Ranked(dense=dense, sparse=sparse))
        return out

    def scroll(self, scope: Scope, fields: Sequence[str] | None) -> Iterator[Hit]:
        if self._shard is None:
            return
        flt = to_filter(scope)
        offset = None
        while True:
            records, offset = self.shard.scroll(
                qe.ScrollRequest(
                    offset=offset,
                    limit=PAGE,
                    filter=flt,
                    with_payload=list(fields) if fields is not None else True,
                    with_vector=False,
                )
            )
            yield from (_hit(r) for r in records)
            if offset is None:
                return

    def export(self) -> Iterator[Point]:
        """Every stored point with its vectors (to copy the index elsewhere)."""
        offset = None
        while self._shard is not None:
            records, offset = self.shard.scroll(
                qe.ScrollRequest(offset=offset, limit=PAGE, with_payload=True, with_vector=True)
            )
            for r in records:
                vectors: Any = r.vector or {}
                sv = vectors.get(SPARSE)
                yield Point(
                    id=str(r.id),
                    dense=list(vectors.get(DENSE) or []),
                    sparse=(list(sv.indices), list(sv.values)) if sv is not None else ([], []),
                    payload=dict(r.payload or {}),
                )
            if offset is None:
                return

    def retrieve(self, ids: Sequence[str], fields: Sequence[str] | None) -> list[Hit]:
        if not ids:
            return []
        records = self.shard.retrieve(
            list(ids),
            with_payload=list(fields) if fields is not None else True,
            with_vector=False,
        )
        return [_hit(r) for r in records]

    def count(self, scope: Scope | None) -> int:
        if self._shard is None:
            return 0
        return self.shard.count(qe.CountRequest(filter=to_filter(scope), exact=True))

    # --- metadata records (JSON files, written atomically) --------------------------------------
    def _records(self) -> dict[str, dict[str, Any]]:
        if self._meta is None:
            self._meta = {}
            for file in sorted(self.meta_path.glob("*.json")):
                data = json.loads(file.read_text(encoding="utf-8"))
                self._meta[str(data["key"])] = dict(data["value"])
        return self._meta

    def get_meta(self, key: str) -> dict[str, Any] | None:
        value = self._records().get(key)
        return dict(value) if value is not None else None

    def list_meta(self, prefix: str) -> dict[str, dict[str, Any]]:
        return {k: dict(v) for k, v in self._records().items() if k.startswith(prefix)}

    def put_meta(self, records: Mapping[str, dict[str, Any] | None]) -> None:
        cache = self._records()
        self.meta_path.mkdir(parents=True, exist_ok=True)
        for key, value in records.items():
            file = self.meta_path / (hashlib.sha1(key.encode()).hexdigest() + ".json")
            if value is None:
                file.unlink(missing_ok=True)
                cache.pop(key, None)
                continue
            tmp = file.with_suffix(".tmp")
            tmp.write_text(json.dumps({"key": key, "value": value}), encoding="utf-8")
            os.replace(tmp, file)
            cache[key] = dict(value)
