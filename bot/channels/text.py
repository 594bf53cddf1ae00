"""Plain-text helpers shared by the channel renderers: pure functions, no markup."""

from __future__ import annotations

import re


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


_MARKER = re.compile(r"\s*\[\d{1,3}\]")
_OPEN_MARKER = re.compile(r"\s*\[\d{0,3}$")  # a marker that may still be arriving


def hide_markers(text: str) -> tuple[str, str]:
    """A streamed draft without its unchecked `[n]` markers: (what can be shown now, what must
    wait for more text because a marker may be arriving)."""
    pending = _OPEN_MARKER.search(text)
    ready, rest = (text[: pending.start()], text[pending.start() :]) if pending else (text, "")
    return _MARKER.sub("", ready), rest
