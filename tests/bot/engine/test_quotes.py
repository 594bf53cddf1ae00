import pytest
from llama_index.core.schema import NodeWithScore, TextNode

from bot.engine.quotes import asked, choose, make_citation, quote_for

PARAS = [
    ("(a)", "(a) A business shall notify the consumer within 30 days of the request."),
    ("(a)(1)", "(1) For example, Business H, a coffee shop, shall notify within 30 days."),
    ("(b)", "(b) Nothing in this title shall require a business to notify a consumer."),
    ("(c)", "(c) The notice shall be in plain language."),
]


def section(paras, pinpoint=""):
    metadata = {"paragraph_labels": [label for label, _ in paras], "citation": "Code § 1"}
    if pinpoint:
        metadata["pinpoint"] = pinpoint
    text = "\n\n".join(t for _, t in paras)
    return NodeWithScore(node=TextNode(text=text, metadata=metadata))


# Synthetic sections in the shapes the corpus has; each row: the section's paragraphs, a
# question, and the label the chooser must quote.
BREACH = [
    (
        "(1)",
        "1. In the case of a breach, the controller shall without undue delay and not later than 72 hours after having become aware of it notify the authority.",
    ),
    (
        "(2)",
        "2. The processor shall notify the controller without undue delay after becoming aware of a breach.",
    ),
    ("(3)", "3. The notification referred to in paragraph 1 shall at least:"),
    ("(3)(a)", "(a) describe the nature of the breach;"),
    ("(3)(b)", "(b) communicate the name of the contact point;"),
    (
        "(4)",
        "4. Where it is not possible to provide the information at the same time, it may be provided in phases.",
    ),
]
LIST = [
    ("(a)", "(a) A person that holds records shall protect them."),
    ("(b)", "(b) The notice to a resident shall include the following:"),
    ("(b)(1)", "(1) the resident's right to obtain a police report;"),
    ("(b)(2)", "(2) how to request a security freeze."),
    (
        "(c)",
        "(c) The department shall adopt regulations relative to any person that holds records.",
    ),
]
DEFINITIONS = [
    ("(a)", "(a) “Consent” means any freely given, specific and informed indication of wishes."),
    (
        "(b)",
        "(b) “Sale” means selling, renting or releasing personal information for monetary or other valuable consideration.",
    ),
    (
        "(c)",
        "(c) “Share” means disclosing personal information for cross-context behavioral advertising.",
    ),
]
EXCEPTIONS = [
    (
        "(a)",
        "(a) A consumer shall have the right to request that a business delete personal information.",
    ),
    (
        "(b)",
        "(b) A business shall not be required to comply with a request to delete if it is reasonably necessary to:",
    ),
    ("(b)(1)", "(1) Complete the transaction;"),
    ("(b)(2)", "(2) Comply with a legal obligation."),
]
NOTIFY = [
    (
        "(2)",
        "2. Any person which owns data shall disclose any breach in the most expedient time possible and without unreasonable delay.",
    ),
    (
        "(2)(a)",
        "(a) Notice is not required if the exposure was an inadvertent disclosure; a copy of the determination shall be provided to the attorney general within ten days.",
    ),
    ("", "2021, c. 117."),
]
OWNERS = [
    (
        "(a)",
        "(a) A person that maintains or stores, but does not own or license data, shall notify the owner of a breach.",
    ),
    (
        "(b)",
        "(b) A person that owns or licenses data shall notify the attorney general and the resident of a breach.",
    ),
]
# A general rule and a specific case that opens with its condition ("Where …,").
ERASURE = [
    (
        "(1)",
        "1. The data subject shall have the right to obtain from the controller the erasure of personal data, and the controller shall erase personal data without undue delay.",
    ),
    (
        "(2)",
        "2. Where the controller has made the personal data public and is obliged to erase them, the controller shall take reasonable steps to inform other controllers of the request for erasure.",
    ),
]
CASES = [
    (ERASURE, "how must a controller handle a request for erasure of personal data?", "(1)"),
    (ERASURE, "the controller made the personal data public: whom must it inform of an erasure request?", "(2)"),
    (OWNERS, "we store the data for a client but don't own it: who do we notify of a breach?", "(a)"),
    (OWNERS, "we own the data: who do we notify of a breach?", "(b)"),
    (BREACH, "how many hours does a controller have to report a breach to the authority", "(1)"),
    (BREACH, "what must the breach notification contain at least", "(3)"),
    (LIST, "what must the letter to residents include", "(b)"),
    (LIST, "who has to protect records", "(a)"),
    (DEFINITIONS, "what counts as a sale?", "(b)"),
    (DEFINITIONS, "is cross-context behavioral advertising sharing?", "(c)"),
    (EXCEPTIONS, "when can a business refuse to delete?", "(b)"),
    (EXCEPTIONS, "does a consumer have a right to deletion?", "(a)"),
    (NOTIFY, "when must we notify residents after a breach?", "(2)"),
    (PARAS, "When must a business notify the consumer?", "(a)"),
    (PARAS, "Give an example of notifying a consumer", "(a)(1)"),
    (PARAS, "Is there an exception to notifying the consumer?", "(b)"),
]  # fmt: skip


