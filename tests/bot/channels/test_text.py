"""Plain-text helpers shared by the channel renderers (`bot.channels.text`)."""

from __future__ import annotations

import pytest

from bot.channels.text import shorten


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, "short"),
        ("exactly ten", 11, "exactly ten"),
        ("one two three four", 10, "one two…"),
        ("one two three four", 12, "one two…"),
        ("supercalifragilistic", 8, "superca…"),
        ("  spaced \n out  ", 20, "spaced out"),
        ("a  b\n c", 10, "a b c"),
        ("words, with commas, here", 14, "words, with…"),
    ],
)
def test_shorten(text: str, limit: int, expected: str) -> None:
    assert shorten(text, limit) == expected
    assert len(shorten(text, limit)) <= limit
