"""Teams activity → request: mentions, the optional leading name, options, threads, feedback."""

from __future__ import annotations

import json

import pytest

from bot.channels.teams.parse import (
    Consent,
    dedupe_key,
    export_request,
    parse_consent,
    parse_feedback,
    parse_message,
    parse_options,
    plain_text,
    reply_conversation_id,
    tenant_id,
    user_key,
)
from tests.fixtures.teams import (
    BOT_ID,
    CHANNEL_CONVERSATION,
    TENANT,
    card_submit,
    channel_message,
    feedback_invoke,
    file_consent_invoke,
    group_chat_message,
    personal_message,
)

URL = "http://127.0.0.1:9"


@pytest.mark.parametrize(
    ("activity", "kind", "question"),
    [
        (
            channel_message("Must we delete data?", service_url=URL),
            "question",
            "Must we delete data?",
        ),
        (
            channel_message("Must we delete data?", service_url=URL, mention=False),
            "ignore",
            "",
        ),
        (
            group_chat_message("Must we delete data?", service_url=URL),
            "question",
            "Must we delete data?",
        ),
        (
            group_chat_message("Must we delete data?", service_url=URL, mention=False),
            "ignore",
            "",
        ),
        (
            personal_message("Must we delete data?", service_url=URL),
            "question",
            "Must we delete data?",
        ),
        (
            personal_message("reggi Must we delete data?", service_url=URL),
            "question",
            "Must we delete data?",
        ),
        (personal_message("Reggi: must we?", service_url=URL), "question", "must we?"),
        (personal_message("@reggi, must we?", service_url=URL), "question", "must we?"),
        (
            personal_message("reggie is a name", service_url=URL),
            "question",
            "reggie is a name",
        ),
        (personal_message("help", service_url=URL), "help", ""),
        (personal_message("reggi help", service_url=URL), "help", ""),
        (personal_message("  ", service_url=URL), "help", ""),
        (personal_message("reggi", service_url=URL), "help", ""),
        (channel_message("", service_url=URL), "help", ""),
        (channel_message("HELP", service_url=URL), "help", ""),
    ],
)
def test_parse_message(activity: dict, kind: str, question: str) -> None:
    request = parse_message(activity)
    assert (request.kind, request.question) == (kind, question)


def test_messages_from_bots_and_card_submissions_are_ignored() -> None:
    from_bot = personal_message("hello", service_url=URL)
    from_bot["from"]["role"] = "bot"
    card_submit = personal_message("", service_url=URL)
    card_submit["value"] = {"action": "x"}
    not_message = personal_message("hello", service_url=URL) | {"type": "conversationUpdate"}
    assert [parse_message(a).kind for a in (from_bot, card_submit, not_message)] == ["ignore"] * 3


def test_mention_of_someone_else_does_not_count_in_a_channel() -> None:
    activity = channel_message("ask Ann", service_url=URL, mention=False)
    activity["text"] = "<at>Ann</at> ask Ann"
    activity["entities"] = [
        {
            "type": "mention",
            "text": "<at>Ann</at>",
            "mentioned": {"id": "29:ann", "name": "Ann"},
        }
    ]
    assert parse_message(activity).kind == "ignore"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "<at>Reggi</at> What about <at>Ann</at>'s contract?",
            "What about Ann's contract?",
        ),
        ("<at>Reggi</at>&nbsp;Is opt&#45;out&nbsp;required?", "Is opt-out required?"),
        ("<p><at>Reggi</at> Fees &amp; penalties?</p>", "Fees & penalties?"),
        ("Is   this\n\nspaced?", "Is this spaced?"),
    ],
)
def test_plain_text_strips_the_bot_mention_and_markup(text: str, expected: str) -> None:
    activity = channel_message("x", service_url=URL)
    activity["text"] = text
    assert plain_text(activity) == expected