@pytest.mark.parametrize(("paras", "question", "label"), CASES)
def test_the_subdivision_that_states_the_rule_asked_about(paras, question, label):
    choice = choose(section(paras), question)
    assert choice is not None and choice.label == label
    assert all(q in dict(paras)[label] for q in choice.quotes)


def test_a_lead_in_brings_its_items_in_order():
    choice = choose(section(LIST), "what must the letter to residents include")
    assert choice.text.startswith("(b) The notice to a resident shall include the following: (1)")
    assert choice.text.index("(1) the resident") < choice.text.index("(2) how to request")
    assert "(c)" not in choice.text


def test_a_named_subdivision_wins():
    quotes = quote_for(section(PARAS, "(c)"), "When must a business notify the consumer?")
    assert make_citation(1, section(PARAS, "(c)"), quotes).subsection == "(c)"


def test_every_quote_of_a_footnote_comes_from_one_subdivision():
    quotes = quote_for(section(PARAS), "notify consumer within days plain language", limit=3)
    labels = {label for label, text in PARAS for q in quotes if q in text}
    assert len(labels) == 1


def test_dense_similarity_decides_between_close_candidates():
    paras = [
        ("(a)", "(a) A person that maintains or stores data it does not own shall tell the owner."),
        ("(b)", "(b) A person that owns data shall tell the attorney general."),
    ]
    question = "we only host the data for a client"

    def prefers_storing(texts):
        return [1.0 if "stores" in t else 0.0 for t in texts]

    assert choose(section(paras), question, similarity=prefers_storing).label == "(a)"


@pytest.mark.parametrize(
    ("question", "example", "exception", "deadline"),
    [
        ("Give me an example of a dark pattern", True, False, False),
        ("When can we refuse to erase?", False, True, True),
        ("how long do we have to respond", False, False, True),
        ("Dear colleague, is a DPIA compulsory? Kind regards, Dana", False, False, False),
    ],
)
def test_what_a_question_asks_for(question, example, exception, deadline):
    a = asked(question)
    assert (a.example, a.exception, a.deadline) == (example, exception, deadline)
    assert not {"regard", "dear", "dana", "kind"} & a.terms


SECTION_LIST = [
    ("", "In determining the amount of a penalty, the Secretary will consider the following:"),
    ("(a)", "(a) The nature of the violation;"),
    ("(a)(1)", "(1) The number of individuals affected;"),
    ("(b)", "(b) The harm resulting from the violation;"),
    ("(c)", "(c) The history of prior compliance."),
]


def test_a_section_wide_lead_in_is_cited_to_the_span_of_its_items():
    choice = choose(
        section(SECTION_LIST), "what factors are considered for the amount of a penalty"
    )
    assert choice.label == "(a)–(c)"
    assert choice.text.endswith("(c) The history of prior compliance.")


def test_the_opening_paragraph_of_a_named_subdivision_wins():
    paras = [
        ("(b)", "(b) A covered entity shall notify without unreasonable delay after a breach."),
        (
            "(c)(1)",
            "(c) Content of notification —(1) Elements. The notice shall include the following:",
        ),
        ("(c)(1)(A)", "(A) A brief description of what happened in the breach;"),
        ("(c)(1)(B)", "(B) The types of information involved in the breach."),
    ]
    choice = choose(section(paras, "(c)"), "what has to go in the breach letter?")
    assert choice.label == "(c)(1)" and "(B) The types" in choice.text


def test_an_example_sentence_is_quoted_only_when_an_example_is_asked_for():
    paras = [
        ("(a)", "(a) More than one business may control the collection of a consumer's data. "
         "For example, a first party may allow another business to control the collection of "
         "a consumer's data on its website."),
    ]  # fmt: skip
    plain = choose(section(paras), "which business controls the collection of data on a website?")
    assert plain is not None and plain.lead.startswith("(a) More than one business")
    example = choose(section(paras), "give an example of a business controlling the collection")
    assert example is not None and example.lead.startswith("For example")


@pytest.mark.parametrize(
    ("paras", "label", "lead_in"),
    [
        (LIST, "(b)(2)", "(b) The notice to a resident shall include the following:"),
        (LIST, "(b)", ""),  # a lead-in itself brings its items, not a lead-in above
        (LIST, "(a)", ""),  # not an item of a list
        (BREACH, "(3)(a)", "3. The notification referred to in paragraph 1 shall at least:"),
    ],
)
def test_an_item_is_quoted_with_the_lead_in_that_governs_it(paras, label, lead_in):
    choice = choose(section(paras, pinpoint=label), "what does it require?")
    assert choice is not None and choice.label == label
    if lead_in:
        assert choice.quotes[0] == lead_in
        assert choice.text.startswith(f"{lead_in} … ")
    else:  # the quote starts in the chosen subdivision itself
        assert choice.quotes[0] in dict(paras)[label]
