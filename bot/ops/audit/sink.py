"""`AuditLog`, the `Events` sink appending audit records to a size-rotated JSON-lines file.

Each answer and each feedback vote becomes one JSON object on its own line; the file rotates
by size (`audit.jsonl` → `audit.jsonl.1` → … up to `AUDIT_BACKUP_COUNT` files).
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from bot.answer import Answer
from bot.ops.audit.records import _utcnow, answer_record, feedback_record
from bot.ops.events import CacheOutcome, Vote

log = logging.getLogger("bot.ops.audit")


class AuditLog:
    """Appends answer and feedback records to a JSON-lines file, rotating it by size."""

    def __init__(
        self,
        *,
        path: Path,
        hash_questions: bool = False,
        max_bytes: int = 50 * 1024 * 1024,
        backup_count: int = 10,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.path = Path(path)
        self.hash_questions = hash_questions
        self.max_bytes = max_bytes
        self.backup_count = backup_count
        self._clock = clock
        self._lock = threading.Lock()
        self._file: IO[str] | None = None

    # --- Events ---------------------------------------------------------------------------
    def answered(
        self,
        *,
        channel: str,
        user: str,
        team: str,
        question: str,
        answer: Answer,
        latency_ms: float,
    ) -> None:
        self.write(
            answer_record(
                at=self._clock(),
                channel=channel,
                user=user,
                team=team,
                question=question,
                answer=answer,
                latency_ms=latency_ms,
                hash_questions=self.hash_questions,
            )
        )

    def feedback(
        self, *, channel: str, user: str, answer_id: str, vote: Vote, reason: str = ""
    ) -> None:
        self.write(
            feedback_record(
                at=self._clock(),
                channel=channel,
                user=user,
                answer_id=answer_id,
                vote=vote,
                reason=reason,
            )
        )

    def cache(self, outcome: CacheOutcome) -> None:
        """Cache outcomes are metrics, not audit records."""

    def error(self, *, channel: str, kind: str) -> None:
        """Errors carry no user or answer; metrics count them."""

    # --- file handling --------------------------------------------------------------------
    def write(self, record: dict[str, Any]) -> None:
        """Append one record; a failing disk is logged, never raised into the answer path."""
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
        with self._lock:
            try:
                self._rotate_if_needed(len(line.encode("utf-8")))
                if self._file is None:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    self._file = open(self.path, "a", encoding="utf-8")  # noqa: SIM115
                self._file.write(line)
                self._file.flush()
            except OSError:
                log.exception("could not write the audit log at %s", self.path)
                self._close_file()

    def close(self) -> None:
        with self._lock:
            self._close_file()

    def _close_file(self) -> None:
        if self._file is not None:
            try:
                self._file.close()
            except OSError:
                log.warning("could not close the audit log", exc_info=True)
            self._file = None

    def _rotate_if_needed(self, incoming: int) -> None:
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            return
        if size == 0 or size + incoming <= self.max_bytes:
            return
        self._close_file()
        for i in range(self.backup_count - 1, 0, -1):
            older = _rotated(self.path, i)
            if older.exists():
                os.replace(older, _rotated(self.path, i + 1))
        os.replace(self.path, _rotated(self.path, 1))
        log.info("rotated the audit log %s", self.path)


def _rotated(path: Path, i: int) -> Path:
    return path.with_name(f"{path.name}.{i}")
