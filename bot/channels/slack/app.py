"""The Bolt app: @mentions answered in threads, DMs, `/reggi`, and 👍/👎 feedback.

Listeners only translate between Slack and the answer engine: a Slack payload becomes a
question (with the thread's earlier turns), the `Answer` becomes Block Kit. Events are
acknowledged before the engine is asked, so Slack gets its HTTP 200 at once.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

from slack_bolt import App, BoltContext, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.answer import AnswerSource, Turn
from bot.channels.slack.access import (
    NotAllowed,
    Requester,
    check_access,
)
from bot.channels.slack.commands import (
    COMMAND,
    USAGE,
    parse_request,
    plain_text,
    strip_mention,
)
from bot.channels.slack.history import answer_metadata, turns_from_messages
from bot.channels.slack.render import (
    ACTION_DOWN,
    ACTION_UP,
    REASON_BLOCK,
    REASON_VIEW,
    SlackMessage,
    feedback_reason_view,
    render_answer,
    render_text,
)
from bot.errors import BadQuestion, ConfigError, RateLimited, ReggiError, user_message
from bot.ops.events import Events, Vote
from bot.settings import Settings

log = logging.getLogger(__name__)

CHANNEL = "slack"  # the `channel` reported to Events
PROGRESS_REACTION = "hourglass_flowing_sand"
LOOKING_UP = "Looking that up…"
THANKS = "Thanks — your feedback was recorded."
DEDUPE_TTL_SECONDS = 3600  # Slack retries after ~0 s, 1 min and 5 min
DM_HISTORY_SECONDS = 30 * 60  # earlier answers in a DM count as context for this long
# When the bot cannot post where /reggi was used (a DM between two people, a channel it is
# not in), the answer goes through the command's response_url instead.
_RESPOND_INSTEAD = {
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "restricted_action",
}

# Every Web API method the app calls, and the bot scopes it needs (checked against the manifest).
SCOPES_BY_METHOD: dict[str, frozenset[str]] = {
    "auth.test": frozenset(),
    "chat.postMessage": frozenset({"chat:write"}),
    "chat.postEphemeral": frozenset({"chat:write"}),
    "reactions.add": frozenset({"reactions:write"}),
    "reactions.remove": frozenset({"reactions:write"}),
    "conversations.replies": frozenset(
        {"channels:history", "groups:history", "im:history", "mpim:history"}
    ),
    "conversations.history": frozenset({"im:history"}),
    "views.open": frozenset(),
}
# Events the app subscribes to, and the scope each needs.
SCOPES_BY_EVENT: dict[str, str] = {
    "app_mention": "app_mentions:read",
    "message.im": "im:history",
}
COMMAND_SCOPE = "commands"


def required_bot_scopes() -> frozenset[str]:
    """The bot scopes the features in this module use (the manifest must list exactly these)."""
    scopes = set().union(*SCOPES_BY_METHOD.values())
    return frozenset(scopes | set(SCOPES_BY_EVENT.values()) | {COMMAND_SCOPE})


class SlackStore(Protocol):
    """What the Slack app needs from the shared store (bot/cache)."""

    def seen(self, key: str, ttl_seconds: int) -> bool: ...  # True when the key was already seen

    def allow(self, user_key: str) -> bool: ...  # per-user rate limit


def build_slack_client(settings: Settings) -> WebClient:
    """The Web API client: bot token, `SLACK_API_URL`, and waiting out HTTP 429s."""
    if settings.slack_bot_token is None:
        raise ConfigError("SLACK_BOT_TOKEN is required for the Slack app")
    client = WebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        timeout=30,
        logger=logging.getLogger("bot.channels.slack.web"),
    )
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=5))
    return client


@dataclass(frozen=True)
class Place:
    """Where an answer goes, and which message carries the progress reaction."""

    channel: str
    thread_ts: str | None = None  # None = top level
    message_ts: str | None = None  # the asker's message


def build_slack_app(
    *,
    settings: Settings,
    answers: AnswerSource,
    store: SlackStore,
    events: Events,
    client: WebClient,
    listener_executor: Executor | None = None,
    work_executor: Executor | None = None,
) -> App:
    """The Bolt app with every listener registered. Serve it with `mount_slack` or Socket Mode.

    Listeners run on `listener_executor` and only do quick work (checks, `ack()`, opening a
    dialog); the slow part — asking the engine and posting — runs on `work_executor`, so a
    burst of answers never delays the 3-second acknowledgement of a slash command or click.
    """
    secret = (
        settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    )
    if not secret and settings.slack_app_token is None:
        raise ConfigError(
            "SLACK_SIGNING_SECRET is required unless SLACK_APP_TOKEN (Socket Mode) is set"
        )
    app = App(
        signing_secret=secret,
        client=client,
        token_verification_enabled=False,  # auth.test on the first request, not at start-up
        logger=logging.getLogger("bot.channels.slack.bolt"),
        listener_executor=listener_executor
        or ThreadPoolExecutor(max_workers=8, thread_name_prefix="reggi-slack"),
    )
    handlers = SlackHandlers(
        settings=settings,
        answers=answers,
        store=store,
        events=events,
        work=work_executor
        or ThreadPoolExecutor(max_workers=8, thread_name_prefix="reggi-slack-answer"),
    )
    app.middleware(handlers.deduplicate)
    app.event("app_mention")(handlers.on_mention)
    app.event("message")(handlers.on_message)
    app.command(COMMAND)(handlers.on_command)
    app.action(ACTION_UP)(handlers.on_vote)
    app.action(ACTION_DOWN)(handlers.on_vote)
    app.view_submission(REASON_VIEW)(handlers.on_reason)
    app.view_closed(REASON_VIEW)(handlers.on_reason_closed)
    app.error(handlers.on_error)
    return app


class SlackHandlers:
    """The listeners. Collaborators come in through the constructor."""

    def __init__(
        self,
        *,
        settings: Settings,
        answers: AnswerSource,
        store: SlackStore,
        events: Events,
        work: Executor,
    ) -> None:
        self._settings = settings
        self._answers = answers
        self._store = store
        self._events = events
        self._work = work

    # --- middleware -----------------------------------------------------------------------
    def deduplicate(
        self, body: dict[str, Any], next: Callable[[], None], request: Any
    ) -> BoltResponse | None:
        """Slack redelivers events it thinks failed: answer each `event_id` once."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            try:
                duplicate = self._store.seen(f"slack:event:{event_id}", DEDUPE_TTL_SECONDS)
            except Exception:
                log.exception(
                    "could not check Slack event %s for duplicates; handling it",
                    event_id,
                )
                duplicate = False
            if duplicate:
                retry = request.headers.get("x-slack-retry-num", [""])
                log.info(
                    "ignoring duplicate Slack event %s (retry %s)",
                    event_id,
                    retry[0] if retry else "",
                )
                return BoltResponse(status=200, body="")
        next()
        return None

    # --- listeners ------------------------------------------------------------------------
    def on_mention(
        self,
        event: dict[str, Any],
        body: dict[str, Any],
        context: BoltContext,
        client: WebClient,
    ) -> None:
        if _ignored(event, context):
            return
        thread = event.get("thread_ts")
        place = Place(event["channel"], thread_ts=thread or event["ts"], message_ts=event["ts"])

        def history() -> tuple[Turn, ...]:
            return (
                self._thread_turns(client, context, place.channel, thread, event["ts"])
                if thread
                else ()
            )

        self._answer_message(event, body, context, client, place, history, private_refusal=True)

    def on_message(
        self,
        event: dict[str, Any],
        body: dict[str, Any],
        context: BoltContext,
        client: WebClient,
    ) -> None:
        if event.get("channel_type") != "im" or _ignored(event, context):
            return
        thread = event.get("thread_ts")
        place = Place(event["channel"], thread_ts=thread, message_ts=event["ts"])

        def history() -> tuple[Turn, ...]:
            if thread:
                return self._thread_turns(client, context, place.channel, thread, event["ts"])
            return self._dm_turns(client, context, place.channel, event["ts"])

        self._answer_message(event, body, context, client, place, history, private_refusal=False)

    def on_command(
        self,
        ack: Callable[..., None],
        command: dict[str, Any],
        client: WebClient,
        respond: Callable[..., Any],
    ) -> None:
        request = parse_request(plain_text(command.get("text", "")))
        if request.help:
            ack(**_notice_kwargs(_usage(request.problem)))
            return
        requester = Requester(
            team=command.get("team_id", ""),
            channel=command.get("channel_id", ""),
            user=command.get("user_id", ""),
            enterprise=command.get("enterprise_id") or "",
        )
        try:
            self._check(requester)
        except ReggiError as exc:
            log.info("refused /reggi: %s", exc)
            ack(**_notice_kwargs(user_message(exc)))
            return
        ack(text=LOOKING_UP)
        place = Place(requester.channel)
        self._work.submit(
            self._answer,
            client,
            requester,
            request.question,
            place,
            history=lambda: (),
            jurisdictions=request.jurisdictions,
            full_quotes=request.full_quotes,
            show_question=True,
            respond=respond,
        )

    def on_vote(
        self,
        ack: Callable[..., None],
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
    ) -> None:
        ack()
        user = (body.get("user") or {}).get("id", "")
        channel = (body.get("channel") or {}).get("id", "")
        thread_ts = (body.get("message") or {}).get("thread_ts")
        answer_id = action.get("value", "")

        def record(vote: Vote) -> None:
            self._record_feedback(
                client,
                channel=channel,
                user=user,
                answer_id=answer_id,
                vote=vote,
                thread_ts=thread_ts,
            )

        if action.get("action_id") == ACTION_UP:
            record("up")
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
            record("down")

    def on_reason(
        self,
        ack: Callable[..., None],
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
    ) -> None:
        ack()
        values = (view.get("state") or {}).get("values") or {}
        reason = ((values.get(REASON_BLOCK) or {}).get(REASON_BLOCK) or {}).get("value") or ""
        self._reason_feedback(client, body, view, reason.strip()[:500])

    def on_reason_closed(
        self,
        ack: Callable[..., None],
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
    ) -> None:
        ack()
        self._reason_feedback(client, body, view, "")

    def on_error(self, error: Exception, body: dict[str, Any]) -> None:
        log.error(
            "unhandled error in a Slack listener (%s): %s",
            body.get("type"),
            error,
            exc_info=error,
        )

    # --- answering ------------------------------------------------------------------------
    def _answer_message(
        self,
        event: dict[str, Any],
        body: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        place: Place,
        history: Callable[[], Sequence[Turn]],
        *,
        private_refusal: bool,
    ) -> None:
        request = parse_request(
            plain_text(strip_mention(event.get("text", ""), context.bot_user_id))
        )
        if request.help:
            self._post_quietly(client, place, render_text(_usage(request.problem)))
            return
        requester = Requester(
            team=body.get("team_id") or event.get("team", ""),
            channel=place.channel,
            user=event.get("user", ""),
            enterprise=body.get("enterprise_id") or "",
        )
        try:
            self._check(requester)
        except ReggiError as exc:
            log.info("refused Slack message: %s", exc)
            self._refuse(
                client,
                place,
                requester.user,
                user_message(exc),
                private=private_refusal,
            )
            return
        self._react(client, place, add=True)  # progress shows even while queued
        self._work.submit(
            self._answer,
            client,
            requester,
            request.question,
            place,
            history=history,
            jurisdictions=request.jurisdictions,
            full_quotes=request.full_quotes,
        )

    def _check(self, requester: Requester) -> None:
        check_access(
            requester,
            teams=self._settings.allowed_teams,
            channels=self._settings.allowed_channels,
            users=self._settings.allowed_users,
        )
        if self._settings.rate_limit_per_minute > 0 and not self._store.allow(requester.rate_key):
            raise RateLimited(f"rate limit for {requester.rate_key}")

    def _answer(
        self,
        client: WebClient,
        requester: Requester,
        question: str,
        place: Place,
        *,
        history: Callable[[], Sequence[Turn]],
        jurisdictions: Sequence[str] | None,
        full_quotes: bool,
        show_question: bool = False,
        respond: Callable[..., Any] | None = None,
    ) -> None:
        """Ask the engine and post the answer (runs on the work pool; never raises)."""
        started = time.perf_counter()
        try:
            answer = self._answers.ask(
                question, jurisdictions=jurisdictions, history=tuple(history())
            )
            messages = render_answer(answer, full_quotes=full_quotes, show_question=show_question)
            self._post(
                client,
                place,
                messages,
                metadata=answer_metadata(answer),
                respond=respond,
            )
            self._events.answered(
                channel=CHANNEL,
                user=requester.user,
                team=requester.team,
                question=question,
                answer=answer,
                latency_ms=(time.perf_counter() - started) * 1000,
            )
        except Exception as exc:
            if isinstance(exc, ReggiError) and not isinstance(exc, ConfigError):
                log.warning("could not answer a Slack question: %r", exc)
            else:
                log.exception("could not answer a Slack question")
            self._report_error(type(exc).__name__)
            self._post_quietly(client, place, render_text(user_message(exc)), respond=respond)
        finally:
            self._react(client, place, add=False)

    def _post(
        self,
        client: WebClient,
        place: Place,
        messages: Sequence[SlackMessage],
        *,
        metadata: Mapping[str, Any] | None = None,
        respond: Callable[..., Any] | None = None,
    ) -> None:
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
                if respond is None or exc.response.get("error") not in _RESPOND_INSTEAD:
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

    def _post_quietly(
        self,
        client: WebClient,
        place: Place,
        message: SlackMessage,
        respond: Callable[..., Any] | None = None,
    ) -> None:
        """Post a notice (usage, apology); a failure here is only logged."""
        try:
            if respond is not None:
                respond(response_type="ephemeral", **message.as_kwargs())
            else:
                self._post(client, place, [message])
        except Exception:
            log.exception("could not post a notice to Slack channel %s", place.channel)

    def _refuse(
        self, client: WebClient, place: Place, user: str, text: str, *, private: bool
    ) -> None:
        if not private:
            self._post_quietly(client, place, render_text(text))
            return
        try:
            client.chat_postEphemeral(
                channel=place.channel,
                user=user,
                thread_ts=place.thread_ts,
                **render_text(text).as_kwargs(),
            )
        except Exception:
            log.exception("could not tell a Slack user they are not allowed")

    def _react(self, client: WebClient, place: Place, *, add: bool) -> None:
        if not place.message_ts:
            return
        react = client.reactions_add if add else client.reactions_remove
        try:
            react(channel=place.channel, timestamp=place.message_ts, name=PROGRESS_REACTION)
        except (SlackClientError, OSError) as exc:
            log.warning(
                "could not %s the progress reaction: %s",
                "add" if add else "remove",
                exc,
            )

    # --- conversation context -------------------------------------------------------------
    def _thread_turns(
        self,
        client: WebClient,
        context: BoltContext,
        channel: str,
        thread_ts: str,
        current_ts: str,
    ) -> tuple[Turn, ...]:
        try:
            result = client.conversations_replies(
                channel=channel, ts=thread_ts, include_all_metadata=True, limit=200
            )
        except (SlackClientError, OSError) as exc:
            log.warning("could not read the thread for context; answering without it: %s", exc)
            return ()
        return turns_from_messages(
            result.get("messages") or [],
            bot_id=context.bot_id,
            bot_user_id=context.bot_user_id,
            exclude_ts=current_ts,
        )

    def _dm_turns(
        self, client: WebClient, context: BoltContext, channel: str, current_ts: str
    ) -> tuple[Turn, ...]:
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
            bot_id=context.bot_id,
            bot_user_id=context.bot_user_id,
            exclude_ts=current_ts,
        )

    # --- feedback -------------------------------------------------------------------------
    def _reason_feedback(
        self, client: WebClient, body: dict[str, Any], view: dict[str, Any], reason: str
    ) -> None:
        try:
            private = json.loads(view.get("private_metadata") or "{}")
        except ValueError:
            log.warning("feedback dialog came back with unreadable metadata")
            return
        self._record_feedback(
            client,
            channel=private.get("channel", ""),
            user=(body.get("user") or {}).get("id", ""),
            answer_id=private.get("answer_id", ""),
            vote="down",
            reason=reason,
            thread_ts=private.get("thread_ts") or None,
        )

    def _record_feedback(
        self,
        client: WebClient,
        *,
        channel: str,
        user: str,
        answer_id: str,
        vote: Vote,
        reason: str = "",
        thread_ts: str | None = None,
    ) -> None:
        try:
            self._events.feedback(
                channel=CHANNEL,
                user=user,
                answer_id=answer_id,
                vote=vote,
                reason=reason,
            )
        except Exception:
            log.exception("could not record Slack feedback on answer %s", answer_id)
        if not channel:
            return
        try:
            client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, text=THANKS)
        except (SlackClientError, OSError) as exc:
            log.warning("could not thank for feedback: %s", exc)

    def _report_error(self, kind: str) -> None:
        try:
            self._events.error(channel=CHANNEL, kind=kind)
        except Exception:
            log.exception("could not report an error event")


def _ignored(event: Mapping[str, Any], context: BoltContext) -> bool:
    """Bots (Reggi included), edits, deletions and other message subtypes never trigger an answer."""
    return bool(
        event.get("bot_id")
        or event.get("subtype")
        or event.get("edited")
        or not event.get("user")
        or event.get("user") == context.bot_user_id
    )


def _usage(problem: str) -> str:
    return f"{user_message(BadQuestion(problem))}\n\n{USAGE}" if problem else USAGE


def _notice_kwargs(text: str) -> dict[str, Any]:
    return render_text(text).as_kwargs()


__all__ = [
    "NotAllowed",
    "Place",
    "SlackHandlers",
    "SlackStore",
    "build_slack_app",
    "build_slack_client",
    "required_bot_scopes",
]
