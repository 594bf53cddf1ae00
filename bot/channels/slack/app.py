"""The Bolt app: its Web API client, its typed configuration, and every middleware and
listener registered. Serve it with `mount_slack` (HTTP) or Socket Mode."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.interval_calculator import RetryIntervalCalculator

from bot.answer import AnswerSource
from bot.channels.slack.access import Allowlists
from bot.channels.slack.assistant import Coverage, build_assistant
from bot.channels.slack.channel_settings import ChannelPolicies, KeyValue, MemoryKeyValue
from bot.channels.slack.commands import COMMAND
from bot.channels.slack.export import ACTION_EXPORT, ExportListeners
from bot.channels.slack.feedback import FeedbackListeners
from bot.channels.slack.home import HomeListeners
from bot.channels.slack.listeners import SHORTCUT, Places, QuestionListeners
from bot.channels.slack.middleware import AccessCheck, Deduplication
from bot.channels.slack.render import (
    ACTION_DOWN,
    ACTION_FEEDBACK,
    ACTION_SHARE,
    ACTION_UP,
    REASON_VIEW,
)
from bot.channels.slack.share import SharedAnswers, ShareListeners
from bot.conversation import Conversation, Store
from bot.errors import ConfigError
from bot.ops.events import Events

CHANNEL = "slack"  # the `channel` reported to Events
DEDUPE_TTL_SECONDS = 3600  # Slack retries after ~0 s, 1 min and 5 min


@dataclass(frozen=True)
class SlackConfig:
    """What the Slack app needs from the settings (built by `bot.compose`)."""

    signing_secret: str = ""  # "" only with Socket Mode
    socket_mode: bool = False
    allowlists: Allowlists = Allowlists()
    rate_limited: bool = True
    log_questions: bool = False


def build_slack_client(
    *,
    token: str,
    base_url: str,
    retry_interval: RetryIntervalCalculator | None = None,
) -> WebClient:
    """The Web API client: bot token, `SLACK_API_URL`, waiting out HTTP 429s, and retrying
    HTTP 500/503 and dropped connections with backoff (0.5 s, 1 s, 2 s plus jitter) before a
    caller gives up and apologises."""
    if not token:
        raise ConfigError("SLACK_BOT_TOKEN is required for the Slack app")
    interval = retry_interval or BackoffRetryIntervalCalculator(backoff_factor=0.5)
    return WebClient(
        token=token,
        base_url=base_url,
        timeout=30,
        logger=logging.getLogger("bot.channels.slack.web"),
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=3, interval_calculator=interval),
            ServerErrorRetryHandler(max_retry_count=3, interval_calculator=interval),
            RateLimitErrorRetryHandler(max_retry_count=5),
        ],
    )


def build_slack_app(
    *,
    config: SlackConfig,
    answers: AnswerSource,
    store: Store,
    events: Events,
    client: WebClient,
    listener_executor: Executor | None = None,
    work_executor: Executor | None = None,
    kept_answers: KeyValue | None = None,
    channel_settings: KeyValue | None = None,
    coverage: Coverage = list,
    index_version: Callable[[], str] = str,
    places: Places | None = None,
    status_line: Callable[[str], str] | None = None,
) -> App:
    """The Bolt app with every middleware and listener registered.

    Listeners run on `listener_executor` and only do quick work (checks, `ack()`, opening a
    dialog); the slow part — asking the engine and posting — runs on `work_executor`.
    `kept_answers` holds private answers until shared, `channel_settings` what admins set with
    `/reggi config` (both in process when not given); `coverage` and `index_version` feed the
    App Home tab and the assistant's suggested prompts; `places` tells which jurisdictions a
    question names (so channel defaults apply only when it names none); `status_line` words
    the assistant's progress status for a question.
    """
    if not config.signing_secret and not config.socket_mode:
        raise ConfigError(
            "SLACK_SIGNING_SECRET is required unless SLACK_APP_TOKEN (Socket Mode) is set"
        )
    app = App(
        signing_secret=config.signing_secret,
        client=client,
        token_verification_enabled=False,  # auth.test on the first request, not at start-up
        logger=logging.getLogger("bot.channels.slack.bolt"),
        listener_executor=listener_executor
        or ThreadPoolExecutor(max_workers=8, thread_name_prefix="reggi-slack"),
    )
    work = work_executor or ThreadPoolExecutor(
        max_workers=8, thread_name_prefix="reggi-slack-answer"
    )
    conversation = Conversation(
        channel=CHANNEL,
        answers=answers,
        events=events,
        store=store,
        rate_limited=config.rate_limited,
        dedupe_ttl_seconds=DEDUPE_TTL_SECONDS,
        log_questions=config.log_questions,
    )
    policies = ChannelPolicies(store=channel_settings or MemoryKeyValue())
    shares = SharedAnswers(store=kept_answers or MemoryKeyValue())
    app.use(Deduplication(conversation=conversation))
    app.use(
        AccessCheck(
            conversation=conversation,
            allowlists=config.allowlists,
            policies=policies,
            work=work,
        )
    )
    questions = QuestionListeners(
        conversation=conversation,
        work=work,
        policies=policies,
        shares=shares,
        places=places,
        status_line=status_line,
    )
    app.assistant(build_assistant(questions=questions, coverage=coverage))
    app.event("app_mention")(questions.on_mention)
    app.event("message")(questions.on_message)
    app.command(COMMAND)(questions.on_command)
    app.message_shortcut(SHORTCUT)(questions.on_shortcut)
    app.error(questions.on_error)
    home = HomeListeners(coverage=coverage, index_version=index_version)
    app.event("app_home_opened")(home.on_home_opened)
    app.action(ACTION_SHARE)(ShareListeners(shares=shares).on_share)
    app.action(ACTION_EXPORT)(ExportListeners(shares=shares).on_export)
    feedback = FeedbackListeners(conversation=conversation)
    app.action(ACTION_FEEDBACK)(feedback.on_vote)
    app.action(ACTION_UP)(feedback.on_vote)  # classic buttons on answers posted before
    app.action(ACTION_DOWN)(feedback.on_vote)
    app.view_submission(REASON_VIEW)(feedback.on_reason)
    app.view_closed(REASON_VIEW)(feedback.on_reason_closed)
    return app


__all__ = ["SlackConfig", "build_slack_app", "build_slack_client"]
