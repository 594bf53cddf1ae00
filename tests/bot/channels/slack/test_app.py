"""The Slack app through the real stack: signed HTTP into Bolt on uvicorn, WebClient out to a
loopback fake Web API."""

import json
import threading

import pytest

from bot.answer import Turn
from bot.channels.slack.commands import USAGE
from bot.channels.slack.export import ACTION_EXPORT
from bot.channels.slack.feedback import THANKS
from bot.channels.slack.listeners import LOOKING_UP
from bot.channels.slack.poster import PROGRESS_REACTION
from bot.channels.slack.render import (
    ACTION_DOWN,
    ACTION_SHARE,
    ACTION_UP,
    MAX_BLOCKS,
    REASON_VIEW,
    SECTION_LIMIT,
    footnote,
)
from bot.channels.slack.scopes import SCOPES_BY_METHOD
from bot.errors import RateLimited, ServiceUnavailable, user_message
from tests.fixtures.slack import (
    ALICE,
    BOT_ID,
    BOT_USER,
    CHANNEL,
    DM,
    TEAM,
    WAIT_SECONDS,
    FakeAnswers,
    MemoryStore,
    dm_event,
    mention_event,
    running_slack_app,
    sample_answer,
)

QDRANT_DOWN = "Sorry — I couldn't reach the regulation index just now. Try again in a minute."


def _posted_text(calls):
    return json.dumps([c.args for c in calls])


def _sections(call):
    return [b["text"]["text"] for b in call.args["blocks"] if b["type"] == "section"]


def test_mention_is_answered_in_its_thread_with_progress_marker():
    with running_slack_app() as s:
        reply = s.sender.event(
            mention_event("Must we delete data on request?", ts="1700000001.000100")
        )
        assert (reply.status, reply.body) == (200, "")
        s.fake.wait_for("reactions.remove")
        s.wait_idle()

        assert s.answers.asked[0].question == "Must we delete data on request?"
        assert s.answers.asked[0].jurisdictions is None
        assert [m for m in s.fake.methods() if m != "auth.test"] == [
            "reactions.add",
            "chat.postMessage",
            "reactions.remove",
        ]
        react = s.fake.of("reactions.add")[0].args
        assert (react["channel"], react["timestamp"], react["name"]) == (
            CHANNEL,
            "1700000001.000100",
            PROGRESS_REACTION,
        )
        [post] = s.fake.of("chat.postMessage")
        assert post.args["channel"] == CHANNEL
        assert post.args["thread_ts"] == "1700000001.000100"
        assert post.args["text"].startswith("A business must honour a verified request")
        assert [b["type"] for b in post.args["blocks"]] == [
            "section",
            "section",  # the single part is shown (issue 14, item 3)
            "divider",
            "section",
            "context",
            "context_actions",
            "actions",  # Export to Word
        ]
        assert post.args["blocks"][6]["elements"][0]["action_id"] == ACTION_EXPORT
        assert "Deletion must be honoured" in _sections(post)[1]
        assert "*[1]* <https://leginfo.legislature.ca.gov/" in _sections(post)[2]
        # each [n] in the answer links to its source
        assert "<https://cppa.ca.gov/regulations/|[2]>" in _sections(post)[0]
        assert post.args["blocks"][4]["elements"][0]["text"] == "Jurisdictions: California"
        [buttons] = post.args["blocks"][5]["elements"]
        assert buttons["type"] == "feedback_buttons"
        assert buttons["positive_button"]["value"] == "up:ans-0001"
        assert buttons["negative_button"]["value"] == "down:ans-0001"
        assert (
            post.args["metadata"]["event_payload"]["question"] == "Must we delete data on request?"
        )
        [answered] = s.events.of("answered")
        assert (answered["channel"], answered["user"], answered["team"]) == (
            "slack",
            ALICE,
            TEAM,
        )
        assert answered["answer"].id == "ans-0001"


