import pytest

from bot.engine.named import fits, has_topic, topic_terms, without_refs
from bot.engine.query import section_refs
from bot.engine.select import select
from tests.bot.engine.fakes import RULES, STATUTE, catalogue, ranked


@pytest.mark.parametrize(
    ("question", "left"),
    [("What does § 700(b) say?", "What does say?"),
     ("Art. 9(2)(a) and consent", "and consent"),
     ("no reference here", "no reference here")],
)  # fmt: skip
def test_references_are_taken_out_as_written(question, left):
    assert without_refs(question, section_refs(question)) == left


@pytest.mark.parametrize(
    ("question", "topic"),
    [("What does GDPR Art. 33 say?", False),
     ("Explain 45 CFR 164.404 please", False),
     ("Quote section 12.5 of the code exactly", False),
     ("Art. 15 — the right to be forgotten?", True),
     ("§ 700: deleting a child's account data", True)],
)  # fmt: skip
def test_a_question_says_what_it_is_about_beyond_naming_a_section(question, topic):
    refs = section_refs(question)
    assert has_topic(question, refs) is topic, topic_terms(question, refs)


def test_a_named_section_fits_when_the_topic_search_ranks_it_near_its_best():
    r = ranked({"700": 0.8, "10.2": 0.75, "10.1": 0.1}, {"700": 20.0, "10.2": 18.0, "10.1": 1.0})
    searches = [select("requests to delete", "US-CA", r, catalogue())]
    assert fits((RULES, "700"), searches, ratio=0.72)
    assert fits((STATUTE, "10.2"), searches, ratio=0.72)
    assert not fits((STATUTE, "10.1"), searches, ratio=0.72)  # far below the best
    assert not fits((STATUTE, "10.3"), searches, ratio=0.72)  # not even a candidate
