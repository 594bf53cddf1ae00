from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.ops.logs import REDACTED, configure_logging, redact, secret_values
from bot.settings import Settings

SLACK_TOKEN = "xoxb-1111-2222-abcdefABCDEF"
OPENAI_KEY = "sk-proj-ABCDEFGHIJKLMNOPQRSTUV"
WEB_TOKEN = "plain-web-token-42"


def settings(**overrides: object) -> Settings:
    base: dict[str, object] = {
        "_env_file": None,
        "slack_bot_token": SLACK_TOKEN,
        "slack_signing_secret": "signing-secret-xyz",
        "openai_api_key": OPENAI_KEY,
        "web_api_token": WEB_TOKEN,
    }
    return Settings(**(base | overrides))  # type: ignore[arg-type]


@pytest.fixture
def restore_root() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def configured(**overrides: object) -> io.StringIO:
    stream = io.StringIO()
    configure_logging(settings(**overrides), stream=stream)
    return stream


def test_secret_values_lists_every_secret_setting() -> None:
    assert set(secret_values(settings())) == {
        SLACK_TOKEN,
        "signing-secret-xyz",
        OPENAI_KEY,
        WEB_TOKEN,
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"calling with {WEB_TOKEN}", f"calling with {REDACTED}"),
        ("token xoxb-9999-8888-zzzzzzzzzz here", f"token {REDACTED} here"),
        ("app xapp-1-A0000-abcdefgh", f"app {REDACTED}"),
        ("key sk-abcdefghijklmnopqrstu", f"key {REDACTED}"),
        ("Authorization: Bearer abc.def-ghi", f"Authorization: Bearer {REDACTED}"),
        ("GET /?token=abc123&x=1 HTTP/1.1", f"GET /?token={REDACTED}&x=1 HTTP/1.1"),
        ("redis://:hunter2@redis:6379/0", f"redis://:{REDACTED}@redis:6379/0"),
        (
            "https://user:pw@qdrant.example:6333",
            f"https://user:{REDACTED}@qdrant.example:6333",
        ),
        (
            "http://qdrant:6333/collections/reggi",
            "http://qdrant:6333/collections/reggi",
        ),
        ("Cal. Civ. Code § 1798.100", "Cal. Civ. Code § 1798.100"),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text, [WEB_TOKEN]) == expected


def test_text_format_by_default(restore_root: None) -> None:
    stream = configured()
    logging.getLogger("bot.test").info("ready on %s", "http://127.0.0.1:8080/")
    line = stream.getvalue().strip()
    assert line.endswith("INFO bot.test: ready on http://127.0.0.1:8080/")
    with pytest.raises(ValueError):
        json.loads(line)


def test_json_lines_by_setting(restore_root: None) -> None:
    stream = configured(log_format="json")
    logging.getLogger("bot.test").warning(
        "slow answer", extra={"channel": "slack", "latency_ms": 812.5}
    )
    record = json.loads(stream.getvalue())
    assert (record["level"], record["logger"], record["message"]) == (
        "WARNING",
        "bot.test",
        "slow answer",
    )
    assert (record["channel"], record["latency_ms"]) == ("slack", 812.5)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_no_secret_reaches_the_log(restore_root: None, fmt: str) -> None:
    stream = configured(log_format=fmt)
    log = logging.getLogger("bot.test")
    log.info(
        "posting with %s and %s",
        SLACK_TOKEN,
        OPENAI_KEY,
        extra={"url": f"/?token={WEB_TOKEN}"},
    )
    try:
        raise ConnectionError(f"auth failed for signing-secret-xyz and {WEB_TOKEN}")
    except ConnectionError:
        log.exception("request failed")
    output = stream.getvalue()
    for secret in (SLACK_TOKEN, OPENAI_KEY, WEB_TOKEN, "signing-secret-xyz"):
        assert secret not in output
    assert REDACTED in output


@pytest.mark.parametrize(
    ("level", "log_questions", "level_name", "shown"),
    [
        ("INFO", False, "info", False),
        ("DEBUG", False, "debug", True),
        ("DEBUG", False, "info", False),
        ("INFO", True, "info", True),
        ("INFO", True, "warning", True),
    ],
)
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_question_text_only_at_debug_unless_allowed(
    restore_root: None,
    fmt: str,
    level: str,
    log_questions: bool,
    level_name: str,
    shown: bool,
) -> None:
    stream = configured(log_format=fmt, log_level=level, log_questions=log_questions)
    question = "Can we fire an employee who asked for their data?"
    getattr(logging.getLogger("bot.test"), level_name)("answered", extra={"question": question})
    output = stream.getvalue()
    assert output, "the record itself is logged"
    assert (question in output) is shown
    if not shown:
        assert f"<{len(question)} characters; set LOG_QUESTIONS=true" in output


def test_configuring_twice_keeps_one_handler(restore_root: None) -> None:
    configured()
    stream = configured()
    logging.getLogger("bot.test").info("once")
    assert stream.getvalue().count("once") == 1
    assert sum(1 for h in logging.getLogger().handlers if getattr(h, "_reggi_handler", False)) == 1


def test_level_setting(restore_root: None) -> None:
    stream = configured(log_level="WARNING")
    logging.getLogger("bot.test").info("hidden")
    logging.getLogger("bot.test").warning("shown")
    assert "hidden" not in stream.getvalue() and "shown" in stream.getvalue()