def test_thread_follow_up_gets_the_earlier_turn_as_history():
    def reply(question, codes, history):
        if history:
            return sample_answer(
                question,
                jurisdictions=("US-MA",),
                answer="In Massachusetts … [1]",
                id="ans-2",
            )
        return sample_answer(question)

    with running_slack_app(answers=FakeAnswers(reply)) as s:
        root = "1700000002.000100"
        s.sender.event(mention_event("Must we delete data on request in California?", ts=root))
        s.fake.wait_for("chat.postMessage")
        s.wait_idle()
        s.fake.add_message(CHANNEL, "thanks!", thread_ts=root)  # people talk in the thread too
        s.sender.event(
            mention_event("what about Massachusetts?", ts="1700000002.000900", thread_ts=root)
        )
        s.fake.wait_for("chat.postMessage", 2)
        s.wait_idle()

        first = sample_answer("Must we delete data on request in California?")
        assert s.answers.asked[1].question == "what about Massachusetts?"
        assert s.answers.asked[1].history == (Turn(first.question, first.answer, ("US-CA",)),)
        replies = s.fake.of("conversations.replies")
        assert replies[0].args["ts"] == root
        second = s.fake.of("chat.postMessage")[1]
        assert second.args["thread_ts"] == root
        assert second.args["text"].startswith("In Massachusetts")


def test_slash_command_is_answered_privately_with_a_share_button():
    with running_slack_app() as s:
        reply = s.sender.command(
            "--jurisdiction CA,MA Must we delete data?",
            response_url=s.fake.response_url(),
            channel=CHANNEL,
        )
        assert reply.status == 200
        assert reply.body == LOOKING_UP
        [private] = s.fake.wait_for("response_url")
        s.wait_idle()
        assert s.answers.asked[0].question == "Must we delete data?"
        assert s.answers.asked[0].jurisdictions == ("CA", "MA")
        assert private.args["response_type"] == "ephemeral"
        assert private.args["blocks"][0]["text"]["text"] == "*Question:* Must we delete data?"
        share = private.args["blocks"][-1]
        assert share["elements"][0]["action_id"] == ACTION_SHARE
        assert share["elements"][0]["text"]["text"] == "Share in channel"
        # nothing is posted for the channel to see
        assert s.fake.of("chat.postMessage") == [] and s.fake.of("reactions.add") == []


def _share_payload(value, *, channel=CHANNEL, response_url):
    return {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "test"},
        "user": {"id": ALICE, "name": "alice", "team_id": TEAM},
        "api_app_id": "A0REGGI",
        "trigger_id": "1.2.trigger",
        "container": {"type": "message", "is_ephemeral": True, "channel_id": channel},
        "channel": {"id": channel, "name": "legal"},
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": ACTION_SHARE,
                "block_id": "reggi_share",
                "value": value,
                "action_ts": "1700000010.0",
            }
        ],
    }


def _share_value(call):
    return call.args["blocks"][-1]["elements"][0]["value"]


def test_share_in_channel_posts_the_same_answer_for_everyone():
    with running_slack_app() as s:
        s.sender.command(
            "Must we delete data?", response_url=s.fake.response_url("ask"), channel=CHANNEL
        )
        [private] = s.fake.wait_for("response_url")
        s.wait_idle()
        reply = s.sender.interaction(
            _share_payload(_share_value(private), response_url=s.fake.response_url("share"))
        )
        assert reply.status == 200
        [public] = s.fake.wait_for("chat.postMessage")
        s.fake.wait_for("response_url", 2)
        s.wait_idle()
        assert public.args["channel"] == CHANNEL
        assert len(s.answers.asked) == 1  # the same answer, not asked again
        assert public.args["blocks"][:-1] == private.args["blocks"][:-1]
        assert public.args["blocks"][-1]["elements"][0]["text"] == f"Shared by <@{ALICE}>"
        assert public.args["metadata"]["event_payload"]["answer_id"] == "ans-0001"
        [done] = [c for c in s.fake.of("response_url") if c.args.get("delete_original")]
        assert done.args["delete_original"] is True


