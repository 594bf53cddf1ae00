"""Earlier turns of a Slack conversation, kept in the metadata of Reggi's own answers.

Each first message of an answer carries `metadata` (`event_type` "reggi_answer") with the
question, the summary and the jurisdictions; a follow-up reads them back from
`conversations.replies` and hands them to the engine as `Turn`s.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.answer import Answer, Turn

log = logging.getLogger(__name__)

EVENT_TYPE = "reggi_answer"
MAX_TURNS = 5
DM_HISTORY_SECONDS = 30 * 60  # earlier answers in a DM count as context for this long
_FIELD_LIMIT = 2000


def answer_metadata(answer: Answer) -> dict[str, Any]:
    """The message metadata that lets a later follow-up know this question and answer."""
    return {
        "event_type": EVENT_TYPE,
        "event_payload": {
            "question": answer.question[:_FIELD_LIMIT],
            "answer": answer.answer[:_FIELD_LIMIT],
            "jurisdictions": ",".join(answer.jurisdictions),
            "answer_id": answer.id,
        },
    }


def turns_from_messages(
    messages: Iterable[Mapping[str, Any]],
    *,
    bot_id: str | None,
    bot_user_id: str | None,
    exclude_ts: str = "",
    max_turns: int = MAX_TURNS,
) -> tuple[Turn, ...]:
    """Turns from Reggi's own answers among `messages` (oldest first), the last `max_turns`.

    Only messages posted by this bot count, so another app cannot plant context.
    """
    turns = []
    for message in messages:
        if message.get("ts") == exclude_ts:
            continue
        mine = (bot_id and message.get("bot_id") == bot_id) or (
            bot_user_id and message.get("user") == bot_user_id
        )
        metadata = message.get("metadata") or {}
        if not mine or metadata.get("event_type") != EVENT_TYPE:
            continue
        payload = metadata.get("event_payload") or {}
        question = str(payload.get("question", "")).strip()
        if not question:
            continue
        codes = tuple(c for c in str(payload.get("jurisdictions", "")).split(",") if c)
        turns.append(
            Turn(
                question=question,
                answer=str(payload.get("answer", "")),
                jurisdictions=codes,
            )
        )
    return tuple(turns[-max_turns:]) if max_turns > 0 else ()


def thread_turns(
    client: WebClient,
    *,
    channel: str,
    thread_ts: str,
    current_ts: str,
    bot_id: str | None,
    bot_user_id: str | None,
) -> tuple[Turn, ...]:
    """Reggi's earlier answers in a thread (`conversations.replies`); () when unreadable."""
    try:
        result = client.conversations_replies(
            channel=channel, ts=thread_ts, include_all_metadata=True, limit=200
        )
    except (SlackClientError, OSError) as exc:
        log.warning("could not read the thread for context; answering without it: %s", exc)
        return ()
    return turns_from_messages(
        result.get("messages") or [],
        bot_id=bot_id,
        bot_user_id=bot_user_id,
        exclude_ts=current_ts,
    )


def dm_turns(
    client: WebClient,
    *,
    channel: str,
    current_ts: str,
    bot_id: str | None,
    bot_user_id: str | None,
) -> tuple[Turn, ...]:
    """Reggi's answers in a DM over the last `DM_HISTORY_SECONDS`; () when unreadable."""
    try:
        result = client.conversations_history(
            channel=channel,
            limit=20,
            include_all_metadata=True,
            oldest=f"{float(current_ts) - DM_HISTORY_SECONDS:.6f}",
        )
    except (SlackClientError, OSError) as exc:
        log.warning("could not read the DM for context; answering without it: %s", exc)
        return ()
    newest_first = result.get("messages") or []
    return turns_from_messages(
        list(reversed(newest_first)),
        bot_id=bot_id,
        bot_user_id=bot_user_id,
        exclude_ts=current_ts,
    )
