from llama_index.core.schema import NodeWithScore, TextNode

from bot.engine.quotes import make_citation, quote_for

PARAS = [
    ("(a)", "(a) A business shall notify the consumer within 30 days of the request."),
    ("(a)(1)", "(1) For example, Business H, a coffee shop, shall notify within 30 days."),
    ("(b)", "(b) Nothing in this title shall require a business to notify a consumer."),
    ("(c)", "(c) The notice shall be in plain language."),
]


def node(pinpoint=""):
    metadata = {"paragraph_labels": [label for label, _ in PARAS], "citation": "Code § 1"}
    if pinpoint:
        metadata["pinpoint"] = pinpoint
    return NodeWithScore(node=TextNode(text="\n\n".join(t for _, t in PARAS), metadata=metadata))


def test_the_operative_rule_not_an_example_or_a_carve_out():
    quotes = quote_for(node(), "When must a business notify the consumer?")
    assert quotes == [PARAS[0][1]]
    assert make_citation(1, node(), quotes).subsection == "(a)"


def test_an_example_or_exception_when_asked_for():
    assert quote_for(node(), "Give an example of notifying a consumer")[0] == PARAS[1][1]
    assert "Nothing" in quote_for(node(), "Is there an exception to notifying the consumer?")[0]


def test_a_named_subdivision_wins():
    quotes = quote_for(node("(c)"), "When must a business notify the consumer?")
    assert make_citation(1, node("(c)"), quotes).subsection == "(c)"


def test_every_quote_of_a_footnote_comes_from_one_subdivision():
    quotes = quote_for(node(), "notify consumer within days plain language", limit=3)
    labels = {label for label, text in PARAS for q in quotes if q in text}
    assert len(labels) == 1
