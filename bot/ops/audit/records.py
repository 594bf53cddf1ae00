"""The shapes of audit records: one JSON object per answer and per feedback vote (pure)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from bot.answer import Answer
from bot.ops.events import Vote


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


def _iso(at: datetime) -> str:
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
