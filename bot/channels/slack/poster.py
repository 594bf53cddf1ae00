"""Posting to Slack: answers (falling back to `response_url`), notices, private notes, and the
progress reaction. Each function takes the request's `WebClient`; rendering happens elsewhere.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.channels.slack.render import SlackMessage, render_text

log = logging.getLogger(__name__)

PROGRESS_REACTION = "hourglass_flowing_sand"
# When the bot cannot post where /reggi was used (a DM between two people, a channel it is
# not in), the answer goes through the command's response_url instead.
RESPOND_INSTEAD = frozenset(
    {"channel_not_found", "not_in_channel", "is_archived", "restricted_action"}
)

Respond = Callable[..., Any]


@dataclass(frozen=True)
class Place:
    """Where an answer goes, and which message carries the progress reaction."""

    channel: str
    thread_ts: str | None = None  # None = top level
    message_ts: str | None = None  # the asker's message


def post(
    client: WebClient,
    place: Place,
    messages: Sequence[SlackMessage],
    *,
    metadata: Mapping[str, Any] | None = None,
    respond: Respond | None = None,
) -> None:
    """Post consecutive messages; the first carries `metadata`. Raises on failure."""
    for i, message in enumerate(messages):
        try:
            client.chat_postMessage(
                channel=place.channel,
                thread_ts=place.thread_ts,
                unfurl_links=False,
                unfurl_media=False,
                metadata=dict(metadata) if metadata and i == 0 else None,
                **message.as_kwargs(),
            )
        except SlackApiError as exc:
            if respond is None or exc.response.get("error") not in RESPOND_INSTEAD:
                raise
            log.info(
                "cannot post in %s (%s); answering through response_url",
                place.channel,
                exc.response.get("error"),
            )
            for rest in messages[i:]:
                respond(
                    response_type="in_channel",
                    unfurl_links=False,
                    unfurl_media=False,
                    **rest.as_kwargs(),
                )
            return


def post_notice(
    client: WebClient, place: Place, text: str, *, respond: Respond | None = None
) -> None:
    """Post a notice (usage, apology); with `respond`, privately. A failure is only logged."""
    message = render_text(text)
    try:
        if respond is not None:
            respond(response_type="ephemeral", **message.as_kwargs())
        else:
            post(client, place, [message])
    except Exception:
        log.exception("could not post a notice to Slack channel %s", place.channel)


def post_private(client: WebClient, place: Place, user: str, text: str) -> None:
    """An ephemeral note only `user` sees (refusals, thanks). A failure is only logged."""
    try:
        client.chat_postEphemeral(
            channel=place.channel,
            user=user,
            thread_ts=place.thread_ts,
            **render_text(text).as_kwargs(),
        )
    except (SlackClientError, OSError) as exc:
        log.warning("could not post a private note in %s: %s", place.channel, exc)


def react(client: WebClient, place: Place, *, add: bool) -> None:
    """Add or remove the progress reaction on the asker's message (best effort)."""
    if not place.message_ts:
        return
    call = client.reactions_add if add else client.reactions_remove
    try:
        call(channel=place.channel, timestamp=place.message_ts, name=PROGRESS_REACTION)
    except (SlackClientError, OSError) as exc:
        log.warning("could not %s the progress reaction: %s", "add" if add else "remove", exc)


def ephemeral_responder(client: WebClient, place: Place, user: str) -> Respond:
    """A `respond`-like callable that posts ephemeral messages for `user` in `place`."""

    def respond(**kwargs: Any) -> None:
        kwargs.pop("response_type", None)
        kwargs.pop("replace_original", None)
        client.chat_postEphemeral(
            channel=place.channel,
            user=user,
            thread_ts=place.thread_ts,
            text=kwargs.pop("text", ""),
            blocks=kwargs.pop("blocks", None),
            unfurl_links=False,
            unfurl_media=False,
        )

    return respond


def respond_notice(respond: Respond, text: str) -> None:
    """Tell the person who clicked a button, privately, without replacing the message."""
    respond(response_type="ephemeral", replace_original=False, **render_text(text).as_kwargs())


def clicked_channel(body: Mapping[str, Any]) -> str:
    """The channel of a block action's message (its `channel`, else its `container`)."""
    channel = (body.get("channel") or {}).get("id", "")
    return str(channel or (body.get("container") or {}).get("channel_id", ""))
