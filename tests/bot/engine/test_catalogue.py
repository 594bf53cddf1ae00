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
