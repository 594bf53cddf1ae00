from bot.engine.plan import Direct, SearchSpec, plan
from bot.engine.query import section_refs
from tests.bot.engine.fakes import RULES, catalogue

COVERED = {"US-CA", "US"}


def make(question, asked=("US-CA",)):
    return plan(
        question, asked=asked, refs=section_refs(question), catalogue=catalogue(), covered=COVERED
    )


def test_a_state_is_searched_with_federal_law():
    p = make("How fast must we delete data?")
    assert p.searches == [SearchSpec("US-CA", ("US-CA", "US"))] and not p.declines


def test_no_jurisdiction_searches_everything():
    assert make("How fast must we delete data?", asked=()).searches == [SearchSpec(None, ())]


def test_uncovered_place_declines_and_says_which():
    p = make("Breach rules in Oregon?", asked=("US-OR",))
    assert p.declined and p.missing == ["US-OR"]
    assert "for Oregon" in p.declines[0].text


def test_a_named_section_is_answered_directly_with_its_subdivision():
    p = make("What does § 700(b) say?")
    assert p.direct == [Direct(RULES, "700", "(b)")] and not p.searches


def test_a_named_section_is_also_searched_when_the_question_says_what_it_is_about():
    p = make("Does § 700 cover parental consent for children's accounts?")
    assert p.direct == [Direct(RULES, "700", "")]
    assert p.searches == [SearchSpec("US-CA", ("US-CA", "US"))]


def test_a_section_that_does_not_exist_is_declined_plainly():
    p = make("What does § 10.9 say?")
    assert p.declined
    assert p.declines[0].text == "statute.md has no § 10.9 (it has §§ 10.1–10.3)."


def test_a_section_missing_from_an_incomplete_instrument_says_so():
    p = make("Explain § 5.9 please", asked=("US",))
    assert p.declined and p.declines[0].reason == "missing"
    assert "incomplete" in p.declines[0].text


def test_a_topic_the_missing_note_names_is_declined():
    p = make("What must our security program contain?", asked=("US",))
    assert p.declined and p.declines[0].reason == "missing"


def test_another_field_of_law_is_declined():
    p = make("Is the indemnification clause in our vendor contract enforceable?")
    assert p.declined and "contract law" in p.declines[0].text
