"""The "Ask Reggi" page: one HTML file plus its script and style, shipped in the package."""

from __future__ import annotations

from importlib.resources import files

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from bot.channels.web.auth import (
    COOKIE_MAX_AGE_SECONDS,
    COOKIE_NAME,
    cookie_value,
    is_authorized,
    query_token_ok,
)
from bot.errors import NEEDS_LINK, WRONG_LINK

PACKAGE_DIR = files("bot.channels.web")
STATIC_DIR = PACKAGE_DIR / "static"

# Nothing but this server's own files; no inline script, no framing, no referrer leaks.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}

LOCKED_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ask Reggi — access link needed</title><link rel="icon" href="data:,"></head>
<body><main><h1>Ask Reggi</h1>
<p>{message}</p></main></body></html>
"""


def page_router(*, token: str | None) -> APIRouter:
    """`GET /` (the page, behind the token when one is set)."""
    router = APIRouter()
    html = (PACKAGE_DIR / "index.html").read_text(encoding="utf-8")

    @router.get("/", include_in_schema=False)
    def index(request: Request) -> Response:
        presented = request.query_params.get("token")
        if token and presented is not None:
            if not query_token_ok(token=token, presented=presented):
                return HTMLResponse(
                    LOCKED_PAGE.format(message=WRONG_LINK), 401, headers=PAGE_HEADERS
                )
            # Trade the token in the URL for a cookie, and drop it from the address bar.
            response = RedirectResponse(str(request.url.remove_query_params("token")), 303)
            response.set_cookie(
                COOKIE_NAME,
                cookie_value(token),
                max_age=COOKIE_MAX_AGE_SECONDS,
                httponly=True,
                samesite="lax",
                secure=request.url.scheme == "https",
                path="/",
            )
            response.headers.update(PAGE_HEADERS)
            return response
        if not is_authorized(
            token=token,
            authorization=request.headers.get("authorization"),
            cookie=request.cookies.get(COOKIE_NAME),
        ):
            return HTMLResponse(LOCKED_PAGE.format(message=NEEDS_LINK), 401, headers=PAGE_HEADERS)
        return HTMLResponse(html, headers=PAGE_HEADERS)

    return router


def static_files() -> StaticFiles:
    """The page's script and style (public: they are the open-source client)."""
    return StaticFiles(directory=str(STATIC_DIR))
