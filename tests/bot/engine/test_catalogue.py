import pytest

from bot.engine.catalogue import Catalogue
from tests.bot.engine.fakes import FED, RULES, STATUTE, catalogue


def test_instruments_and_spans():
    cat = catalogue()
    assert cat.instruments[STATUTE].span() == "§§ 10.1–10.3"
    assert cat.instruments[RULES].instrument_type == "regulation"
    assert not cat.instruments[FED].complete


def test_cross_references_resolve_both_ways():
    cat = catalogue()
    assert cat.related((RULES, "700")) == [(STATUTE, "10.2")]
    assert cat.related((STATUTE, "10.2")) == [(RULES, "700")]


def test_instrument_for_a_number_it_does_not_have():
    cat = catalogue()
    assert cat.instrument_for_number("10.9", ["US-CA"]).source == STATUTE
    assert cat.instrument_for_number("702", ["US-CA"]).source == RULES
    assert cat.instrument_for_number("99.1", ["US-CA"]) is None
    assert cat.find("10.2")[0].heading == "Right to delete"


def _titled(source, title, short=""):
    from tests.bot.engine.fakes import payload

    return {**payload(source, "1"), "title": title, "short_title": short}


NAMED = [
    _titled("a/statute.md", "Example Consumer Privacy Act (XCPA/XPRA)", "XCPA"),
    _titled("a/rules.md", "XCPA Regulations"),
    _titled("b/health.md", "Health Rule (HRULE) Part 1"),
    _titled("b/health2.md", "Health Rule (HRULE) Part 2"),
    _titled("b/health3.md", "Health Rule (HRULE) Part 3"),
    _titled("c/code.md", "Code (ABC)"),
]


@pytest.mark.parametrize(
    ("question", "sources"),
    [("What does the XCPA require?", {"a/statute.md", "a/rules.md"}),
     ("under the xpra, may we sell?", {"a/statute.md"}),
     ("HRULE breach notice", set()),  # names three instruments: too general to tell
     ("ABC rules", {"c/code.md"}),
     ("abc rules", set()),  # short names count only as written
     ("XCPAS and the ABCD", set())],
)  # fmt: skip
def test_instruments_named_by_the_acronyms_of_their_titles(question, sources):
    assert Catalogue.from_payloads(NAMED).named_sources(question) == sources
