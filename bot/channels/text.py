"""Plain-text helpers shared by the channel renderers: pure functions, no markup."""

from __future__ import annotations


def shorten(text: str, limit: int) -> str:
    """`text` with whitespace collapsed, cut at a word boundary to ≤ `limit` chars, "…" if cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 1)]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"
