import pytest

from bot.engine.thesaurus import expand


@pytest.mark.parametrize(
    ("question", "added"),
    [("How do I let people unsubscribe from our emails?", "opt-out request"),
     ("Can a customer sue us?", "civil action"),
     ("What must our vendor contract say?", "service provider processor contractor"),
     ("What is the deadline?", "days time period")],
)  # fmt: skip
def test_expand_adds_statutory_words(question, added):
    expanded = expand(question)
    assert expanded.startswith(question) and added in expanded


def test_expand_leaves_plain_questions_alone():
    assert expand("What is personal information?") == "What is personal information?"
