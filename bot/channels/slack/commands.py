"""What a user typed to Reggi (`/reggi …`, `@Reggi …`, a DM) → a question and its options.

Pure functions: Slack's message markup is turned into plain text, the bot's own mention is
removed, and the leading options (`--jurisdiction CA,MA`, `--quotes`, `help`) are read with
the grammar shared with Teams (`bot.channels.options`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from bot.channels.options import Problem, parse_options
from bot.errors import BadQuestion, option_problem, user_message

COMMAND = "/reggi"

USAGE = (
    "*Ask Reggi about the indexed regulations.*\n"
    "• `/reggi What must a privacy notice say?` — answered privately: only you see the answer, "
    "and *Share in channel* posts it for everyone.\n"
    "• `/reggi --jurisdiction CA,MA When must we answer an access request?` — only those jurisdictions "
    "(`-j` works too).\n"
    "• `/reggi --quotes …` — show each cited sentence in full.\n"
    "• Mention `@Reggi` with a question in a channel: the answer comes in the thread, and a follow-up "
    'mention in that thread keeps the topic ("what about Massachusetts?").\n'
    "• Or send Reggi a direct message, or open Reggi in the AI apps side panel.\n"
    "• On any message: ⋯ → *Ask Reggi about this message* (answered privately).\n"
    "• Workspace admins: `/reggi config` shows this channel's defaults; "
    "`/reggi config jurisdictions EU,US-CA`, `/reggi config refuse`, `/reggi config allow`, "
    "`/reggi config clear` change them.\n"
    "Answers cite the exact sections with links; they are not legal advice."
)

_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#([CG][A-Z0-9]+)(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!([a-z]+)(?:\^[^|>]*)?(?:\|([^>]*))?>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]*)(?:\|([^>]*))?>")


@dataclass(frozen=True)
class Request:
    """A parsed request: the question, or help, or a problem with the options."""

    question: str = ""
    jurisdictions: tuple[str, ...] | None = None  # None = let the engine decide
    full_quotes: bool = False
    private: bool = False
    help: bool = False
    problem: str = ""  # a sentence for the user when the options could not be read


def plain_text(slack_text: str) -> str:
    """Slack message markup → the plain text the user typed.

    `<@U1|ann>` → `@ann`, `<!channel>` → `@channel`, `<https://x|label>` → `label (https://x)`,
    `&lt;` → `<`. The result is for the engine; it is escaped again when rendered.
    """
    text = _USER.sub(lambda m: "@" + (m.group(2) or m.group(1)), slack_text)
    text = _CHANNEL.sub(lambda m: "#" + (m.group(2) or m.group(1)), text)
    text = _SPECIAL.sub(lambda m: "@" + (m.group(2) or m.group(1)).lstrip("@"), text)
    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})" if m.group(2) else m.group(1), text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(text.split())


def strip_mention(slack_text: str, bot_user_id: str | None) -> str:
    """Remove every mention of the bot itself (`<@Ubot>` or `<@Ubot|reggi>`) from message markup."""
    if not bot_user_id:
        return slack_text
    return re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", " ", slack_text)


def parse_request(text: str) -> Request:
    """Read leading options and the question from plain text (see `plain_text`)."""
    options = parse_options(text)
    if options.problem is not None:
        return Request(help=True, problem=_problem_text(options.problem))
    if options.help:
        return Request(help=True)
    return Request(
        question=options.question,
        jurisdictions=options.jurisdictions,
        full_quotes=options.full_quotes,
        private=options.private,
    )


def _problem_text(problem: Problem) -> str:
    return option_problem(problem.kind, problem.option, example="CA,MA")


def usage(problem: str = "") -> str:
    """The usage text, after the problem with what was typed when there is one."""
    return f"{user_message(BadQuestion(problem))}\n\n{USAGE}" if problem else USAGE


def answerable(event: Mapping[str, Any], bot_user_id: str | None) -> bool:
    """Whether a message event is a person asking: bots (Reggi included), edits, deletions and
    other message subtypes never trigger an answer."""
    return not (
        event.get("bot_id")
        or event.get("subtype")
        or event.get("edited")
        or not event.get("user")
        or event.get("user") == bot_user_id
    )


CONFIG_WORD = "config"
ConfigAction = Literal["show", "jurisdictions", "allow", "refuse", "clear", "invalid"]


@dataclass(frozen=True)
class ConfigRequest:
    """`/reggi config …`: what an admin wants to change about this channel."""

    action: ConfigAction
    codes: tuple[str, ...] = ()


def parse_config(text: str) -> ConfigRequest | None:
    """`config [jurisdictions CODES | allow | refuse | clear]` → ConfigRequest; None if the text
    is not a config command."""
    words = text.split()
    if not words or words[0].lower() != CONFIG_WORD:
        return None
    rest = words[1:]
    if not rest:
        return ConfigRequest("show")
    verb = rest[0].lower()
    if verb in ("allow", "refuse", "clear") and len(rest) == 1:
        return ConfigRequest(verb)  # type: ignore[arg-type]
    if verb in ("jurisdictions", "jurisdiction", "-j", "--jurisdiction"):
        codes = tuple(
            dict.fromkeys(c.strip().upper() for c in ",".join(rest[1:]).split(",") if c.strip())
        )
        return ConfigRequest("jurisdictions", codes) if codes else ConfigRequest("invalid")
    return ConfigRequest("invalid")
