"""The Teams bot end to end: activities POSTed to /api/messages, replies seen by a fake connector."""

# The fake_connector fixture is imported here until tests/conftest.py lists tests.fixtures.teams
# in pytest_plugins; test parameters of that name then look like redefinitions to ruff.
# ruff: noqa: F811

from __future__ import annotations

import threading

import pytest

from bot.answer import Turn
from bot.channels.teams.render import INTERIM_TEXT
from bot.errors import PRIVATE_NOTE, RateLimited, ServiceUnavailable, user_message
from tests.fixtures.teams import (
    BOT_ID,
    CHANNEL_CONVERSATION,
    GROUP_CONVERSATION,
    PERSONAL_CONVERSATION,
    FakeAnswers,
    FakeBotConnector,
    MemoryStore,
    channel_message,
    fake_connector,  # noqa: F401 - pytest fixture
    feedback_invoke,
    group_chat_message,
    personal_message,
    running_bot,
)


def test_channel_mention_is_answered_in_the_thread(
    fake_connector: FakeBotConnector,
) -> None:
    with running_bot() as bot:
        activity = channel_message(
            "Must we delete data on request?", service_url=fake_connector.url
        )
        response = bot.post(activity)

    assert response.status_code == 200
    thread = f"{CHANNEL_CONVERSATION};messageid={activity['id']}"
    assert [p.type for p in fake_connector.posted] == ["typing", "message"]
    assert all(p.conversation_id == thread for p in fake_connector.posted)
    assert bot.answers.calls[0]["question"] == "Must we delete data on request?"
    reply = fake_connector.messages()[0]
    assert "[1]" in reply.text and "45 days [2]" in reply.text
    assert reply.activity["from"]["id"] == BOT_ID
    assert "authorization" not in reply.headers  # development mode: no token is fetched
    answered = bot.events.of("answered")
    assert answered[0]["channel"] == "teams" and answered[0]["user"] == "teams:ann-aad-object-id"


def test_the_configured_sensitivity_label_is_on_every_citation_of_the_reply(
    fake_connector: FakeBotConnector,
) -> None:
    label = {"teams_sensitivity_label": "Confidential", "teams_sensitivity_description": "Legal"}
    with running_bot(settings=label) as bot:
        bot.post(channel_message("Must we delete data on request?", service_url=fake_connector.url))

    (entity,) = fake_connector.messages()[0].activity["entities"]
    labels = [c["appearance"]["usageInfo"] for c in entity["citation"]]
    assert labels and all(u["name"] == "Confidential" for u in labels)
    assert all(u["description"] == "Legal" for u in labels)


def test_unmentioned_channel_message_is_ignored(
    fake_connector: FakeBotConnector,
) -> None:
    with running_bot() as bot:
        response = bot.post(
            channel_message("lunch anyone?", service_url=fake_connector.url, mention=False)
        )

    assert response.status_code == 200
    assert fake_connector.posted == []
    assert bot.answers.calls == []


def test_unmentioned_group_chat_message_is_ignored_and_mentioned_one_answered(
    fake_connector: FakeBotConnector,
) -> None:
    with running_bot() as bot:
        bot.post(
            group_chat_message("who has the NDA?", service_url=fake_connector.url, mention=False)
        )
        bot.post(
            group_chat_message("What is personal information?", service_url=fake_connector.url)
        )

    assert [q["question"] for q in bot.answers.calls] == ["What is personal information?"]
    assert [p.conversation_id for p in fake_connector.messages()] == [GROUP_CONVERSATION]


def test_personal_message_is_answered_with_optional_leading_name(
    fake_connector: FakeBotConnector,
) -> None:
    with running_bot() as bot:
        bot.post(
            personal_message(
                "reggi, what is a sale of personal information?",
                service_url=fake_connector.url,
            )
        )

    assert bot.answers.calls[0]["question"] == "what is a sale of personal information?"
    assert bot.answers.calls[0]["jurisdictions"] is None
    assert [p.conversation_id for p in fake_connector.messages()] == [PERSONAL_CONVERSATION]


def test_help_shows_usage_without_asking_the_engine(
    fake_connector: FakeBotConnector,
) -> None:
    with running_bot() as bot:
        bot.post(personal_message("help", service_url=fake_connector.url))

    assert bot.answers.calls == []
    assert "--jurisdiction" in fake_connector.messages()[0].text


def test_jurisdiction_option_reaches_the_engine(
    fake_connector: FakeBotConnector,
) -> None:
    with running_bot() as bot:
        bot.post(
            channel_message(
                "--jurisdiction CA,EU When must we reply?",
                service_url=fake_connector.url,
            )
        )

    assert bot.answers.calls[0]["jurisdictions"] == ("CA", "EU")
    assert bot.answers.calls[0]["question"] == "When must we reply?"


def test_bad_option_gets_a_sentence_not_an_answer(
    fake_connector: FakeBotConnector,
) -> None:
    with running_bot() as bot:
        bot.post(personal_message("--jurisdiction", service_url=fake_connector.url))

    assert bot.answers.calls == []
    assert "Name the jurisdictions" in fake_connector.messages()[0].text


