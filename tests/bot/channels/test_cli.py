from bot.answer import Answer
from bot.channels.cli import public_json, render_text
from tests.bot.answers import no_parts, one_part, several


def test_short_answer_first_then_the_aligned_table_detail_and_dated_sources():
    out = render_text(several(), width=100)
    assert out.index("Short answer:") < out.index("Comparison:") < out.index("== California ==")
    assert out.index("== California ==") < out.index("Sources:")
    table = out[out.index("Comparison:") : out.index("== California ==")].splitlines()
    assert table[1].split()[:3] == ["Jurisdiction", "Rule", "Deadline"]
    assert all(len(line) <= 100 for line in table)
    assert "60 calendar days" in out
    assert (
        "Text as of 26 March 2013" in out
        and "the indexed text of this instrument is incomplete" in out
    )
    assert "Oldest source relied on: text as of 26 March 2013" in out


def test_zero_and_one_part_answers_render_their_text():
    assert "Within 60 calendar days [1]." in render_text(one_part())
    assert "Without unreasonable delay [1]." in render_text(no_parts())


def test_public_json_round_trips_the_new_fields():
    data = public_json(several())
    assert data["as_of"] == "2013-03-26"
    assert data["table"]["columns"][1] == "Deadline (as written)"
    assert data["citations"][1]["complete"] is False
    full = several().to_dict()
    assert Answer.from_dict(full) == several()
