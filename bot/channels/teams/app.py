"""Reggi's Microsoft Teams bot: the Teams SDK `App` with Reggi's message and feedback handlers.

The handlers only translate: an activity becomes a question (`parse`), the answer source
answers it, and the `Answer` becomes a Teams message (`render`). Teams gives a bot 15 seconds
per request, and the SDK answers Teams' HTTP request only when the handler returns, so the
handler sends a typing indicator at once and waits at most `budget_seconds` for the answer;
when the answer takes longer it replies "Looking that up…" and posts the answer into the
same conversation (or channel thread) as soon as it is ready.

"Export as Word" (`export.py`): each answer is kept under its id; the card's action leads to
Teams' file consent card in a 1:1 chat, then to the memo's upload (`fileConsent/invoke`).

Follow-ups: the last questions and answers of each thread / 1:1 chat are kept in a bounded
in-process `ConversationHistory` and passed to the answer source as `Turn`s.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from microsoft_teams.api import SentActivity, TypingActivityInput
from microsoft_teams.api.activities.invoke import (
    FileConsentInvokeActivity,
    MessageSubmitActionInvokeActivity,
)
from microsoft_teams.api.activities.message import MessageActivity, MessageActivityInput
from microsoft_teams.api.clients.conversation.params import CreateConversationParams
from microsoft_teams.api.models import Account
from microsoft_teams.api.models.conversation import ConversationReference
from microsoft_teams.apps import ActivityContext, App
from microsoft_teams.common import Client, ClientOptions

from bot.answer import AnswerSource, Turn
from bot.channels.kept import KeyValue, MemoryKeyValue
from bot.channels.teams import parse, render
from bot.channels.teams.export import TeamsExport, Uploader
from bot.channels.teams.memory import BoundedMap, ConversationHistory
from bot.channels.teams.mount import RouteAdapter
from bot.channels.teams.streaming import TeamsDraft
from bot.conversation import Asker, Conversation, Reply, Store
from bot.errors import PRIVATE_NOTE, BadQuestion, ConfigError, user_message
from bot.ops.events import Events

logger = logging.getLogger(__name__)

CHANNEL = "teams"
DEFAULT_BUDGET_SECONDS = 10.0  # Teams drops a request after 15 s
DEDUPE_TTL_SECONDS = 24 * 3600


@dataclass(frozen=True)
class TeamsConfig:
    """What the Teams bot needs from the settings (built by `bot.compose`)."""

    client_id: str = ""
    client_secret: str = ""
    tenant_id: str = ""
    allow_unauthenticated: bool = False
    rate_limited: bool = True
    log_questions: bool = False
    sensitivity_label: str = ""
    sensitivity_description: str = ""

    @property
    def enabled(self) -> bool:
        return bool(self.client_id) or self.allow_unauthenticated


class TeamsBot:
    """The Teams SDK app plus Reggi's handlers; serve it with `mount_teams(app, bot)`."""

    def __init__(
        self,
        *,
        config: TeamsConfig,
        answers: AnswerSource,
        store: Store,
        events: Events,
        budget_seconds: float = DEFAULT_BUDGET_SECONDS,
        history: ConversationHistory | None = None,
        dedupe_ttl_seconds: int = DEDUPE_TTL_SECONDS,
        shutdown_grace_seconds: float = 5.0,
        client: Client | ClientOptions | None = None,
        kept_answers: KeyValue | None = None,
        uploader: Uploader | None = None,
    ) -> None:
        if not config.enabled:
            raise ConfigError(
                "TEAMS_CLIENT_ID (with TEAMS_CLIENT_SECRET and TEAMS_TENANT_ID) is required for Teams"
            )
        self._config = config
        self._conversation = Conversation(
            channel=CHANNEL,
            answers=answers,
            events=events,
            store=store,
            rate_limited=config.rate_limited,
            dedupe_ttl_seconds=dedupe_ttl_seconds,
            log_questions=config.log_questions,
        )
        self._budget = budget_seconds
        self._export = TeamsExport(
            store=kept_answers or MemoryKeyValue(),
            uploader=uploader,
            report_error=self._conversation.report_error,
        )
        self._history = history or ConversationHistory()
        self._answer_ids: BoundedMap[str, str] = BoundedMap(max_entries=5000)
        self._grace = shutdown_grace_seconds
        self._pending: set[asyncio.Task[None]] = set()
        self._start_lock: asyncio.Lock | None = None
        self._started = False
        self.adapter = RouteAdapter()
        self.app = App(
            client_id=config.client_id or None,
            client_secret=config.client_secret or None,
            tenant_id=config.tenant_id or None,
            dangerously_allow_unauthenticated_requests=config.allow_unauthenticated,
            http_server_adapter=self.adapter,
            state=False,
            client=client,
        )
        self.app.on_message(self._on_message)
        self.app.on_message_submit_feedback(self._on_feedback)
        self.app.on_file_consent(self._on_file_consent)
        if config.allow_unauthenticated:
            _warn_unauthenticated()

    @property
    def messaging_endpoint(self) -> str:
        return self.app.server.messaging_endpoint

    async def start(self) -> None:
        """Initialise the SDK app (registers the route handler). Safe to call repeatedly."""
        if self._started:
            return
        if self._start_lock is None:
            self._start_lock = asyncio.Lock()
        async with self._start_lock:
            if self._started:
                return
            await self.app.initialize()
            self._started = True
            if self._config.allow_unauthenticated:
                _warn_unauthenticated()
            logger.info("Teams bot ready at %s", self.messaging_endpoint)

    async def aclose(self) -> None:
        """Give answers still being looked up a moment to be delivered, then stop them."""
        pending = set(self._pending)
        if pending:
            _, late = await asyncio.wait(pending, timeout=self._grace)
            for task in late:
                task.cancel()
            if late:
                logger.warning(
                    "Teams: %d answers were still being looked up at shutdown",
                    len(late),
                )

    # --- handlers ------------------------------------------------------------------------
    async def _on_message(self, ctx: ActivityContext[MessageActivity]) -> None:
        activity = ctx.activity.model_dump(by_alias=True, exclude_none=True)
        export_key = parse.export_request(activity)
        if export_key is not None:
            await self._on_export(ctx, activity, export_key)
            return
        request = parse.parse_message(activity)
        if request.kind == "ignore":
            return
        if await self._already_seen(activity):
            logger.info("Teams: duplicate activity %s ignored", activity.get("id"))
            return
        ref = _reply_reference(ctx, activity)
        try:
            await self._send(ctx, ref, render.typing(), required=False)
            if request.kind == "help":
                await self._send(ctx, ref, render.render_help())
            elif request.kind == "invalid":
                await self._send(
                    ctx,
                    ref,
                    render.render_text(user_message(request.problem or BadQuestion(""))),
                )
            else:
                asker = _asker(activity)
                refusal = await asyncio.to_thread(self._conversation.over_limit, asker)
                if refusal is not None:
                    await self._send(ctx, ref, render.render_text(refusal))
                else:
                    if request.private and parse.conversation_type(activity) != "personal":
                        ref = await self._private_reference(ctx, ref, activity)
                    await self._answer(
                        ctx, ref, asker, request, thread_reply=parse.is_thread_reply(activity)
                    )
        except Exception:
            logger.exception("Teams: could not reply in conversation %s", ref.conversation.id)
            self._conversation.report_error("send")

    async def _on_feedback(self, ctx: ActivityContext[MessageSubmitActionInvokeActivity]) -> None:
        activity = ctx.activity.model_dump(by_alias=True, exclude_none=True)
        feedback = parse.parse_feedback(activity)
        if feedback is None or await self._already_seen(activity):
            return
        answer_id = self._answer_ids.get(feedback.message_id)
        if answer_id is None:
            logger.info(
                "Teams: feedback on message %s whose answer is not remembered",
                feedback.message_id,
            )
            answer_id = f"teams-message:{feedback.message_id}"
        self._conversation.feedback(
            user=parse.user_key(activity),
            answer_id=answer_id,
            vote=feedback.vote,
            reason=feedback.reason,
        )

    async def _on_export(
        self, ctx: ActivityContext[MessageActivity], activity: Mapping[str, Any], key: str
    ) -> None:
        """A click on "Export as Word": the file consent card (1:1 chats), or why not."""
        if await self._already_seen(activity):
            return
        ref = _reply_reference(ctx, activity)
        try:
            personal = parse.conversation_type(activity) == "personal"
            await self._send(ctx, ref, await self._export.offer(key, personal=personal))
        except Exception:
            logger.exception("Teams: could not offer the memo in %s", ref.conversation.id)
            self._conversation.report_error("send")

    async def _on_file_consent(self, ctx: ActivityContext[FileConsentInvokeActivity]) -> None:
        """The user allowed (or declined) saving the memo: upload it and show it. The invoke
        is answered 200 either way; what happened is said in the chat."""
        activity = ctx.activity.model_dump(by_alias=True, exclude_none=True)
        consent = parse.parse_consent(activity)
        if consent is None or await self._already_seen(activity):
            return
        ref = ctx.conversation_ref
        try:
            await self._send(ctx, ref, await self._export.deliver(consent))
        except Exception:
            logger.exception("Teams: could not post the memo in %s", ref.conversation.id)
            self._conversation.report_error("send")

    # --- answering -----------------------------------------------------------------------
    async def _answer(
        self,
        ctx: ActivityContext[Any],
        ref: ConversationReference,
        asker: Asker,
        request: parse.Request,
        *,
        thread_reply: bool = False,
    ) -> None:
        thread = ref.conversation.id
        draft = None
        if ref.conversation.id == ctx.conversation_ref.conversation.id and (
            str(ctx.conversation_ref.conversation.conversation_type or "") == "personal"
        ):  # Teams streams only in 1:1 chats, into the chat the message came from
            draft = TeamsDraft(stream=ctx.stream, loop=asyncio.get_running_loop())
        job = asyncio.ensure_future(
            asyncio.to_thread(
                self._conversation.ask,
                asker,
                request.question,
                jurisdictions=request.jurisdictions,
                history=self._history.turns(thread),
                thread_reply=thread_reply,
                on_text=draft.feed if draft is not None else None,
            )
        )
        done, _ = await asyncio.wait({job}, timeout=self._budget)
        if job in done:
            await self._deliver(ctx, ref, request, job, draft)
            return
        if draft is None or not draft.started:  # a streaming draft already shows progress
            await self._send(ctx, ref, render.render_text(render.INTERIM_TEXT))
        task = asyncio.ensure_future(self._deliver_later(ctx, ref, request, job, draft))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _deliver_later(
        self,
        ctx: ActivityContext[Any],
        ref: ConversationReference,
        request: parse.Request,
        job: asyncio.Future[Reply],
        draft: TeamsDraft | None = None,
    ) -> None:
        try:
            await self._deliver(ctx, ref, request, job, draft)
        except asyncio.CancelledError:
            job.cancel()
            raise
        except Exception:
            logger.exception("Teams: could not post the answer into %s", ref.conversation.id)
            self._conversation.report_error("send")

    async def _deliver(
        self,
        ctx: ActivityContext[Any],
        ref: ConversationReference,
        request: parse.Request,
        job: asyncio.Future[Reply],
        draft: TeamsDraft | None = None,
    ) -> None:
        reply = await job
        answer = reply.answer
        streamed = draft is not None and draft.started
        if answer is None:
            if not streamed or not await self._finish(
                ctx, ref, draft, render.render_text(reply.text)
            ):
                await self._send(ctx, ref, render.render_text(reply.text))
            return
        self._history.add(
            ref.conversation.id,
            Turn(
                question=request.question,
                answer=answer.answer,
                jurisdictions=answer.jurisdictions,
            ),
        )
        label = (
            render.SensitivityLabel(
                self._config.sensitivity_label, self._config.sensitivity_description
            )
            if self._config.sensitivity_label
            else None
        )
        export_key = await self._export.keep(answer) if answer.citations else None
        message = render.render_answer(
            answer, full_quotes=request.full_quotes, label=label, export_key=export_key
        )
        if reply.continued:
            message = render.with_follow_up_note(message, reply.continued)
        if streamed:
            sent_id = await self._finish(ctx, ref, draft, message)
            if sent_id:
                self._answer_ids.put(sent_id, answer.id)
                return
        sent = await self._send(ctx, ref, message)
        if sent is not None and sent.id:
            self._answer_ids.put(sent.id, answer.id)

    async def _finish(
        self,
        ctx: ActivityContext[Any],
        ref: ConversationReference,
        draft: TeamsDraft | None,
        payload: Mapping[str, Any],
    ) -> str | None:
        """Close a streamed draft and put `payload` (the checked answer) in its place."""
        if draft is None:
            return None
        activities = ctx.api.conversations.activities(ref.conversation.id)
        final = MessageActivityInput.model_validate(dict(payload))
        return await draft.finish(activities.update, final)

    # --- collaborators -------------------------------------------------------------------
    async def _send(
        self,
        ctx: ActivityContext[Any],
        ref: ConversationReference,
        payload: Mapping[str, Any],
        *,
        required: bool = True,
    ) -> SentActivity | None:
        activity = (
            TypingActivityInput()
            if payload.get("type") == "typing"
            else MessageActivityInput.model_validate(dict(payload))
        )
        try:
            return await ctx.send(activity, ref)
        except Exception:
            if required:
                raise
            logger.warning(
                "Teams: could not send %s to %s",
                payload.get("type"),
                ref.conversation.id,
            )
            return None

    async def _private_reference(
        self, ctx: ActivityContext[Any], ref: ConversationReference, activity: Mapping[str, Any]
    ) -> ConversationReference:
        """The asker's 1:1 chat with Reggi (created if need be); the thread gets a short note.

        Nothing of the answer is posted where the question was asked.
        """
        sender = activity.get("from") or {}
        created = await ctx.api.conversations.create(
            CreateConversationParams(
                members=[Account(id=str(sender.get("id") or ""), name=sender.get("name"))],
                tenant_id=parse.tenant_id(activity) or None,
            )
        )
        await self._send(ctx, ref, render.render_text(PRIVATE_NOTE))
        conversation = ref.conversation.model_copy(
            update={"id": created.id, "conversation_type": "personal", "is_group": False}
        )
        return ref.model_copy(update={"conversation": conversation})

    async def _already_seen(self, activity: Mapping[str, Any]) -> bool:
        return await asyncio.to_thread(self._conversation.is_duplicate, parse.dedupe_key(activity))


