"""One request lifecycle for every chat channel (Slack, Teams, the web page).

dedupe → access → rate limit → ask → events → answer or apology. Each channel only
translates its wire format into these calls; the rules live here, once:

- a failed duplicate check (the store is down) handles the request as new, logs it and
  reports `error(kind="store")` — a lost answer is worse than a rare double answer;
- a failed rate-limit check lets the question through, the same way;
- every `Events` call is protected: a failing metrics or audit sink is logged and never
  turns an answer into an apology;
- an error's label is `error_kind(exc)` (a small bounded set), its text `user_message(exc)`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from bot.answer import Answer, AnswerSource, Turn
from bot.errors import BadQuestion, ConfigError, RateLimited, ReggiError, user_message
from bot.ops.events import Events, Vote
from bot.ops.metrics import error_kind

log = logging.getLogger(__name__)

STORE_ERROR = "store"  # the `kind` reported when the shared store fails


class Store(Protocol):
    """What the lifecycle needs from the shared store (bot/cache)."""

    def seen(self, key: str, ttl_seconds: int) -> bool: ...  # True when the key was already seen

    def allow(self, user_key: str) -> bool: ...  # per-user rate limit


@dataclass(frozen=True)
class Asker:
    """Who asked, as the channel knows them."""

    user: str
    team: str = ""  # workspace / tenant
    rate_key: str = ""  # the per-user rate-limit key; "" = not rate limited


@dataclass(frozen=True)
class Reply:
    """The outcome of one question: an answer, or the apology to show instead."""

    answer: Answer | None
    text: str = ""  # the apology when `answer` is None
    error: BaseException | None = None
    latency_ms: float = 0.0


AccessCheck = Callable[[Asker], None]  # raises a ReggiError (NotAllowed) to refuse


class Conversation:
    """The lifecycle for one channel. Collaborators come in through the constructor."""

    def __init__(
        self,
        *,
        channel: str,
        answers: AnswerSource,
        events: Events,
        store: Store | None = None,
        rate_limited: bool = True,
        dedupe_ttl_seconds: int = 3600,
        log_questions: bool = False,
    ) -> None:
        self.channel = channel
        self._answers = answers
        self._events = events
        self._store = store
        self._rate_limited = rate_limited and store is not None
        self._dedupe_ttl = dedupe_ttl_seconds
        self._log_questions = log_questions

    # --- dedupe -----------------------------------------------------------------------------
    def is_duplicate(self, key: str | None) -> bool:
        """Whether a delivery with this key was already handled (None: no key, never)."""
        if not key or self._store is None:
            return False
        try:
            return self._store.seen(key, self._dedupe_ttl)
        except Exception:
            log.warning(
                "%s: duplicate check failed; handling %s anyway", self.channel, key, exc_info=True
            )
            self.report_error(STORE_ERROR)
            return False

    # --- access and rate limit --------------------------------------------------------------
    def refusal(self, asker: Asker, access: AccessCheck | None = None) -> str | None:
        """The sentence refusing this asker (not allowed, or over the rate limit), or None."""
        return self.not_allowed(asker, access) or self.over_limit(asker)

    def not_allowed(self, asker: Asker, access: AccessCheck | None) -> str | None:
        """The refusal when `access` rejects the asker, or None."""
        if access is None:
            return None
        try:
            access(asker)
        except ReggiError as exc:
            log.info("%s: refused: %s", self.channel, exc)
            return user_message(exc)
        return None

    def over_limit(self, asker: Asker) -> str | None:
        """The refusal when the asker is over the per-user rate limit, or None."""
        if not self._rate_limited or not asker.rate_key or self._allow(asker.rate_key):
            return None
        log.info("%s: rate limit for %s", self.channel, asker.rate_key)
        return user_message(RateLimited())

    def _allow(self, key: str) -> bool:
        assert self._store is not None
        try:
            return self._store.allow(key)
        except Exception:  # noqa: BLE001 — any store failure: allow, as the lifecycle's rule
            log.warning("%s: rate limit check failed; allowing the question", self.channel)
            self.report_error(STORE_ERROR)
            return True

    # --- asking -----------------------------------------------------------------------------
    def ask(
        self,
        asker: Asker,
        question: str,
        *,
        jurisdictions: Sequence[str] | None = None,
        history: Sequence[Turn] = (),
    ) -> Reply:
        """Ask the answer source and report the outcome; never raises."""
        started = time.perf_counter()
        if self._log_questions:
            log.info("%s question from %s: %s", self.channel, asker.user, question)
        try:
            answer = self._answers.ask(
                question, jurisdictions=jurisdictions, history=tuple(history)
            )
        except Exception as exc:  # noqa: BLE001 — every failure becomes an apology (logged)
            return Reply(None, text=self.apology(exc), error=exc)
        latency_ms = (time.perf_counter() - started) * 1000
        self._report(
            "answered",
            channel=self.channel,
            user=asker.user,
            team=asker.team,
            question=question,
            answer=answer,
            latency_ms=latency_ms,
        )
        return Reply(answer, latency_ms=latency_ms)

    def apology(self, exc: BaseException) -> str:
        """Log `exc` for the operator, report it, and return what the user reads instead."""
        if isinstance(exc, BadQuestion) or (
            isinstance(exc, ReggiError) and not isinstance(exc, ConfigError)
        ):
            log.warning("%s: question not answered: %r", self.channel, exc)
        else:
            log.error("%s: answering failed", self.channel, exc_info=exc)
        self.report_error(error_kind(exc))
        return user_message(exc)

    # --- feedback and errors ----------------------------------------------------------------
    def feedback(self, *, user: str, answer_id: str, vote: Vote, reason: str = "") -> None:
        self._report(
            "feedback",
            channel=self.channel,
            user=user,
            answer_id=answer_id,
            vote=vote,
            reason=reason,
        )

    def report_error(self, kind: str) -> None:
        self._report("error", channel=self.channel, kind=kind)

    def _report(self, method: str, **fields: Any) -> None:
        try:
            getattr(self._events, method)(**fields)
        except Exception:
            log.exception("%s: an events sink failed on %s", self.channel, method)
