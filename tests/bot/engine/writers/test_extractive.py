import re

from bot.engine.writers import markers, renumber
from bot.engine.writers.extractive import ExtractiveWriter
from tests.bot.engine.writers.nodes import GROUPS


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
    assert [c.n for c in written.citations] == [1, 2]
    assert [c.jurisdiction for c in written.citations] == ["US-CA", "US-MA"]
    assert "[1]" in written.parts[0].text and "[2]" in written.parts[1].text
    assert written.answer.startswith(
        "Sections that apply — California: Cal. Civ. Code § 1798.100 [1]"
    )
    assert written.citations[0].subsection in ("(a)", "(b)")
    cited = {n for t in [written.answer, *(p.text for p in written.parts)] for n in markers(t)}
    assert cited == {1, 2}


def test_markers_and_renumbering():
    assert markers("a [1] b [2, 3] c [4-6] d [x]") == [1, 2, 3, 4, 5, 6]
    assert (
        renumber("Claim [2]. Other [9]. Both [1, 2].", {2: 1, 1: 2})
        == "Claim [1]. Other. Both [2][1]."
    )
