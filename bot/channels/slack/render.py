"""Answer → Slack messages (Block Kit blocks plus fallback text): pure functions, no I/O.

Slack's limits are respected here: a section's text is at most 3,000 characters, a message
has at most 50 blocks, and every message carries a top-level `text` fallback. A long answer
becomes several consecutive messages; a footnote is never cut in two. Every piece of text
that comes from a user, a source document or the engine is escaped (`&`, `<`, `>`), so
nobody can ping `<!channel>` or forge a link through Reggi.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from bot.answer import Answer, Citation, Table
from bot.channels.layout import heading, layout, short_currency, table_rows, text_table
from bot.channels.text import shorten

SECTION_LIMIT = 3000  # characters of mrkdwn in one section block
MAX_BLOCKS = 50  # blocks in one message
MESSAGE_BUDGET = 12000  # characters of block text per message, to keep each message readable
FALLBACK_LIMIT = 3000  # characters of the top-level `text` fallback
COMPACT_QUOTE = 200  # characters of a quote in the compact form
CONTEXT_LIMIT = 2000  # characters of one context element (Slack allows 3,000)
TABLE_CELL_LIMIT = 1000  # characters of one table cell
TABLE_ROWS = 100  # rows of a table block, the header included
MONOSPACE_WIDTH = 72  # characters of a line of the monospace table

ACTION_UP = "reggi_feedback_up"
ACTION_DOWN = "reggi_feedback_down"
ACTIONS_BLOCK = "reggi_feedback"
ACTION_FEEDBACK = "reggi_feedback"  # the feedback_buttons element; values "up:<id>" / "down:<id>"
ACTION_SHARE = "reggi_share"  # "Share in channel" under a private answer
REASON_VIEW = "reggi_feedback_reason"  # callback_id of the "what was wrong?" dialog
REASON_BLOCK = "reason"  # block_id and action_id of its text input

Block = dict[str, Any]


@dataclass(frozen=True)
class SlackMessage:
    """One message to post: Block Kit blocks and the plain fallback text."""

    text: str
    blocks: tuple[Block, ...] = ()

    def as_kwargs(self) -> dict[str, Any]:
        """Arguments for `chat.postMessage` / `respond`."""
        return {"text": self.text, "blocks": list(self.blocks)}


def escape(text: str) -> str:
    """Escape the three characters Slack treats as control characters in message text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str, label: str) -> str:
    """A mrkdwn link `<url|label>`; only http(s) URLs become links, anything else is plain text."""
    label = escape(label)
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return label
    safe = quote(url.strip(), safe=":/?#[]@!$&'()*+,;=%~-._")
    return f"<{escape(safe)}|{label}>"


_ENTITY_TAIL = re.compile(r"&[a-z]{0,3}$")


def split_text(text: str, limit: int) -> list[str]:
    """Split already-escaped text into chunks of at most `limit` characters.

    Prefers paragraph, then line, then sentence, then word boundaries, so `[n]` markers
    and `&amp;`-style entities stay whole.
    """
    chunks: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = -1
        for sep in ("\n\n", "\n", ". ", " "):
            pos = window.rfind(sep)
            if pos > 0:
                cut = pos + (1 if sep == ". " else 0)
                break
        if cut <= 0:
            cut = limit
            tail = _ENTITY_TAIL.search(window)
            if tail:
                cut = tail.start() or limit
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        chunks.append(rest)
    return chunks


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(*texts: str) -> Block:
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": t[:CONTEXT_LIMIT]} for t in texts if t][:10],
    }


def _blockquote(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in text.splitlines())


