"""Slack's AI apps side panel (bolt's `Assistant` middleware).

- `assistant_thread_started`: a greeting and up to four suggested prompts built from the
  jurisdictions the index covers;
- a message in the assistant thread: the thread gets the question as its title, the status
  line says what is being read ("Reading European Union Art. 33…", `assistant.threads.setStatus`)
  and the answer is posted in the thread like any DM answer (follow-ups carry the thread).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from slack_bolt import Assistant, BoltContext
from slack_bolt.context.set_status import SetStatus
from slack_bolt.context.set_suggested_prompts import SetSuggestedPrompts
from slack_bolt.context.set_title import SetTitle
from slack_sdk import WebClient

from bot.channels.slack.listeners import QuestionListeners
from bot.channels.text import shorten

log = logging.getLogger(__name__)

GREETING = (
    "Hi — I'm Reggi. Ask me about the regulations in my index and I'll answer with numbered "
    "footnotes citing the exact sections, with links to the official texts. "
    "Answers are not legal advice."
)
PROMPTS_TITLE = "Try asking"
MAX_PROMPTS = 4  # Slack shows at most four suggested prompts
TITLE_LIMIT = 80

Coverage = Callable[[], Sequence[dict[str, Any]]]


def suggested_prompts(coverage: Sequence[dict[str, Any]]) -> list[dict[str, str]]:
    """Up to four prompts, one per covered jurisdiction with the most sections first.

    Each asks about the jurisdiction's largest instrument by its title, so every prompt names
    something the index really holds.
    """
    prompts = []
    ranked = sorted(coverage, key=lambda j: -int(j.get("sections") or 0))
    for jurisdiction in ranked[:MAX_PROMPTS]:
        instruments = sorted(
            jurisdiction.get("instruments") or (), key=lambda i: -int(i.get("sections") or 0)
        )
        name = str(jurisdiction.get("name") or jurisdiction.get("code") or "")
        if not instruments or not name:
            continue
        title = str(instruments[0].get("title") or "")
        message = f"What are the main obligations under the {title} ({name})?"
        prompts.append({"title": shorten(f"{name}: {title}", 75), "message": message})
    return prompts


def build_assistant(*, questions: QuestionListeners, coverage: Coverage) -> Assistant:
    """The `Assistant` middleware with Reggi's listeners; register with `app.assistant(...)`."""
    assistant = Assistant(logger=logging.getLogger("bot.channels.slack.assistant"))

    @assistant.thread_started
    def started(say: Callable[..., Any], set_suggested_prompts: SetSuggestedPrompts) -> None:
        say(GREETING)
        try:
            prompts = suggested_prompts(coverage())
        except Exception:  # noqa: BLE001 — a greeting without prompts still helps
            log.warning("could not read the index coverage for suggested prompts", exc_info=True)
            return
        if prompts:
            set_suggested_prompts(prompts=prompts, title=PROMPTS_TITLE)

    @assistant.user_message
    def message(
        payload: dict[str, Any],
        body: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        set_title: SetTitle,
        set_status: SetStatus,
        say_stream: Callable[..., Any],
    ) -> None:
        text = str(payload.get("text") or "")
        try:
            set_title(shorten(" ".join(text.split()), TITLE_LIMIT) or "Question")
        except Exception:  # noqa: BLE001 — a missing title is cosmetic
            log.warning("could not set the assistant thread title", exc_info=True)
        questions.on_assistant_message(payload, body, context, client, set_status, say_stream)

    return assistant
