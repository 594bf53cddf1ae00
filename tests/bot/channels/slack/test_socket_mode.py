"""Socket Mode: the same Bolt app, reached over a WebSocket instead of HTTP."""

import json

from bot.channels.slack.app import build_slack_app
from bot.channels.slack.socket_mode import start_socket_mode
from bot.compose import slack_config
from bot.ops.events import RecordingEvents
from bot.settings import load_settings
from tests.fixtures.slack import (
    APP_TOKEN,
    BOT_TOKEN,
    CHANNEL,
    FakeAnswers,
    FakeSlackApi,
    FakeSocketModeServer,
    MemoryStore,
    SlackSender,
    TrackingExecutor,
    client_for,
    mention_event,
)


def test_mention_over_socket_mode_is_acked_and_answered_without_a_signing_secret():
    ws = FakeSocketModeServer().start()
    listeners, work = TrackingExecutor(), TrackingExecutor()
    try:
        with FakeSlackApi() as fake:
            fake.socket_url = ws.url
            settings = load_settings(
                _env_file=None,
                slack_bot_token=BOT_TOKEN,
                slack_app_token=APP_TOKEN,
                slack_api_url=fake.api_url,
            )
            answers = FakeAnswers()
            bolt_app = build_slack_app(
                config=slack_config(settings),
                answers=answers,
                store=MemoryStore(),
                events=RecordingEvents(),
                client=client_for(settings),
                listener_executor=listeners,
                work_executor=work,
            )
            handler = start_socket_mode(bolt_app, APP_TOKEN)
            try:
                ws.wait_connected()
                body = json.loads(
                    SlackSender("unused").event_body(
                        mention_event("Deletion?", ts="1700000030.000100")
                    )
                )
                ws.send(
                    {
                        "envelope_id": "env-1",
                        "type": "events_api",
                        "payload": body,
                        "accepts_response_payload": False,
                        "retry_attempt": 0,
                        "retry_reason": "",
                    }
                )
                assert ws.wait_ack("env-1") == {"envelope_id": "env-1"}
                [post] = fake.wait_for("chat.postMessage")
                listeners.wait_idle()
                work.wait_idle()
                assert post.args["channel"] == CHANNEL
                assert post.args["thread_ts"] == "1700000030.000100"
                assert answers.asked[0].question == "Deletion?"
                assert (
                    fake.of("apps.connections.open")[0].headers["authorization"]
                    == f"Bearer {APP_TOKEN}"
                )
            finally:
                handler.close()
    finally:
        listeners.shutdown(wait=True)
        work.shutdown(wait=True)
        ws.stop()
