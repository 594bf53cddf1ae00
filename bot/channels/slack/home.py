"""The App Home tab (`views.publish` on `app_home_opened`): what the index covers with its
"as of" dates, example questions, and how to ask privately."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.channels.slack.assistant import suggested_prompts
from bot.channels.slack.render import Block, escape
from bot.errors import HOME_COVERAGE_UNAVAILABLE, INDEX_EMPTY

log = logging.getLogger(__name__)

Coverage = Callable[[], Sequence[dict[str, Any]]]
IndexVersion = Callable[[], str]

HOW_TO_ASK = (
    "*How to ask*\n"
    "• *Privately:* `/reggi your question` anywhere — only you see the answer; "
    "*Share in channel* posts it for everyone. Or message Reggi directly, or open it in the "
    "AI apps side panel.\n"
    "• *About a message:* ⋯ on the message → *Ask Reggi about this message* (answered privately).\n"
    "• *In a channel:* mention `@Reggi` — the answer comes in the thread, and a follow-up in "
    "that thread keeps the topic.\n"
    "• `--jurisdiction CA,EU` before the question limits the answer; `--quotes` shows each "
    "cited sentence in full."
)
NOT_ADVICE = "Answers quote the indexed regulation texts; they are not legal advice."
MAX_LINES = 40  # jurisdictions/instruments listed (a section holds ≤ 3,000 characters)


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def as_of_date(index_version: str) -> str:
    """ "20261201T132850-b447a0de" → "2026-12-01" (the day the index was built), or ""."""
    stamp = index_version.split("T", 1)[0]
    return f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}" if len(stamp) == 8 and stamp.isdigit() else ""


def coverage_lines(coverage: Sequence[dict[str, Any]], built: str) -> list[str]:
    """One line per instrument: jurisdiction, title, sections, and its "as of" date."""
    lines = []
    for jurisdiction in coverage:
        name = escape(str(jurisdiction.get("name") or jurisdiction.get("code") or ""))
        for instrument in jurisdiction.get("instruments") or ():
            as_of = str(instrument.get("as_of") or instrument.get("retrieved") or built or "")
            when = f", as of {escape(as_of)}" if as_of else ""
            lines.append(
                f"• *{name}* — {escape(str(instrument.get('title') or instrument.get('source')))}"
                f" ({int(instrument.get('sections') or 0)} sections{when})"
            )
    if len(lines) > MAX_LINES:
        lines = [*lines[:MAX_LINES], f"… and {len(lines) - MAX_LINES} more"]
    return lines


def home_view(coverage: Sequence[dict[str, Any]] | None, *, index_version: str) -> dict[str, Any]:
    """The Home tab view (pure)."""
    built = as_of_date(index_version)
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Reggi"}},
        _section(
            "Cited answers about the regulations your legal team follows: a short answer, "
            "numbered footnotes quoting the exact sections, and links to the official texts."
        ),
        {"type": "divider"},
    ]
    if coverage is None:
        blocks.append(_section(f"*What the index covers*\n{HOME_COVERAGE_UNAVAILABLE}"))
    else:
        lines = coverage_lines(coverage, built)
        text = "\n".join(lines) if lines else INDEX_EMPTY
        blocks.append(_section(f"*What the index covers*\n{text}"))
        examples = [p["message"] for p in suggested_prompts(coverage)]
        if examples:
            listed = "\n".join(f"• {escape(e)}" for e in examples)
            blocks.append(_section(f"*Example questions*\n{listed}"))
    blocks += [
        {"type": "divider"},
        _section(HOW_TO_ASK),
        {"type": "context", "elements": [{"type": "mrkdwn", "text": NOT_ADVICE}]},
    ]
    return {"type": "home", "blocks": blocks}


class HomeListeners:
    """Publishes the Home tab each time a user opens it."""

    def __init__(self, *, coverage: Coverage, index_version: IndexVersion) -> None:
        self._coverage = coverage
        self._index_version = index_version

    def on_home_opened(self, event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab") not in (None, "home"):
            return
        try:
            coverage: Sequence[dict[str, Any]] | None = self._coverage()
        except Exception:  # noqa: BLE001 — the tab still explains how to ask
            log.warning("could not read the index coverage for App Home", exc_info=True)
            coverage = None
        try:
            version = self._index_version()
        except Exception:  # noqa: BLE001
            version = ""
        try:
            client.views_publish(
                user_id=event["user"], view=home_view(coverage, index_version=version)
            )
        except (SlackClientError, OSError, KeyError) as exc:
            log.warning("could not publish the App Home tab: %s", exc)
