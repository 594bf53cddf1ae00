"""Slack over Socket Mode: no public URL needed (used when `SLACK_APP_TOKEN` is set)."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

log = logging.getLogger(__name__)


def start_socket_mode(bolt_app: App, app_token: str) -> SocketModeHandler:
    """Connect in the background and return the handler; call `.close()` on shutdown.

    The WebSocket URL comes from `apps.connections.open` on the app's own Web API client, so
    `SLACK_API_URL` applies here too.
    """
    handler = SocketModeHandler(
        bolt_app, app_token, logger=logging.getLogger("bot.channels.slack.socket")
    )
    handler.connect()
    log.info("Slack Socket Mode connected")
    return handler


def run_socket_mode(bolt_app: App, app_token: str) -> None:
    """Connect and block until the process is stopped (Socket Mode as the only server)."""
    handler = SocketModeHandler(
        bolt_app, app_token, logger=logging.getLogger("bot.channels.slack.socket")
    )
    log.info("Slack Socket Mode starting")
    handler.start()