def test_follow_up_in_the_same_thread_carries_the_earlier_turn(
    fake_connector: FakeBotConnector,
) -> None:
    with running_bot() as bot:
        first = channel_message("Must we delete data on request?", service_url=fake_connector.url)
        bot.post(first)
        bot.post(
            channel_message(
                "And how fast?", service_url=fake_connector.url, thread_root=first["id"]
            )
        )
        bot.post(channel_message("Unrelated new post", service_url=fake_connector.url))

    earlier = bot.answers.calls[0]
    assert bot.answers.calls[0]["history"] == ()
    assert bot.answers.calls[1]["history"] == (
        Turn(
            question="Must we delete data on request?",
            answer="Yes: a consumer may request deletion [1], and the business must comply within 45 days [2].",
            jurisdictions=("US-CA",),
        ),
    )
    assert earlier["question"] == "Must we delete data on request?"
    assert bot.answers.calls[2]["history"] == ()  # another thread


def test_follow_up_in_a_personal_chat_carries_the_earlier_turn(
    fake_connector: FakeBotConnector,
) -> None:
    with running_bot() as bot:
        bot.post(
            personal_message("Must we delete data on request?", service_url=fake_connector.url)
        )
        bot.post(personal_message("what about Massachusetts?", service_url=fake_connector.url))

    assert [t.question for t in bot.answers.calls[1]["history"]] == [
        "Must we delete data on request?"
    ]


def test_answer_carries_citations_ai_label_and_feedback(
    fake_connector: FakeBotConnector,
) -> None:
    with running_bot() as bot:
        bot.post(
            personal_message("Must we delete data on request?", service_url=fake_connector.url)
        )

    reply = fake_connector.messages()[0].activity  # as the connector received it
    (entity,) = reply["entities"]
    assert entity["@type"] == "Message" and entity["additionalType"] == ["AIGeneratedContent"]
    assert [c["position"] for c in entity["citation"]] == [1, 2]
    for claim in entity["citation"]:
        appearance = claim["appearance"]
        assert claim["@type"] == "Claim" and appearance["@type"] == "DigitalDocument"
        assert 0 < len(appearance["name"]) <= 80
        assert 0 < len(appearance["abstract"]) <= 160
        assert appearance["url"].startswith("https://")
        assert appearance["keywords"] == ["US-CA", "California"]
    assert entity["citation"][0]["appearance"]["name"] == "Cal. Civ. Code § 1798.105(a)"
    assert reply["channelData"]["feedbackLoop"] == {"type": "default"}
    assert "California" in reply["text"] and "not legal advice" in reply["text"]


def test_feedback_is_recorded_against_the_answer(
    fake_connector: FakeBotConnector,
) -> None:
    with running_bot() as bot:
        bot.post(
            personal_message("Must we delete data on request?", service_url=fake_connector.url)
        )
        answer_message = fake_connector.messages()[0]
        response = bot.post(
            feedback_invoke(
                service_url=fake_connector.url,
                reply_to_id=answer_message.id,
                reaction="dislike",
                text="Wrong section",
            )
        )

    assert response.status_code == 200
    assert bot.events.of("feedback") == [
        {
            "channel": "teams",
            "user": "teams:ann-aad-object-id",
            "answer_id": "ans-1",
            "vote": "down",
            "reason": "Wrong section",
        }
    ]
    assert len(fake_connector.messages()) == 1  # feedback sends nothing back


def test_duplicate_activity_is_answered_once(fake_connector: FakeBotConnector) -> None:
    with running_bot() as bot:
        activity = channel_message(
            "Must we delete data on request?", service_url=fake_connector.url
        )
        first = bot.post(activity)
        again = bot.post(activity)

    assert first.status_code == again.status_code == 200
    assert len(bot.answers.calls) == 1
    assert len(fake_connector.messages()) == 1


def test_slow_answer_gets_interim_reply_then_the_answer_in_the_same_thread(
    fake_connector: FakeBotConnector,
) -> None:
    release = threading.Event()
    with running_bot(FakeAnswers(release=release), budget=0.05) as bot:
        activity = channel_message(
            "Must we delete data on request?", service_url=fake_connector.url
        )
        response = bot.post(activity)
        assert response.status_code == 200
        assert [m.text for m in fake_connector.messages()] == [INTERIM_TEXT.replace("&", "&amp;")]
        release.set()
        messages = fake_connector.wait_for_messages(2)

    thread = f"{CHANNEL_CONVERSATION};messageid={activity['id']}"
    assert [m.conversation_id for m in messages] == [thread, thread]
    assert "[1]" in messages[1].text
    assert messages[1].activity["entities"][0]["citation"]
    assert len(bot.events.of("answered")) == 1


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (ServiceUnavailable("qdrant", "connection refused at 10.0.0.5:6333"), "unavailable_qdrant"),
        (RuntimeError("Traceback: KeyError 'secret-internal-detail'"), "unexpected"),
    ],
)
def test_engine_failure_ends_with_an_apology(
    fake_connector: FakeBotConnector, error: Exception, expected: str
) -> None:
    with running_bot(FakeAnswers(error=error)) as bot:
        response = bot.post(
            personal_message("Must we delete data on request?", service_url=fake_connector.url)
        )

    assert response.status_code == 200
    (reply,) = fake_connector.messages()
    assert reply.text == user_message(error).replace("&", "&amp;")
    assert (
        "10.0.0.5" not in reply.text
        and "Traceback" not in reply.text
        and "secret" not in reply.text
    )
    assert bot.events.of("error") == [{"channel": "teams", "kind": expected}]
    assert bot.events.of("answered") == []