def test_share_where_reggi_cannot_post_goes_through_response_url():
    with running_slack_app() as s:
        s.sender.command(
            "Must we delete data?", response_url=s.fake.response_url("ask"), channel="D0OTHERS"
        )
        [private] = s.fake.wait_for("response_url")
        s.wait_idle()
        s.fake.fail("chat.postMessage", error="channel_not_found")
        s.sender.interaction(
            _share_payload(
                _share_value(private), channel="D0OTHERS", response_url=s.fake.response_url("share")
            )
        )
        s.fake.wait_for("response_url", 3)
        s.wait_idle()
        shared = [
            c for c in s.fake.of("response_url") if c.args.get("response_type") == "in_channel"
        ]
        assert shared[0].args["blocks"][0]["text"]["text"] == "*Question:* Must we delete data?"


def test_share_of_an_unknown_answer_is_refused_privately():
    with running_slack_app() as s:
        s.sender.interaction(_share_payload("no-such-key", response_url=s.fake.response_url()))
        [told] = s.fake.wait_for("response_url")
        s.wait_idle()
        assert told.args["response_type"] == "ephemeral"
        assert "can no longer be shared" in told.args["text"]
        assert s.fake.of("chat.postMessage") == []


@pytest.mark.parametrize("text", ["", "help", "--jurisdiction"])
def test_slash_command_help_shows_usage_and_asks_nothing(text):
    with running_slack_app() as s:
        reply = s.sender.command(text, response_url=s.fake.response_url())
        assert reply.status == 200
        body = reply.json()
        assert "/reggi --jurisdiction CA,MA" in body["text"]
        if text == "--jurisdiction":
            assert body["text"].startswith("Name the jurisdictions")
        s.wait_idle()
        assert s.answers.asked == []
        assert s.fake.of("chat.postMessage") == []


def test_mention_without_a_question_gets_usage_in_the_thread():
    with running_slack_app() as s:
        s.sender.event(mention_event("", ts="1700000003.000100"))
        [post] = s.fake.wait_for("chat.postMessage")
        s.wait_idle()
        assert post.args["thread_ts"] == "1700000003.000100"
        assert "/reggi --jurisdiction CA,MA" in post.args["text"]
        assert USAGE.split("\n")[0] in post.args["text"]
        assert s.answers.asked == []


def test_direct_message_is_answered_in_the_dm():
    with running_slack_app() as s:
        s.sender.event(dm_event("Must we delete data?", ts="1700000004.000100"))
        s.fake.wait_for("reactions.remove")
        s.wait_idle()
        [post] = s.fake.of("chat.postMessage")
        assert post.args["channel"] == DM
        assert "thread_ts" not in post.args
        assert s.fake.of("reactions.add")[0].args["timestamp"] == "1700000004.000100"


def test_dm_follow_up_uses_recent_answers_in_the_dm():
    with running_slack_app() as s:
        ts1 = s.fake.add_message(DM, "Must we delete data in California?")
        s.sender.event(dm_event("Must we delete data in California?", ts=ts1))
        s.fake.wait_for("chat.postMessage")
        s.wait_idle()
        ts2 = s.fake.add_message(DM, "what about Massachusetts?")
        s.sender.event(dm_event("what about Massachusetts?", ts=ts2))
        s.fake.wait_for("chat.postMessage", 2)
        s.wait_idle()
        assert [t.question for t in s.answers.asked[1].history] == [
            "Must we delete data in California?"
        ]


@pytest.mark.parametrize(
    "extra",
    [
        {"bot_id": "B0OTHER"},
        {"bot_id": BOT_ID, "user": BOT_USER},
        {"subtype": "message_changed"},
        {"subtype": "bot_message"},
        {"edited": {"user": ALICE, "ts": "1700000005.000200"}},
        {"channel_type": "channel"},
    ],
)
def test_bots_edits_and_other_channels_are_ignored(extra):
    with running_slack_app() as s:
        reply = s.sender.event(dm_event("Must we delete data?", ts="1700000005.000100", **extra))
        assert reply.status == 200
        s.wait_idle()
        assert s.answers.asked == []
        assert [m for m in s.fake.methods() if m != "auth.test"] == []


