"""Serving the Teams bot at `/api/messages` on Reggi's one FastAPI app.

The Teams SDK talks to web frameworks through an `HttpServerAdapter`. Its own FastAPI
adapter wants to own the FastAPI app (and binds 0.0.0.0:3978 when started), so Reggi gives
the SDK `RouteAdapter`, which only collects the SDK's route handlers; `mount_teams` then adds
the route to the existing app and ties the bot's start-up and shutdown to the app's lifespan.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from microsoft_teams.apps.http.adapter import HttpMethod, HttpRequest, HttpRouteHandler

from bot.errors import NOT_AN_ACTIVITY

if TYPE_CHECKING:
    from bot.channels.teams.app import TeamsBot

logger = logging.getLogger(__name__)


class RouteAdapter:
    """An `HttpServerAdapter` that keeps the SDK's route handlers for `mount_teams` to serve."""

    def __init__(self) -> None:
        self._routes: dict[str, HttpRouteHandler] = {}

    def register_route(self, method: HttpMethod, path: str, handler: HttpRouteHandler) -> None:
        if method != "POST":
            raise ValueError(f"unsupported HTTP method for Teams: {method}")
        self._routes[path] = handler

    def handler(self, path: str) -> HttpRouteHandler | None:
        return self._routes.get(path)

    def serve_static(self, path: str, directory: str) -> None:
        raise NotImplementedError("Reggi's Teams bot serves no static pages")

    async def start(self, port: int) -> None:
        raise NotImplementedError(
            "Reggi serves Teams from its own server: use mount_teams(app, bot)"
        )

    async def stop(self) -> None:
        return None


def mount_teams(app: FastAPI, bot: TeamsBot) -> None:
    """Serve `bot` at its messaging endpoint (`/api/messages`) on the existing `app`.

    The bot is initialised when the app starts (and, should the lifespan not run, on the first
    request); on shutdown, answers still being looked up are given a moment to be delivered.
    """
    path = bot.messaging_endpoint

    async def messages(request: Request) -> Response:
        await bot.start()
        handler = bot.adapter.handler(path)
        if handler is None:  # pragma: no cover - start() registers it
            logger.error("Teams endpoint %s has no handler after start-up", path)
            return JSONResponse({"error": "Teams bot not ready"}, status_code=503)
        try:
            body: Any = await request.json()
        except ValueError:
            return JSONResponse({"error": NOT_AN_ACTIVITY}, status_code=400)
        if not isinstance(body, dict):
            return JSONResponse({"error": NOT_AN_ACTIVITY}, status_code=400)
        result = await handler(HttpRequest(body=body, headers=dict(request.headers)))
        if result.get("body") is not None:
            return JSONResponse(content=result["body"], status_code=result["status"])
        return Response(status_code=result["status"])

    app.add_api_route(path, messages, methods=["POST"], include_in_schema=False)
    app.router.lifespan_context = _with_bot(app.router.lifespan_context, bot)


def _with_bot(
    original: Callable[[Any], AbstractAsyncContextManager[Any]], bot: TeamsBot
) -> Callable[[Any], AbstractAsyncContextManager[Any]]:
    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[Any]:
        async with original(app) as state:
            await bot.start()
            try:
                yield state
            finally:
                await bot.aclose()

    return lifespan
