from __future__ import annotations

import pytest

from bot.channels.web.auth import (
    bearer_token,
    cookie_value,
    is_authorized,
    query_token_ok,
)

TOKEN = "s3cret-token-value"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("Bearer abc", "abc"),
        ("bearer   abc  ", "abc"),
        ("Basic abc", None),
        ("Bearer", None),
        ("Bearer ", None),
    ],
)
def test_bearer_token(header: str | None, expected: str | None) -> None:
    assert bearer_token(header) == expected


@pytest.mark.parametrize(
    ("token", "authorization", "cookie", "allowed"),
    [
        (None, None, None, True),
        ("", None, None, True),
        (TOKEN, None, None, False),
        (TOKEN, f"Bearer {TOKEN}", None, True),
        (TOKEN, "Bearer wrong", None, False),
        (TOKEN, TOKEN, None, False),  # the scheme is required
        (TOKEN, None, cookie_value(TOKEN), True),
        (TOKEN, None, TOKEN, False),  # the cookie holds a digest, not the token
        (TOKEN, None, cookie_value("other"), False),
        (TOKEN, "Bearer wrong", cookie_value(TOKEN), True),
    ],
)
def test_is_authorized(
    token: str | None, authorization: str | None, cookie: str | None, allowed: bool
) -> None:
    assert is_authorized(token=token, authorization=authorization, cookie=cookie) is allowed


@pytest.mark.parametrize(
    ("token", "presented", "ok"),
    [
        (TOKEN, TOKEN, True),
        (TOKEN, "nope", False),
        (TOKEN, None, False),
        (None, TOKEN, False),
        ("", "", False),
    ],
)
def test_query_token_ok(token: str | None, presented: str | None, ok: bool) -> None:
    assert query_token_ok(token=token, presented=presented) is ok


def test_cookie_value_does_not_reveal_the_token() -> None:
    assert TOKEN not in cookie_value(TOKEN)
    assert cookie_value(TOKEN) == cookie_value(TOKEN)
    assert cookie_value(TOKEN) != cookie_value(TOKEN + "x")
