from bot.channels.layout import currency_line, layout, short_currency, text_table
from tests.bot.answers import CA, HIPAA, no_parts, one_part, several


def test_several_parts_short_answer_first_then_table_then_detail():
    view = layout(several())
    assert [p.jurisdiction for p in view.short] == ["US-CA", "US"]
    assert view.table is not None and len(view.table.rows) == 2
    assert [p.jurisdiction for p in view.details] == ["US-CA", "US"]
    assert view.footer.startswith("Oldest source relied on: text as of 26 March 2013")
    assert "45 C.F.R. § 164.404(b)" in view.footer and "incomplete" in view.footer


def test_one_part_without_a_lead_is_shown():
    view = layout(one_part())
    assert view.short == ()
    assert [p.text for p in view.details] == ["Within 60 calendar days [1]."]


def test_a_lead_without_parts_is_the_short_answer():
    view = layout(no_parts())
    assert [p.text for p in view.short] == ["Without unreasonable delay [1]."]
    assert view.details == ()
    assert (
        view.footer
        == "Oldest source relied on: text as of 1 January 2026 (Cal. Civ. Code § 1798.82(a))."
    )


def test_currency_on_each_footnote():
    assert currency_line(HIPAA) == (
        "Text as of 26 March 2013 (as amended through March 26, 2013); indexed 1 December 2026; "
        "the indexed text of this instrument is incomplete"
    )
    assert short_currency(CA) == "as of 1 January 2026 · indexed 1 December 2026"


def test_text_table_aligns_and_wraps_within_the_width():
    out = text_table(("A", "B"), [("x " * 40, "y"), ("z", "w " * 10)], width=40)
    lines = out.splitlines()
    assert all(len(line) <= 40 for line in lines)
    assert lines[1].startswith("---")
    assert lines[2].index("y") == lines[0].index("B")