def test_edited_mention_is_ignored():
    with running_slack_app() as s:
        event = {
            **mention_event("Must we?", ts="1700000005.000300"),
            "edited": {"user": ALICE, "ts": "1"},
        }
        s.sender.event(event)
        s.wait_idle()
        assert s.answers.asked == []


def test_retries_and_duplicate_deliveries_give_one_answer():
    with running_slack_app() as s:
        event = mention_event("Must we delete data?", ts="1700000006.000100")
        assert s.sender.event(event, event_id="Ev0DUP").status == 200
        assert s.sender.event(event, event_id="Ev0DUP", retry_num=1).status == 200
        assert s.sender.event(event, event_id="Ev0DUP", retry_num=2).status == 200
        assert s.sender.event(event, event_id="Ev0DUP").status == 200
        s.wait_idle()
        assert len(s.answers.asked) == 1
        assert len(s.fake.of("chat.postMessage")) == 1
        # a retry of an event never seen before is answered (the first delivery may have been lost)
        s.sender.event(
            mention_event("Another?", ts="1700000006.000500"),
            event_id="Ev0NEW",
            retry_num=1,
        )
        s.wait_idle()
        assert len(s.fake.of("chat.postMessage")) == 2


def test_oversized_answer_is_split_into_thread_replies_with_every_footnote_intact():
    from bot.answer import Citation

    citations = tuple(
        Citation(
            n,
            f"Reg. § {n}",
            str(n),
            f"Heading {n}",
            "Regs",
            "US-CA",
            f"https://law.example/{n}",
            "x.md",
            f"Quote {n}. " + "The business shall keep records of requests. " * 40,
        )
        for n in range(1, 61)
    )
    big = sample_answer(
        "q",
        answer=" ".join(f"Point {n} [{n}]." for n in range(1, 61)) * 6,
        citations=citations,
    )
    with running_slack_app(answers=FakeAnswers(lambda q, j, h: big.with_changes(question=q))) as s:
        s.sender.event(mention_event("--quotes Everything about records?", ts="1700000007.000100"))
        s.fake.wait_for("reactions.remove")
        s.wait_idle()
        posts = s.fake.of("chat.postMessage")
        assert len(posts) > 1
        assert all(p.args["thread_ts"] == "1700000007.000100" for p in posts)
        assert all(p.args["text"] for p in posts)
        assert all(len(p.args["blocks"]) <= MAX_BLOCKS for p in posts)
        sections = [sec for p in posts for sec in _sections(p)]
        assert all(len(sec) <= SECTION_LIMIT for sec in sections)
        for c in citations:
            assert sum(footnote(c, full_quote=True) in sec for sec in sections) == 1
        assert "metadata" in posts[0].args
        assert all("metadata" not in p.args for p in posts[1:])


def test_channel_ping_and_forged_link_in_a_question_are_escaped():
    echo = FakeAnswers(lambda q, j, h: sample_answer(q, answer=f"You asked: {q} [1]"))
    with running_slack_app(answers=echo) as s:
        s.sender.event(
            mention_event(
                "&lt;!channel&gt; see &lt;https://evil.example|click&gt; now",
                ts="1700000008.000100",
            )
        )
        s.sender.command(
            "<!channel> <https://evil.example|click> &lt;!here&gt;",
            response_url=s.fake.response_url(),
        )
        s.fake.wait_for("chat.postMessage")
        s.fake.wait_for("response_url")
        s.wait_idle()
        assert {a.question for a in s.answers.asked} == {
            "<!channel> see <https://evil.example|click> now",
            "@channel click (https://evil.example) <!here>",
        }
        # what Slack displays: text and blocks (metadata is data for Reggi, never shown)
        posted = json.dumps(
            [
                [c.args["text"], c.args["blocks"]]
                for c in s.fake.of("chat.postMessage") + s.fake.of("response_url")
            ]
        )
        assert "<!channel>" not in posted and "<!here>" not in posted
        assert "<https://evil" not in posted
        assert "&lt;!channel&gt;" in posted
        assert "&lt;!here&gt;" in posted


