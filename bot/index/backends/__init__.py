"""The two index backends behind `RegulationIndex`: Qdrant Edge (the embedded folder, the
default) and qdrant-client (a Qdrant server or cluster at QDRANT_URL). Both store the same
collection schema (`bot.index.schema`) and run the same query plans."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Protocol

from bot.index.schema import Hit, Point, Query, Ranked, Scope

META_INDEX = "index"  # the metadata record: embedding model, dimension, version, complete
META_SOURCE_PREFIX = "source:"  # one record per ingested file (coverage, chunk hashes)


class Backend(Protocol):
    """One chunk collection and its metadata records. Methods raise whatever the underlying
    library raises; `RegulationIndex` translates failures in one place."""

    description: str  # for messages: "Qdrant server at http://…", "the index folder …"
    notice: str  # said once to the operator (e.g. an older index was replaced), or ""

    def exists(self) -> bool: ...

    def create(self, *, dimension: int) -> None: ...

    def drop(self) -> None: ...

    def upsert(self, points: Sequence[Point]) -> None: ...

    def delete(self, ids: Sequence[str]) -> None: ...

    def search(self, queries: Sequence[Query]) -> list[Ranked]: ...

    def scroll(self, scope: Scope, fields: Sequence[str] | None) -> Iterator[Hit]: ...

    def retrieve(self, ids: Sequence[str], fields: Sequence[str] | None) -> list[Hit]: ...

    def count(self, scope: Scope | None) -> int: ...

    def get_meta(self, key: str) -> dict[str, Any] | None: ...

    def list_meta(self, prefix: str) -> dict[str, dict[str, Any]]: ...

    def put_meta(self, records: Mapping[str, dict[str, Any] | None]) -> None: ...

    def optimize(self) -> None: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...