def footnote(citation: Citation, *, full_quote: bool = False, limit: int = SECTION_LIMIT) -> str:
    """One footnote as mrkdwn: number, linked citation, heading, and the quoted sentence(s).

    The compact form shortens the quote; the full form keeps it whole unless the footnote
    would exceed `limit`, in which case only the quote is shortened.
    """
    label = citation.citation or citation.section or citation.title
    if citation.subsection:
        label = (
            f"{label}{citation.subsection}"
            if citation.subsection.startswith("(")
            else f"{label} {citation.subsection}"
        )
    head = f"*[{citation.n}]* {link(citation.url, label)}"
    if citation.heading:
        head += f" — {escape(citation.heading)}"
    if citation.title and citation.title not in label:
        head += f" _({escape(citation.title)})_"
    if len(head) > limit:
        head = escape(shorten(f"[{citation.n}] {label} — {citation.heading}", limit // 2))
    currency = short_currency(citation)
    if currency:
        head += f"\n_{escape(currency)}_"
    quote_text = citation.quote.strip()
    if not quote_text:
        return head
    plain = quote_text if full_quote else shorten(quote_text, COMPACT_QUOTE)
    entry = f"{head}\n{_blockquote(escape(plain))}"
    room = limit - len(head) - 1
    while len(entry) > limit and room > 20:
        room = room * 9 // 10
        entry = f"{head}\n{_blockquote(escape(shorten(quote_text, room)))}"
    return entry if len(entry) <= limit else head


def jurisdictions_line(answer: Answer) -> str:
    """ "Jurisdictions: California · Massachusetts" (escaped), or "" when none."""
    names = [answer.name_of(code) for code in answer.jurisdictions]
    return "Jurisdictions: " + " · ".join(escape(n) for n in names) if names else ""


def _sources_sections(answer: Answer, full_quotes: bool) -> list[list[Block]]:
    """Footnotes packed into sections ≤ SECTION_LIMIT; one footnote never spans two."""
    groups: list[list[Block]] = []
    if not answer.citations:
        return groups
    current = "*Sources*"
    first = True
    for citation in sorted(answer.citations, key=lambda c: c.n):
        entry = footnote(citation, full_quote=full_quotes)
        if len(current) + 1 + len(entry) > SECTION_LIMIT:
            groups.append(([{"type": "divider"}] if first else []) + [_section(current)])
            first = False
            current = entry
        else:
            current = f"{current}\n{entry}"
    if current:
        groups.append(([{"type": "divider"}] if first else []) + [_section(current)])
    return groups


def _feedback_actions(answer_id: str) -> Block:
    """Slack's native 👍/👎 (`feedback_buttons` in a `context_actions` block)."""
    return feedback_block(answer_id)


def _paginate(groups: Sequence[list[Block]]) -> list[list[Block]]:
    """Greedy packing of block groups into messages of ≤ MAX_BLOCKS and ≤ MESSAGE_BUDGET."""
    pages: list[list[Block]] = [[]]
    size = 0
    for group in groups:
        group_size = sum(_block_chars(b) for b in group)
        page = pages[-1]
        if page and (len(page) + len(group) > MAX_BLOCKS or size + group_size > MESSAGE_BUDGET):
            pages.append([])
            size = 0
        pages[-1].extend(group)
        size += group_size
    return [p for p in pages if p]


def _block_chars(block: Block) -> int:
    if "text" in block and isinstance(block["text"], dict):
        return len(block["text"].get("text", ""))
    return sum(
        len(e.get("text", "")) for e in block.get("elements", []) if isinstance(e.get("text"), str)
    )


def _titled(title: str, text: str) -> list[list[Block]]:
    """Sections for one titled text, split to the section limit; the title on the first."""
    head = f"*{escape(title)}*" if title else ""
    chunks = split_text(escape(text), SECTION_LIMIT - len(head) - 1)
    return [[_section(f"{head}\n{c}" if i == 0 and head else c)] for i, c in enumerate(chunks)]


def _table(table: Table) -> list[Block]:
    """Slack's table block: raw-text cells, the header row first, long cells wrapped."""
    header, rows = table_rows(table)
    cells = [
        [{"type": "raw_text", "text": shorten(c, TABLE_CELL_LIMIT) or "—"} for c in row]
        for row in [header, *rows][:TABLE_ROWS]
    ]
    settings = [{"is_wrapped": True} for _ in header]
    return [{"type": "table", "rows": cells, "column_settings": settings}]


def _monospace_table(table: Table) -> list[Block]:
    """The table as aligned text in a code block, for surfaces without the table block."""
    header, rows = table_rows(table)
    text = text_table(header, rows, MONOSPACE_WIDTH)
    limit = SECTION_LIMIT - 8
    return [_section(f"```{escape(c)}```") for c in split_text(text, limit)]


def _fallback(text: str) -> str:
    return shorten(text, FALLBACK_LIMIT) or "Reggi's answer"


def render_answer(
    answer: Answer,
    *,
    full_quotes: bool = False,
    show_question: bool = False,
    feedback: bool = True,
    table_block: bool = True,
) -> list[SlackMessage]:
    """The answer as one or more consecutive Slack messages.

    Order (from `layout()`): (question), short answer, comparison table (Slack's table block,
    or a monospace block with `table_block=False` where the table block is not available),
    a section per jurisdiction, notes, "Sources" footnotes with their "as of" dates, then a
    context line with the oldest "as of" date, jurisdiction tags and the notice, and the
    👍/👎 buttons.
    """
    groups: list[list[Block]] = []
    if show_question and answer.question.strip():
        groups.append([_section(f"*Question:* {escape(shorten(answer.question, 2500))}")])
    view = layout(answer)
    for part in view.short:
        name = heading(part, answer) if len(view.short) > 1 else ""
        groups.extend(_titled(name, part.text))
    if view.table is not None:
        groups.append(_table(view.table) if table_block else _monospace_table(view.table))
    for part in view.details:
        groups.extend(_titled(heading(part, answer), part.text))
    if view.notes:
        groups.append([_context(*(escape(n) for n in view.notes))])
    groups.extend(_sources_sections(answer, full_quotes))
    footer: list[Block] = [
        _context(
            *(
                t
                for t in (escape(view.footer), jurisdictions_line(answer), escape(answer.notice))
                if t
            )
        )
    ]
    if feedback and answer.id:
        footer.append(_feedback_actions(answer.id))
    groups.append(footer)

    pages = _paginate(groups)
    total = len(pages)
    messages = []
    for i, page in enumerate(pages):
        if i == 0:
            text = _fallback(answer.answer or answer.question)
        else:
            text = f"Reggi's answer, continued ({i + 1}/{total})"
        messages.append(SlackMessage(text=escape(text) if i == 0 else text, blocks=tuple(page)))
    return messages


def render_text(text: str) -> SlackMessage:
    """A short plain notice (usage, refusal, apology) as a message; the text is escaped."""
    safe = escape(text)
    return SlackMessage(
        text=shorten(safe, FALLBACK_LIMIT),
        blocks=tuple(_section(c) for c in split_text(safe, SECTION_LIMIT)),
    )


def feedback_reason_view(private_metadata: str) -> Block:
    """The small optional "what was wrong?" dialog opened after a 👎 click."""
    return {
        "type": "modal",
        "callback_id": REASON_VIEW,
        "notify_on_close": True,
        "private_metadata": private_metadata[:3000],
        "title": {"type": "plain_text", "text": "What was wrong?"},
        "submit": {"type": "plain_text", "text": "Send"},
        "close": {"type": "plain_text", "text": "Skip"},
        "blocks": [
            {
                "type": "input",
                "block_id": REASON_BLOCK,
                "optional": True,
                "label": {
                    "type": "plain_text",
                    "text": "Tell us what was wrong (optional)",
                },
                "element": {
                    "type": "plain_text_input",
                    "action_id": REASON_BLOCK,
                    "multiline": True,
                    "max_length": 500,
                },
            }
        ],
    }


# --- blocks around the answer (h15): native feedback, sharing, marker links ----------------
def feedback_block(answer_id: str) -> Block:
    """`feedback_buttons` in a `context_actions` block; each button's value names the vote."""
    value = answer_id[:1900]
    return {
        "type": "context_actions",
        "block_id": ACTIONS_BLOCK,
        "elements": [
            {
                "type": "feedback_buttons",
                "action_id": ACTION_FEEDBACK,
                "positive_button": {
                    "text": {"type": "plain_text", "text": "Helpful"},
                    "accessibility_label": "This answer was helpful",
                    "value": f"up:{value}",
                },
                "negative_button": {
                    "text": {"type": "plain_text", "text": "Not helpful"},
                    "accessibility_label": "This answer was not helpful",
                    "value": f"down:{value}",
                },
            }
        ],
    }


def feedback_vote(value: str) -> tuple[str, str] | None:
    """A feedback button's value → (vote, answer id), or None when it is not one of ours."""
    vote, _, answer_id = value.partition(":")
    return (vote, answer_id) if vote in ("up", "down") and answer_id else None


def share_block(share_key: str) -> Block:
    """The "Share in channel" button under a private answer."""
    return {
        "type": "actions",
        "block_id": "reggi_share",
        "elements": [
            {
                "type": "button",
                "action_id": ACTION_SHARE,
                "style": "primary",
                "text": {"type": "plain_text", "text": "Share in channel"},
                "value": share_key[:2000],
            }
        ],
    }


def with_blocks(messages: Sequence[SlackMessage], *blocks: Block) -> list[SlackMessage]:
    """`blocks` added at the end of the last message (or in a message of their own when full)."""
    if not messages:
        return [SlackMessage(text="Reggi's answer", blocks=tuple(blocks))]
    last = messages[-1]
    if len(last.blocks) + len(blocks) <= MAX_BLOCKS:
        return [*messages[:-1], SlackMessage(text=last.text, blocks=(*last.blocks, *blocks))]
    return [*messages, SlackMessage(text=last.text, blocks=tuple(blocks))]


_MARKER = re.compile(r"(?<![*|\[])\[(\d{1,3})\](?![*>])")


def link_markers(messages: Sequence[SlackMessage], answer: Answer) -> list[SlackMessage]:
    """Every `[n]` in the answer's text sections becomes a link to source n.

    Footnote numbers (`*[n]*`) stay as they are; a marker without a citation or an http(s)
    URL stays plain; a section that would grow past Slack's limit keeps its plain markers.
    """
    urls = {c.n: c.url for c in answer.citations}

    def linked(text: str) -> str:
        def sub(m: re.Match[str]) -> str:
            url = urls.get(int(m.group(1)))
            return link(url, m.group(0)) if url else m.group(0)

        out = _MARKER.sub(sub, text)
        return out if len(out) <= SECTION_LIMIT else text

    result = []
    for message in messages:
        blocks = []
        for block in message.blocks:
            text = block.get("text") if block.get("type") == "section" else None
            if isinstance(text, dict) and text.get("type") == "mrkdwn":
                block = {**block, "text": {**text, "text": linked(text["text"])}}
            blocks.append(block)
        result.append(SlackMessage(text=message.text, blocks=tuple(blocks)))
    return result


def note_block(text: str) -> Block:
    """A small grey line (context block) of already-escaped mrkdwn."""
    return _context(text)


def shared_by_block(user: str) -> Block:
    return note_block(f"Shared by <@{escape(user)}>" if user else "Shared from a private answer")


def answer_messages(
    answer: Answer,
    *,
    full_quotes: bool = False,
    show_question: bool = False,
    continued: str = "",
    feedback: bool = True,
) -> list[SlackMessage]:
    """`render_answer` with `[n]` markers linked and, for a follow-up, the earlier question
    it continued on top."""
    messages = link_markers(
        render_answer(
            answer, full_quotes=full_quotes, show_question=show_question, feedback=feedback
        ),
        answer,
    )
    if not continued or not messages:
        return messages
    note = note_block(f"Follow-up to: “{escape(shorten(continued, 300))}”")
    first = messages[0]
    if len(first.blocks) >= MAX_BLOCKS:
        return [SlackMessage(text=first.text, blocks=(note,)), *messages]
    return [SlackMessage(text=first.text, blocks=(note, *first.blocks)), *messages[1:]]
