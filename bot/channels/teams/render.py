"""Answer → Teams message activity (the Bot Framework JSON), with Teams' AI message features.

Pure functions, no I/O. The answer text keeps its `[n]` markers; each footnote becomes a
citation entity (`Claim` with a `DigitalDocument` appearance: name ≤ 80 characters — the
citation; abstract ≤ 160 — the quoted sentence cut at a word; url — the official text;
keywords — the jurisdiction) that Teams shows as a numbered pill and a reference list. The
message carries the "AI generated" label and Teams' feedback buttons. Everything that comes
from the engine or a source document is escaped (`&`, `<`, `>`), so no text can forge a
mention or markup.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bot.answer import Answer, Citation, Table
from bot.channels.layout import heading, layout, short_currency, table_rows
from bot.channels.text import shorten

NAME_LIMIT = 80  # characters of a citation's name
ABSTRACT_LIMIT = 160  # characters of a citation's abstract
SENSITIVITY_ID = "reggi-sensitivity"  # the one label an answer's citations share
KEYWORD_LIMIT = 28  # characters of one keyword
MAX_KEYWORDS = 3
CARD_QUOTE_LIMIT = 1500  # characters of the quote in a citation's pop-up card
BODY_LIMIT = 15000  # characters of message text (Teams rejects activities above ~28 KB)
TABLE_CELL_LIMIT = 1000  # characters of one comparison-table cell
FULL_QUOTE_LIMIT = 1200  # characters of one quote when the user asked for --quotes

INTERIM_TEXT = "Looking that up… the answer will follow here in a moment."

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
FILE_CONSENT_CARD = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO_CARD = "application/vnd.microsoft.teams.card.file.info"
EXPORT_ACTION = "export"  # `reggi` in the data of the "Export as Word" action and consent card
EXPORT_TITLE = "Export as Word"
EXPORT_HINT = "Save this answer as a Word memo: question, short answer, analysis and sources."
DESCRIPTION_LIMIT = 200  # characters of the question in a file consent card's description

HELP_TEXT = (
    "**Ask Reggi about the indexed regulations.**\n\n"
    "In a channel or group chat, @mention Reggi with your question, e.g. "
    "`@Reggi When must we answer an access request?` — the answer comes in the thread. "
    'In a 1:1 chat with Reggi just type the question (a leading "reggi" is optional).\n\n'
    "`--jurisdiction CA,EU` (or `-j CA`) before the question limits the answer to those "
    "jurisdictions; `--quotes` shows each cited sentence in full.\n\n"
    'A follow-up in the same thread or chat keeps the topic ("what about Massachusetts?").\n\n'
    "Each [n] opens the cited section; the links lead to the official texts. "
    "Use 👍 / 👎 under an answer to tell us whether it helped. In a 1:1 chat, "
    "**Export as Word** saves an answer as a Word memo to your OneDrive.\n\n"
    "_Answers quote the indexed regulation texts; they are not legal advice._"
)

Activity = dict[str, Any]


def escape(text: str) -> str:
    """Escape the characters Teams reads as markup in message text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def safe_url(url: str) -> str | None:
    """The URL if it is an absolute http(s) URL, else None (never a `javascript:` link)."""
    url = url.strip()
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def citation_label(citation: Citation) -> str:
    """ "Cal. Civ. Code § 1798.100(a)": the citation with its subsection."""
    label = citation.citation or citation.section or citation.title
    if citation.subsection and citation.subsection not in label:
        sep = "" if citation.subsection.startswith("(") else " "
        label = f"{label}{sep}{citation.subsection}"
    return label


def _keywords(citation: Citation, answer: Answer) -> list[str]:
    words: list[str] = []
    for word in (citation.jurisdiction, answer.name_of(citation.jurisdiction)):
        word = shorten(word, KEYWORD_LIMIT)
        if word and word not in words:
            words.append(word)
    return words[:MAX_KEYWORDS]


def _citation_card(citation: Citation) -> str:
    """The Adaptive Card Teams shows when the citation is opened: heading and full quote."""
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "text": citation_label(citation),
            "weight": "Bolder",
            "wrap": True,
        },
    ]
    subtitle = " — ".join(p for p in (citation.title, citation.heading) if p)
    if subtitle:
        body.append({"type": "TextBlock", "text": subtitle, "isSubtle": True, "wrap": True})
    if citation.quote.strip():
        body.append(
            {
                "type": "TextBlock",
                "text": shorten(citation.quote, CARD_QUOTE_LIMIT),
                "wrap": True,
            }
        )
    currency = short_currency(citation)
    if currency:
        body.append({"type": "TextBlock", "text": currency, "isSubtle": True, "wrap": True})
    card: dict[str, Any] = {"type": "AdaptiveCard", "version": "1.5", "body": body}
    url = safe_url(citation.url)
    if url:
        card["actions"] = [
            {"type": "Action.OpenUrl", "title": "Open the official text", "url": url}
        ]
    return json.dumps(card, ensure_ascii=False)