def _asker(activity: Mapping[str, Any]) -> Asker:
    user = parse.user_key(activity)
    return Asker(user=user, team=parse.tenant_id(activity), rate_key=user)


def _reply_reference(
    ctx: ActivityContext[Any], activity: Mapping[str, Any]
) -> ConversationReference:
    """The conversation reference to answer in: the channel thread, chat or 1:1 chat."""
    ref = ctx.conversation_ref
    conversation_id = parse.reply_conversation_id(activity)
    if conversation_id == ref.conversation.id:
        return ref
    return ref.model_copy(
        update={"conversation": ref.conversation.model_copy(update={"id": conversation_id})}
    )


def _warn_unauthenticated() -> None:
    logger.warning(
        "!!! TEAMS_ALLOW_UNAUTHENTICATED=true: /api/messages accepts requests WITHOUT Bot Framework "
        "authentication. Anyone who can reach this server can make Reggi post messages. Use it only "
        "for local testing, never in production. !!!"
    )


def build_teams_app(
    *,
    config: TeamsConfig,
    answers: AnswerSource,
    store: Store,
    events: Events,
    budget_seconds: float = DEFAULT_BUDGET_SECONDS,
    history: ConversationHistory | None = None,
    kept_answers: KeyValue | None = None,
    uploader: Uploader | None = None,
) -> TeamsBot:
    """The Teams bot for the composition root; serve it with `mount_teams(fastapi_app, bot)`.

    `kept_answers` holds answers for "Export as Word" (the cache backend, shared by replicas);
    `uploader` PUTs the memo to the user's OneDrive upload session."""
    return TeamsBot(
        config=config,
        answers=answers,
        store=store,
        events=events,
        budget_seconds=budget_seconds,
        history=history,
        kept_answers=kept_answers,
        uploader=uploader,
    )
