import re

import pytest

from bot.engine.writers import SourceGroup, markers, renumber
from bot.engine.writers.extractive import ExtractiveWriter
from tests.bot.engine.writers.nodes import GROUPS, node


def quoted_sentences(text: str) -> list[str]:
    return re.findall(r"“(.+?)”", text)


def test_every_quoted_sentence_is_in_its_source():
    written = ExtractiveWriter().write(
        "What must a business tell consumers when it collects personal information?", GROUPS
    )
    sources = {g.nodes[0].node.get_content() for g in GROUPS}
    quotes = [q for p in written.parts for q in quoted_sentences(p.text)]
    assert quotes
    for q in quotes:
        assert any(q in s for s in sources), q
    for c in written.citations:
        for piece in c.quote.split(" … "):
            assert any(piece in s for s in sources)


def test_parts_per_jurisdiction_with_numbered_footnotes():
    written = ExtractiveWriter().write("collect personal information requirements", GROUPS)
    assert [p.name for p in written.parts] == ["California", "Massachusetts"]
    assert [c.n for c in written.citations] == list(range(1, len(written.citations) + 1))
    assert {c.jurisdiction for c in written.citations} == {"US-CA", "US-MA"}
    assert [c.jurisdiction for c in written.citations] == sorted(
        (c.jurisdiction for c in written.citations), key=["US-CA", "US-MA"].index
    )
    assert all(c.subsection in ("(a)", "(b)") for c in written.citations)
    cited = {n for t in [written.answer, *(p.text for p in written.parts)] for n in markers(t)}
    assert cited == {c.n for c in written.citations}


def test_short_answer_is_one_verbatim_sentence_per_jurisdiction_under_its_pinpoint():
    written = ExtractiveWriter().write("collect personal information requirements", GROUPS)
    assert [p.jurisdiction for p in written.short] == ["US-CA", "US-MA"]
    for part in written.short:
        m = re.fullmatch(r"Under (.+?): “(.+)” \[(\d+)\]", part.text)
        assert m, part.text
        cited = written.citations[int(m.group(3)) - 1]
        assert m.group(1) == cited.pinpoint and cited.jurisdiction == part.jurisdiction
        assert m.group(2) == cited.quote
        assert (
            m.group(2)
            in {g.jurisdiction: g for g in GROUPS}[part.jurisdiction].nodes[0].node.get_content()
        )
    assert written.answer.startswith("California: Under Cal. Civ. Code § 1798.100(")
    assert written.table is None  # no comparison asked


LEAD_IN = node(
    "Cal. Civ. Code § 1798.100",
    "US-CA",
    "(a) A business that controls the collection of personal information shall, at or before "
    "the point of collection, inform consumers of the following:\n\n"
    "(1) The categories of personal information to be collected.\n\n"
    "(2) The purposes for which the personal information is collected.\n\n"
    "(b) A business shall not sell personal information of a minor under sixteen.",
    ["(a)", "(a)(1)", "(a)(2)", "(b)"],
)


def test_a_lead_in_sentence_brings_the_items_it_introduces_in_text_order():
    group = SourceGroup("US-CA", "California", (LEAD_IN,))
    written = ExtractiveWriter().write(
        "What must a business inform consumers of at the point of collection?", [group]
    )
    text = written.short[0].text
    assert text.startswith("Under Cal. Civ. Code § 1798.100(a): “(a) A business")
    assert "of the following: (1) The categories" in text
    assert text.index("(1) The categories") < text.index("(2) The purposes")
    assert "(b)" not in text
    assert written.citations[0].quote in LEAD_IN.node.get_content().replace("\n\n", " ")


BREACH = {
    "US-CA": node(
        "Cal. Civ. Code § 1798.82",
        "US-CA",
        "(a) A person that owns computerized data shall disclose a breach of the security of "
        "the system in the most expedient time possible and without unreasonable delay.",
        ["(a)"],
    ),
    "US-NY": node(
        "N.Y. Gen. Bus. Law § 899-aa",
        "US-NY",
        "2. Any person or business which owns computerized data shall notify the affected "
        "residents within thirty days after the breach has been discovered.",
        ["2."],
    ),
    "EU": node(
        "GDPR Art. 33",
        "EU",
        "1. In the case of a personal data breach, the controller shall without undue delay and, "
        "where feasible, not later than 72 hours after having become aware of it, notify the "
        "personal data breach to the supervisory authority.",
        ["1."],
    ),
}


