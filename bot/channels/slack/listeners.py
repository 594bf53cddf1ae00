"""The question listeners: @mentions (answered in their thread), DMs, `/reggi` (answered
privately), and the "Ask Reggi about this message" shortcut (answered privately).

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
from dataclasses import dataclass
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.answer import Turn
from bot.channels.slack import history as slack_history
from bot.channels.slack import poster
from bot.channels.slack.admin import apply_config
from bot.channels.slack.channel_settings import ChannelPolicies
from bot.channels.slack.commands import (
    ConfigRequest,
    Request,
    answerable,
    parse_config,
    parse_request,
    plain_text,
    strip_mention,
    usage,
)
from bot.channels.slack.export import export_block
from bot.channels.slack.poster import Place, Respond
from bot.channels.slack.render import answer_messages, render_text, with_blocks
from bot.channels.slack.share import SharedAnswers, send_private
from bot.channels.slack.streaming import DraftStream, thread_draft
from bot.conversation import Asker, Conversation
from bot.errors import NO_MESSAGE_TEXT

log = logging.getLogger(__name__)

LOOKING_UP = "Looking that up… only you will see the answer."
SHORTCUT = "reggi_ask_about_message"  # callback_id of the message shortcut

History = Callable[[], Sequence[Turn]]
Places = Callable[[str], Sequence[str]]  # the jurisdictions a question names


def asker_of(team: str, user: str) -> Asker:
    return Asker(user=user, team=team, rate_key=f"slack:{team}:{user}")


@dataclass(frozen=True)
class Job:
    """One question to answer on the work pool, and where the answer goes."""

    asker: Asker
    request: Request
    place: Place
    history: History = tuple
    thread_reply: bool = False
    respond: Respond | None = None  # private: the answer goes here, ephemeral
    status: Callable[[str], Any] | None = None  # assistant threads: the status line
    say_stream: Callable[..., Any] | None = None  # assistant threads: bolt's say_stream


class QuestionListeners:
    """The listeners that turn a message, command or shortcut into an answer."""

    def __init__(
        self,
        *,
        conversation: Conversation,
        work: Executor,
        policies: ChannelPolicies,
        shares: SharedAnswers,
        places: Places | None = None,
        status_line: Callable[[str], str] | None = None,
    ) -> None:
        self._conversation = conversation
        self._work = work
        self._policies = policies
        self._shares = shares
        self._places = places
        self._status_line = status_line or (lambda _: "Looking that up…")

    def on_mention(
        self, event: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        if not answerable(event, context.bot_user_id):
            return
        thread = event.get("thread_ts")
        place = Place(event["channel"], thread_ts=thread or event["ts"], message_ts=event["ts"])

        history = thread_history(client, context, place.channel, thread, event["ts"])
        self._on_text(event, body, context, client, place, history, in_channel=True)

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

        self._on_text(event, body, context, client, place, history, in_channel=False)

    def on_command(
        self,
        ack: Callable[..., None],
        command: dict[str, Any],
        client: WebClient,
        respond: Respond,
    ) -> None:
        text = plain_text(command.get("text", ""))
        team, channel = command.get("team_id", ""), command.get("channel_id", "")
        user = command.get("user_id", "")
        config = parse_config(text)
        if config is not None:
            ack()
            self._work.submit(self._config, client, respond, config, team, channel, user)
            return
        request = parse_request(text)
        if request.help:
            ack(**render_text(usage(request.problem)).as_kwargs())
            return
        asker = asker_of(team, user)
        refusal = self._conversation.over_limit(asker)
        if refusal is not None:
            ack(**render_text(refusal).as_kwargs())
            return
        ack(text=LOOKING_UP)
        self._work.submit(
            self._answer, client, Job(asker, request, Place(channel), respond=respond)
        )

    def on_shortcut(
        self, ack: Callable[..., None], body: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        """⋯ → "Ask Reggi about this message": the message's text, answered privately."""
        ack()
        text = plain_text(str((body.get("message") or {}).get("text") or ""))
        if not text:
            respond(response_type="ephemeral", **render_text(NO_MESSAGE_TEXT).as_kwargs())
            return
        team = (body.get("team") or {}).get("id", "")
        asker = asker_of(team, (body.get("user") or {}).get("id", ""))
        refusal = self._conversation.over_limit(asker)
        if refusal is not None:
            respond(response_type="ephemeral", **render_text(refusal).as_kwargs())
            return
        channel = (body.get("channel") or {}).get("id", "")
        request = Request(question=text, private=True)
        self._work.submit(
            self._answer, client, Job(asker, request, Place(channel), respond=respond)
        )

    def on_assistant_message(
        self,
        event: dict[str, Any],
        body: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        set_status: Callable[..., Any],
        say_stream: Callable[..., Any] | None = None,
    ) -> None:
        """A message in an assistant thread: answered in the thread, progress as its status."""
        if not answerable(event, context.bot_user_id):
            return
        thread = event.get("thread_ts") or event["ts"]
        place = Place(event["channel"], thread_ts=thread)

        history = thread_history(client, context, place.channel, thread, event["ts"])
        request = parse_request(plain_text(event.get("text", "")))
        if request.help:
            poster.post_notice(client, place, usage(request.problem))
            return
        asker = asker_of(body.get("team_id") or event.get("team", ""), event.get("user", ""))
        refusal = self._conversation.over_limit(asker)
        if refusal is not None:
            poster.post_notice(client, place, refusal)
            return
        job = Job(
            asker,
            request,
            place,
            history=history,
            thread_reply=True,
            status=set_status,
            say_stream=say_stream,
        )
        self._work.submit(self._answer, client, job)

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
        in_channel: bool,
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
            if in_channel:
                poster.post_private(client, place, asker.user, refusal)
            else:
                poster.post_notice(client, place, refusal)
            return
        respond = None
        if request.private and in_channel:
            respond = poster.ephemeral_responder(client, place, asker.user)
        else:
            poster.react(client, place, add=True)  # progress shows even while queued
        job = Job(
            asker,
            request,
            place,
            history=history,
            thread_reply=bool(event.get("thread_ts")),
            respond=respond,
        )
        self._work.submit(self._answer, client, job)

    def _answer(self, client: WebClient, job: Job) -> None:
        """Ask and post the answer or the apology (runs on the work pool; never raises)."""
        place, respond = job.place, job.respond
        if job.status is not None:
            _quietly(job.status, self._status_line(job.request.question))
        draft = self._draft(client, job)
        try:
            policy = self._policies.get(job.asker.team, place.channel)
            reply = self._conversation.ask(
                job.asker,
                job.request.question,
                jurisdictions=job.request.jurisdictions,
                history=job.history(),
                thread_reply=job.thread_reply,
                defaults=policy.jurisdictions,
                named=self._places,
                on_text=draft.feed if draft is not None else None,
            )
            if reply.answer is None:
                if draft is None or not draft.abandon(reply.text):
                    poster.post_notice(client, place, reply.text, respond=respond)
                return
            try:
                if respond is not None:
                    send_private(
                        respond,
                        reply.answer,
                        shares=self._shares,
                        full_quotes=job.request.full_quotes,
                        continued=reply.continued,
                    )
                    return
                messages = answer_messages(
                    reply.answer, full_quotes=job.request.full_quotes, continued=reply.continued
                )
                if reply.answer.citations:  # "Export to Word" (bot/channels/slack/export.py)
                    key = self._shares.keep(reply.answer, full_quotes=job.request.full_quotes)
                    messages = with_blocks(messages, export_block(key))
                metadata: dict[str, Any] | None = slack_history.answer_metadata(reply.answer)
                if draft is not None and draft.started:
                    rest = draft.finish(messages, metadata=metadata)
                    if len(rest) < len(messages):  # the draft became the first message
                        metadata = None
                    messages = rest
                poster.post(client, place, messages, metadata=metadata)
            except Exception as exc:  # noqa: BLE001 — logged by apology()
                apology = self._conversation.apology(exc)
                poster.post_notice(client, place, apology, respond=respond)
        finally:
            if job.status is not None:
                _quietly(job.status, "")  # clears the status line
            poster.react(client, place, add=False)

    def _draft(self, client: WebClient, job: Job) -> DraftStream | None:
        """A stream for a public answer in a thread (Slack streams only thread replies)."""
        if job.respond is not None or not job.place.thread_ts:
            return None
        return thread_draft(
            client,
            channel=job.place.channel,
            thread_ts=job.place.thread_ts,
            team=job.asker.team,
            user=job.asker.user,
            say_stream=job.say_stream,
        )

    def _config(
        self,
        client: WebClient,
        respond: Respond,
        config: ConfigRequest,
        team: str,
        channel: str,
        user: str,
    ) -> None:
        text = apply_config(
            config, client=client, policies=self._policies, team=team, channel=channel, user=user
        )
        try:
            respond(response_type="ephemeral", **render_text(text).as_kwargs())
        except Exception:
            log.exception("could not answer /reggi config")


def _quietly(set_status: Callable[[str], Any], text: str) -> None:
    try:
        set_status(text)
    except Exception:  # noqa: BLE001 — the status line is cosmetic
        log.warning("could not set the assistant thread status", exc_info=True)


def thread_history(
    client: WebClient, context: BoltContext, channel: str, thread: str | None, current_ts: str
) -> Callable[[], tuple[Turn, ...]]:
    """Reggi's earlier turns in `thread`, read only when asked for; () outside a thread."""

    def history() -> tuple[Turn, ...]:
        if not thread:
            return ()
        return slack_history.thread_turns(
            client,
            channel=channel,
            thread_ts=thread,
            current_ts=current_ts,
            bot_id=context.bot_id,
            bot_user_id=context.bot_user_id,
        )

    return history
