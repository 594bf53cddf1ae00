"""The one request lifecycle (bot/conversation.py), with in-memory fakes."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from bot.answer import Answer, Turn
from bot.channels.slack.access import NotAllowed
from bot.conversation import Asker, Conversation, FollowUp, follow_up, scope_for
from bot.errors import BadQuestion, RateLimited, ServiceUnavailable, user_message
from bot.ops.events import RecordingEvents

ASKER = Asker(user="U1", team="T1", rate_key="x:T1:U1")


class Answers:
    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error
        self.asked: list[tuple[str, tuple[str, ...] | None, tuple[Turn, ...]]] = []

    def ask(
        self,
        question: str,
        *,
        jurisdictions: Sequence[str] | None = None,
        history: Sequence[Turn] = (),
    ) -> Answer:
        codes = tuple(jurisdictions) if jurisdictions is not None else None
        self.asked.append((question, codes, tuple(history)))
        if self.error is not None:
            raise self.error
        return Answer(question=question, answer="Yes [1].", id="a1")


class Store:
    def __init__(self, *, allowed: int = 100, broken: bool = False) -> None:
        self.keys: set[str] = set()
        self.allowed = allowed
        self.broken = broken

    def seen(self, key: str, ttl_seconds: int) -> bool:
        if self.broken:
            raise ConnectionError("redis down")
        if key in self.keys:
            return True
        self.keys.add(key)
        return False

    def allow(self, user_key: str) -> bool:
        if self.broken:
            raise ConnectionError("redis down")
        self.allowed -= 1
        return self.allowed >= 0


class BrokenEvents(RecordingEvents):
    def answered(self, **fields: object) -> None:
        raise OSError("audit disk full")

    def error(self, **fields: object) -> None:
        raise OSError("audit disk full")


def _conversation(
    answers: Answers | None = None,
    store: Store | None = None,
    events: RecordingEvents | None = None,
    **kwargs: object,
) -> tuple[Conversation, RecordingEvents]:
    events = events if events is not None else RecordingEvents()
    conversation = Conversation(
        channel="test",
        answers=answers or Answers(),
        events=events,
        store=store,
        **kwargs,  # type: ignore[arg-type]
    )
    return conversation, events


def test_a_delivery_is_handled_once():
    conversation, events = _conversation(store=Store())
    assert conversation.is_duplicate("k1") is False
    assert conversation.is_duplicate("k1") is True
    assert conversation.is_duplicate("k2") is False
    assert conversation.is_duplicate(None) is False
    assert events.log == []


def test_a_failing_duplicate_check_handles_the_delivery_and_reports_the_store():
    conversation, events = _conversation(store=Store(broken=True))
    assert conversation.is_duplicate("k1") is False
    assert conversation.is_duplicate("k1") is False
    assert events.of("error") == [{"channel": "test", "kind": "store"}] * 2


def test_without_a_store_nothing_is_a_duplicate_or_rate_limited():
    conversation, _ = _conversation()
    assert conversation.is_duplicate("k") is False
    assert conversation.refusal(ASKER) is None


def test_access_check_refuses_with_its_sentence():
    def only_bob(asker: Asker) -> None:
        if asker.user != "U-BOB":
            raise NotAllowed(f"user {asker.user}")

    conversation, events = _conversation(store=Store())
    assert conversation.refusal(ASKER, only_bob) == user_message(NotAllowed("x"))
    assert conversation.refusal(Asker(user="U-BOB"), only_bob) is None
    assert events.log == []


def test_rate_limit_refuses_past_the_allowance():
    conversation, _ = _conversation(store=Store(allowed=1))
    assert conversation.refusal(ASKER) is None
    assert conversation.refusal(ASKER) == user_message(RateLimited())


@pytest.mark.parametrize(
    ("rate_limited", "asker"),
    [(False, ASKER), (True, Asker(user="U1"))],  # switched off; no rate key
)
def test_rate_limit_applies_only_when_on_and_keyed(rate_limited, asker):
    conversation, _ = _conversation(store=Store(allowed=0), rate_limited=rate_limited)
    assert conversation.over_limit(asker) is None


def test_a_failing_rate_limit_check_lets_the_question_through_and_reports_the_store():
    conversation, events = _conversation(store=Store(broken=True))
    assert conversation.over_limit(ASKER) is None
    assert events.of("error") == [{"channel": "test", "kind": "store"}]


def test_an_answer_is_reported_once_with_who_asked():
    answers = Answers()
    conversation, events = _conversation(answers)
    turn = Turn(question="Before?", answer="Yes.", jurisdictions=("EU",))
    reply = conversation.ask(ASKER, "Now?", jurisdictions=["EU"], history=[turn])
    assert reply.answer is not None and reply.answer.id == "a1"
    assert reply.text == "" and reply.error is None
    assert answers.asked == [("Now?", ("EU",), (turn,))]
    [answered] = events.of("answered")
    assert (answered["channel"], answered["user"], answered["team"], answered["question"]) == (
        "test",
        "U1",
        "T1",
        "Now?",
    )
    assert answered["latency_ms"] == reply.latency_ms >= 0


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (ServiceUnavailable("qdrant", "10.0.0.5 refused"), "unavailable_qdrant"),
        (BadQuestion("Please ask about a regulation."), "bad_question"),
        (RuntimeError("Traceback secret"), "unexpected"),
    ],
)
def test_a_failure_becomes_the_users_sentence_and_one_labelled_error(error, kind):
    conversation, events = _conversation(Answers(error=error))
    reply = conversation.ask(ASKER, "Q?")
    assert reply.answer is None
    assert reply.text == user_message(error)
    assert reply.error is error
    assert events.of("error") == [{"channel": "test", "kind": kind}]
    assert events.of("answered") == []


def test_a_failing_events_sink_never_turns_an_answer_into_an_apology():
    conversation, _ = _conversation(events=BrokenEvents())
    assert conversation.ask(ASKER, "Q?").answer is not None
    conversation.report_error("send")  # logged, not raised


def test_feedback_is_reported_for_the_channel():
    conversation, events = _conversation()
    conversation.feedback(user="U1", answer_id="a1", vote="down", reason="wrong section")
    assert events.of("feedback") == [
        {
            "channel": "test",
            "user": "U1",
            "answer_id": "a1",
            "vote": "down",
            "reason": "wrong section",
        }
    ]


EARLIER = Turn(
    question="What must a breach notice say in New York?", answer="…", jurisdictions=("US-NY",)
)


@pytest.mark.parametrize(
    ("question", "thread_reply", "reason"),
    [
        ("In Virginia?", False, "elliptical"),
        ("And the fines?", False, "reference"),
        ("what about Massachusetts", False, "reference"),
        ("Does that rule cover contractors too?", False, "reference"),
        ("You cited 899-aa; is there a deadline?", False, "reference"),
        ("Is it the same for employees?", False, "reference"),
        ("Which section did the previous answer rely on?", False, "reference"),
        ("Anything else?", True, "thread"),
        ("What does GDPR Article 17 require of a controller?", False, ""),
        ("How long do we have to answer a deletion request in California?", False, ""),
        ("Is it legal to sell data about teenagers?", False, ""),
    ],
)
def test_follow_up_carries_context_only_for_a_real_follow_up(
    question: str, thread_reply: bool, reason: str
) -> None:
    found = follow_up(question, (EARLIER,), thread_reply=thread_reply)
    assert found.reason == reason
    assert found.used == (EARLIER if reason else None)


def test_without_history_nothing_is_a_follow_up() -> None:
    assert follow_up("And the fines?", ()) == FollowUp()


@pytest.mark.parametrize(
    ("explicit", "named", "used", "defaults", "scope"),
    [
        (("US-CA",), (), False, ("EU",), ("US-CA",)),  # options win
        ((), ("US-VA",), False, ("EU",), None),  # a named place: the engine finds it
        ((), (), True, ("EU",), None),  # a follow-up keeps the earlier turn's places
        ((), (), False, ("EU",), ("EU",)),  # otherwise the channel's defaults
        ((), (), False, (), None),  # no defaults: the engine decides
    ],
)
def test_scope_for_takes_options_then_places_then_the_turn_then_defaults(
    explicit: tuple[str, ...],
    named: tuple[str, ...],
    used: bool,
    defaults: tuple[str, ...],
    scope: tuple[str, ...] | None,
) -> None:
    turn = FollowUp((EARLIER,), "reference") if used else FollowUp()
    assert scope_for(explicit, named=named, follow_up=turn, defaults=defaults) == scope
