"""Slack's AI-app surfaces end to end: signed requests into the real Bolt app, every Web API
call recorded by the loopback fake (assistant.*, views.publish, ephemeral and response_url)."""

from __future__ import annotations

import json

import pytest

from bot.channels.slack.listeners import SHORTCUT
from bot.channels.slack.render import ACTION_FEEDBACK, ACTION_SHARE, REASON_VIEW
from tests.fixtures.slack import (
    ALICE,
    CHANNEL,
    DM,
    TEAM,
    FakeAnswers,
    dm_event,
    mention_event,
    running_slack_app,
)

COVERAGE = [
    {
        "code": "EU",
        "name": "European Union",
        "instruments": [
            {"source": "eu/gdpr.md", "title": "General Data Protection Regulation", "sections": 99}
        ],
        "sections": 99,
    },
    {
        "code": "US-CA",
        "name": "California",
        "instruments": [
            {
                "source": "us-ca/ccpa.md",
                "title": "California Consumer Privacy Act",
                "sections": 40,
                "as_of": "2026-01-01",
            }
        ],
        "sections": 40,
    },
]
APP = {
    "coverage": lambda: COVERAGE,
    "index_version": lambda: "20261201T132850-b447a0de",
    "places": lambda q: ("US-CA",) if "California" in q else (),
    "status_line": lambda q: f"Reading for: {q}",
}
ASSISTANT_THREAD = "1700000100.000100"


def _thread_started():
    return {
        "type": "assistant_thread_started",
        "assistant_thread": {
            "user_id": ALICE,
            "context": {"channel_id": CHANNEL, "team_id": TEAM},
            "channel_id": DM,
            "thread_ts": ASSISTANT_THREAD,
        },
        "event_ts": "1700000100.000200",
    }


def test_assistant_thread_starts_with_a_greeting_and_prompts_from_the_index():
    with running_slack_app(app_overrides=APP) as s:
        assert s.sender.event(_thread_started()).status == 200
        [prompts] = s.fake.wait_for("assistant.threads.setSuggestedPrompts")
        s.wait_idle()
        [greeting] = s.fake.of("chat.postMessage")
        assert (greeting.args["channel"], greeting.args["thread_ts"]) == (DM, ASSISTANT_THREAD)
        assert greeting.args["text"].startswith("Hi — I'm Reggi")
        assert prompts.args["channel_id"] == DM and prompts.args["thread_ts"] == ASSISTANT_THREAD
        messages = [p["message"] for p in prompts.args["prompts"]]
        assert 1 <= len(messages) <= 4
        assert messages[0] == (
            "What are the main obligations under the General Data Protection Regulation "
            "(European Union)?"
        )
        assert "California Consumer Privacy Act" in messages[1]


def test_assistant_message_gets_title_status_and_the_answer_in_the_thread():
    with running_slack_app(app_overrides=APP) as s:
        event = dm_event(
            "When must we notify under GDPR Art. 33?",
            ts="1700000100.000300",
            thread_ts=ASSISTANT_THREAD,
        )
        s.sender.event(event)
        s.fake.wait_for("assistant.threads.setStatus", 2)
        s.wait_idle()
        [title] = s.fake.of("assistant.threads.setTitle")
        assert title.args["title"] == "When must we notify under GDPR Art. 33?"
        statuses = [c.args["status"] for c in s.fake.of("assistant.threads.setStatus")]
        assert statuses == ["Reading for: When must we notify under GDPR Art. 33?", ""]
        [answer] = s.fake.of("chat.postMessage")
        assert (answer.args["channel"], answer.args["thread_ts"]) == (DM, ASSISTANT_THREAD)
        assert answer.args["text"].startswith("A business must honour")
        methods = s.fake.methods()
        assert methods.index("assistant.threads.setStatus") < methods.index("chat.postMessage")
        assert s.fake.of("reactions.add") == []  # the status line replaces the ⏳ reaction


