"""The small error tree, and the one place where an error becomes text a user reads."""

from __future__ import annotations


class ReggiError(Exception):
    """Base of every error Reggi raises on purpose."""

    user_text = "Sorry — something went wrong while answering. The operator has the details."


class BadQuestion(ReggiError):
    """The question cannot be answered as asked (empty, too long, a greeting, not about law)."""

    def __init__(self, user_text: str) -> None:
        super().__init__(user_text)
        self.user_text = user_text


class ServiceUnavailable(ReggiError):
    """A service Reggi depends on (Qdrant, Redis, the OpenAI endpoint) failed."""

    def __init__(self, service: str, detail: str = "") -> None:
        super().__init__(f"{service} unavailable: {detail}" if detail else f"{service} unavailable")
        self.service = service
        self.detail = detail

    @property
    def user_text(self) -> str:  # type: ignore[override]
        return {
            "qdrant": "Sorry — I couldn't reach the regulation index just now. Try again in a minute.",
            "index": "The regulation index is empty or was built differently. "
            "Ask your operator to run the ingestion again.",
        }.get(
            self.service,
            "Sorry — a service I depend on is unavailable just now. Try again in a minute.",
        )


class ConfigError(ReggiError):
    """Settings are missing or invalid; raised at start-up, naming the key."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.user_text = message


class IndexMismatch(ReggiError):
    """The collection was built with another embedding model than the one configured."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.user_text = message


def user_message(exc: BaseException) -> str:
    """The text a user sees for any exception: never a stack trace, never internals."""
    if isinstance(exc, ReggiError):
        return exc.user_text
    return ReggiError.user_text


class RateLimited(ReggiError):
    """A user asked more questions in a minute than the rate limit allows."""

    user_text = (
        "You have asked several questions in a short time. Please wait a minute and ask again."
    )