def test_a_comparison_gets_a_table_of_verbatim_cells_one_row_per_jurisdiction():
    groups = [
        SourceGroup(code, name, (BREACH[code],))
        for code, name in (("US-CA", "California"), ("US-NY", "New York"), ("EU", "EU"))
    ]
    written = ExtractiveWriter().write(
        "What is the deadline to notify a data breach in California, New York and the EU?", groups
    )
    table = written.table
    assert table is not None and table.point == "deadline"
    assert table.columns == ("Rule", "Deadline (as written)", "Who it binds", "Pinpoint")
    assert [r.jurisdiction for r in table.rows] == ["US-CA", "US-NY", "EU"]
    deadlines = [r.cells[1] for r in table.rows]
    assert deadlines == [
        "in the most expedient time possible; without unreasonable delay",
        "thirty days",
        "without undue delay; 72 hours",
    ]
    sources = {code: n.node.get_content() for code, n in BREACH.items()}
    for r in table.rows:
        rule = re.fullmatch(r"“(.+)” \[(\d+)\]", r.cells[0])
        assert rule and rule.group(1) in sources[r.jurisdiction]
        for phrase in r.cells[1].split("; "):
            assert phrase in sources[r.jurisdiction]  # found, never computed
        assert r.cells[2] in sources[r.jurisdiction]
        assert r.cells[3].endswith(f"[{rule.group(2)}]")
    assert table.rows[0].cells[2] == "(a) A person that owns computerized data"[4:]


def test_no_table_for_one_jurisdiction_or_without_a_point_to_compare():
    one = [SourceGroup("EU", "EU", (BREACH["EU"],))]
    assert ExtractiveWriter().write("What is the deadline to notify a breach?", one).table is None
    assert ExtractiveWriter().write("collect personal information", GROUPS).table is None
    assert ExtractiveWriter().write("Compare California and Massachusetts", GROUPS).table


def test_markers_and_renumbering():
    assert markers("a [1] b [2, 3] c [4-6] d [x]") == [1, 2, 3, 4, 5, 6]
    assert (
        renumber("Claim [2]. Other [9]. Both [1, 2].", {2: 1, 1: 2})
        == "Claim [1]. Other. Both [2][1]."
    )


SECTIONS = node(
    "Fake Code § 10",
    "US-CA",
    "(a) A business shall notify the consumer of a breach within 30 days of discovery.\n\n"
    "(b) The notice shall include the following:\n\n"
    "(1) what happened;\n\n"
    "(2) what the consumer can do.\n\n"
    "(c) For example, Business H, a coffee shop, shall notify its customers by email.",
    ["(a)", "(b)", "(b)(1)", "(b)(2)", "(c)"],
)
OTHER = node(
    "Fake Code § 11",
    "US-CA",
    "(a) The department shall adopt regulations on notices.\n\n"
    "(b) A business shall keep a copy of each notice for five years.",
    ["(a)", "(b)"],
)


@pytest.mark.parametrize(
    ("question", "pinpoint"),
    [
        ("How soon must a business notify a consumer of a breach?", "Fake Code § 10(a)"),
        ("What must the breach notice to the consumer include?", "Fake Code § 10(b)"),
    ],
)
def test_one_footnote_per_section_cited_to_the_subdivision_it_quotes(question, pinpoint):
    group = SourceGroup("US-CA", "California", (SECTIONS, OTHER))
    written = ExtractiveWriter().write(question, [group])
    assert [c.citation for c in written.citations] == ["Fake Code § 10", "Fake Code § 11"]
    paragraphs = {
        c.n: dict(
            zip(
                n.node.metadata["paragraph_labels"], n.node.get_content().split("\n\n"), strict=True
            )
        )
        for c, n in zip(written.citations, (SECTIONS, OTHER), strict=True)
    }
    for c in written.citations:
        first = c.quote.split(" … ")[0]
        assert paragraphs[c.n][c.subsection] in first or first in paragraphs[c.n][c.subsection]
    assert written.short[0].text.startswith(f"Under {pinpoint}: “")
    assert written.citations[0].pinpoint == pinpoint
    assert "coffee shop" not in written.short[0].text
