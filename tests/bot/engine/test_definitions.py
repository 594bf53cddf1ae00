import pytest

from bot.engine.definitions import asked_terms, defines, defining, defining_label


@pytest.mark.parametrize(
    ("question", "terms"),
    [("What is a widget under the Example act?", ["widget"]),
     ("Are we even a 'dealer' under the code?", ["dealer"]),
     ("Do serial numbers count as “device data”?", ["device data"]),
     ("Are badge photos and door logs 'records' here?", ["records"]),
     ("What does 'holder' mean?", ["holder"]),
     ("The 'Accept' button — is that ok?", []),  # quoted, but no question of meaning
     ("How fast must we reply?", [])],
)  # fmt: skip
def test_the_terms_a_definitional_question_asks_about(question, terms):
    assert asked_terms(question) == terms


@pytest.mark.parametrize(
    ("text", "term", "defined"),
    [("(d) “Dealer” means a person who sells.", "dealer", True),
     ("(2) ‘device data’ means any data;", "device data", True),
     ("(ad) (1) “Sell,” “selling,” “sale,” or “sold,’’ means selling", "sale", True),
     ("“Sale of widgets” means the exchange of widgets.", "sale", True),
     ("Holder: (1) Except as provided, holder means a person", "holder", True),
     ("(2) Commercial message", "commercial message", True),
     ("A dealer shall keep records.", "dealer", False),
     ("“Dealership” means a place.", "dealer", False)],
)  # fmt: skip
def test_a_definition_of_the_term(text, term, defined):
    assert defines(text, term) is defined


def test_the_defining_pieces_and_paragraph():
    text = "(1) “Holder” means a person.\n\n(2) “Widget” means a device."
    assert defining([("a", text), ("b", "Nothing here.")], ["widget"]) == ["a"]
    assert defining_label(text, ["(1)", "(2)"], ["widget"]) == "(2)"
    assert defining_label(text, ["(1)"], ["widget"]) == ""  # labels do not line up
