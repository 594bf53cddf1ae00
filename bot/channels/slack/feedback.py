"""👍/👎 on an answer: a 👍 is recorded at once; a 👎 opens the optional "what was wrong?"
dialog, and the vote is recorded when it is sent or skipped. The voter is thanked privately."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.channels.slack.poster import Place, post_private
from bot.channels.slack.render import (
    ACTION_DOWN,
    ACTION_FEEDBACK,
    REASON_BLOCK,
    feedback_reason_view,
    feedback_vote,
)
from bot.conversation import Conversation
from bot.ops.events import Vote

log = logging.getLogger(__name__)

THANKS = "Thanks — your feedback was recorded."
REASON_LIMIT = 500

Ack = Callable[..., None]


class FeedbackListeners:
    """The listeners for the feedback buttons and the reason dialog."""

    def __init__(self, *, conversation: Conversation) -> None:
        self._conversation = conversation

    def on_vote(
        self, ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        user = (body.get("user") or {}).get("id", "")
        channel = (body.get("channel") or {}).get("id", "") or (body.get("container") or {}).get(
            "channel_id", ""
        )
        thread_ts = (body.get("message") or {}).get("thread_ts") or (
            body.get("container") or {}
        ).get("thread_ts")
        answer_id = action.get("value", "")
        vote = "down" if action.get("action_id") == ACTION_DOWN else "up"
        if action.get("action_id") == ACTION_FEEDBACK:  # the native feedback_buttons
            parsed = feedback_vote(str(answer_id))
            if parsed is None:
                log.warning("feedback button with an unreadable value %r", answer_id)
                return
            vote, answer_id = parsed
        if vote == "up":
            self._record(client, channel, user, answer_id, "up", "", thread_ts)
            return
        private = json.dumps(
            {"answer_id": answer_id, "channel": channel, "thread_ts": thread_ts or ""}
        )
        try:
            client.views_open(trigger_id=body["trigger_id"], view=feedback_reason_view(private))
        except (SlackApiError, KeyError):
            log.warning(
                "could not open the feedback reason dialog; recording the vote without a reason",
                exc_info=True,
            )
            self._record(client, channel, user, answer_id, "down", "", thread_ts)

    def on_reason(
        self, ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        values = (view.get("state") or {}).get("values") or {}
        reason = ((values.get(REASON_BLOCK) or {}).get(REASON_BLOCK) or {}).get("value") or ""
        self._reason(client, body, view, reason.strip()[:REASON_LIMIT])

    def on_reason_closed(
        self, ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        self._reason(client, body, view, "")

    def _reason(
        self, client: WebClient, body: dict[str, Any], view: dict[str, Any], reason: str
    ) -> None:
        try:
            private = json.loads(view.get("private_metadata") or "{}")
        except ValueError:
            log.warning("feedback dialog came back with unreadable metadata")
            return
        self._record(
            client,
            private.get("channel", ""),
            (body.get("user") or {}).get("id", ""),
            private.get("answer_id", ""),
            "down",
            reason,
            private.get("thread_ts") or None,
        )

    def _record(
        self,
        client: WebClient,
        channel: str,
        user: str,
        answer_id: str,
        vote: Vote,
        reason: str,
        thread_ts: str | None,
    ) -> None:
        self._conversation.feedback(user=user, answer_id=answer_id, vote=vote, reason=reason)
        if channel:
            post_private(client, Place(channel, thread_ts=thread_ts), user, THANKS)
