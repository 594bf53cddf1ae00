"""`POST /slack/events` on a bare FastAPI app: Slack's signature is checked for real."""

import json
import time
import urllib.request

import pytest

from tests.fixtures.slack import mention_event, running_slack_app


@pytest.mark.parametrize(
    ("timestamp", "signature"),
    [
        (None, "v0=" + "0" * 64),  # wrong signature
        (None, "not-a-signature"),
        (int(time.time()) - 10 * 60, None),  # correctly signed, but stale (replay)
        (int(time.time()) + 10 * 60, None),  # from the future
    ],
)
def test_bad_signature_or_stale_timestamp_is_401_and_nothing_happens(timestamp, signature):
    with running_slack_app() as s:
        body = s.sender.event_body(mention_event("Must we delete data?", ts="1700000020.000100"))
        reply = s.sender.post(body, timestamp=timestamp, signature=signature)
        s.wait_idle()
        assert reply.status == 401
        assert s.fake.calls == []
        assert s.answers.asked == []
        assert s.store.keys == {}


def test_signed_with_another_secret_is_401():
    with running_slack_app() as s:
        body = s.sender.event_body(mention_event("q", ts="1700000020.000200"))
        ts = str(int(time.time()))
        from slack_sdk.signature import SignatureVerifier

        forged = SignatureVerifier("someone-elses-secret").generate_signature(
            timestamp=ts, body=body
        )
        assert s.sender.post(body, timestamp=int(ts), signature=forged).status == 401
        assert s.fake.calls == []


def test_url_verification_challenge_is_answered():
    with running_slack_app() as s:
        reply = s.sender.post(
            json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"})
        )
        assert reply.status == 200
        assert reply.json() == {"challenge": "abc123"}


def test_only_post_is_routed():
    with running_slack_app() as s:
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(s.sender.url, timeout=5)
        assert info.value.code == 405