def _action_payload(action_id, *, thread_ts="1700000009.000100"):
    return {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "test"},
        "user": {"id": ALICE, "name": "alice", "team_id": TEAM},
        "api_app_id": "A0REGGI",
        "trigger_id": "1.2.trigger",
        "container": {
            "type": "message",
            "message_ts": "1700000009.000200",
            "channel_id": CHANNEL,
        },
        "channel": {"id": CHANNEL, "name": "legal"},
        "message": {
            "ts": "1700000009.000200",
            "thread_ts": thread_ts,
            "text": "answer",
        },
        "response_url": "http://127.0.0.1:9/unused",
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "reggi_feedback",
                "value": "ans-0001",
                "action_ts": "1700000010.0",
            }
        ],
    }


def _view_payload(kind, view):
    return {
        "type": kind,
        "team": {"id": TEAM, "domain": "test"},
        "user": {"id": ALICE, "name": "alice", "team_id": TEAM},
        "api_app_id": "A0REGGI",
        "view": {
            **view,
            "id": "V0VIEW",
            "team_id": TEAM,
            "app_id": "A0REGGI",
            "bot_id": BOT_ID,
        },
    }


def test_thumbs_up_is_recorded_and_acknowledged_privately():
    with running_slack_app() as s:
        assert s.sender.interaction(_action_payload(ACTION_UP)).status == 200
        [thanks] = s.fake.wait_for("chat.postEphemeral")
        s.wait_idle()
        assert s.events.of("feedback") == [
            {
                "channel": "slack",
                "user": ALICE,
                "answer_id": "ans-0001",
                "vote": "up",
                "reason": "",
            }
        ]
        assert (thanks.args["user"], thanks.args["channel"], thanks.args["text"]) == (
            ALICE,
            CHANNEL,
            THANKS,
        )
        assert thanks.args["thread_ts"] == "1700000009.000100"


def test_thumbs_down_asks_for_a_reason_and_records_it():
    with running_slack_app() as s:
        s.sender.interaction(_action_payload(ACTION_DOWN))
        [opened] = s.fake.wait_for("views.open")
        s.wait_idle()
        assert s.events.of("feedback") == []
        view = opened.args["view"]
        assert opened.args["trigger_id"] == "1.2.trigger"
        assert view["callback_id"] == REASON_VIEW
        view["state"] = {
            "values": {
                "reason": {
                    "reason": {
                        "type": "plain_text_input",
                        "value": "Wrong section cited",
                    }
                }
            }
        }
        reply = s.sender.interaction(_view_payload("view_submission", view))
        assert reply.status == 200
        s.fake.wait_for("chat.postEphemeral")
        s.wait_idle()
        assert s.events.of("feedback") == [
            {
                "channel": "slack",
                "user": ALICE,
                "answer_id": "ans-0001",
                "vote": "down",
                "reason": "Wrong section cited",
            }
        ]


def test_thumbs_down_with_the_dialog_skipped_is_recorded_without_reason():
    with running_slack_app() as s:
        s.sender.interaction(_action_payload(ACTION_DOWN))
        [opened] = s.fake.wait_for("views.open")
        s.sender.interaction(_view_payload("view_closed", opened.args["view"]))
        s.fake.wait_for("chat.postEphemeral")
        s.wait_idle()
        assert [(f["vote"], f["reason"]) for f in s.events.of("feedback")] == [("down", "")]


