"""The audit log as CSV: read the current file and its rotations (or every `*.jsonl` file of
a folder, one per replica) and write the records since a date."""

from __future__ import annotations

import csv
import json
import logging
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, TextIO

log = logging.getLogger("bot.ops.audit")

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
