"""The web page's and API's access check against `WEB_API_TOKEN`.

Tools send `Authorization: Bearer <token>`. People open the page once with `?token=<token>`;
the server then sets an HttpOnly cookie holding a digest of the token (never the token itself)
and redirects to the clean URL, so the token does not stay in the address bar or history.
"""

from __future__ import annotations

import hashlib
import hmac

COOKIE_NAME = "reggi_access"
COOKIE_MAX_AGE_SECONDS = 30 * 24 * 3600


def cookie_value(token: str) -> str:
    """What the access cookie holds for `token`."""
    return hashlib.sha256(b"reggi-web-cookie\x00" + token.encode("utf-8")).hexdigest()


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer …` header, or None."""
    if not authorization:
        return None
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def is_authorized(*, token: str | None, authorization: str | None, cookie: str | None) -> bool:
    """True when no token is configured, or the request carries it (header or cookie)."""
    if not token:
        return True
    presented = bearer_token(authorization)
    if presented is not None and _same(presented, token):
        return True
    return cookie is not None and _same(cookie, cookie_value(token))


def query_token_ok(*, token: str | None, presented: str | None) -> bool:
    """True when `?token=` matches the configured token."""
    return bool(token) and presented is not None and _same(presented, token)  # type: ignore[arg-type]