@pytest.mark.parametrize(
    ("text", "kind", "question", "jurisdictions", "quotes"),
    [
        # the grammar itself is tested in tests/bot/channels/test_options.py
        ("--jurisdiction CA,EU When?", "question", "When?", ("CA", "EU"), False),
        (
            "\u2014jurisdiction CA When?",
            "question",
            "When?",
            ("CA",),
            False,
        ),  # autocorrected "--"
        ("\u2013jurisdiction CA When?", "question", "When?", ("CA",), False),
        ("\u2014quotes When?", "question", "When?", None, True),
        ("--quotes When?", "question", "When?", None, True),
        ("--jurisdiction", "invalid", "", None, False),
        ("--jurisdiction CA", "invalid", "", None, False),
        ("--frobnicate When?", "invalid", "", None, False),
        ("--help", "help", "", None, False),
        ("\u2014help", "help", "", None, False),
        ("/help", "help", "", None, False),
        ("/HELP", "help", "", None, False),
        ("", "help", "", None, False),
    ],
)
def test_parse_options(
    text: str,
    kind: str,
    question: str,
    jurisdictions: tuple[str, ...] | None,
    quotes: bool,
) -> None:
    request = parse_options(text)
    assert (
        request.kind,
        request.question,
        request.jurisdictions,
        request.full_quotes,
    ) == (
        kind,
        question,
        jurisdictions,
        quotes,
    )
    assert (request.problem is not None) == (kind == "invalid")


@pytest.mark.parametrize(
    ("text", "user_text"),
    [
        (
            "--jurisdiction ,",
            "Name the jurisdictions after --jurisdiction, e.g. `--jurisdiction CA,EU`.",
        ),
        ("-j CA", "Please add your question after the options."),
        (
            "\u2014colour red When?",
            "I don't know the option `--colour`. Type `help` to see what works.",
        ),
    ],
)
def test_bad_options_are_invalid_with_a_sentence(text: str, user_text: str) -> None:
    request = parse_options(text)
    assert request.kind == "invalid"
    assert request.problem is not None and request.problem.user_text == user_text


@pytest.mark.parametrize(
    ("conversation", "conversation_type", "activity_id", "expected"),
    [
        (
            f"{CHANNEL_CONVERSATION};messageid=111",
            "channel",
            "222",
            f"{CHANNEL_CONVERSATION};messageid=111",
        ),
        (
            CHANNEL_CONVERSATION,
            "channel",
            "333",
            f"{CHANNEL_CONVERSATION};messageid=333",
        ),
        (CHANNEL_CONVERSATION, "channel", "not-numeric", CHANNEL_CONVERSATION),
        ("19:group@thread.v2", "groupChat", "444", "19:group@thread.v2"),
        ("a:1personal", "personal", "555", "a:1personal"),
    ],
)
def test_reply_conversation_id(
    conversation: str, conversation_type: str, activity_id: str, expected: str
) -> None:
    activity = {
        "id": activity_id,
        "conversation": {"id": conversation, "conversationType": conversation_type},
    }
    assert reply_conversation_id(activity) == expected


def test_identity_keys() -> None:
    activity = channel_message(
        "x", service_url=URL, activity_id="1700000000999", thread_root="1700000000001"
    )
    assert user_key(activity) == "teams:ann-aad-object-id"
    assert user_key({"from": {"id": "29:x"}}) == "teams:29:x"
    assert tenant_id(activity) == TENANT
    assert tenant_id({"channelData": {"tenant": {"id": "t-1"}}}) == "t-1"
    assert dedupe_key(activity) == f"teams:activity:{CHANNEL_CONVERSATION}:1700000000999"
    assert dedupe_key({"conversation": {"id": "c"}}) is None


