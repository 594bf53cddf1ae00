"""Logging set-up: readable text by default, JSON lines by setting, never a secret.

Conventions for code that logs:
- pass question text only as `extra={"question": text}`; it is printed for DEBUG records,
  or at any level when `LOG_QUESTIONS=true`, and replaced by its length otherwise;
- don't format secrets into messages; if one slips through (a token in a URL, an API key
  in an exception), the formatter replaces it with `[redacted]`.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO

from pydantic import SecretStr

if TYPE_CHECKING:
    from bot.settings import Settings

REDACTED = "[redacted]"

# Shapes of secrets that may appear in messages, URLs or exception text.
_SECRET_PATTERNS = (
    re.compile(r"\bxox[abposre]-[A-Za-z0-9-]{8,}"),  # Slack bot/user/config tokens
    re.compile(r"\bxapp-[A-Za-z0-9-]{8,}"),  # Slack app-level tokens
    re.compile(r"\bsk-[A-Za-z0-9_-]{16,}"),  # OpenAI-style API keys
)
_BEARER = re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]+")
_QUERY_SECRET = re.compile(
    r"(?i)([?&](?:token|access_token|api_key|apikey|key|password)=)[^&\s\"']+"
)
_URL_PASSWORD = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@\s/]+@")

_STANDARD_ATTRS = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__.keys()
    | {"message", "asctime", "question", "taskName", "color_message"}
)

_MARK = "_reggi_handler"


def secret_values(settings: Settings) -> list[str]:
    """Every secret the settings hold (the values to scrub from log output)."""
    values = []
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if isinstance(value, SecretStr) and value.get_secret_value():
            values.append(value.get_secret_value())
    return values


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with known secret values and secret-shaped strings replaced."""
    for secret in sorted((s for s in secrets if len(s) >= 6), key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(REDACTED, text)
    text = _BEARER.sub(lambda m: m.group(1) + REDACTED, text)
    text = _QUERY_SECRET.sub(lambda m: m.group(1) + REDACTED, text)
    return _URL_PASSWORD.sub(lambda m: m.group(1) + REDACTED + "@", text)


def shown_question(record: logging.LogRecord, *, log_questions: bool) -> str | None:
    """The question text to print for `record`, a stand-in, or None when it has none."""
    question = getattr(record, "question", None)
    if question is None:
        return None
    question = str(question)
    if log_questions or record.levelno <= logging.DEBUG:
        return question
    return f"<{len(question)} characters; set LOG_QUESTIONS=true to log question text>"


class _Base(logging.Formatter):
    def __init__(self, *, secrets: Iterable[str], log_questions: bool) -> None:
        super().__init__()
        self._secrets = tuple(secrets)
        self._log_questions = log_questions

    def _redact(self, text: str) -> str:
        return redact(text, self._secrets)


class TextFormatter(_Base):
    """`2026-01-31 09:00:00,123 INFO bot.ops.server: message question="…"`"""

    def format(self, record: logging.LogRecord) -> str:
        stamp = datetime.fromtimestamp(record.created, UTC).astimezone()
        line = (
            f"{stamp:%Y-%m-%d %H:%M:%S},{int(record.msecs):03d} {record.levelname} {record.name}: "
        )
        line += record.getMessage()
        question = shown_question(record, log_questions=self._log_questions)
        if question is not None:
            line += f" question={json.dumps(question, ensure_ascii=False)}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        elif record.exc_text:
            line += "\n" + record.exc_text
        return self._redact(line)


class JsonFormatter(_Base):
    """One JSON object per line: time, level, logger, message, question?, exception?, extras."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": self._redact(record.getMessage()),
        }
        question = shown_question(record, log_questions=self._log_questions)
        if question is not None:
            data["question"] = self._redact(question)
        for key, value in record.__dict__.items():
            if key in _STANDARD_ATTRS or key.startswith("_"):
                continue
            data[key] = (
                value if isinstance(value, int | float | bool | None) else self._redact(str(value))
            )
        if record.exc_info:
            data["exception"] = self._redact(self.formatException(record.exc_info))
        return json.dumps(data, ensure_ascii=False)


def configure_logging(settings: Settings, *, stream: TextIO | None = None) -> logging.Handler:
    """Install Reggi's one root handler (replacing an earlier one) and return it."""
    formatter_cls = JsonFormatter if settings.log_format == "json" else TextFormatter
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(
        formatter_cls(secrets=secret_values(settings), log_questions=settings.log_questions)
    )
    setattr(handler, _MARK, True)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    # Libraries that log every HTTP request (with URLs) at INFO.
    for noisy in ("httpx", "httpcore", "urllib3"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    return handler
