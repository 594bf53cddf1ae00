"""The Slack Web API client retries what a retry can fix before anyone apologises (issue 14.5):
HTTP 500/503 and dropped connections, with backoff, besides waiting out HTTP 429."""

from __future__ import annotations

import socket
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from bot.channels.slack.app import build_slack_client
from tests.fixtures.servers import start_http_server, stop_http_server
from tests.fixtures.slack import (
    BOT_TOKEN,
    CHANNEL,
    FakeSlackApi,
    mention_event,
    running_slack_app,
)

FAST = FixedValueRetryIntervalCalculator(0.01)


def fast_client(base_url: str) -> Any:
    return build_slack_client(token=BOT_TOKEN, base_url=base_url, retry_interval=FAST)


@pytest.mark.parametrize("status", [500, 503])
def test_a_server_error_is_retried(status: int) -> None:
    with FakeSlackApi() as fake:
        fake.fail("chat.postMessage", status=status, times=2)
        response = fast_client(fake.api_url).chat_postMessage(channel=CHANNEL, text="answer")
        assert response["ok"] is True
        assert len(fake.of("chat.postMessage")) == 3


def test_a_server_error_that_persists_still_fails_after_the_retries() -> None:
    with FakeSlackApi() as fake:
        fake.fail("chat.postMessage", status=500, times=10)
        with pytest.raises(SlackApiError):
            fast_client(fake.api_url).chat_postMessage(channel=CHANNEL, text="answer")
        assert len(fake.of("chat.postMessage")) == 4  # the call and three retries


@contextmanager
def dropping_first_connections(target: str, drops: int) -> Iterator[str]:
    """A loopback proxy to `target` that closes its first `drops` connections unanswered."""
    dropped = [0]
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with lock:
                drop = dropped[0] < drops
                dropped[0] += drop
            if drop:
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
            headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
            request = urllib.request.Request(target + self.path, data=body, headers=headers)
            with urllib.request.urlopen(request, timeout=10) as upstream:
                payload = upstream.read()
                self.send_response(upstream.status)
                for key, value in upstream.headers.items():
                    if key.lower() not in ("transfer-encoding", "connection"):
                        self.send_header(key, value)
                self.end_headers()
                self.wfile.write(payload)

    server, thread = start_http_server(Handler, poll_interval=0.02)
    host, port = server.server_address[:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        stop_http_server(server, thread)


def test_a_dropped_connection_is_retried() -> None:
    with FakeSlackApi() as fake, dropping_first_connections(fake.url, drops=2) as proxy:
        response = fast_client(proxy + "/api/").chat_postMessage(channel=CHANNEL, text="answer")
        assert response["ok"] is True
        assert len(fake.of("chat.postMessage")) == 1


def test_one_http_500_does_not_lose_the_answer() -> None:
    # The whole app with its production client: the answer is posted, not an apology.
    with running_slack_app() as s:
        s.fake.fail("chat.postMessage", status=500)
        s.sender.event(mention_event("Must we delete data?", ts="1700000021.000100"))
        s.fake.wait_for("reactions.remove")
        s.wait_idle()
        posts = s.fake.of("chat.postMessage")
        assert len(posts) == 2
        assert posts[0].args == posts[1].args
        assert not posts[1].args["text"].startswith("Sorry")
        assert len(s.events.of("answered")) == 1
        assert s.events.of("error") == []
