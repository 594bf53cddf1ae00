import pytest

from ingestion.labels import paragraph_labels

# Synthetic section texts, one paragraph a line, in the styles of the instruments the corpus
# holds (CFR, state codes, the GDPR, Virginia's lettered subsections).
CASES = [
    # plain nesting and back up
    ("(a) One.|(1) Sub.|(2) Sub.|(b) Two.", ["(a)", "(a)(1)", "(a)(2)", "(b)"]),
    # CFR depth: (a)(1)(i)(A), then an italic (1) under (A), then back up to (ii)
    (
        "(a) Rule.|(1) Para.|(i) Clause.|(A) Item.|(1) Sub-item.|(2) Sub-item.|(B) Item.|(ii) Clause.",
        ["(a)", "(a)(1)", "(a)(1)(i)", "(a)(1)(i)(A)", "(a)(1)(i)(A)(1)", "(a)(1)(i)(A)(2)",
         "(a)(1)(i)(B)", "(a)(1)(ii)"],
    ),
    # an upper-case list under a roman numeral, after an upper-case list elsewhere
    (
        "(c) Content.|(A) First.|(B) Second.|(d) Methods.|(1) Notice.|(i) Fewer.|(ii) More, shall:|(A) Post.|(B) Call.|(2) Next.",
        ["(c)", "(c)(A)", "(c)(B)", "(d)", "(d)(1)", "(d)(1)(i)", "(d)(1)(ii)", "(d)(1)(ii)(A)",
         "(d)(1)(ii)(B)", "(d)(2)"],
    ),
    # a first item in the paragraph's own heading, continued in a later paragraph
    (
        "(a) Standard —(1) General rule. A body shall act.|(2) Timing. It shall act soon.|(b) Other.",
        ["(a)(1)", "(a)(2)", "(b)"],
    ),
    (
        "(c) Provision of the report. (1) The entity must act within 60 days.|(i) Provide it.|(ii) Or extend.|(2) No fee.",
        ["(c)(1)", "(c)(1)(i)", "(c)(1)(ii)", "(c)(2)"],
    ),
    # ... but not a marker that no later paragraph continues
    ("(a) Notice. (1) Only an inline list here.|(b) Next.", ["(a)", "(b)"]),
    # a lead-in ending in ":" with its first item inline
    (
        "1. Terms:|(a) Alpha means a.|(b) Beta means either: (i) one thing:|(1) part;|(2) part; or|(ii) another.|Beta does not include public data.|(c) Gamma means c.",
        ["(1)", "(1)(a)", "(1)(b)(i)", "(1)(b)(i)(1)", "(1)(b)(i)(2)", "(1)(b)(ii)", "(1)(b)", "(1)(c)"],
    ),
    # a lower-case list reused below a roman numeral (23 NYCRR style)
    (
        "(a) Incident.|(b) Compliance.|(1) Annually either:|(i) a certification that:|(a) certifies;|(b) is based on data; or|(ii) an acknowledgment that:|(a) acknowledges;",
        ["(a)", "(b)", "(b)(1)", "(b)(1)(i)", "(b)(1)(i)(a)", "(b)(1)(i)(b)", "(b)(1)(ii)",
         "(b)(1)(ii)(a)"],
    ),
    # "(i)" is a letter after "(h)", a numeral under a paragraph
    ("(h) Aitch.|(i) Eye is a letter here.|(j) Jay.", ["(h)", "(i)", "(j)"]),
    ("(h) Aitch:|(1) One:|(i) First.|(ii) Second.|(j) Jay.", ["(h)", "(h)(1)", "(h)(1)(i)", "(h)(1)(ii)", "(j)"]),
    ("(h) Aitch.|(i) Eye heads a list:|(1) One:|(i) Numeral.|(ii) Numeral.|(j) Jay.",
     ["(h)", "(i)", "(i)(1)", "(i)(1)(i)", "(i)(1)(ii)", "(j)"]),
    # doubled letters continue after (z)
    ("(y) Why.|(z) Zed.|(aa) Double.|(ab) Next.", ["(y)", "(z)", "(aa)", "(ab)"]),
    # the GDPR: numbered paragraphs, lettered points, and text after the last point
    (
        "1. Paragraph.|5. Free, unless excessive, when the controller may either:|(a) charge a fee; or|(b) refuse.|The controller shall bear the burden.|6. Next.",
        ["(1)", "(5)", "(5)(a)", "(5)(b)", "(5)", "(6)"],
    ),
    # ... while text inside a definition stays with it when the next definition follows
    (
        "1. Terms:|(a) Breach means access.|In determining access, consider factors.|(b) Agency means a body.",
        ["(1)", "(1)(a)", "(1)(a)", "(1)(b)"],
    ),
    # Virginia: A., 1., a.; a history note; a second version of the section after it
    (
        "A. A controller shall:|1. Limit collection;|F. 1. No controller shall process data:|a. For ads;|b. Unless necessary.|2. Next.|2021, Sp. Sess. I, cc. 35, 36.|A. A controller shall:|1. Limit collection;",
        ["(A)", "(A)(1)", "(F)(1)", "(F)(1)(a)", "(F)(1)(b)", "(F)(2)", "", "(A)", "(A)(1)"],
    ),
    # a definitions section: each definition closes the items of the one before it
    (
        "As used in this part:|Act means the statute.|Plan means:|(1) A group plan;|(2) An insurer.|Breach means access.|(1) Breach excludes:|(i) Good-faith access.",
        ["", "", "", "(1)", "(2)", "", "(1)", "(1)(i)"],
    ),
    # a source note belongs to no subdivision
    ("(a) Rule.|(b) Other.|[78 FR 5695, Jan. 25, 2013]", ["(a)", "(b)", ""]),
    ("No markers.|Continuation.", ["", ""]),
]  # fmt: skip


@pytest.mark.parametrize(("body", "labels"), CASES)
def test_paragraph_labels(body, labels):
    assert paragraph_labels(body.split("|")) == labels
