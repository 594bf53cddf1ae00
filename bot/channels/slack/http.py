"""Slack over HTTP: `POST /slack/events` on the process's one FastAPI app."""

from __future__ import annotations

import json
import logging
import time

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from slack_sdk.signature import SignatureVerifier
from starlette.concurrency import run_in_threadpool

log = logging.getLogger(__name__)

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


def mount_slack_setup(app: FastAPI, *, signing_secret: str = "", path: str = EVENTS_PATH) -> None:
    """`POST {path}` before the app is installed (no `SLACK_BOT_TOKEN` yet).

    It answers Slack's URL check (`url_verification`), so the Request URL can be verified
    while the app is being set up; with `SLACK_SIGNING_SECRET` set it checks the signature
    first. Anything else is acknowledged and logged with what is still missing.
    """
    verifier = SignatureVerifier(signing_secret) if signing_secret else None

    async def slack_setup(request: Request) -> Response:
        body = await request.body()
        if verifier is not None and not verifier.is_valid(
            body=body,
            timestamp=request.headers.get("x-slack-request-timestamp", ""),
            signature=request.headers.get("x-slack-signature", ""),
        ):
            return Response(status_code=401)
        try:
            data = json.loads(body) if body.startswith(b"{") else {}
        except ValueError:
            data = {}
        if data.get("type") == "url_verification":
            log.info("Slack URL check answered (the app is not installed yet)")
            return JSONResponse({"challenge": str(data.get("challenge", ""))})
        log.warning(
            "a Slack request arrived at %.0f but SLACK_BOT_TOKEN is not set: install the app "
            "(Slack app settings → Install App) and set SLACK_BOT_TOKEN, then restart Reggi",
            time.time(),
        )
        return Response(status_code=200)

    app.add_api_route(
        path, slack_setup, methods=["POST"], include_in_schema=False, name="slack_setup"
    )
