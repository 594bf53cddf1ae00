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


@pytest.mark.parametrize(
    ("question", "added"),
    [("Is a DPIA needed for this?", "data protection impact assessment"),
     ("Our BA lost a laptop", "business associate"),
     ("Do our BAAs cover this?", "business associate agreement"),
     ("Which SCCs apply?", "standard contractual clauses"),
     ("Must we honor GPC?", "opt-out preference signal"),
     ("Who can be our DPO?", "data protection officer"),
     ("the right to delete", "erasure")],
)  # fmt: skip
def test_expand_spells_out_acronyms_of_the_field(question, added):
    expanded = expand(question)
    assert expanded.startswith(question) and added in expanded


@pytest.mark.parametrize("question", ["what is a ba?", "the dpo of the BAND", "PIANO lessons"])
def test_acronyms_match_only_as_written_and_as_whole_words(question):
    assert expand(question) == question