def test_slow_answer_that_fails_ends_with_an_apology(
    fake_connector: FakeBotConnector,
) -> None:
    release = threading.Event()
    failing = FakeAnswers(error=ServiceUnavailable("qdrant"), release=release)
    with running_bot(failing, budget=0.05) as bot:
        bot.post(
            personal_message("Must we delete data on request?", service_url=fake_connector.url)
        )
        release.set()
        messages = fake_connector.wait_for_messages(2)

    assert messages[1].text == user_message(ServiceUnavailable("qdrant"))
    assert bot.events.of("error")[0]["kind"] == "unavailable_qdrant"


def test_rate_limited_user_gets_a_sentence(fake_connector: FakeBotConnector) -> None:
    with running_bot(store=MemoryStore(allowance=1)) as bot:
        bot.post(personal_message("first question?", service_url=fake_connector.url))
        bot.post(personal_message("second question?", service_url=fake_connector.url))

    assert len(bot.answers.calls) == 1
    assert fake_connector.messages()[1].text == user_message(RateLimited())


def test_private_channel_mention_is_answered_in_the_personal_chat(
    fake_connector: FakeBotConnector,
) -> None:
    with running_bot() as bot:
        activity = channel_message(
            "--private Must we delete data on request?", service_url=fake_connector.url
        )
        bot.post(activity)

    [created] = fake_connector.created
    assert created["members"][0]["id"] == "29:ann-id"
    assert created["tenantId"] == activity["conversation"]["tenantId"]
    messages = fake_connector.messages()
    in_channel = [
        m
        for m in messages
        if m.conversation_id.startswith(activity["conversation"]["id"].split(";")[0])
    ]
    private = [m for m in messages if m.conversation_id == "a:personal-29:ann-id"]
    assert [m.text for m in in_channel if m.type == "message"] == [PRIVATE_NOTE]
    assert len(private) == 1 and "[1]" in private[0].text
    assert bot.answers.calls[0]["question"] == "Must we delete data on request?"


def test_a_follow_up_names_the_earlier_question_and_a_new_one_stands_alone(
    fake_connector: FakeBotConnector,
) -> None:
    with running_bot() as bot:
        bot.post(
            personal_message("Must we delete data on request?", service_url=fake_connector.url)
        )
        bot.post(personal_message("In Virginia?", service_url=fake_connector.url))
        bot.post(
            personal_message("What must a privacy notice contain?", service_url=fake_connector.url)
        )

    assert [len(c["history"]) for c in bot.answers.calls] == [0, 1, 0]
    answers = [m for m in fake_connector.messages() if "[1]" in m.text]
    assert answers[1].text.startswith("_Follow-up to: “Must we delete data on request?”_")
    assert not answers[2].text.startswith("_Follow-up to")


def test_a_model_writers_answer_streams_in_a_personal_chat_and_ends_checked(
    fake_connector: FakeBotConnector,
) -> None:
    drafts = ["Yes: a consumer may request deletion [", "1], and the business", " must comply [9]."]
    with running_bot(FakeAnswers(drafts=drafts)) as bot:
        bot.post(
            personal_message("Must we delete data on request?", service_url=fake_connector.url)
        )

    streamed = [
        m
        for m in fake_connector.messages()
        if any(e.get("type") == "streaminfo" for e in m.activity.get("entities") or [])
    ]
    assert streamed, "nothing was streamed"
    assert all("[" not in m.text for m in streamed)  # no unchecked marker is ever shown
    assert "a consumer may request deletion, and the business must comply." in streamed[-1].text
    [(updated_id, final)] = fake_connector.updates
    assert updated_id == streamed[0].id  # the streamed message is replaced in place
    assert "[1]" in final["text"] and "[9]" not in final["text"]
    assert any(e.get("citation") for e in final.get("entities") or [])
    [card] = final["attachments"]  # the checked answer can be exported
    assert card["content"]["actions"][0]["data"] == {"reggi": "export", "answerId": "ans-1"}
    assert len(bot.events.of("answered")) == 1


def test_the_offline_writer_posts_at_once_in_a_personal_chat(
    fake_connector: FakeBotConnector,
) -> None:
    with running_bot() as bot:
        bot.post(
            personal_message("Must we delete data on request?", service_url=fake_connector.url)
        )
    assert fake_connector.updates == []
    assert not any(
        e.get("type") == "streaminfo"
        for m in fake_connector.messages()
        for e in m.activity.get("entities") or []
    )