def test_rate_limited_web_api_is_waited_out():
    with running_slack_app() as s:
        s.fake.fail("chat.postMessage", status=429, retry_after=1)
        s.sender.event(mention_event("Must we delete data?", ts="1700000011.000100"))
        s.fake.wait_for("reactions.remove")
        s.wait_idle()
        posts = s.fake.of("chat.postMessage")
        assert len(posts) == 2
        assert posts[0].args == posts[1].args
        assert len(s.events.of("answered")) == 1
        assert s.events.of("error") == []


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            ServiceUnavailable("qdrant", "connection refused on 10.0.0.7:6333"),
            QDRANT_DOWN,
        ),
        (
            RuntimeError("Traceback: secret internals"),
            "Sorry — something went wrong while answering.",
        ),
    ],
)
def test_engine_failure_ends_with_an_apology_in_the_thread(error, expected):
    with running_slack_app(answers=FakeAnswers(error=error)) as s:
        s.sender.event(mention_event("Must we delete data?", ts="1700000012.000100"))
        s.fake.wait_for("reactions.remove")
        s.wait_idle()
        [post] = s.fake.of("chat.postMessage")
        assert post.args["thread_ts"] == "1700000012.000100"
        assert post.args["text"].startswith(expected)
        posted = _posted_text([post])
        assert "10.0.0.7" not in posted and "Traceback" not in posted and "internals" not in posted
        assert len(s.events.of("error")) == 1
        assert s.events.of("answered") == []


def test_engine_failure_on_a_command_is_told_privately():
    with running_slack_app(answers=FakeAnswers(error=ServiceUnavailable("qdrant"))) as s:
        s.sender.command("Must we delete data?", response_url=s.fake.response_url())
        [resp] = s.fake.wait_for("response_url")
        s.wait_idle()
        assert resp.args["response_type"] == "ephemeral"
        assert resp.args["text"] == QDRANT_DOWN


def test_failed_post_ends_with_an_apology():
    with running_slack_app() as s:
        s.fake.fail("chat.postMessage", error="msg_too_long")
        s.sender.event(mention_event("Must we delete data?", ts="1700000013.000100"))
        s.fake.wait_for("chat.postMessage", 2)
        s.wait_idle()
        apology = s.fake.of("chat.postMessage")[1]
        assert apology.args["text"].startswith("Sorry — something went wrong")
        assert apology.args["thread_ts"] == "1700000013.000100"


@pytest.mark.parametrize(
    "overrides",
    [
        {"slack_allowed_channels": "C0OTHER"},
        {"slack_allowed_users": "U0BOB,U0CAROL"},
        {"slack_allowed_teams": "T0OTHER"},
    ],
)
def test_allowlist_refuses_politely_and_privately(overrides):
    with running_slack_app(settings_overrides=overrides) as s:
        s.sender.event(mention_event("Must we delete data?", ts="1700000014.000100"))
        [refusal] = s.fake.wait_for("chat.postEphemeral")
        reply = s.sender.command(
            "Must we delete data?", response_url=s.fake.response_url(), channel=CHANNEL
        )
        s.wait_idle()
        assert refusal.args["user"] == ALICE
        assert "isn't enabled for you here" in refusal.args["text"]
        assert "isn't enabled for you here" in reply.json()["text"]
        assert s.answers.asked == []
        assert s.fake.of("chat.postMessage") == []


def test_allowlisted_requester_is_answered():
    overrides = {
        "slack_allowed_channels": CHANNEL,
        "slack_allowed_users": ALICE,
        "slack_allowed_teams": TEAM,
    }
    with running_slack_app(settings_overrides=overrides) as s:
        s.sender.event(mention_event("Must we delete data?", ts="1700000015.000100"))
        s.fake.wait_for("chat.postMessage")
        s.wait_idle()
        assert len(s.answers.asked) == 1


def test_per_user_rate_limit():
    with running_slack_app(store=MemoryStore(allowed=1)) as s:
        s.sender.event(mention_event("First?", ts="1700000016.000100"))
        s.fake.wait_for("chat.postMessage")
        s.sender.event(mention_event("Second?", ts="1700000016.000200"))
        [refusal] = s.fake.wait_for("chat.postEphemeral")
        s.wait_idle()
        assert refusal.args["text"] == user_message(RateLimited())
        assert [a.question for a in s.answers.asked] == ["First?"]
        assert s.store.counts == {f"slack:{TEAM}:{ALICE}": 2}


