"""The question listeners: @mentions (answered in their thread), DMs and `/reggi`.

They only translate: a Slack payload becomes a question with its earlier turns, the
lifecycle (`bot.conversation`) asks it, and the answer becomes Block Kit. Listeners run on
Bolt's listener pool and only do quick work (parsing, `ack()`); asking the engine and
posting runs on the work pool, so a burst of answers never delays an acknowledgement.
Who may ask and duplicate deliveries are checked earlier, by the middleware.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.answer import Turn
from bot.channels.slack import history as slack_history
from bot.channels.slack import poster
from bot.channels.slack.commands import (
    Request,
    answerable,
    parse_request,
    plain_text,
    strip_mention,
    usage,
)
from bot.channels.slack.poster import Place, Respond
from bot.channels.slack.render import render_answer, render_text
from bot.conversation import Asker, Conversation

log = logging.getLogger(__name__)

LOOKING_UP = "Looking that up…"

History = Callable[[], Sequence[Turn]]


def asker_of(team: str, user: str) -> Asker:
    return Asker(user=user, team=team, rate_key=f"slack:{team}:{user}")


class QuestionListeners:
    """The listeners that turn a message or command into an answer."""

    def __init__(self, *, conversation: Conversation, work: Executor) -> None:
        self._conversation = conversation
        self._work = work

    def on_mention(
        self, event: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        if not answerable(event, context.bot_user_id):
            return
        thread = event.get("thread_ts")
        place = Place(event["channel"], thread_ts=thread or event["ts"], message_ts=event["ts"])

        def history() -> tuple[Turn, ...]:
            if not thread:
                return ()
            return slack_history.thread_turns(
                client,
                channel=place.channel,
                thread_ts=thread,
                current_ts=event["ts"],
                bot_id=context.bot_id,
                bot_user_id=context.bot_user_id,
            )

        self._on_text(event, body, context, client, place, history, private_refusal=True)

    def on_message(
        self, event: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        if event.get("channel_type") != "im" or not answerable(event, context.bot_user_id):
            return
        thread = event.get("thread_ts")
        place = Place(event["channel"], thread_ts=thread, message_ts=event["ts"])

        def history() -> tuple[Turn, ...]:
            ids = {"bot_id": context.bot_id, "bot_user_id": context.bot_user_id}
            if thread:
                return slack_history.thread_turns(
                    client, channel=place.channel, thread_ts=thread, current_ts=event["ts"], **ids
                )
            return slack_history.dm_turns(
                client, channel=place.channel, current_ts=event["ts"], **ids
            )

        self._on_text(event, body, context, client, place, history, private_refusal=False)

    def on_command(
        self,
        ack: Callable[..., None],
        command: dict[str, Any],
        client: WebClient,
        respond: Respond,
    ) -> None:
        request = parse_request(plain_text(command.get("text", "")))
        if request.help:
            ack(**render_text(usage(request.problem)).as_kwargs())
            return
        asker = asker_of(command.get("team_id", ""), command.get("user_id", ""))
        refusal = self._conversation.over_limit(asker)
        if refusal is not None:
            ack(**render_text(refusal).as_kwargs())
            return
        ack(text=LOOKING_UP)
        place = Place(command.get("channel_id", ""))
        self._work.submit(
            self._answer,
            client,
            asker,
            request,
            place,
            history=lambda: (),
            show_question=True,
            respond=respond,
        )

    def on_error(self, error: Exception, body: dict[str, Any]) -> None:
        log.error(
            "unhandled error in a Slack listener (%s): %s", body.get("type"), error, exc_info=error
        )

    # --- answering ------------------------------------------------------------------------
    def _on_text(
        self,
        event: dict[str, Any],
        body: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        place: Place,
        history: History,
        *,
        private_refusal: bool,
    ) -> None:
        request = parse_request(
            plain_text(strip_mention(event.get("text", ""), context.bot_user_id))
        )
        if request.help:
            poster.post_notice(client, place, usage(request.problem))
            return
        asker = asker_of(body.get("team_id") or event.get("team", ""), event.get("user", ""))
        refusal = self._conversation.over_limit(asker)
        if refusal is not None:
            if private_refusal:
                poster.post_private(client, place, asker.user, refusal)
            else:
                poster.post_notice(client, place, refusal)
            return
        poster.react(client, place, add=True)  # progress shows even while queued
        self._work.submit(self._answer, client, asker, request, place, history=history)

    def _answer(
        self,
        client: WebClient,
        asker: Asker,
        request: Request,
        place: Place,
        *,
        history: History,
        show_question: bool = False,
        respond: Respond | None = None,
    ) -> None:
        """Ask and post the answer or the apology (runs on the work pool; never raises)."""
        try:
            reply = self._conversation.ask(
                asker,
                request.question,
                jurisdictions=request.jurisdictions,
                history=history(),
            )
            if reply.answer is None:
                poster.post_notice(client, place, reply.text, respond=respond)
                return
            try:
                messages = render_answer(
                    reply.answer, full_quotes=request.full_quotes, show_question=show_question
                )
                poster.post(
                    client,
                    place,
                    messages,
                    metadata=slack_history.answer_metadata(reply.answer),
                    respond=respond,
                )
            except Exception as exc:  # noqa: BLE001 — logged by apology()
                apology = self._conversation.apology(exc)
                poster.post_notice(client, place, apology, respond=respond)
        finally:
            poster.react(client, place, add=False)
