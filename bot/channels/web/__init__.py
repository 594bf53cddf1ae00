"""The web channel: the "Ask Reggi" page and the JSON API it talks to."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from bot.answer import AnswerSource
from bot.channels.web.api import Coverage, api_router, error_response
from bot.channels.web.page import page_router, static_files
from bot.channels.web.payloads import BadRequest
from bot.ops.events import Events


def mount_web(
    app: FastAPI,
    *,
    answers: AnswerSource,
    events: Events,
    coverage: Coverage,
    token: str | None,
    user_header: str | None = None,
) -> None:
    """Add the page (`/`), its files (`/static`) and the API (`/api/...`) to `app`."""

    async def bad_request(_: Request, exc: Exception) -> JSONResponse:
        if not isinstance(exc, BadRequest):  # pragma: no cover - registered for BadRequest only
            raise exc
        return error_response(exc.status, exc.message)

    app.add_exception_handler(BadRequest, bad_request)
    app.include_router(
        api_router(
            answers=answers,
            events=events,
            coverage=coverage,
            token=token,
            user_header=user_header,
        )
    )
    app.include_router(page_router(token=token))
    app.mount("/static", static_files(), name="web-static")


__all__ = ["mount_web"]