def test_app_home_shows_coverage_with_dates_examples_and_how_to_ask_privately():
    with running_slack_app(app_overrides=APP) as s:
        s.sender.event({"type": "app_home_opened", "user": ALICE, "channel": DM, "tab": "home"})
        [published] = s.fake.wait_for("views.publish")
        s.wait_idle()
        assert published.args["user_id"] == ALICE
        view = published.args["view"]
        assert view["type"] == "home"
        text = json.dumps(view)
        assert "General Data Protection Regulation (99 sections, as of 2026-12-01)" in text
        assert "California Consumer Privacy Act (40 sections, as of 2026-01-01)" in text
        assert "Example questions" in text and "*Privately:*" in text


def _shortcut_payload(text, *, response_url):
    return {
        "type": "message_action",
        "callback_id": SHORTCUT,
        "trigger_id": "1.2.trigger",
        "team": {"id": TEAM, "domain": "test"},
        "user": {"id": ALICE, "name": "alice"},
        "channel": {"id": CHANNEL, "name": "legal"},
        "message": {"type": "message", "user": "U0BOB", "ts": "1700000200.000100", "text": text},
        "response_url": response_url,
        "action_ts": "1700000200.5",
    }


def test_message_shortcut_answers_privately_about_the_messages_text():
    with running_slack_app() as s:
        reply = s.sender.interaction(
            _shortcut_payload(
                "Do we have to delete <https://x.example|this> customer's data?",
                response_url=s.fake.response_url(),
            )
        )
        assert reply.status == 200
        [private] = s.fake.wait_for("response_url")
        s.wait_idle()
        assert s.answers.asked[0].question == (
            "Do we have to delete this (https://x.example) customer's data?"
        )
        assert private.args["response_type"] == "ephemeral"
        assert private.args["blocks"][-1]["elements"][0]["action_id"] == ACTION_SHARE
        assert s.fake.of("chat.postMessage") == []


def test_private_mention_is_answered_ephemerally_in_the_thread():
    with running_slack_app() as s:
        s.sender.event(mention_event("--private Must we delete data?", ts="1700000300.000100"))
        [private] = s.fake.wait_for("chat.postEphemeral")
        s.wait_idle()
        assert (private.args["user"], private.args["thread_ts"]) == (ALICE, "1700000300.000100")
        blocks = (
            json.loads(private.args["blocks"])
            if isinstance(private.args["blocks"], str)
            else private.args["blocks"]
        )
        assert blocks[-1]["elements"][0]["action_id"] == ACTION_SHARE
        assert s.fake.of("chat.postMessage") == [] and s.fake.of("reactions.add") == []


def test_native_feedback_buttons_record_votes_and_ask_why_on_thumbs_down():
    def payload(value):
        return {
            "type": "block_actions",
            "team": {"id": TEAM},
            "user": {"id": ALICE},
            "trigger_id": "1.2.trigger",
            "container": {"type": "message", "channel_id": CHANNEL, "thread_ts": "1700.1"},
            "channel": {"id": CHANNEL},
            "message": {"ts": "1700.2", "thread_ts": "1700.1", "text": "answer"},
            "actions": [{"type": "feedback_buttons", "action_id": ACTION_FEEDBACK, "value": value}],
        }

    with running_slack_app() as s:
        s.sender.interaction(payload("up:ans-0001"))
        s.fake.wait_for("chat.postEphemeral")
        s.sender.interaction(payload("down:ans-0001"))
        [opened] = s.fake.wait_for("views.open")
        s.wait_idle()
        assert [(f["vote"], f["answer_id"]) for f in s.events.of("feedback")] == [
            ("up", "ans-0001")
        ]
        assert opened.args["view"]["callback_id"] == REASON_VIEW
        assert json.loads(opened.args["view"]["private_metadata"])["answer_id"] == "ans-0001"


