"""The terminal channel: an `Answer` as readable text or as the `ask --json` shape."""

from __future__ import annotations

from typing import Any

from bot.answer import Answer
from bot.channels.layout import currency_line, heading, layout, table_rows, text_table


def render_text(answer: Answer, *, width: int = 100) -> str:
    """A readable terminal rendering: short answer, table, detail, sources, as-of footer."""
    view = layout(answer)
    lines = [f"({note})" for note in view.notes]
    if view.short:
        lines.append("Short answer:")
        for part in view.short:
            name = heading(part, answer)
            lines += [f"{name}: {part.text}" if name and len(view.short) > 1 else part.text, ""]
    if view.table is not None:
        header, rows = table_rows(view.table)
        lines += ["Comparison:", text_table(header, rows, width), ""]
    for part in view.details:
        lines += [f"== {heading(part, answer)} ==", part.text, ""]
    if answer.citations:
        lines.append("Sources:")
        for c in answer.citations:
            head = f"  [{c.n}] {c.pinpoint}"
            if c.heading:
                head += f" — {c.heading}"
            lines.append(head)
            if c.url:
                lines.append(f"      {c.url}")
            currency = currency_line(c)
            if currency:
                lines.append(f"      {currency}")
        lines.append("")
    if view.footer:
        lines.append(view.footer)
    if answer.jurisdictions:
        lines.append(
            "Jurisdictions: " + " · ".join(answer.name_of(j) for j in answer.jurisdictions)
        )
    if answer.missing_jurisdictions:
        lines.append(
            "Not covered by the index: "
            + " · ".join(answer.name_of(j) for j in answer.missing_jurisdictions)
        )
    lines.append(answer.notice)
    return "\n".join(lines)


def public_json(answer: Answer) -> dict[str, Any]:
    """The `ask --json` shape."""
    data = answer.to_dict()
    keys = (
        "answer", "short", "table", "as_of", "parts", "citations", "checks", "jurisdictions", "missing_jurisdictions", "cached",
        "timings_ms", "abstained", "writer", "writer_note", "cache_note", "notice", "id",
    )  # fmt: skip
    out = {k: data[k] for k in keys}
    out["citations"] = [
        {k: c[k] for k in ("n", "citation", "section", "subsection", "source", "jurisdiction",
                           "url", "heading", "title", "quote", "version", "as_of",
                           "ingested", "complete")}
        for c in data["citations"]
    ]  # fmt: skip
    return out
