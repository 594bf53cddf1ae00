import pytest

from bot.engine.sentences import best_sentences, sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One sentence here. Two sentences here.", ["One sentence here.", "Two sentences here."]),
        ("See Cal. Civ. Code § 1798.100. Then more.", ["See Cal. Civ. Code § 1798.100.", "Then more."]),
        ("Under 15 U.S.C. 7704 the rule applies. Next.", ["Under 15 U.S.C. 7704 the rule applies.", "Next."]),
        ("(a) First paragraph.\n\n(b) Second paragraph.", ["(a) First paragraph.", "(b) Second paragraph."]),
        ("e.g. this stays whole. Yes.", ["e.g. this stays whole.", "Yes."]),
    ],
)  # fmt: skip
def test_sentences(text, expected):
    assert sentences(text) == expected


def test_every_sentence_is_verbatim():
    text = "(a) A business shall notify. It must do so within 45 days.\n\n(b) Another rule applies here, e.g. for minors."
    for s in sentences(text):
        assert s in text


def test_best_sentences_prefers_the_question_terms_and_keeps_order():
    text = (
        "This title shall be known as the Act. A business shall respond to a request to delete "
        "within 45 calendar days of receiving it. Nothing here limits other laws in any way at all."
    )
    chosen = best_sentences(text, "how many days to respond to a delete request", limit=1)
    assert chosen == [
        "A business shall respond to a request to delete within 45 calendar days of receiving it."
    ]


def test_a_repeated_sentence_is_quoted_once():
    text = (
        "(2) The categories of sources of personal information.\n\n(b) Other text here.\n\n"
        "(2) The categories of sources of personal information."
    )
    assert best_sentences(text, "categories of sources", limit=2) == [
        "(2) The categories of sources of personal information."
    ]