def test_config_is_for_admins_and_channel_defaults_apply_unless_a_place_is_named():
    with running_slack_app(app_overrides=APP) as s:
        url = s.fake.response_url()
        s.sender.command("config jurisdictions EU", response_url=url, channel=CHANNEL)
        [refused] = s.fake.wait_for("response_url")
        s.wait_idle()
        assert "Only workspace admins" in refused.args["text"]
        s.fake.admins.add(ALICE)
        s.sender.command("config jurisdictions eu", response_url=url, channel=CHANNEL)
        [_, saved] = s.fake.wait_for("response_url", 2)
        s.wait_idle()
        assert saved.args["text"].startswith("Saved. Reggi answers in this channel.")
        assert "Default jurisdictions: EU" in saved.args["text"]
        s.sender.event(mention_event("Must we delete data?", ts="1700000400.000100"))
        s.sender.event(mention_event("Must we delete data in California?", ts="1700000400.000200"))
        s.fake.wait_for("chat.postMessage", 2)
        s.wait_idle()
        scopes = {a.question: a.jurisdictions for a in s.answers.asked}
        assert scopes == {
            "Must we delete data?": ("EU",),
            "Must we delete data in California?": None,  # the engine answers for California
        }
        # a DM has no channel defaults
        s.sender.event(dm_event("Must we delete data?", ts="1700000400.000300"))
        s.fake.wait_for("chat.postMessage", 3)
        s.wait_idle()
        assert s.answers.asked[-1].jurisdictions is None


def test_a_refused_channel_gets_no_answers_until_an_admin_allows_it():
    with running_slack_app() as s:
        s.fake.admins.add(ALICE)
        url = s.fake.response_url()
        s.sender.command("config refuse", response_url=url, channel=CHANNEL)
        s.fake.wait_for("response_url")
        s.wait_idle()
        s.sender.event(mention_event("Must we delete data?", ts="1700000500.000100"))
        [note] = s.fake.wait_for("chat.postEphemeral")
        reply = s.sender.command("Must we delete data?", response_url=url, channel=CHANNEL)
        assert "isn't enabled for you here" in reply.json()["text"]
        s.wait_idle()
        assert "isn't enabled for you here" in note.args["text"]
        assert s.answers.asked == []
        s.sender.command("config allow", response_url=url, channel=CHANNEL)  # still reachable
        s.fake.wait_for("response_url", 2)
        s.wait_idle()
        s.sender.event(mention_event("Must we delete data?", ts="1700000500.000200"))
        s.fake.wait_for("chat.postMessage")
        s.wait_idle()
        assert len(s.answers.asked) == 1


@pytest.mark.parametrize(
    ("second", "carried"),
    [
        ("What must a privacy notice contain?", False),  # a new question stands alone
        ("In Virginia?", True),  # short and elliptical
        ("What about Massachusetts?", True),  # explicit reference
    ],
)
def test_dm_carries_context_only_for_a_real_follow_up_and_says_which(second, carried):
    with running_slack_app() as s:
        ts1 = s.fake.add_message(DM, "Must we delete data in California?")
        s.sender.event(dm_event("Must we delete data in California?", ts=ts1))
        s.fake.wait_for("chat.postMessage")
        s.wait_idle()
        ts2 = s.fake.add_message(DM, second)
        s.sender.event(dm_event(second, ts=ts2))
        [_, post] = s.fake.wait_for("chat.postMessage", 2)
        s.wait_idle()
        history = s.answers.asked[1].history
        assert [t.question for t in history] == (
            ["Must we delete data in California?"] if carried else []
        )
        first_block = post.args["blocks"][0]
        note = "Follow-up to: “Must we delete data in California?”"
        assert (
            first_block["type"] == "context" and first_block["elements"][0]["text"] == note
        ) is carried


