"""Teams' "Export as Word" end to end: the answer card's action, the file consent card, Teams'
`fileConsent/invoke`, the PUT to a loopback upload session, and the file info card.

Activities are POSTed to the real Teams SDK app; replies reach the loopback Bot Connector;
the memo's bytes reach a loopback OneDrive upload session on 127.0.0.1.
"""

# ruff: noqa: F811 — the fake_connector fixture (see test_app.py)

from __future__ import annotations

import io
import logging
from typing import Any

import pytest
from docx import Document

from bot.cache import MemoryBackend
from bot.cache.redis import RedisBackend
from bot.channels.kept import TTL_SECONDS, KeyValue
from bot.channels.teams.export import SessionUploader, upload_headers
from bot.channels.teams.render import FILE_CONSENT_CARD, FILE_INFO_CARD
from bot.errors import EXPORT_DECLINED, EXPORT_GONE, EXPORT_PERSONAL_ONLY, EXPORT_UPLOAD_FAILED
from tests.fixtures.teams import (
    CHANNEL_CONVERSATION,
    GROUP_CONVERSATION,
    PERSONAL_CONVERSATION,
    FakeAnswers,
    FakeBotConnector,
    Posted,
    Running,
    card_submit,
    channel_message,
    fake_connector,  # noqa: F401 - pytest fixture
    file_consent_invoke,
    group_chat_message,
    personal_message,
    running_bot,
    sample_answer,
    upload_session,
)

QUESTION = "Must we delete personal data on request?"
PINPOINT = "Cal. Civ. Code § 1798.105(a)"


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (1, {"Content-Length": "1", "Content-Range": "bytes 0-0/1"}),
        (37468, {"Content-Length": "37468", "Content-Range": "bytes 0-37467/37468"}),
    ],
)
def test_upload_headers_send_every_byte_in_one_range(size: int, expected: dict) -> None:
    assert upload_headers(size) == expected


def _export_action(message: Posted) -> dict[str, Any]:
    actions = [
        a
        for attachment in message.activity.get("attachments") or []
        for a in attachment["content"].get("actions") or []
    ]
    [action] = [a for a in actions if a["title"] == "Export as Word"]
    assert action["type"] == "Action.Submit"
    return action


def _ask_in_personal_chat(bot: Running, connector: FakeBotConnector) -> dict[str, Any]:
    """Ask, then click "Export as Word": the file consent card's attachment."""
    bot.post(personal_message(QUESTION, service_url=connector.url))
    answer = connector.messages()[-1]
    data = _export_action(answer)["data"]
    assert data == {"reggi": "export", "answerId": "ans-1"}
    response = bot.post(card_submit(data, service_url=connector.url, reply_to_id=answer.id))
    assert response.status_code == 200
    consent = connector.messages()[-1]
    assert consent.conversation_id == PERSONAL_CONVERSATION
    [attachment] = consent.activity["attachments"]
    assert attachment["contentType"] == FILE_CONSENT_CARD
    return attachment


def _memo_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.mark.parametrize("store", ["memory", "redis"])
def test_accepted_memo_is_uploaded_and_shown_as_a_file_card(
    fake_connector: FakeBotConnector, request: pytest.FixtureRequest, store: str
) -> None:
    kept: KeyValue = (
        RedisBackend.from_url(request.getfixturevalue("redis_url"), timeout_seconds=0.5)
        if store == "redis"
        else MemoryBackend(max_entries=100)
    )
    with upload_session() as session, running_bot(kept_answers=kept) as bot:
        consent = _ask_in_personal_chat(bot, fake_connector)
        assert consent["name"] == "reggi-memo-ans-1.docx"
        card = consent["content"]
        assert (
            card["acceptContext"]
            == card["declineContext"]
            == {
                "reggi": "export",
                "answerId": "ans-1",
            }
        )
        assert card["sizeInBytes"] > 0 and QUESTION in card["description"]
        response = bot.post(
            file_consent_invoke(
                service_url=fake_connector.url,
                action="accept",
                context=card["acceptContext"],
                upload_url=session.upload_url,
            )
        )

    assert response.status_code == 200
    [upload] = session.uploads
    size = len(upload.body)
    assert upload.path == "/up/session-1"
    assert size == card["sizeInBytes"]
    assert upload.headers["content-length"] == str(size)
    assert upload.headers["content-range"] == f"bytes 0-{size - 1}/{size}"
    assert "authorization" not in upload.headers  # the session URL is pre-authorised
    memo = _memo_text(upload.body)
    assert QUESTION in memo and PINPOINT in memo
    shown = fake_connector.messages()[-1]
    assert shown.conversation_id == PERSONAL_CONVERSATION
    [info] = shown.activity["attachments"]
    assert info == {
        "contentType": FILE_INFO_CARD,
        "contentUrl": "https://contoso-my.sharepoint.com/personal/ann/Documents/Applications/Reggi/memo.docx",
        "name": "reggi-memo-ans-1.docx",
        "content": {"uniqueId": "1150D938-8870-4044-9F2C-5BBDEBA70C8C", "fileType": "docx"},
    }
    assert bot.answers.calls == [{"question": QUESTION, "jurisdictions": None, "history": ()}]
    assert bot.events.of("error") == []


