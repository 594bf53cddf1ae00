from __future__ import annotations

import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.answer import Answer
from bot.channels.layout import view_json
from bot.channels.web import mount_web
from bot.channels.web.auth import COOKIE_NAME, cookie_value
from bot.errors import (
    BadQuestion,
    ReggiError,
    ServiceUnavailable,
    user_message,
)
from bot.ops.events import RecordingEvents
from tests.fixtures.web import FakeAnswers, fake_coverage, sample_answer

TOKEN = "web-token-for-tests"
#: Under the 64 KB limit, but nested deeper than any JSON parser's stack.
DEEP = b'{"question": "q", "history": ' + b"[" * 30000 + b"]" * 30000 + b"}"


@pytest.fixture
def fake_answers() -> FakeAnswers:
    return FakeAnswers()


@pytest.fixture
def recording_events() -> RecordingEvents:
    return RecordingEvents()


def make_client(
    answers: FakeAnswers,
    events: RecordingEvents,
    *,
    token: str | None = None,
    coverage=fake_coverage,
    user_header: str | None = None,
) -> TestClient:
    app = FastAPI()
    mount_web(
        app,
        answers=answers,
        events=events,
        coverage=coverage,
        token=token,
        user_header=user_header,
    )
    return TestClient(app)


def test_ask_returns_the_answer_json(
    fake_answers: FakeAnswers, recording_events: RecordingEvents
) -> None:
    client = make_client(fake_answers, recording_events)
    response = client.post("/api/ask", json={"question": "How fast?", "jurisdictions": ["US-CA"]})
    assert response.status_code == 200
    data = response.json()
    assert data.pop("layout") == view_json(sample_answer("How fast?"))
    assert data == sample_answer("How fast?").to_dict()
    assert Answer.from_dict(response.json()).citations[0].n == 1
    assert response.headers["cache-control"] == "no-store"
    assert fake_answers.calls == [
        {"question": "How fast?", "jurisdictions": ("US-CA",), "history": ()}
    ]


def test_ask_reports_the_answer_to_events(
    fake_answers: FakeAnswers, recording_events: RecordingEvents
) -> None:
    client = make_client(fake_answers, recording_events)
    client.post("/api/ask", json={"question": "How fast?"})
    [event] = recording_events.of("answered")
    assert event["channel"] == "web"
    assert event["question"] == "How fast?"
    assert event["answer"].id == "ans-0001"
    assert event["user"] == "anonymous@testclient"
    assert event["latency_ms"] >= 0


def test_ask_takes_the_user_from_the_configured_proxy_header(
    fake_answers: FakeAnswers, recording_events: RecordingEvents
) -> None:
    client = make_client(fake_answers, recording_events, user_header="X-Forwarded-Email")
    client.post(
        "/api/ask",
        json={"question": "q"},
        headers={"X-Forwarded-Email": "ada@example.com"},
    )
    client.post("/api/ask", json={"question": "q"})
    assert [e["user"] for e in recording_events.of("answered")] == [
        "ada@example.com",
        "anonymous@testclient",
    ]


def test_ask_passes_history_through(
    fake_answers: FakeAnswers, recording_events: RecordingEvents
) -> None:
    client = make_client(fake_answers, recording_events)
    client.post(
        "/api/ask",
        json={
            "question": "And in the EU?",
            "history": [{"question": "In California?", "answer": "45 days [1]"}],
        },
    )
    [turn] = fake_answers.calls[0]["history"]
    assert (turn.question, turn.answer) == ("In California?", "45 days [1]")


@pytest.mark.parametrize(
    ("kwargs", "status", "message"),
    [
        (
            {"content": b"{", "headers": {"content-type": "application/json"}},
            400,
            "not valid JSON",
        ),
        (
            {"content": DEEP, "headers": {"content-type": "application/json"}},
            400,
            "nested too deeply",
        ),
        ({"json": {"question": ""}}, 422, "Type a question first."),
        ({"json": {"q": "x"}}, 422, "Send a question"),
        (
            {"json": {"question": "q", "jurisdictions": "EU"}},
            422,
            "list of jurisdiction codes",
        ),
        (
            {
                "content": b'{"question": "q"}',
                "headers": {"content-type": "text/plain"},
            },
            415,
            "JSON",
        ),
    ],
)
def test_ask_bad_input_gets_a_readable_error(
    fake_answers: FakeAnswers,
    recording_events: RecordingEvents,
    kwargs: dict,
    status: int,
    message: str,
) -> None:
    client = make_client(fake_answers, recording_events)
    response = client.post("/api/ask", **kwargs)
    assert response.status_code == status
    assert message in response.json()["error"]
    assert fake_answers.calls == []
    assert recording_events.of("error") == [{"channel": "web", "kind": "bad_request"}]


