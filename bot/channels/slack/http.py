"""Slack over HTTP: `POST /slack/events` on the process's one FastAPI app."""

from __future__ import annotations

from fastapi import FastAPI, Request, Response
from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.concurrency import run_in_threadpool

EVENTS_PATH = "/slack/events"


def mount_slack(app: FastAPI, bolt_app: App, *, path: str = EVENTS_PATH) -> None:
    """Add `POST {path}` for events, slash commands and interactions.

    Bolt's `dispatch` is blocking (signature check, `auth.test` on the first request, waiting
    for `ack()`), so it runs in the thread pool and never stalls the event loop.
    """

    async def slack_events(request: Request) -> Response:
        body = await request.body()
        bolt_response = await run_in_threadpool(bolt_app.dispatch, to_bolt_request(request, body))
        return to_starlette_response(bolt_response)

    app.add_api_route(
        path,
        slack_events,
        methods=["POST"],
        include_in_schema=False,
        name="slack_events",
    )
