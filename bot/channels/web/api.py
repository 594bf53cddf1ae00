"""The JSON API behind the page, usable by other internal tools.

- `POST /api/ask` `{"question", "jurisdictions"?, "history"?}` → the answer's `to_dict()`
  plus `"layout"`: what the page shows, in order (`bot.channels.layout.view_json`);
  and, for a real follow-up (`history` is used only then: `bot.conversation.follow_up`),
  `"follow_up_to"`: the earlier question the answer continued;
- `GET /api/jurisdictions` → `{"jurisdictions": [{"code", "name", "instruments", "sections"}]}`;
- `POST /api/feedback` `{"answer_id", "vote": "up"|"down", "reason"?}` → `{"ok": true}`;
- `POST /api/export?format=docx|text` with an answer (the JSON `/api/ask` returned) → the memo
  as a Word file or as plain text (see bot/channels/export.py).

Every refusal is `{"error": "<plain sentence>"}` with a 4xx/5xx status.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from bot.answer import Answer, AnswerSource
from bot.channels.export import DOCX_MEDIA_TYPE, filename, memo_docx, memo_text
from bot.channels.layout import view_json
from bot.channels.web.auth import COOKIE_NAME, is_authorized
from bot.channels.web.payloads import (
    BadRequest,
    json_body,
    parse_ask,
    parse_feedback,
    status_for,
)
from bot.conversation import Asker, Conversation
from bot.errors import (
    BAD_EXPORT_FORMAT,
    COVERAGE_UNAVAILABLE,
    NOT_AN_ANSWER,
    UNAUTHORIZED,
    Busy,
)
from bot.ops.events import Events

log = logging.getLogger(__name__)

CHANNEL = "web"
NO_STORE = {"Cache-Control": "no-store"}
MAX_EXPORT_BYTES = 1024 * 1024

Coverage = Callable[[], list[dict[str, Any]]]


#: Threads for web questions, apart from the server's shared pool: questions waiting for the
#: engine never hold the threads that /readyz, coverage and Slack's acks run on.
ASK_THREADS = 64


def error_response(
    status: int, message: str, *, retry_after_seconds: int | None = None
) -> JSONResponse:
    headers = dict(NO_STORE)
    if retry_after_seconds is not None:
        headers["Retry-After"] = str(retry_after_seconds)
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def web_user(request: Request, user_header: str | None) -> str:
    """Who asked, for the audit log: a trusted proxy's user header, else the client address."""
    if user_header:
        value = request.headers.get(user_header, "").strip()
        if value:
            return value[:200]
    host = request.client.host if request.client else "unknown"
    return f"anonymous@{host}"


def api_router(
    *,
    answers: AnswerSource,
    events: Events,
    coverage: Coverage,
    token: str | None,
    user_header: str | None = None,
) -> APIRouter:
    """The `/api` routes, bound to their collaborators."""

    def require_token(request: Request) -> None:
        if not is_authorized(
            token=token,
            authorization=request.headers.get("authorization"),
            cookie=request.cookies.get(COOKIE_NAME),
        ):
            raise BadRequest(401, UNAUTHORIZED)

    router = APIRouter(prefix="/api", dependencies=[Depends(require_token)])

    conversation = Conversation(channel=CHANNEL, answers=answers, events=events)
    limiter: list[anyio.CapacityLimiter] = []

    def ask_threads() -> anyio.CapacityLimiter:
        if not limiter:  # made on the event loop, on first use
            limiter.append(anyio.CapacityLimiter(ASK_THREADS))
        return limiter[0]

    @router.post("/ask")
    async def ask(request: Request) -> JSONResponse:
        try:
            body = parse_ask(json_body(await request.body(), request.headers.get("content-type")))
        except BadRequest as exc:
            conversation.report_error("bad_request")
            return error_response(exc.status, exc.message)
        reply = await anyio.to_thread.run_sync(
            partial(
                conversation.ask,
                Asker(user=web_user(request, user_header)),
                body.question,
                jurisdictions=body.jurisdictions,
                history=body.history,
            ),
            limiter=ask_threads(),
        )
        if reply.answer is None:
            assert reply.error is not None
            retry = reply.error.retry_after_seconds if isinstance(reply.error, Busy) else None
            return error_response(status_for(reply.error), reply.text, retry_after_seconds=retry)
        log.debug("answered in %.0f ms", reply.latency_ms, extra={"question": body.question})
        data = {**reply.answer.to_dict(), "layout": view_json(reply.answer)}
        if reply.continued:  # a real follow-up: the earlier question the answer continued
            data["follow_up_to"] = reply.continued
        return JSONResponse(data, headers=NO_STORE)

    @router.get("/jurisdictions")
    async def jurisdictions() -> JSONResponse:
        try:
            covered = await run_in_threadpool(coverage)
        except Exception:
            log.exception("reading the index coverage failed")
            conversation.report_error("coverage")
            return error_response(503, COVERAGE_UNAVAILABLE)
        return JSONResponse({"jurisdictions": covered}, headers=NO_STORE)

    @router.post("/feedback")
    async def feedback(request: Request) -> JSONResponse:
        try:
            body = parse_feedback(
                json_body(await request.body(), request.headers.get("content-type"))
            )
        except BadRequest as exc:
            conversation.report_error("bad_request")
            return error_response(exc.status, exc.message)
        conversation.feedback(
            user=web_user(request, user_header),
            answer_id=body.answer_id,
            vote=body.vote,
            reason=body.reason,
        )
        return JSONResponse({"ok": True}, headers=NO_STORE)

    @router.post("/export")
    async def export(request: Request) -> Response:
        kind = request.query_params.get("format", "docx")
        try:
            if kind not in ("docx", "text"):
                raise BadRequest(400, BAD_EXPORT_FORMAT)
            data = json_body(
                await request.body(),
                request.headers.get("content-type"),
                max_bytes=MAX_EXPORT_BYTES,
            )
            try:
                answer = Answer.from_dict(data)
            except ValueError as exc:
                log.info("export refused: %s", exc)
                raise BadRequest(422, NOT_AN_ANSWER) from None
        except BadRequest as exc:
            conversation.report_error("bad_request")
            return error_response(exc.status, exc.message)
        if kind == "text":
            return Response(
                memo_text(answer), media_type="text/plain; charset=utf-8", headers=NO_STORE
            )
        content = await run_in_threadpool(memo_docx, answer)
        disposition = f'attachment; filename="{filename(answer)}"'
        return Response(
            content,
            media_type=DOCX_MEDIA_TYPE,
            headers={**NO_STORE, "Content-Disposition": disposition},
        )

    return router