@dataclass(frozen=True)
class SensitivityLabel:
    """The sensitivity label Teams shows on each citation of an answer (set by the operator,
    e.g. "Confidential" / "Legal research: do not forward outside the legal team")."""

    name: str
    description: str = ""

    def usage_info(self) -> dict[str, Any]:
        return {"@id": SENSITIVITY_ID, "name": self.name, "description": self.description}


def citation_claim(
    citation: Citation, answer: Answer, label: SensitivityLabel | None = None
) -> dict[str, Any]:
    """One citation entity (`Claim`) within Teams' limits, with the sensitivity label."""
    abstract = citation.quote.strip() or citation.heading or citation.title
    appearance: dict[str, Any] = {
        "@type": "DigitalDocument",
        "name": shorten(citation_label(citation), NAME_LIMIT),
        "abstract": shorten(abstract, ABSTRACT_LIMIT),
        "text": _citation_card(citation),
        "encodingFormat": "application/vnd.microsoft.card.adaptive",
        "keywords": _keywords(citation, answer),
    }
    url = safe_url(citation.url)
    if url:
        appearance["url"] = url
    if label is not None:
        appearance["usageInfo"] = label.usage_info()
    return {"@type": "Claim", "position": citation.n, "appearance": appearance}


def _ai_entity(claims: list[dict[str, Any]]) -> dict[str, Any]:
    entity: dict[str, Any] = {
        "type": "https://schema.org/Message",
        "@type": "Message",
        "@context": "https://schema.org",
        "@id": "",
        "additionalType": ["AIGeneratedContent"],
    }
    if claims:
        entity["citation"] = claims
    return entity


def _named(answer: Answer, codes: tuple[str, ...]) -> str:
    return ", ".join(
        escape(answer.name_of(c)) + ("" if answer.name_of(c) == c else f" ({escape(c)})")
        for c in codes
    )


def answer_text(answer: Answer, *, full_quotes: bool = False) -> str:
    """The message body in Teams markdown, from `layout()`: short answer, detail per
    jurisdiction, quotes on request, tags, notes, the oldest "as of" date, the notice.
    The comparison table travels as an Adaptive Card (`table_card`)."""
    view = layout(answer)
    paragraphs: list[str] = []
    for part in view.short:
        name = heading(part, answer) if len(view.short) > 1 else ""
        text = escape(part.text.strip())
        paragraphs.append(f"**{escape(name)}:** {text}" if name else text)
    if view.table is not None:
        paragraphs.append("_The comparison table is below._")
    for part in view.details:
        paragraphs.append(f"**{escape(heading(part, answer))}**")
        paragraphs.append(escape(part.text.strip()))
    if full_quotes and answer.citations:
        paragraphs.append("**Quoted sections**")
        for c in sorted(answer.citations, key=lambda c: c.n):
            quote = shorten(c.quote, FULL_QUOTE_LIMIT)
            paragraphs.append(
                f"[{c.n}] {escape(citation_label(c))}: “{escape(quote)}”" if quote else f"[{c.n}]"
            )
    if answer.jurisdictions:
        paragraphs.append(f"**Jurisdictions:** {_named(answer, answer.jurisdictions)}")
    for note in view.notes:
        paragraphs.append(f"_{escape(note)}_")
    if view.footer:
        paragraphs.append(f"_{escape(view.footer)}_")
    body = "\n\n".join(paragraphs)
    if len(body) > BODY_LIMIT:
        body = shorten(body[: BODY_LIMIT - 1], BODY_LIMIT)
    notice = answer.notice.strip()
    return f"{body}\n\n_{escape(notice)}_" if notice else body


_CARD: dict[str, Any] = {
    "type": "AdaptiveCard",
    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
    "version": "1.5",
}