def test_slack_events_answers_the_url_check_before_the_bot_token_exists():
    from fastapi import FastAPI
    from fastapi.testclient import TestClient
    from slack_sdk.signature import SignatureVerifier

    from bot.channels.slack.http import mount_slack_setup
    from tests.fixtures.slack import SIGNING_SECRET

    app = FastAPI()
    mount_slack_setup(app, signing_secret=SIGNING_SECRET)
    client = TestClient(app)
    body = json.dumps({"type": "url_verification", "challenge": "3eZbrw1aB", "token": "t"})
    ts = str(int(__import__("time").time()))
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=ts, body=body)
    headers = {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}
    ok = client.post("/slack/events", content=body, headers=headers)
    assert (ok.status_code, ok.json()) == (200, {"challenge": "3eZbrw1aB"})
    forged = client.post(
        "/slack/events", content=body, headers={**headers, "X-Slack-Signature": "v0=bad"}
    )
    assert forged.status_code == 401
    event = json.dumps({"type": "event_callback", "event": {"type": "app_mention"}})
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=ts, body=event)
    other = client.post(
        "/slack/events",
        content=event,
        headers={"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature},
    )
    assert other.status_code == 200


# A model writer's draft: markers arrive split across pieces, one ([7]) fails the check.
DRAFTS = [
    "A business must honour a verified request [",
    "1] to delete",
    " data [7], and tell ",
    "service providers too [2]." * 12,
]


def _streamed(s):
    calls = (
        s.fake.of("chat.startStream")
        + s.fake.of("chat.appendStream")
        + s.fake.of("chat.stopStream")
    )
    return "".join(
        c.get("text", "")
        for call in calls
        for c in (
            json.loads(call.args["chunks"])
            if isinstance(call.args.get("chunks"), str)
            else call.args.get("chunks") or []
        )
    )


def test_a_model_writers_answer_streams_into_the_thread_and_ends_checked():
    with running_slack_app(answers=FakeAnswers(drafts=DRAFTS)) as s:
        s.sender.event(mention_event("Must we delete data?", ts="1700000600.000100"))
        [update] = s.fake.wait_for("chat.update")
        s.wait_idle()
        [start] = s.fake.of("chat.startStream")
        assert (start.args["channel"], start.args["thread_ts"]) == (CHANNEL, "1700000600.000100")
        assert (start.args["recipient_user_id"], start.args["recipient_team_id"]) == (ALICE, TEAM)
        assert s.fake.of("chat.stopStream")
        draft = _streamed(s)
        assert draft.startswith("A business must honour a verified request to delete data,")
        assert "[" not in draft  # no marker is ever shown before the check
        # the draft is replaced by the checked answer: linked markers, footnotes, feedback
        assert update.args["ts"] == s.fake.of("chat.stopStream")[0].args["ts"]
        blocks = (
            update.args["blocks"]
            if isinstance(update.args["blocks"], list)
            else json.loads(update.args["blocks"])
        )
        text = json.dumps(blocks)
        assert "|[1]>" in text and "[7]" not in text and "*Sources*" in text
        assert "context_actions" in [b["type"] for b in blocks]  # native feedback
        assert update.args["metadata"]["event_type"] == "reggi_answer"
        assert s.fake.of("chat.postMessage") == []  # nothing posted twice
        methods = s.fake.methods()
        assert (
            methods.index("chat.startStream")
            < methods.index("chat.stopStream")
            < methods.index("chat.update")
        )


def test_the_assistant_streams_with_say_stream():
    with running_slack_app(answers=FakeAnswers(drafts=DRAFTS), app_overrides=APP) as s:
        s.sender.event(
            dm_event("Must we delete data?", ts="1700000700.000300", thread_ts=ASSISTANT_THREAD)
        )
        s.fake.wait_for("chat.update")
        s.wait_idle()
        [start] = s.fake.of("chat.startStream")
        assert (start.args["channel"], start.args["thread_ts"]) == (DM, ASSISTANT_THREAD)
        assert "[" not in _streamed(s)


def test_the_offline_writer_posts_at_once_without_streaming():
    with running_slack_app() as s:
        s.sender.event(mention_event("Must we delete data?", ts="1700000800.000100"))
        s.fake.wait_for("chat.postMessage")
        s.wait_idle()
        assert not any(m.startswith("chat.") and "Stream" in m for m in s.fake.methods())
        assert s.fake.of("chat.update") == []


def test_hide_markers_holds_back_a_marker_that_is_still_arriving():
    from bot.channels.text import hide_markers

    assert hide_markers("Yes [1] and [") == ("Yes and", " [")
    assert hide_markers("Yes [12") == ("Yes", " [12")
    assert hide_markers("Yes [2], no [3].") == ("Yes, no.", "")
    assert hide_markers("a [b] c") == ("a [b] c", "")
