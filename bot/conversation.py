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
import re
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
    follow_up: FollowUp | None = None  # the earlier turn the answer continued, and why

    @property
    def continued(self) -> str:
        """The earlier question this answer continued, or ""."""
        used = self.follow_up.used if self.follow_up else None
        return used.question if used else ""


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
        thread_reply: bool = False,
        defaults: Sequence[str] = (),
        named: Callable[[str], Sequence[str]] | None = None,
        on_text: Callable[[str], None] | None = None,
    ) -> Reply:
        """Ask the answer source and report the outcome; never raises.

        `history` is the conversation so far; only a real follow-up (see `follow_up`) carries
        its last turn. `defaults` are the place's default jurisdictions, used when neither the
        options, the question (`named`) nor the earlier turn says where. `on_text` receives a
        model writer's unchecked draft as it is written (channels that stream).
        """
        started = time.perf_counter()
        if self._log_questions:
            log.info("%s question from %s: %s", self.channel, asker.user, question)
        context = follow_up(question, history, thread_reply=thread_reply)
        try:
            scope = scope_for(
                jurisdictions,
                named=named(question) if named and defaults else (),
                follow_up=context,
                defaults=defaults,
            )
            extra: dict[str, Any] = {"on_text": on_text} if on_text is not None else {}
            answer = self._answers.ask(
                question, jurisdictions=scope, history=context.turns, **extra
            )
        except Exception as exc:  # noqa: BLE001 — every failure becomes an apology (logged)
            return Reply(None, text=self.apology(exc), error=exc, follow_up=context)
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
        return Reply(answer, latency_ms=latency_ms, follow_up=context)

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


# --- follow-ups: carry context only for a real follow-up ----------------------------------
SHORT_WORDS = 4  # a question of at most this many words, with no question of its own, is elliptical
_CONNECTOR = re.compile(
    r"^(?:and|but|also|so|then|or|what about|how about|what if|same|in that case|instead|"
    r"as for|follow[- ]?up)\b",
    re.IGNORECASE,
)
_REFERENCE = re.compile(
    r"\b(?:(?:that|this|those|these|the same|such)\s+(?:\w+\s+)?(?:rules?|sections?|articles?|"
    r"requirements?|obligations?|deadlines?|laws?|provisions?|answers?|rights?|notices?|"
    r"exemptions?|exceptions?|regulations?|periods?|cases?|points?)|above|previous(?:ly)?|"
    r"earlier|you (?:said|mentioned|cited|quoted)|your (?:last |previous )?answer|"
    r"(?:does|do|is|are|can|must|would|will|should|did) (?:it|they|that|this|those)"
    r"(?! (?:legal|lawful|allowed|ok|okay|permitted|required|necessary|possible|true)\b))\b",
    re.IGNORECASE,
)
_QUESTION_START = re.compile(
    r"^(?:what|which|who|whom|whose|when|where|why|how|is|are|was|were|do|does|did|can|could|"
    r"may|might|must|shall|should|will|would|has|have|had)\s+\S+\s+\S+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FollowUp:
    """Which earlier turn (if any) a question continues, and why."""

    turns: tuple[Turn, ...] = ()  # what the answer source gets: () or the turn used
    reason: str = ""  # "thread", "reference", "elliptical" or "" (a new question)

    @property
    def used(self) -> Turn | None:
        return self.turns[-1] if self.turns else None


def follow_up(question: str, history: Sequence[Turn], *, thread_reply: bool = False) -> FollowUp:
    """Carry the last turn only for a real follow-up; otherwise the question stands alone.

    A real follow-up is a reply in a thread that holds an earlier answer, a question with an
    explicit reference to what was said ("what about…", "does that rule…", "you cited…"),
    or a short elliptical question ("In Virginia?", "And the fines?").
    """
    if not history:
        return FollowUp()
    last = (history[-1],)
    text = " ".join(question.split())
    if thread_reply:
        return FollowUp(last, "thread")
    if _CONNECTOR.search(text) or _REFERENCE.search(text):
        return FollowUp(last, "reference")
    words = re.findall(r"[\w§.'-]+", text)
    if len(words) <= SHORT_WORDS and not _QUESTION_START.search(text):
        return FollowUp(last, "elliptical")
    return FollowUp()


def scope_for(
    explicit: Sequence[str] | None,
    *,
    named: Sequence[str],
    follow_up: FollowUp,
    defaults: Sequence[str],
) -> tuple[str, ...] | None:
    """The jurisdictions to ask with: the options win, then places the question names (the
    engine finds those itself), then the earlier turn's, then the channel's defaults."""
    if explicit:
        return tuple(explicit)
    if named or follow_up.used is not None or not defaults:
        return None
    return tuple(defaults)


def lookup_status(sections: Sequence[str], places: Sequence[str]) -> str:
    """The progress line shown while a question is looked up ("Reading GDPR Art. 33…").

    `sections` are the sections the question names, as labels ("European Union Art. 33");
    `places` the names of the jurisdictions it names.
    """
    if sections:
        return f"Reading {', '.join(sections[:2])}…"
    if places:
        joined = " and ".join(places[:3]) if len(places) <= 2 else ", ".join(places[:3])
        return f"Searching the {joined} regulations…"
    return "Searching the indexed regulations…"
