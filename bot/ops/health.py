"""Readiness: which dependencies the process can answer without, and which it cannot.

A `Check` probes one dependency and says whether it is `required`. `/readyz` is
- "ready" (200) when every check passes,
- "degraded" (200) when only optional checks fail: answers keep coming, e.g. uncached while
  Redis is down, so a load balancer must keep the replica in service;
- "not ready" (503) when a required check fails (the index, the embedding model).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

log = logging.getLogger(__name__)

#: () → (ok, detail). Detail is a short sentence for operators.
Probe = Callable[[], tuple[bool, str]]
Status = Literal["ready", "degraded", "not ready"]


@dataclass(frozen=True)
class Check:
    """One dependency's probe; a failing optional check only degrades readiness."""

    name: str
    probe: Probe
    required: bool = True


@dataclass(frozen=True)
class Readiness:
    status: Status
    checks: dict[str, dict[str, Any]]

    @property
    def http_status(self) -> int:
        return 503 if self.status == "not ready" else 200


def as_checks(checks: Iterable[Check] | Mapping[str, Probe]) -> list[Check]:
    """Checks from a list of `Check`s, or a mapping of required probes by name."""
    if isinstance(checks, Mapping):
        return [Check(name, probe) for name, probe in checks.items()]
    return list(checks)


def run_checks(checks: Iterable[Check] | Mapping[str, Probe]) -> Readiness:
    """Run every check; a probe that raises counts as failed (details logged)."""
    results: dict[str, dict[str, Any]] = {}
    status: Status = "ready"
    for check in as_checks(checks):
        started = time.perf_counter()
        try:
            ok, detail = check.probe()
        except Exception as exc:
            log.warning("readiness check %r raised", check.name, exc_info=True)
            ok, detail = False, f"check failed ({type(exc).__name__}); see the server log"
        results[check.name] = {
            "ok": bool(ok),
            "required": check.required,
            "detail": str(detail),
            "ms": round((time.perf_counter() - started) * 1000.0, 1),
        }
        if not ok:
            status = (
                "not ready" if check.required else ("degraded" if status == "ready" else status)
            )
    return Readiness(status=status, checks=results)


class IndexProbe(Protocol):
    @property
    def embedding_id(self) -> str: ...

    def count(self) -> int: ...

    def version(self) -> str: ...

    def dimension(self) -> int: ...


class CacheProbe(Protocol):
    def ping(self) -> bool: ...


def dependency_checks(
    *, index: IndexProbe, cache: CacheProbe, redis_configured: bool
) -> list[Check]:
    """The process's checks: the index and the embedding model are required; Redis is not."""

    def qdrant() -> tuple[bool, str]:
        count = index.count()
        if count == 0:
            return False, "the collection is empty: run the ingestion"
        return True, f"{count} chunks, index version {index.version()}"

    def redis() -> tuple[bool, str]:
        if not redis_configured:
            return True, "not configured: in-process cache"
        if cache.ping():
            return True, "reachable"
        return False, "unreachable: answering without cache"

    def embedding() -> tuple[bool, str]:
        return True, f"{index.embedding_id} loaded ({index.dimension()} dimensions)"

    return [
        Check("qdrant", qdrant),
        Check("redis", redis, required=False),
        Check("embedding", embedding),
    ]
