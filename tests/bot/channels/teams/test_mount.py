"""Serving the Teams bot on an existing FastAPI app: auth, bad requests, start-up and shutdown."""

# The fake_connector fixture is imported here until tests/conftest.py lists tests.fixtures.teams
# in pytest_plugins; test parameters of that name then look like redefinitions to ruff.
# ruff: noqa: F811

from __future__ import annotations

import logging
import threading

import httpx
import pytest
from fastapi import FastAPI

from bot.channels.teams import build_teams_app, mount_teams
from bot.errors import ConfigError
from bot.ops.events import RecordingEvents
from tests.fixtures.teams import (
    FakeAnswers,
    FakeBotConnector,
    MemoryStore,
    channel_message,
    fake_connector,  # noqa: F401 - pytest fixture
    personal_message,
    serve,
    teams_config,
)

AUTH_SETTINGS = {
    "teams_allow_unauthenticated": False,
    "teams_client_id": "0b1e8d56-5c1f-4a5e-9d6a-2f0c7f3f9a11",
    "teams_client_secret": "not-a-real-secret",
    "teams_tenant_id": "72f988bf-0000-0000-0000-000000000001",
}


def _bot(answers: FakeAnswers | None = None, **settings: object):
    return build_teams_app(
        config=teams_config(**settings),
        answers=answers or FakeAnswers(),
        store=MemoryStore(),
        events=RecordingEvents(),
    )


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer not-a-jwt"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
    ],
)
def test_with_auth_on_an_unauthenticated_request_is_rejected(
    fake_connector: FakeBotConnector, headers: dict[str, str]
) -> None:
    answers = FakeAnswers()
    app = FastAPI()
    mount_teams(app, _bot(answers, **AUTH_SETTINGS))
    with serve(app) as url:
        response = httpx.post(
            f"{url}/api/messages",
            json=channel_message("Must we delete data?", service_url=fake_connector.url),
            headers=headers,
            timeout=30,
        )

    assert response.status_code == 401
    assert fake_connector.requests == []  # nothing sent, no typing, no token request
    assert answers.calls == []


def test_auth_is_on_by_default() -> None:
    with pytest.raises(ConfigError):
        _bot(teams_allow_unauthenticated=False)  # neither credentials nor the development switch


def test_development_mode_logs_a_loud_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.channels.teams.app"):
        _bot()
    assert any(
        "TEAMS_ALLOW_UNAUTHENTICATED" in r.message and r.levelno == logging.WARNING
        for r in caplog.records
    )


def test_no_warning_with_authentication_on(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.channels.teams.app"):
        _bot(**AUTH_SETTINGS)
    assert not any("TEAMS_ALLOW_UNAUTHENTICATED" in r.message for r in caplog.records)


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b""])
def test_malformed_body_gets_400(fake_connector: FakeBotConnector, body: bytes) -> None:
    app = FastAPI()
    mount_teams(app, _bot())
    with serve(app) as url:
        response = httpx.post(
            f"{url}/api/messages",
            content=body,
            headers={"Content-Type": "application/json"},
            timeout=30,
        )
    assert response.status_code == 400
    assert "Traceback" not in response.text
    assert fake_connector.requests == []


def test_other_routes_of_the_shared_app_keep_working(
    fake_connector: FakeBotConnector,
) -> None:
    app = FastAPI()

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    mount_teams(app, _bot())
    with serve(app) as url:
        assert httpx.get(f"{url}/healthz", timeout=30).json() == {"status": "ok"}
        answered = httpx.post(
            f"{url}/api/messages",
            json=personal_message("hello?", service_url=fake_connector.url),
            timeout=30,
        )
    assert answered.status_code == 200
    assert len(fake_connector.messages()) == 1


def test_shutdown_delivers_an_answer_still_being_looked_up(
    fake_connector: FakeBotConnector,
) -> None:
    release = threading.Event()
    bot = build_teams_app(
        config=teams_config(),
        answers=FakeAnswers(release=release),
        store=MemoryStore(),
        events=RecordingEvents(),
        budget_seconds=0.01,
    )
    app = FastAPI()
    mount_teams(app, bot)
    with serve(app) as url:
        httpx.post(
            f"{url}/api/messages",
            json=personal_message("Must we delete data?", service_url=fake_connector.url),
            timeout=30,
        )
        release.set()
    # the server has stopped; its lifespan waited for the pending answer
    assert len(fake_connector.messages()) == 2
    assert "[1]" in fake_connector.messages()[1].text
