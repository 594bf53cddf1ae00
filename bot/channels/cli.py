"""The terminal channel: an `Answer` as readable text or as the `ask --json` shape."""

from __future__ import annotations

from typing import Any

from bot.answer import Answer


def render_text(answer: Answer) -> str:
    """A readable terminal rendering of an answer."""
    lines = []
    if answer.cache_note:
        lines.append(f"({answer.cache_note})")
    if answer.writer_note:
        lines.append(f"({answer.writer_note})")
    if answer.answer:
        lines += [answer.answer, ""]
    for part in answer.parts:
        lines += [f"== {part.name} ==", part.text, ""]
    if answer.citations:
        lines.append("Sources:")
        for c in answer.citations:
            head = f"  [{c.n}] {c.citation}{c.subsection}"
            if c.heading:
                head += f" — {c.heading}"
            lines.append(head)
            if c.url:
                lines.append(f"      {c.url}")
        lines.append("")
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
        "answer", "parts", "citations", "jurisdictions", "missing_jurisdictions", "cached",
        "timings_ms", "abstained", "writer", "writer_note", "cache_note", "notice", "id",
    )  # fmt: skip
    out = {k: data[k] for k in keys}
    out["citations"] = [
        {k: c[k] for k in ("n", "citation", "section", "subsection", "source", "jurisdiction",
                           "url", "heading", "title", "quote")}
        for c in data["citations"]
    ]  # fmt: skip
    return out
