"""Private answers and their "Share in channel" button.

A private answer (from `/reggi`, the message shortcut, or `--private`) is sent where only the
asker sees it; the answer itself is kept for a while under a random key carried by the
button, so sharing posts exactly the same answer for everyone, without asking again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

from bot.answer import Answer
from bot.channels.kept import KeptAnswers, KeyValue
from bot.channels.slack import history as slack_history
from bot.channels.slack import poster
from bot.channels.slack.poster import Place, Respond
from bot.channels.slack.render import (
    answer_messages,
    share_block,
    shared_by_block,
    with_blocks,
)
from bot.errors import SHARE_GONE, user_message

log = logging.getLogger(__name__)

KEY = "reggi:slack:share:{key}"
TTL_SECONDS = 24 * 3600


class SharedAnswers(KeptAnswers):
    """Answers waiting to be shared or exported (kept `TTL_SECONDS`, under `KEY`)."""

    def __init__(self, *, store: KeyValue) -> None:
        super().__init__(store=store, key_format=KEY, ttl_seconds=TTL_SECONDS)


def send_private(
    respond: Respond,
    answer: Answer,
    *,
    shares: SharedAnswers,
    full_quotes: bool,
    continued: str = "",
) -> None:
    """The answer as ephemeral messages through `response_url`, with "Share in channel"."""
    key = shares.keep(answer, full_quotes=full_quotes)
    messages = answer_messages(
        answer, full_quotes=full_quotes, show_question=True, continued=continued
    )
    for message in with_blocks(messages, share_block(key)):
        respond(
            response_type="ephemeral",
            replace_original=False,
            unfurl_links=False,
            unfurl_media=False,
            **message.as_kwargs(),
        )


class ShareListeners:
    """The "Share in channel" button."""

    def __init__(self, *, shares: SharedAnswers) -> None:
        self._shares = shares

    def on_share(
        self,
        ack: Callable[..., None],
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        respond: Respond,
    ) -> None:
        ack()
        user = (body.get("user") or {}).get("id", "")
        channel = poster.clicked_channel(body)
        kept = self._shares.take(str(action.get("value", "")))
        if kept is None or not channel:
            poster.respond_notice(respond, SHARE_GONE)
            return
        answer, full_quotes = kept
        messages = with_blocks(
            answer_messages(answer, full_quotes=full_quotes, show_question=True),
            shared_by_block(user),
        )
        try:
            poster.post(
                client,
                Place(channel),
                messages,
                metadata=slack_history.answer_metadata(answer),
                respond=respond,
            )
        except Exception as exc:  # noqa: BLE001 — told privately; the private answer stays
            log.warning("could not share an answer in %s", channel, exc_info=True)
            poster.respond_notice(respond, user_message(exc))
            return
        respond(delete_original=True)
