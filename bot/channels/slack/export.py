"""The "Export to Word" button under an answer: the memo uploaded as a file in the thread.

The answer is kept under a random key (the same store as "Share in channel", kept a day), so
the memo holds exactly the answer shown; the button carries the key. The file is uploaded
with `files_upload_v2` (scope `files:write`) to the answer's channel and thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

from bot.channels.export import filename, memo_docx
from bot.channels.slack.poster import Respond, clicked_channel, respond_notice
from bot.channels.slack.render import Block
from bot.channels.slack.share import SharedAnswers
from bot.channels.text import shorten
from bot.errors import EXPORT_GONE, user_message

log = logging.getLogger(__name__)

ACTION_EXPORT = "reggi_export"


def export_block(key: str) -> Block:
    """The "Export to Word" button."""
    return {
        "type": "actions",
        "block_id": "reggi_export",
        "elements": [
            {
                "type": "button",
                "action_id": ACTION_EXPORT,
                "text": {"type": "plain_text", "text": "Export to Word"},
                "value": key[:2000],
            }
        ],
    }


class ExportListeners:
    """Turns a click on "Export to Word" into a file upload in the answer's thread."""

    def __init__(self, *, shares: SharedAnswers) -> None:
        self._shares = shares

    def on_export(
        self,
        ack: Callable[..., None],
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        respond: Respond,
    ) -> None:
        ack()
        container = body.get("container") or {}
        message = body.get("message") or {}
        channel = clicked_channel(body)
        thread = message.get("thread_ts") or container.get("thread_ts") or message.get("ts")
        kept = self._shares.take(str(action.get("value", "")))
        if kept is None or not channel:
            respond_notice(respond, EXPORT_GONE)
            return
        answer = kept[0]
        user = (body.get("user") or {}).get("id", "")
        try:
            client.files_upload_v2(
                channel=channel,
                thread_ts=thread or None,
                content=memo_docx(answer),
                filename=filename(answer),
                title=f"Reggi memo: {shorten(answer.question, 120)}",
                initial_comment=f"Word memo of this answer, for <@{user}>." if user else None,
            )
        except Exception as exc:  # noqa: BLE001 — told privately; the answer stays
            log.warning("could not upload a memo to %s", channel, exc_info=True)
            respond_notice(respond, user_message(exc))
