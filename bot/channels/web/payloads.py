"""JSON request bodies of the web API → typed values, with readable messages for bad input.

Pure functions: each returns a value or raises `BadRequest` carrying the HTTP status and a
sentence a lawyer (or the developer of an internal tool) can act on; the sentences are in
`bot.errors`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot import errors
from bot.answer import Turn
from bot.errors import (
    BadQuestion,
    BadRequest,
    Busy,
    ConfigError,
    IndexMismatch,
    ServiceUnavailable,
)
from bot.ops.events import Vote

MAX_BODY_BYTES = 64 * 1024
MAX_JURISDICTIONS = 30
MAX_HISTORY_TURNS = 10
MAX_ANSWER_ID_CHARS = 200
MAX_REASON_CHARS = 2000


@dataclass(frozen=True)
class AskRequest:
    question: str
    jurisdictions: tuple[str, ...] | None = None
    history: tuple[Turn, ...] = ()


@dataclass(frozen=True)
class FeedbackRequest:
    answer_id: str
    vote: Vote
    reason: str = ""


def json_body(
    body: bytes, content_type: str | None, *, max_bytes: int = MAX_BODY_BYTES
) -> dict[str, Any]:
    """The request body as a JSON object."""
    if len(body) > max_bytes:
        raise BadRequest(413, errors.TOO_LARGE)
    if not (content_type or "").split(";")[0].strip().lower() == "application/json":
        raise BadRequest(415, errors.NOT_JSON_TYPE)
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BadRequest(400, errors.NOT_JSON) from None
    except RecursionError:  # "[[[[…" nested deeper than the parser's stack
        raise BadRequest(400, errors.TOO_NESTED) from None
    if not isinstance(data, dict):
        raise BadRequest(400, errors.NOT_OBJECT)
    return data


def _codes(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise BadRequest(422, errors.BAD_JURISDICTIONS)
    if len(value) > MAX_JURISDICTIONS:
        raise BadRequest(422, errors.TOO_MANY_JURISDICTIONS.format(limit=MAX_JURISDICTIONS))
    codes = tuple(dict.fromkeys(v.strip() for v in value))
    return codes or None


def _history(value: Any) -> tuple[Turn, ...]:
    if value is None:
        return ()
    bad = BadRequest(422, errors.BAD_HISTORY)
    if not isinstance(value, list):
        raise bad
    turns = []
    for item in value[-MAX_HISTORY_TURNS:]:
        if not isinstance(item, dict) or not isinstance(item.get("question"), str):
            raise bad
        answer = item.get("answer", "")
        if not isinstance(answer, str):
            raise bad
        try:
            codes = _codes(item.get("jurisdictions")) or ()
        except BadRequest:
            raise bad from None
        turns.append(Turn(question=item["question"], answer=answer, jurisdictions=codes))
    return tuple(turns)


def parse_ask(data: dict[str, Any]) -> AskRequest:
    """`{"question", "jurisdictions"?, "history"?}` → AskRequest."""
    question = data.get("question")
    if question is None:
        raise BadRequest(422, errors.NO_QUESTION)
    if not isinstance(question, str):
        raise BadRequest(422, errors.QUESTION_NOT_TEXT)
    if not question.strip():
        raise BadRequest(422, errors.EMPTY_QUESTION)
    return AskRequest(
        question=question.strip(),
        jurisdictions=_codes(data.get("jurisdictions")),
        history=_history(data.get("history")),
    )


def parse_feedback(data: dict[str, Any]) -> FeedbackRequest:
    """`{"answer_id", "vote": "up"|"down", "reason"?}` → FeedbackRequest."""
    answer_id = data.get("answer_id")
    if (
        not isinstance(answer_id, str)
        or not answer_id.strip()
        or len(answer_id) > MAX_ANSWER_ID_CHARS
    ):
        raise BadRequest(422, errors.BAD_ANSWER_ID)
    vote = data.get("vote")
    if vote not in ("up", "down"):
        raise BadRequest(422, errors.BAD_VOTE)
    reason = data.get("reason", "")
    if reason is None:
        reason = ""
    if not isinstance(reason, str):
        raise BadRequest(422, errors.REASON_NOT_TEXT)
    if len(reason) > MAX_REASON_CHARS:
        raise BadRequest(422, errors.REASON_TOO_LONG.format(limit=MAX_REASON_CHARS))
    return FeedbackRequest(answer_id=answer_id.strip(), vote=vote, reason=reason.strip())


def status_for(exc: BaseException) -> int:
    """The HTTP status for an exception raised while answering."""
    if isinstance(exc, BadRequest):
        return exc.status
    if isinstance(exc, BadQuestion):
        return 422
    if isinstance(exc, ServiceUnavailable | IndexMismatch | ConfigError | Busy):
        return 503
    return 500
