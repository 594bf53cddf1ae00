"""What a user typed to Reggi (`/reggi …`, `@Reggi …`, a DM) → a question and its options.

Pure functions: Slack's message markup is turned into plain text, the bot's own mention is
removed, and the leading options (`--jurisdiction CA,MA`, `--quotes`, `help`) are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

COMMAND = "/reggi"

USAGE = (
    "*Ask Reggi about the indexed regulations.*\n"
    "• `/reggi What must a privacy notice say?` — answered here.\n"
    "• `/reggi --jurisdiction CA,MA When must we answer an access request?` — only those jurisdictions "
    "(`-j` works too).\n"
    "• `/reggi --quotes …` — show each cited sentence in full.\n"
    "• Mention `@Reggi` with a question in a channel: the answer comes in the thread, and a follow-up "
    'mention in that thread keeps the topic ("what about Massachusetts?").\n'
    "• Or send Reggi a direct message.\n"
    "Answers cite the exact sections with links; they are not legal advice."
)

_HELP_WORDS = {"help", "-h", "--help", "?", "usage"}
_JURISDICTION_FLAGS = {"--jurisdiction", "--jurisdictions", "-j"}
_QUOTES_FLAGS = {"--quotes", "-q"}

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
    tokens = text.split()
    if not tokens or (len(tokens) == 1 and tokens[0].lower() in _HELP_WORDS):
        return Request(help=True)
    jurisdictions: list[str] | None = None
    full_quotes = False
    i = 0
    while i < len(tokens) and tokens[i].startswith("-"):
        flag, _, inline = tokens[i].partition("=")
        flag = flag.lower()
        i += 1
        if flag in _QUOTES_FLAGS and not inline:
            full_quotes = True
        elif flag in _JURISDICTION_FLAGS:
            value = inline
            if not value and i < len(tokens):
                value = tokens[i]
                i += 1
            while value.endswith(",") and i < len(tokens):
                value += tokens[i]
                i += 1
            codes = [c.strip() for c in value.split(",") if c.strip()]
            if not codes:
                return Request(
                    help=True,
                    problem="Name the jurisdictions after --jurisdiction, e.g. `--jurisdiction CA,MA`.",
                )
            jurisdictions = (jurisdictions or []) + codes
        elif flag in ("-h", "--help"):
            return Request(help=True)
        else:
            return Request(help=True, problem=f"I don't know the option `{tokens[i - 1]}`.")
    question = " ".join(tokens[i:])
    if not question:
        if jurisdictions is None and not full_quotes:
            return Request(help=True)
        return Request(help=True, problem="Please add your question after the options.")
    return Request(
        question=question,
        jurisdictions=tuple(dict.fromkeys(jurisdictions)) if jurisdictions is not None else None,
        full_quotes=full_quotes,
    )