def table_card(table: Table) -> dict[str, Any]:
    """The comparison as an Adaptive Card `Table` (schema 1.5): a header row, one row per
    jurisdiction, wrapped cells."""
    header, rows = table_rows(table)

    def cells(values: tuple[str, ...], bold: bool) -> dict[str, Any]:
        return {
            "type": "TableRow",
            "cells": [
                {
                    "type": "TableCell",
                    "items": [
                        {
                            "type": "TextBlock",
                            "text": shorten(v, TABLE_CELL_LIMIT) or "—",
                            "wrap": True,
                            **({"weight": "Bolder"} if bold else {}),
                        }
                    ],
                }
                for v in values
            ],
        }

    return {
        **_CARD,
        "body": [
            {"type": "TextBlock", "text": "Comparison", "weight": "Bolder", "wrap": True},
            {
                "type": "Table",
                "firstRowAsHeaders": True,
                "showGridLines": True,
                "gridStyle": "accent",
                "columns": [{"width": 1} for _ in header],
                "rows": [cells(header, True), *(cells(r, False) for r in rows)],
            },
        ],
    }


def export_context(key: str) -> dict[str, str]:
    """What the "Export as Word" action and the file consent card carry: the answer's key."""
    return {"reggi": EXPORT_ACTION, "answerId": key}


def export_action(key: str) -> dict[str, Any]:
    """The "Export as Word" button (an `Action.Submit`: Teams sends its data back as a message
    activity's `value`)."""
    return {"type": "Action.Submit", "title": EXPORT_TITLE, "data": export_context(key)}


def answer_cards(table: Table | None, export_key: str | None) -> list[dict[str, Any]]:
    """The Adaptive Cards under an answer: the comparison table, and the "Export as Word"
    action (on the table card when there is one, else on a card of its own)."""
    actions = [export_action(export_key)] if export_key else []
    if table is not None:
        card = table_card(table)
        return [{**card, "actions": actions} if actions else card]
    if not actions:
        return []
    hint = {"type": "TextBlock", "text": EXPORT_HINT, "isSubtle": True, "wrap": True}
    return [{**_CARD, "body": [hint], "actions": actions}]


def render_answer(
    answer: Answer,
    *,
    full_quotes: bool = False,
    label: SensitivityLabel | None = None,
    export_key: str | None = None,
) -> Activity:
    """The message activity for an answer: text with `[n]`, citations (with the sensitivity
    label, when one is configured), AI label, feedback, and as Adaptive Card attachments the
    comparison table and, given the key the answer is kept under, "Export as Word"."""
    claims = [citation_claim(c, answer, label) for c in sorted(answer.citations, key=lambda c: c.n)]
    activity: Activity = {
        "type": "message",
        "textFormat": "markdown",
        "text": answer_text(answer, full_quotes=full_quotes),
        "entities": [_ai_entity(claims)],
        "channelData": {"feedbackLoop": {"type": "default"}},
    }
    cards = answer_cards(answer.table, export_key)
    if cards:
        activity["attachments"] = [{"contentType": ADAPTIVE_CARD, "content": c} for c in cards]
    return activity


def file_consent(*, key: str, name: str, size: int, question: str) -> Activity:
    """The file consent card (1:1 chats only): Teams asks the user to allow saving `name` to
    their OneDrive, then sends `fileConsent/invoke` with `acceptContext` or `declineContext`."""
    context = export_context(key)
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": FILE_CONSENT_CARD,
                "name": name,
                "content": {
                    "description": f"Word memo: {shorten(question, DESCRIPTION_LIMIT)}",
                    "sizeInBytes": size,
                    "acceptContext": context,
                    "declineContext": context,
                },
            }
        ],
    }


def file_info(*, name: str, content_url: str, unique_id: str, file_type: str) -> Activity:
    """The message with the uploaded file's card, which opens it from the user's OneDrive."""
    return {
        "type": "message",
        "textFormat": "markdown",
        "text": f"Your Word memo is saved in your OneDrive: **{escape(name)}**",
        "attachments": [
            {
                "contentType": FILE_INFO_CARD,
                "contentUrl": content_url,
                "name": name,
                "content": {"uniqueId": unique_id, "fileType": file_type},
            }
        ],
    }


def render_text(text: str) -> Activity:
    """A plain message (an apology, the interim reply): escaped, no AI features."""
    return {"type": "message", "textFormat": "markdown", "text": escape(text)}


def render_help() -> Activity:
    """How to use Reggi in Teams."""
    return {"type": "message", "textFormat": "markdown", "text": HELP_TEXT}


def typing() -> Activity:
    """The typing indicator."""
    return {"type": "typing"}


# --- around the answer (h15) ------------------------------------------------------------


def with_follow_up_note(activity: Activity, question: str) -> Activity:
    """The answer with a first line naming the earlier question it continued."""
    note = f"_Follow-up to: “{escape(shorten(question, 300))}”_\n\n"
    return {**activity, "text": note + str(activity.get("text") or "")}
