"""The one HTTP server of the process: the web page and API, operations endpoints, and
whatever the Slack and Teams channels mount on it.

- `GET /healthz` liveness: the process answers HTTP;
- `GET /readyz` readiness as JSON (`bot.ops.health`): "ready" or "degraded" (200: answers keep
  coming, e.g. uncached while Redis is down) or "not ready" (503: no index or embedding model);
- `GET /metrics` Prometheus text;
- `/`, `/static/…`, `/api/…` the web channel (`bot.channels.web`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot import __version__, errors
from bot.answer import AnswerSource
from bot.channels.web import mount_web
from bot.channels.web.api import Coverage
from bot.ops.events import Events
from bot.ops.health import Check, Probe, as_checks, run_checks
from bot.ops.metrics import CONTENT_TYPE, Metrics
from bot.settings import Settings

log = logging.getLogger(__name__)

Mount = Callable[[FastAPI], None]


class NoSniff:
    """ASGI middleware: `X-Content-Type-Options: nosniff` on every HTTP response (JSON,
    `/static`, the page), so a browser never guesses a script out of a JSON or text body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if "x-content-type-options" not in headers:
                    headers.append("X-Content-Type-Options", "nosniff")
            await send(message)

        await self.app(scope, receive, send_with_header)


def build_app(
    *,
    settings: Settings,
    answers: AnswerSource,
    events: Events,
    metrics: Metrics,
    readiness: Iterable[Check] | Mapping[str, Probe],
    coverage: Coverage,
    extra_mounts: Sequence[Mount] = (),
    user_header: str | None = None,
) -> FastAPI:
    """The process's FastAPI app.

    `events` receives every web answer, error and feedback vote (pass a `FanOut` of the
    metrics and the audit log); `metrics` renders `/metrics`; `extra_mounts` are called with
    the app, in order, to add the Slack and Teams routes.
    """
    app = FastAPI(
        title="Reggi",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )

    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error", exc_info=exc)
        return JSONResponse({"error": errors.GENERIC}, status_code=500)

    async def http_error(request: Request, exc: Exception) -> Response:
        # Routing refusals (404, 405) in the API's documented shape, not Starlette's "detail".
        if not isinstance(exc, HTTPException):  # pragma: no cover - registered for it only
            raise exc
        if exc.status_code == 404:
            message = errors.NOT_FOUND
        elif exc.status_code == 405:
            message = errors.METHOD_NOT_ALLOWED.format(method=request.method)
        else:
            message = errors.GENERIC if exc.status_code >= 500 else str(exc.detail)
        return JSONResponse(
            {"error": message}, status_code=exc.status_code, headers=dict(exc.headers or {})
        )

    app.add_exception_handler(Exception, unexpected)
    app.add_exception_handler(HTTPException, http_error)
    app.add_middleware(NoSniff)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> JSONResponse:  # on the event loop: never waits for a thread
        return JSONResponse({"status": "ok", "version": __version__})

    checks = as_checks(readiness)

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        result = await run_in_threadpool(run_checks, checks)
        if result.status != "ready":
            failing = ", ".join(n for n, r in result.checks.items() if not r["ok"])
            log.warning("%s: %s", result.status, failing)
        return JSONResponse(
            {"status": result.status, "checks": result.checks},
            status_code=result.http_status,
            headers={"Cache-Control": "no-store"},
        )

    @app.get("/metrics", include_in_schema=False)
    async def prometheus() -> Response:
        body = await run_in_threadpool(metrics.render)
        return Response(body, media_type=CONTENT_TYPE)

    mount_web(
        app,
        answers=answers,
        events=events,
        coverage=coverage,
        token=settings.web_token,
        user_header=user_header,
    )
    for mount in extra_mounts:
        mount(app)
    return app


def page_url(host: str, port: int) -> str:
    """The address a person opens for the page (a wildcard bind is shown as loopback)."""
    shown = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def make_server(app: FastAPI, *, host: str, port: int) -> uvicorn.Server:
    """A uvicorn server bound exactly where configured, logging through Reggi's handlers."""
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,  # keep bot.ops.logs' handlers (and their redaction) for uvicorn's loggers
        server_header=False,
        timeout_graceful_shutdown=10,
    )
    return uvicorn.Server(config)


def serve(app: FastAPI, host: str, port: int) -> None:
    """Run the server until SIGINT/SIGTERM."""
    log.info("Ask Reggi page: %s", page_url(host, port))
    make_server(app, host=host, port=port).run()