def test_every_web_api_method_used_has_its_scopes_declared():
    with running_slack_app() as s:
        root = "1700000017.000100"
        s.sender.event(mention_event("q1?", ts=root))
        s.fake.wait_for("chat.postMessage")
        s.wait_idle()
        s.sender.event(mention_event("q2?", ts="1700000017.000200", thread_ts=root))
        s.sender.event(dm_event("q3?", ts="1700000017.000300"))
        s.sender.interaction(_action_payload(ACTION_UP))
        s.sender.interaction(_action_payload(ACTION_DOWN))
        s.fake.wait_for("views.open")
        s.wait_idle()
        used = set(s.fake.methods())
        assert {
            "conversations.replies",
            "conversations.history",
            "chat.postEphemeral",
            "views.open",
        } <= used
        assert used <= set(SCOPES_BY_METHOD)


def test_command_is_acked_while_every_answer_worker_is_busy():
    gate = threading.Event()

    def slow(question, codes, history):
        gate.wait(WAIT_SECONDS)
        return sample_answer(question)

    with running_slack_app(answers=FakeAnswers(slow)) as s:
        try:
            for i in range(12):  # more than either thread pool holds
                ts = f"1700000018.{i:06d}"
                assert s.sender.event(mention_event(f"q{i}?", ts=ts)).status == 200
            reply = s.sender.command("Must we?", response_url=s.fake.response_url())
            assert (reply.status, reply.body) == (200, LOOKING_UP)
            assert not gate.is_set() and s.fake.of("chat.postMessage") == []
        finally:
            gate.set()
        s.fake.wait_for("chat.postMessage", 12)
        s.fake.wait_for("response_url")
        s.wait_idle()


def _export_payload(post, *, response_url: str) -> dict:
    block = next(b for b in post.args["blocks"] if b.get("block_id") == "reggi_export")
    return {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": ALICE},
        "channel": {"id": CHANNEL},
        "container": {"type": "message", "channel_id": CHANNEL, "message_ts": "1700000009.000100"},
        "message": {"ts": "1700000009.000100", "thread_ts": post.args["thread_ts"]},
        "response_url": response_url,
        "actions": [{"action_id": ACTION_EXPORT, "value": block["elements"][0]["value"]}],
    }


def test_export_to_word_uploads_the_memo_in_the_thread():
    import io

    from docx import Document

    with running_slack_app() as s:
        s.sender.event(mention_event("Must we delete data on request?", ts="1700000001.000100"))
        [post] = s.fake.wait_for("chat.postMessage")
        s.wait_idle()
        reply = s.sender.interaction(
            _export_payload(post, response_url=s.fake.response_url("export"))
        )
        assert reply.status == 200
        [done] = s.fake.wait_for("files.completeUploadExternal")
        s.wait_idle()
        assert len(s.answers.asked) == 1  # the answer shown, not asked again
        assert done.args["channel_id"] == CHANNEL
        assert done.args["thread_ts"] == "1700000001.000100"
        [(file_id, data)] = s.fake.uploads.items()
        files = (
            json.loads(done.args["files"])
            if isinstance(done.args["files"], str)
            else done.args["files"]
        )
        assert files[0]["id"] == file_id
        doc = Document(io.BytesIO(data))
        assert "Must we delete data on request?" in [p.text for p in doc.paragraphs]
        [upload_url] = s.fake.of("files.getUploadURLExternal")
        assert upload_url.args["filename"] == "reggi-memo-ans-0001.docx"
        for method in ("files.getUploadURLExternal", "files.completeUploadExternal"):
            assert "files:write" in SCOPES_BY_METHOD[method]


def test_export_of_an_unknown_answer_is_refused_privately():
    with running_slack_app() as s:
        s.sender.event(mention_event("Must we delete data on request?", ts="1700000001.000100"))
        [post] = s.fake.wait_for("chat.postMessage")
        s.wait_idle()
        payload = _export_payload(post, response_url=s.fake.response_url("export"))
        payload["actions"][0]["value"] = "no-such-key"
        s.sender.interaction(payload)
        [notice] = s.fake.wait_for("response_url")
        assert "can no longer be exported" in json.dumps(notice.args)
        assert not s.fake.of("files.completeUploadExternal")