@pytest.mark.parametrize(
    ("error", "status", "kind"),
    [
        (
            BadQuestion("Please ask about a regulation, not the weather."),
            422,
            "bad_question",
        ),
        (
            ServiceUnavailable("qdrant", "connection refused to http://10.0.0.5:6333"),
            503,
            "unavailable_qdrant",
        ),
        (ReggiError(), 500, "reggi"),
        (RuntimeError("KeyError in retriever.py line 42"), 500, "unexpected"),
    ],
)
def test_engine_errors_become_the_user_message(
    recording_events: RecordingEvents,
    caplog: pytest.LogCaptureFixture,
    error: BaseException,
    status: int,
    kind: str,
) -> None:
    client = make_client(FakeAnswers(error=error), recording_events)
    with caplog.at_level(logging.INFO):
        response = client.post("/api/ask", json={"question": "q"})
    assert response.status_code == status
    assert response.json() == {"error": user_message(error)}
    assert "Traceback" not in response.text and "10.0.0.5" not in response.text
    assert recording_events.of("error") == [{"channel": "web", "kind": kind}]
    assert recording_events.of("answered") == []
    assert caplog.records, "the failure is logged for the operator"


def test_a_failing_events_sink_does_not_withhold_the_answer(
    fake_answers: FakeAnswers,
) -> None:
    class Broken(RecordingEvents):
        def answered(self, **fields):  # type: ignore[override]
            raise OSError("disk full")

    client = make_client(fake_answers, Broken())
    assert client.post("/api/ask", json={"question": "q"}).status_code == 200


def test_jurisdictions_lists_the_coverage(
    fake_answers: FakeAnswers, recording_events: RecordingEvents
) -> None:
    response = make_client(fake_answers, recording_events).get("/api/jurisdictions")
    assert response.status_code == 200
    assert response.json() == {"jurisdictions": fake_coverage()}


def test_jurisdictions_when_the_index_cannot_be_read(
    fake_answers: FakeAnswers, recording_events: RecordingEvents
) -> None:
    def broken() -> list[dict]:
        raise ConnectionError("qdrant down")

    response = make_client(fake_answers, recording_events, coverage=broken).get(
        "/api/jurisdictions"
    )
    assert response.status_code == 503
    assert response.json()["error"].startswith("Sorry — I couldn't read which jurisdictions")


def test_feedback_reaches_events(
    fake_answers: FakeAnswers, recording_events: RecordingEvents
) -> None:
    client = make_client(fake_answers, recording_events)
    response = client.post(
        "/api/feedback",
        json={"answer_id": "ans-0001", "vote": "down", "reason": "wrong article"},
    )
    assert (response.status_code, response.json()) == (200, {"ok": True})
    assert recording_events.of("feedback") == [
        {
            "channel": "web",
            "user": "anonymous@testclient",
            "answer_id": "ans-0001",
            "vote": "down",
            "reason": "wrong article",
        }
    ]


def test_feedback_bad_vote(fake_answers: FakeAnswers, recording_events: RecordingEvents) -> None:
    response = make_client(fake_answers, recording_events).post(
        "/api/feedback", json={"answer_id": "a", "vote": "sideways"}
    )
    assert response.status_code == 422
    assert response.json() == {"error": '"vote" must be "up" or "down".'}
    assert recording_events.of("feedback") == []


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/ask", {"question": "q"}),
        ("get", "/api/jurisdictions", None),
        ("post", "/api/feedback", {"answer_id": "a", "vote": "up"}),
    ],
)
@pytest.mark.parametrize(
    ("headers", "cookies", "status"),
    [
        ({}, {}, 401),
        ({"Authorization": "Bearer wrong"}, {}, 401),
        ({"Authorization": f"Bearer {TOKEN}"}, {}, 200),
        ({}, {COOKIE_NAME: cookie_value(TOKEN)}, 200),
        ({}, {COOKIE_NAME: TOKEN}, 401),
    ],
)
def test_the_token_protects_every_api_route(
    fake_answers: FakeAnswers,
    recording_events: RecordingEvents,
    method: str,
    path: str,
    body: dict | None,
    headers: dict,
    cookies: dict,
    status: int,
) -> None:
    client = make_client(fake_answers, recording_events, token=TOKEN)
    client.cookies.update(cookies)
    kwargs = {"headers": headers} | ({"json": body} if body is not None else {})
    response = getattr(client, method)(path, **kwargs)
    assert response.status_code == status
    if status == 401:
        assert "access token" in response.json()["error"]
        assert fake_answers.calls == [] and recording_events.log == []


@pytest.mark.parametrize(
    ("question", "carried"),
    [("And in the EU?", True), ("What must a privacy notice contain?", False)],
)
def test_history_is_used_only_for_a_real_follow_up_and_named(
    fake_answers: FakeAnswers, recording_events: RecordingEvents, question: str, carried: bool
) -> None:
    client = make_client(fake_answers, recording_events)
    response = client.post(
        "/api/ask",
        json={
            "question": question,
            "history": [{"question": "In California?", "answer": "45 days [1]"}],
        },
    )
    assert len(fake_answers.calls[0]["history"]) == (1 if carried else 0)
    assert response.json().get("follow_up_to") == ("In California?" if carried else None)
