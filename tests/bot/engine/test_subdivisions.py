import pytest
from llama_index.core.schema import NodeWithScore, TextNode

from bot.engine.subdivisions import complete, features, subdivisions


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("(a) A business shall notify the consumer.", "rule"),
        ("(4) Prohibition of transmission after objection", "heading"),
        ("(3) Illustrative examples follow.", "example"),
        ("(A) Business U, a retailer, sells data through real-time bidding.", "example"),
        ("(c) Nothing in this title shall be interpreted to create a private right of action.", "exception"),
        ("(a) Notice is not required if the exposure was inadvertent.", "exception"),
        ("(b) “Sale” means selling personal information.", "defines"),
        ("Breach means the acquisition of protected health information.", "defines"),
        ("(a) The department shall adopt regulations relative to any person.", "authority"),
        ("5. The supervisory authority may establish a list.", "authority"),
        ("[78 FR 5695, Jan. 25, 2013]", "history"),
        ("2021, Sp. Sess. I, cc. 35, 36.", "history"),
        ("Note: Authority cited: Section 1798.185, Civil Code.", "history"),
        ("(b) A covered entity shall notify no later than 60 calendar days after discovery.", "time_limit"),
        ("(A) Be posted for a period of 90 days on the home page.", "no time limit"),
        ("(d) the need for security of consumer information.", "fragment"),
    ],
)  # fmt: skip
def test_what_a_paragraph_is(text, kind):
    f = features(text)
    found = {
        "rule": f.rule,
        "heading": f.heading,
        "example": f.example,
        "exception": f.exception,
        "defines": f.defines is not None,
        "authority": f.authority is not None,
        "history": f.history,
        "time_limit": f.time_limit,
        "no time limit": not f.time_limit,
        "fragment": f.fragment,
    }
    assert found[kind], (kind, f)


def test_a_definition_knows_its_term_and_a_rule_its_authority():
    assert features("(b) “Sale” means selling.").defines == {"sale"}
    assert features("(ad) (1) “Sell,” “selling,” “sale,” or “sold,’’ means selling").defines == {
        "sell",
        "sale",
        "sold",
    }
    assert features("(A) A brief description of what happened;").fragment
    assert features("(a) The department shall adopt regulations.").authority == {"depar"}
    assert features("(a) A business shall notify.").authority is None


def node(paras):
    text = "\n\n".join(t for _, t in paras)
    return NodeWithScore(
        node=TextNode(text=text, metadata={"paragraph_labels": [lab for lab, _ in paras]})
    )


def test_each_subdivision_knows_its_lead_ins_and_items():
    subs = subdivisions(
        node([
            ("(c)(1)", "(c) Content —(1) Elements. The notice shall include:"),
            ("(c)(1)(A)", "(A) What happened;"),
            ("(c)(1)(B)", "(B) What to do."),
            ("(c)(2)", "(2) Plain language."),
        ])
    )  # fmt: skip
    assert [s.label for s in subs] == ["(c)(1)", "(c)(1)(A)", "(c)(1)(B)", "(c)(2)"]
    assert subs[0].items == (1, 2) and subs[1].ancestors == (0,) and subs[3].items == ()
    assert complete(subs[0].text, [subs[1], subs[2]]) == (
        "(c) Content —(1) Elements. The notice shall include: (A) What happened; (B) What to do."
    )
    assert complete("(2) Plain language.", [subs[1]]) == "(2) Plain language."


def test_what_a_text_negates():
    from bot.engine.subdivisions import negated

    assert negated("a person that maintains, but does not own or license data") == {"own", "licen"}
    assert negated("we host it, we don't own it") == {"own"}
    assert negated("Notice is not required if") == {"requi"}


@pytest.mark.parametrize(
    ("text", "case"),
    [
        (
            "(2) Where the controller has made the data public, the controller shall",
            {"made", "publi"},
        ),
        ("(f) If a business collects data online, the notice may be given", {"onlin"}),
        ("(h) In responding to a request, a business may present", {"reque"}),
        ("(f) In cases where a business denies a request, it shall explain why", {"deni"}),
        ("(a) A business shall notify the consumer, if it can.", set()),
        # A subject qualified by another part's duty is a specific case too.
        (
            "(f) A business that is required to notify pursuant to this section more than 500 "
            "residents shall send a copy to the Attorney General.",
            {"500", "resid"},
        ),
        ("(4) The notification required by this section may be delayed.", set()),
        ("1. The data subject shall have the right to erasure.", set()),
    ],
)
def test_the_case_a_paragraph_opens_with(text, case):
    assert case <= features(text).condition
    assert bool(case) == bool(features(text).condition)