@pytest.mark.parametrize(
    ("reaction", "feedback", "vote", "reason"),
    [
        ("like", json.dumps({"feedbackText": "Spot on"}), "up", "Spot on"),
        (
            "dislike",
            json.dumps({"feedbackText": "  Wrong\nsection "}),
            "down",
            "Wrong section",
        ),
        ("dislike", "plain words", "down", "plain words"),
        ("like", "", "up", ""),
        ("like", "{not json", "up", "{not json"),
    ],
)
def test_parse_feedback(reaction: str, feedback: str, vote: str, reason: str) -> None:
    activity = feedback_invoke(service_url=URL, reply_to_id="1700000000777", reaction=reaction)
    activity["value"]["actionValue"]["feedback"] = feedback
    parsed = parse_feedback(activity)
    assert parsed is not None
    assert (parsed.vote, parsed.reason, parsed.message_id) == (
        vote,
        reason,
        "1700000000777",
    )


@pytest.mark.parametrize(
    "change",
    [
        {"type": "message"},
        {"name": "composeExtension/submitAction"},
        {"value": {"actionName": "other", "actionValue": {"reaction": "like"}}},
        {"value": {"actionName": "feedback", "actionValue": {"reaction": "meh"}}},
        {"value": "text"},
    ],
)
def test_parse_feedback_ignores_other_invokes(change: dict) -> None:
    activity = feedback_invoke(service_url=URL, reply_to_id="1") | change
    assert parse_feedback(activity) is None


def test_bot_id_fixture_is_the_recipient() -> None:
    assert channel_message("x", service_url=URL)["recipient"]["id"] == BOT_ID


EXPORT_DATA = {"reggi": "export", "answerId": "ans-7"}


@pytest.mark.parametrize(
    ("activity", "expected"),
    [
        (card_submit(EXPORT_DATA, service_url=URL), "ans-7"),
        (card_submit(EXPORT_DATA, service_url=URL, conversation_type="channel"), "ans-7"),
        (card_submit({"reggi": "export"}, service_url=URL), ""),  # no key: treated as gone
        (card_submit({"reggi": "share", "answerId": "ans-7"}, service_url=URL), None),
        (card_submit({"action": "other card"}, service_url=URL), None),
        ({**card_submit(EXPORT_DATA, service_url=URL), "value": "text"}, None),
        ({**card_submit(EXPORT_DATA, service_url=URL), "from": {"role": "bot"}}, None),
        (personal_message("export", service_url=URL), None),  # typed text is a question
        (file_consent_invoke(service_url=URL, action="accept", context=EXPORT_DATA), None),
    ],
)
def test_export_request(activity: dict, expected: str | None) -> None:
    assert export_request(activity) == expected


ACCEPTED = Consent(
    accepted=True,
    key="ans-7",
    upload_url="http://127.0.0.1:9/up",
    content_url="https://contoso-my.sharepoint.com/personal/ann/Documents/Applications/Reggi/memo.docx",
    name="reggi-memo-ans-1.docx",
    unique_id="1150D938-8870-4044-9F2C-5BBDEBA70C8C",
    file_type="docx",
)


@pytest.mark.parametrize(
    ("activity", "expected"),
    [
        (
            file_consent_invoke(
                service_url=URL,
                action="accept",
                context=EXPORT_DATA,
                upload_url=ACCEPTED.upload_url,
            ),
            ACCEPTED,
        ),
        (
            file_consent_invoke(service_url=URL, action="decline", context=EXPORT_DATA),
            Consent(accepted=False, key="ans-7"),
        ),
        (  # accepted, but Teams gave no upload info: nothing to upload to
            {
                **file_consent_invoke(service_url=URL, action="accept", context=EXPORT_DATA),
                "value": {"action": "accept", "context": EXPORT_DATA},
            },
            Consent(accepted=True, key="ans-7"),
        ),
        (file_consent_invoke(service_url=URL, action="accept", context={"other": 1}), None),
        ({**file_consent_invoke(service_url=URL, action="accept", context={}), "value": 3}, None),
        (feedback_invoke(service_url=URL, reply_to_id="1"), None),
        (card_submit(EXPORT_DATA, service_url=URL), None),
    ],
)
def test_parse_consent(activity: dict, expected: Consent | None) -> None:
    assert parse_consent(activity) == expected
