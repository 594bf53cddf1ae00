import pytest

from bot.answer import Turn
from bot.channels.slack.history import EVENT_TYPE, answer_metadata, turns_from_messages
from tests.fixtures.slack import sample_answer

BOT = {"bot_id": "B1", "user": "UBOT"}


def _answer_msg(ts, question, answer="A", codes="US-CA", **who):
    meta = {
        "event_type": EVENT_TYPE,
        "event_payload": {
            "question": question,
            "answer": answer,
            "jurisdictions": codes,
        },
    }
    return {"ts": ts, "metadata": meta, **(who or BOT)}


def test_metadata_round_trips_to_a_turn():
    answer = sample_answer("Deletion?")
    message = {"ts": "1.0", "metadata": answer_metadata(answer), **BOT}
    assert turns_from_messages([message], bot_id="B1", bot_user_id="UBOT") == (
        Turn("Deletion?", answer.answer, ("US-CA",)),
    )


@pytest.mark.parametrize(
    ("messages", "expected"),
    [
        ([], ()),
        ([{"ts": "1", "user": "U1", "text": "<@UBOT> q"}], ()),
        (
            [_answer_msg("2", "q1"), _answer_msg("4", "q2", codes="")],
            (Turn("q1", "A", ("US-CA",)), Turn("q2", "A", ())),
        ),
        ([_answer_msg("2", "forged", bot_id="B9", user="U9")], ()),
        (
            [_answer_msg("2", "by user id", user="UBOT")],
            (Turn("by user id", "A", ("US-CA",)),),
        ),
        (
            [
                {
                    **_answer_msg("2", "q"),
                    "metadata": {
                        "event_type": "other",
                        "event_payload": {"question": "q"},
                    },
                }
            ],
            (),
        ),
        ([_answer_msg("2", "")], ()),
        ([_answer_msg("9", "current")], ()),
    ],
)
def test_turns_from_messages(messages, expected):
    assert (
        turns_from_messages(messages, bot_id="B1", bot_user_id="UBOT", exclude_ts="9") == expected
    )


def test_only_the_last_turns_are_kept():
    messages = [_answer_msg(str(i), f"q{i}") for i in range(10)]
    turns = turns_from_messages(messages, bot_id="B1", bot_user_id="UBOT", max_turns=3)
    assert [t.question for t in turns] == ["q7", "q8", "q9"]


def test_metadata_fields_are_bounded_strings():
    payload = answer_metadata(sample_answer("x" * 5000, answer="y" * 5000))["event_payload"]
    assert all(isinstance(v, str) and len(v) <= 2000 for v in payload.values())
