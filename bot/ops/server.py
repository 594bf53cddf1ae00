"""The one HTTP server of the process: the web page and API, operations endpoints, and
whatever the Slack and Teams channels mount on it.

- `GET /healthz` liveness: the process answers HTTP;
- `GET /readyz` readiness: every dependency check passes (200) or not (503), as JSON;
- `GET /metrics` Prometheus text;
- `/`, `/static/…`, `/api/…` the web channel (`bot.channels.web`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from bot import __version__
from bot.answer import AnswerSource
from bot.channels.web import mount_web
from bot.channels.web.api import Coverage
from bot.errors import ConfigError, ReggiError
from bot.ops.events import Events
from bot.ops.metrics import CONTENT_TYPE, Metrics
from bot.settings import Settings

log = logging.getLogger(__name__)

#: A readiness check: () → (ok, detail). Detail is a short sentence for operators.
Check = Callable[[], tuple[bool, str]]
Mount = Callable[[FastAPI], None]
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def run_checks(checks: Mapping[str, Check]) -> tuple[bool, dict[str, dict[str, Any]]]:
    """Run every readiness check; a check that raises counts as failed (details logged)."""
    results: dict[str, dict[str, Any]] = {}
    for name, check in checks.items():
        started = time.perf_counter()
        try:
            ok, detail = check()
        except Exception as exc:
            log.warning("readiness check %r raised", name, exc_info=True)
            ok, detail = (
                False,
                f"check failed ({type(exc).__name__}); see the server log",
            )
        results[name] = {
            "ok": bool(ok),
            "detail": str(detail),
            "ms": round((time.perf_counter() - started) * 1000.0, 1),
        }
    return all(r["ok"] for r in results.values()), results


def build_app(
    *,
    settings: Settings,
    answers: AnswerSource,
    events: Events,
    metrics: Metrics,
    readiness: Mapping[str, Check],
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
        return JSONResponse({"error": ReggiError.user_text}, status_code=500)

    app.add_exception_handler(Exception, unexpected)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok", "version": __version__})

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        ready, checks = await run_in_threadpool(run_checks, readiness)
        if not ready:
            log.warning("not ready: %s", ", ".join(n for n, r in checks.items() if not r["ok"]))
        return JSONResponse(
            {"status": "ready" if ready else "not ready", "checks": checks},
            status_code=200 if ready else 503,
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
        token=web_token(settings),
        user_header=user_header,
    )
    for mount in extra_mounts:
        mount(app)
    return app


def web_token(settings: Settings) -> str | None:
    """The token guarding the page and API, or None on a loopback-only server without one.

    An empty WEB_API_TOKEN counts as set for the settings' own check, so it is refused here
    when the server listens beyond loopback: that would leave the page open.
    """
    token = settings.web_api_token.get_secret_value().strip() if settings.web_api_token else ""
    if not token and settings.host not in LOOPBACK_HOSTS:
        raise ConfigError(
            "Invalid configuration — WEB_API_TOKEN: must not be empty when HOST is not a loopback "
            "address (set it to a long random string)"
        )
    return token or None


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