def test_declined_memo_uploads_nothing_and_says_so(fake_connector: FakeBotConnector) -> None:
    with upload_session() as session, running_bot() as bot:
        consent = _ask_in_personal_chat(bot, fake_connector)
        response = bot.post(
            file_consent_invoke(
                service_url=fake_connector.url,
                action="decline",
                context=consent["content"]["declineContext"],
            )
        )

    assert response.status_code == 200
    assert session.uploads == []
    assert fake_connector.messages()[-1].text == EXPORT_DECLINED


@pytest.mark.parametrize(
    ("ask", "conversation_type", "thread"),
    [
        (group_chat_message, "groupChat", GROUP_CONVERSATION),
        (channel_message, "channel", f"{CHANNEL_CONVERSATION};messageid="),
    ],
)
def test_outside_a_personal_chat_the_click_points_to_the_1_1_chat_and_the_web_page(
    fake_connector: FakeBotConnector, ask: Any, conversation_type: str, thread: str
) -> None:
    with running_bot() as bot:
        asked = ask(QUESTION, service_url=fake_connector.url)
        bot.post(asked)
        answer = fake_connector.messages()[-1]
        data = _export_action(answer)["data"]
        root = asked["id"] if conversation_type == "channel" else ""
        response = bot.post(
            card_submit(
                data,
                service_url=fake_connector.url,
                conversation_type=conversation_type,
                reply_to_id=root,
            )
        )

    assert response.status_code == 200
    reply = fake_connector.messages()[-1]
    assert reply.text == EXPORT_PERSONAL_ONLY
    assert reply.conversation_id == thread + root
    assert "attachments" not in reply.activity
    assert len(bot.answers.calls) == 1  # the click is not a question


def test_an_answer_no_longer_kept_is_said_to_be_gone(fake_connector: FakeBotConnector) -> None:
    now = [1000.0]
    kept = MemoryBackend(max_entries=100, clock=lambda: now[0])
    with upload_session() as session, running_bot(kept_answers=kept) as bot:
        consent = _ask_in_personal_chat(bot, fake_connector)
        now[0] += TTL_SECONDS + 1  # a day later the kept answer has expired
        response = bot.post(
            file_consent_invoke(
                service_url=fake_connector.url,
                action="accept",
                context=consent["content"]["acceptContext"],
                upload_url=session.upload_url,
            )
        )
        card = fake_connector.messages()[-1]
        bot.post(
            card_submit(
                {"reggi": "export", "answerId": "ans-1"},
                service_url=fake_connector.url,
                reply_to_id=card.id,
            )
        )

    assert response.status_code == 200
    assert session.uploads == []
    assert [m.text for m in fake_connector.messages()[-2:]] == [EXPORT_GONE, EXPORT_GONE]
    assert bot.events.of("error") == [{"channel": "teams", "kind": "export_gone"}] * 2


@pytest.mark.parametrize(
    ("session_options", "logged"),
    [({"status": 500}, "HTTP 500"), ({"hang": True}, "timed out")],
    ids=["server error", "timeout"],
)
def test_a_failed_upload_gets_a_sentence_and_is_logged(
    fake_connector: FakeBotConnector,
    caplog: pytest.LogCaptureFixture,
    session_options: dict[str, Any],
    logged: str,
) -> None:
    uploader = SessionUploader(timeout_seconds=0.5)
    with (
        upload_session(**session_options) as session,
        running_bot(uploader=uploader) as bot,
        caplog.at_level(logging.WARNING, logger="bot.channels.teams.export"),
    ):
        consent = _ask_in_personal_chat(bot, fake_connector)
        response = bot.post(
            file_consent_invoke(
                service_url=fake_connector.url,
                action="accept",
                context=consent["content"]["acceptContext"],
                upload_url=session.upload_url,
            )
        )

    assert response.status_code == 200
    assert len(session.uploads) == 1
    reply = fake_connector.messages()[-1]
    assert reply.text == EXPORT_UPLOAD_FAILED.replace("&", "&amp;")
    assert "attachments" not in reply.activity
    assert bot.events.of("error") == [{"channel": "teams", "kind": "export_upload"}]
    [record] = [r for r in caplog.records if "could not upload" in r.getMessage()]
    assert logged in record.getMessage() and "ans-1" in record.getMessage()
    assert session.upload_url not in record.getMessage()


def test_an_answer_without_sources_offers_no_export(fake_connector: FakeBotConnector) -> None:
    class Declining(FakeAnswers):
        def reply(self, question: str) -> Any:
            return sample_answer(question, citations=(), abstained=True, id="ans-x")

    with running_bot(Declining()) as bot:
        bot.post(personal_message("What about Texas?", service_url=fake_connector.url))

    assert "attachments" not in fake_connector.messages()[-1].activity
