"""Helpers shared by the audit tests: an audit log on a ticking clock, its lines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.ops.audit import AuditLog

QUESTION = "Do we have to honour a deletion request from a California employee?"


def ticking(start: datetime, step: timedelta = timedelta(minutes=1)) -> Iterator[datetime]:
    now = start
    while True:
        yield now
        now += step


def make_log(
    path: Path, *, start: datetime = datetime(2026, 3, 1, 9, 0, tzinfo=UTC), **kwargs: Any
) -> AuditLog:
    clock = ticking(start)
    return AuditLog(path=path, clock=lambda: next(clock), **kwargs)


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
