import io
import zipfile

import pytest
from docx import Document

from bot.channels.export import filename, memo_docx, memo_text
from tests.bot.answers import ALL, several


def _doc(answer):
    return Document(io.BytesIO(memo_docx(answer)))


def test_the_memo_has_question_short_answer_table_analysis_and_sources():
    doc = _doc(several())
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings == [
        "Reggi memo", "Question", "Short answer", "Comparison", "Analysis by jurisdiction",
        "California", "United States (federal)", "Sources",
    ]  # fmt: skip
    comparison, sources = doc.tables
    assert [c.text for c in comparison.rows[0].cells] == [
        "Jurisdiction", "Rule", "Deadline (as written)", "Who it binds", "Pinpoint",
    ]  # fmt: skip
    assert comparison.rows[2].cells[2].text == "60 calendar days"
    assert [c.text for c in sources.rows[0].cells] == [
        "#",
        "Pinpoint",
        "Heading",
        "Quote",
        "Link",
        "As of",
    ]
    row = [c.text for c in sources.rows[2].cells]
    assert row[1] == "45 C.F.R. § 164.404(b)" and row[3].startswith("(b) A covered entity")
    assert row[5].startswith("Text as of 26 March 2013") and row[5].endswith("incomplete")
    rels = [r.target_ref for r in doc.part.rels.values() if r.is_external]
    assert "https://www.ecfr.gov/current/title-45/section-164.404" in rels
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "Oldest source relied on: text as of 26 March 2013" in body
    assert "not legal advice" in body
    assert doc.core_properties.title.startswith("When must a breach be notified")


@pytest.mark.parametrize("make", list(ALL.values()), ids=list(ALL))
def test_every_answer_shape_exports_and_copies(make):
    answer = make()
    data = memo_docx(answer)
    assert zipfile.is_zipfile(io.BytesIO(data))
    text = memo_text(answer)
    for part in (*answer.short, *answer.parts):
        assert part.text in text
    body = "\n".join(p.text for p in _doc(answer).paragraphs)
    assert answer.question in body


def test_plain_text_is_the_same_memo():
    text = memo_text(several())
    assert text.index("Short answer") < text.index("Comparison") < text.index("Analysis")
    assert text.index("Analysis") < text.index("Sources")
    assert "    Text as of 26 March 2013" in text and "60 calendar days" in text


def test_control_characters_and_unsafe_ids_cannot_break_the_file():
    answer = several().with_changes(question="Bell\x07 and \x0bvertical tab?", id="../../etc")
    doc = _doc(answer)
    assert "Bell and vertical tab?" in [p.text for p in doc.paragraphs]
    assert filename(answer) == "reggi-memo-etc.docx"
