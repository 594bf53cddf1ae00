"""The audit log: what Reggi told whom, as append-only JSON lines, and its CSV export.

`AuditLog` is an `Events` sink. Each answer and each feedback vote becomes one JSON object
on its own line; the file rotates by size (`audit.jsonl` → `audit.jsonl.1` → … up to
`AUDIT_BACKUP_COUNT` files). `export_csv` reads the current file and its rotations (or every
`*.jsonl` file of a folder, one per replica) and writes the records since a date as CSV.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO

from bot.answer import Answer
from bot.ops.events import CacheOutcome, Vote

if TYPE_CHECKING:
    from bot.settings import Settings

log = logging.getLogger(__name__)

CSV_COLUMNS = (
    "time",
    "event",
    "channel",
    "user",
    "team",
    "answer_id",
    "question",
    "question_sha256",
    "jurisdictions",
    "missing_jurisdictions",
    "citations",
    "citation_urls",
    "writer",
    "cached",
    "abstained",
    "latency_ms",
    "vote",
    "reason",
    "feedback",
)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def question_hash(question: str) -> str:
    """The SHA-256 hex digest recorded instead of the question when hashing is on."""
    return hashlib.sha256(question.encode("utf-8")).hexdigest()


def answer_record(
    *,
    at: datetime,
    channel: str,
    user: str,
    team: str,
    question: str,
    answer: Answer,
    latency_ms: float,
    hash_questions: bool,
) -> dict[str, Any]:
    """The audit record of one answer (pure; `AuditLog` writes it)."""
    record: dict[str, Any] = {
        "time": _iso(at),
        "event": "answer",
        "channel": channel,
        "user": user,
        "team": team,
        "answer_id": answer.id,
    }
    if hash_questions:
        record["question_sha256"] = question_hash(question)
    else:
        record["question"] = question
    record |= {
        "jurisdictions": list(answer.jurisdictions),
        "missing_jurisdictions": list(answer.missing_jurisdictions),
        "citations": [
            {
                "n": c.n,
                "citation": c.citation,
                "jurisdiction": c.jurisdiction,
                "url": c.url,
            }
            for c in answer.citations
        ],
        "writer": answer.writer,
        "cached": answer.cached,
        "abstained": answer.abstained,
        "latency_ms": round(float(latency_ms), 1),
    }
    return record


def feedback_record(
    *, at: datetime, channel: str, user: str, answer_id: str, vote: Vote, reason: str
) -> dict[str, Any]:
    """The audit record of one feedback vote."""
    return {
        "time": _iso(at),
        "event": "feedback",
        "channel": channel,
        "user": user,
        "answer_id": answer_id,
        "vote": vote,
        "reason": reason,
    }


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

    @classmethod
    def from_settings(cls, settings: Settings) -> AuditLog:
        return cls(
            path=settings.audit_log_path,
            hash_questions=settings.audit_hash_questions,
            max_bytes=settings.audit_max_bytes,
            backup_count=settings.audit_backup_count,
        )

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


def _iso(at: datetime) -> str:
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# --- export ------------------------------------------------------------------------------
def parse_since(text: str) -> datetime:
    """`--since` value → an aware datetime (a bare date means midnight UTC).

    Raises ValueError with a sentence the operator can act on.
    """
    value = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return datetime.combine(date.fromisoformat(value), time.min, tzinfo=UTC)
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"--since must be a date like 2026-01-31 (or a time like 2026-01-31T09:00), not {text!r}."
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def audit_files(path: Path) -> list[Path]:
    """The files holding the audit log at `path`, oldest first.

    A file path means that file and its rotations; a folder means every `*.jsonl` file in
    it with its rotations (one file per replica).
    """
    path = Path(path)
    bases = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    files: list[Path] = []
    for base in bases:
        rotations = sorted(
            (p for p in base.parent.glob(base.name + ".*") if p.suffix[1:].isdigit()),
            key=lambda p: int(p.suffix[1:]),
            reverse=True,
        )
        files.extend(rotations)
        if base.is_file():
            files.append(base)
    return files


def read_records(paths: Iterable[Path]) -> Iterator[dict[str, Any]]:
    """Every well-formed record in the files; a damaged line is logged and skipped."""
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as f:
            for lineno, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                    _record_time(record)
                except (ValueError, TypeError, KeyError):
                    log.warning("skipping a damaged audit line %s:%d", path, lineno)
                    continue
                yield record


def export_csv(path: Path, since: datetime | date, out: TextIO) -> int:
    """Write the audit records at or after `since` to `out` as CSV; return the row count.

    Answer rows get a `feedback` column with the latest vote given on that answer (from
    any file read, also after the answer's own row).
    """
    if isinstance(since, datetime):
        start = since if since.tzinfo else since.replace(tzinfo=UTC)
    else:
        start = datetime.combine(since, time.min, tzinfo=UTC)
    files = audit_files(path)
    if not files:
        log.warning("no audit log found at %s", path)
    records = sorted(read_records(files), key=_record_time)
    latest_vote = {
        r.get("answer_id"): r.get("vote")
        for r in records
        if r.get("event") == "feedback" and r.get("answer_id")
    }
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    rows = 0
    for record in records:
        if _record_time(record) < start:
            continue
        writer.writerow(csv_row(record, latest_vote.get(record.get("answer_id")) or ""))
        rows += 1
    return rows


def csv_row(record: dict[str, Any], feedback: str = "") -> dict[str, Any]:
    """One audit record as a flat CSV row (lists joined, spreadsheet formulas defused)."""
    citations = record.get("citations") or []
    row: dict[str, Any] = {
        "time": record.get("time", ""),
        "event": record.get("event", ""),
        "channel": record.get("channel", ""),
        "user": record.get("user", ""),
        "team": record.get("team", ""),
        "answer_id": record.get("answer_id", ""),
        "question": record.get("question", ""),
        "question_sha256": record.get("question_sha256", ""),
        "jurisdictions": " ".join(record.get("jurisdictions") or []),
        "missing_jurisdictions": " ".join(record.get("missing_jurisdictions") or []),
        "citations": "; ".join(f"[{c.get('n')}] {c.get('citation', '')}" for c in citations),
        "citation_urls": " ".join(str(c.get("url", "")) for c in citations),
        "writer": record.get("writer", ""),
        "cached": _flag(record.get("cached")),
        "abstained": _flag(record.get("abstained")),
        "latency_ms": record.get("latency_ms", ""),
        "vote": record.get("vote", ""),
        "reason": record.get("reason", ""),
        "feedback": feedback if record.get("event") == "answer" else "",
    }
    return {k: _defuse(v) for k, v in row.items()}


def _flag(value: Any) -> str:
    return "" if value is None else ("yes" if value else "no")


def _defuse(value: Any) -> Any:
    """Keep a spreadsheet from running a cell as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _record_time(record: dict[str, Any]) -> datetime:
    parsed = datetime.fromisoformat(str(record["time"]))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
