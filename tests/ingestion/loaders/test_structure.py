"""structure.py: heading patterns, paragraph rules and whole documents, as tables."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from ingestion.loaders.markdown import split_front_matter
from ingestion.loaders.structure import (
    _TAIL_CHARS,
    Block,
    _Paragraph,
    blocks_to_markdown,
    guess_title,
    is_paragraph_start,
    join_lines,
    match_heading,
    structure_plain_text,
    text_to_blocks,
)


@pytest.mark.parametrize(
    ("line", "family", "number", "title"),
    [
        (
            "§ 1798.100. General Duties of Businesses",
            "§",
            "1798.100",
            "General Duties of Businesses",
        ),
        (
            "§ 7012. Notice at Collection of Personal Information.",
            "§",
            "7012",
            "Notice at Collection of Personal Information.",
        ),
        (
            "§ 164.404 Notification to individuals.",
            "§",
            "164.404",
            "Notification to individuals.",
        ),
        (
            "§ 899-bb. Data security protections.",
            "§",
            "899-bb",
            "Data security protections.",
        ),
        ("§ 59.1-577", "§", "59.1-577", ""),
        ("§ 1798.199.100.", "§", "1798.199.100", ""),
        ("1798.100.", "§", "1798.100", ""),
        ("1798.100. (a) A business shall", "§", "1798.100", "(a) A business shall"),
        ("Article 17", "article", "17", ""),
        ("Article 17 — Right to erasure", "article", "17", "Right to erasure"),
        ("Article 1. GENERAL PROVISIONS", "article", "1", "GENERAL PROVISIONS"),
        ("Section 3A", "section", "3A", ""),
        ("SEC. 2. DEFINITIONS.", "section", "2", "DEFINITIONS."),
        ("Recital (26)", "recital", "26", ""),
        ("ANNEX I", "annex", "I", ""),
        ("CHAPTER III", "structural", "III", ""),
        ("PART 164—SECURITY AND PRIVACY", "structural", "164", "SECURITY AND PRIVACY"),
        ("Subpart A—General Provisions", "structural", "A", "General Provisions"),
        ("Subpart B [Reserved]", "structural", "B", "[Reserved]"),
        (
            "TITLE 1.81.5. California Consumer Privacy Act of 2018",
            "structural",
            "1.81.5",
            "California Consumer Privacy Act of 2018",
        ),
    ],
)
def test_match_heading_recognises(line: str, family: str, number: str, title: str) -> None:
    m = match_heading(line)
    assert m is not None
    assert (m.family, m.number, m.title) == (family, number, title)


@pytest.mark.parametrize(
    "line",
    [
        "Section 1798.100 requires a business to disclose",
        "Article 6 of Regulation (EU) 2016/679 applies",
        "§ 164.404 of this subpart, a covered entity",
        "§§ 1798.100–1798.199.100",
        "§ 1798.100. General Duties ........ 3",
        "(a) A business shall",
        "1. The controller shall",
        "12",
        "The department shall adopt regulations.",
        "",
    ],
)
def test_match_heading_rejects(line: str) -> None:
    assert match_heading(line) is None


@pytest.mark.parametrize(
    ("line", "previous", "expected"),
    [
        ("(a) A business shall", "of the following:", True),
        ("(1) The categories", "", True),
        ("(iv) the right to delete;", "(iii) the right to correct;", True),
        ("(b) the purposes;", "the controller; and", True),
        ("(a) of this section shall apply.", "required by paragraph", False),
        ("(a) of this section shall apply.", "required by the rules", False),
        ("(c), the business shall", "subdivisions (a), (b), and", False),
        ("1. The data subject shall have", "", True),
        ("A. A controller shall", "", True),
        ("“Consumer” means a natural person", "", True),
        ("the consumer’s request.", "(a) A business shall honor", False),
        ("Personal information includes", "(a) A business shall honor", False),
    ],
)
def test_is_paragraph_start(line: str, previous: str, expected: bool) -> None:
    assert is_paragraph_start(line, previous) is expected


@pytest.mark.parametrize(
    ("previous", "line", "joined"),
    [
        ("the personal", "information", "the personal information"),
        ("third-", "party data", "third-party data"),
        ("Section 1798.100-", "1798.199", "Section 1798.100- 1798.199"),
        ("", "first", "first"),
    ],
)
def test_join_lines_keeps_every_character(previous: str, line: str, joined: str) -> None:
    assert join_lines(previous, line) == joined


GDPR_TEXT = """\
CHAPTER III
Rights of the data subject
Section 3
Rectification and erasure
Article 16
Right to rectification
The data subject shall have the right to obtain from the controller without undue delay the
rectification of inaccurate personal data concerning him or her.
Article 17
Right to erasure (‘right to be forgotten’)
1. The data subject shall have the right to obtain from the controller the erasure of personal
data concerning him or her without undue delay where one of the following grounds applies:
(a) the personal data are no longer necessary in relation to the purposes for which they were col\u00ad
lected or otherwise processed;
(b) the data subject withdraws consent on which the processing is based according to point
(a) of Article 6(1); or
(c) the data subject objects to the processing.
2. Where the controller has made the personal data public, it shall inform other controllers.
"""

GDPR_MD = """\
# CHAPTER III — Rights of the data subject

# Section 3 — Rectification and erasure

## Article 16 — Right to rectification

The data subject shall have the right to obtain from the controller without undue delay the \
rectification of inaccurate personal data concerning him or her.

## Article 17 — Right to erasure (‘right to be forgotten’)

1. The data subject shall have the right to obtain from the controller the erasure of personal \
data concerning him or her without undue delay where one of the following grounds applies:

(a) the personal data are no longer necessary in relation to the purposes for which they were \
collected or otherwise processed;

(b) the data subject withdraws consent on which the processing is based according to point \
(a) of Article 6(1); or

(c) the data subject objects to the processing.

2. Where the controller has made the personal data public, it shall inform other controllers.
"""

CCPA_REGS_TEXT = """\
California Consumer Privacy Act Regulations
Article 1. GENERAL PROVISIONS
§ 7000. Title and Scope.
(a) This Chapter shall be known as the California Consumer Privacy Act Regulations.
§ 7001. Definitions.
In addition to the definitions set forth in Civil Code section 1798.140, for purposes of these
regulations:
(a) “Agency” means the California Privacy Protection Agency.
3
Article 2. REQUIRED DISCLOSURES TO CONSUMERS
§ 7010. Overview of Required Disclosures.
(a) Every business that must comply with the CCPA shall provide a privacy policy.
"""

CCPA_REGS_MD = """\
# California Consumer Privacy Act Regulations

# Article 1. GENERAL PROVISIONS

## § 7000. Title and Scope.

(a) This Chapter shall be known as the California Consumer Privacy Act Regulations.

## § 7001. Definitions.

In addition to the definitions set forth in Civil Code section 1798.140, for purposes of these \
regulations:

(a) “Agency” means the California Privacy Protection Agency.

# Article 2. REQUIRED DISCLOSURES TO CONSUMERS

## § 7010. Overview of Required Disclosures.

(a) Every business that must comply with the CCPA shall provide a privacy policy.
"""

MGL_TEXT = """\
Chapter 93H: Security Breaches

Section 1

As used in this chapter, the following words shall, unless the context clearly
requires otherwise, have the following meanings:

Section 3A

(a) A person who experienced a breach of security shall provide notice.

Section 5. The attorney general may bring an action under section 4 of chapter 93A against a
person or otherwise to remedy violations of this chapter.
"""

MGL_MD = """\
# Chapter 93H: Security Breaches

## Section 1

As used in this chapter, the following words shall, unless the context clearly requires \
otherwise, have the following meanings:

## Section 3A

(a) A person who experienced a breach of security shall provide notice.

## Section 5

The attorney general may bring an action under section 4 of chapter 93A against a person or \
otherwise to remedy violations of this chapter.
"""

CFR_TEXT = """\
PART 312—CHILDREN'S ONLINE PRIVACY PROTECTION RULE
§ 312.3 Regulation of unfair or deceptive acts or practices in connection with the
collection, use, and/or disclosure of personal information from and about children on the
internet.
General requirements. It shall be unlawful for any operator to fail to comply.
§ 312.4 Notice.
(a) General principles of notice. It shall be the obligation of the operator to provide notice.
"""

CFR_MD = """\
# PART 312—CHILDREN'S ONLINE PRIVACY PROTECTION RULE

## § 312.3 Regulation of unfair or deceptive acts or practices in connection with the \
collection, use, and/or disclosure of personal information from and about children on the internet.

General requirements. It shall be unlawful for any operator to fail to comply.

## § 312.4 Notice.

(a) General principles of notice. It shall be the obligation of the operator to provide notice.
"""

LEGINFO_TEXT = """\
1798.81.5.
(a) (1) It is the intent of the Legislature to ensure that personal information about California
residents is protected.
(Amended by Stats. 2020, Ch. 282, Sec. 1. (AB 1281) Effective January 1, 2021.)
1798.82. (a) A person or business that conducts business in California shall disclose a breach.
"""

LEGINFO_MD = """\
## § 1798.81.5.

(a) (1) It is the intent of the Legislature to ensure that personal information about California \
residents is protected.

(Amended by Stats. 2020, Ch. 282, Sec. 1. (AB 1281) Effective January 1, 2021.)

## § 1798.82.

(a) A person or business that conducts business in California shall disclose a breach.
"""

TOC_TEXT = """\
Table of Contents
§ 1. Scope .......... 1
§ 2. Definitions .......... 2
§ 1. Scope
This part applies to covered entities.
§ 2. Definitions
# means number in this part.
"""

TOC_MD = """\
# Table of Contents

§ 1. Scope .......... 1

§ 2. Definitions .......... 2

## § 1. Scope

This part applies to covered entities.

## § 2. Definitions

\\# means number in this part.
"""

# A contents list without leaders: the empty headings repeated later are dropped.
CONTENTS_TEXT = """\
Contents
§ 1. Scope
§ 2. Definitions
§ 1. Scope
This part applies.
§ 2. Definitions
Words mean things.
"""

CONTENTS_MD = """\
# Contents

## § 1. Scope

This part applies.

## § 2. Definitions

Words mean things.
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GDPR_TEXT, GDPR_MD),
        (CONTENTS_TEXT, CONTENTS_MD),
        (CCPA_REGS_TEXT, CCPA_REGS_MD),
        (MGL_TEXT, MGL_MD),
        (CFR_TEXT, CFR_MD),
        (LEGINFO_TEXT, LEGINFO_MD),
        (TOC_TEXT, TOC_MD),
        ("", ""),
    ],
    ids=["gdpr", "contents", "ccpa-regs", "mgl", "cfr", "leginfo", "toc", "empty"],
)
def test_structure_plain_text(text: str, expected: str) -> None:
    assert structure_plain_text(text) == expected


def test_structure_keeps_every_word() -> None:
    out = structure_plain_text(GDPR_TEXT)
    words_in = GDPR_TEXT.replace("col\u00ad\n", "col").split()
    words_out = [w for w in out.split() if w not in {"#", "##", "—"}]
    assert words_out == words_in


@pytest.mark.parametrize(
    ("blocks", "expected"),
    [
        (
            [Block("heading", "Unnumbered HTML heading"), Block("para", "Body.")],
            "# Unnumbered HTML heading\n\nBody.\n",
        ),
        (
            [Block("heading", "Definitions", level=2), Block("para", "Body.")],
            "## Definitions\n\nBody.\n",
        ),
        (
            [
                Block("heading", "Article 5", level=1),
                Block("subtitle", "Principles"),
                Block("para", "x"),
            ],
            "## Article 5 — Principles\n\nx\n",
        ),
        (
            [
                Block("heading", "Section 1"),
                Block("heading", "§ 1.5. Title"),
                Block("para", "x"),
            ],
            "# Section 1\n\n## § 1.5. Title\n\nx\n",
        ),
        (
            [
                Block("heading", "Article 1. GENERAL"),
                Block("heading", "§ 7000. Title."),
                Block("para", "x"),
            ],
            "# Article 1. GENERAL\n\n## § 7000. Title.\n\nx\n",
        ),
        (
            [
                Block("heading", "Recital (1)"),
                Block("para", "r"),
                Block("heading", "Article 1"),
            ],
            "## Recital (1)\n\nr\n\n## Article 1\n",
        ),
    ],
)
def test_blocks_to_markdown(blocks: list[Block], expected: str) -> None:
    assert blocks_to_markdown(blocks) == expected


def test_blocks_to_markdown_adds_title_only_when_missing() -> None:
    body = [Block("heading", "§ 1. Scope"), Block("para", "x")]
    assert blocks_to_markdown(body, title="Act").startswith("# Act\n\n## § 1. Scope")
    titled = [Block("heading", "The Act"), *body]
    assert blocks_to_markdown(titled, title="Act").startswith("# The Act\n\n## § 1.")


@pytest.mark.parametrize(
    ("markdown", "title"),
    [
        ("# Title\n\n## § 1\n", "Title"),
        ("intro\n\n# Later\n", "Later"),
        ("## § 1\n\nx\n", None),
        ("", None),
    ],
)
def test_guess_title(markdown: str, title: str | None) -> None:
    assert guess_title(markdown) == title


CORPUS = Path(__file__).resolve().parents[3] / "data" / "corpus"


def _as_wrapped_plain_text(body: str, width: int = 90) -> str:
    """What a PDF's text layer gives for a corpus file: no markup, lines wrapped at `width`."""
    lines: list[str] = []
    for paragraph in body.split("\n\n"):
        paragraph = paragraph.strip()
        if paragraph.startswith("#"):
            lines.append(re.sub(r"^#+ ", "", paragraph))
        else:
            lines.extend(textwrap.wrap(paragraph, width, break_on_hyphens=False))
    return "\n".join(lines)


@pytest.mark.parametrize(
    "path",
    sorted(p for p in CORPUS.rglob("*.md") if p.name != "README.md"),
    ids=lambda p: p.name,
)
def test_corpus_round_trip(path: Path) -> None:
    """Strip a corpus file to wrapped plain text: every numbered `##` heading comes back, and no
    word is lost or changed."""
    _, body = split_front_matter(path.read_text(encoding="utf-8"))
    plain = _as_wrapped_plain_text(body)
    out = structure_plain_text(plain)
    want = [
        line
        for line in body.splitlines()
        if line.startswith("## ") and match_heading(line[3:]) is not None
    ]
    got = [line for line in out.splitlines() if line.startswith("## ")]
    assert got == want
    ignore = {"#", "##", "—"}
    assert [w for w in out.split() if w not in ignore] == [
        w for w in plain.split() if w not in ignore
    ]


# --- issue 14.7: a long unbroken paragraph is handled in linear time -------------------------
# (speed is measured by benchmarks/text_loader.py; here: the bounded work per line keeps the
# result exactly what re-joining the whole paragraph gives)


@pytest.mark.parametrize(
    "lines",
    [
        ["A business shall", "notify the consumer", "without delay."],
        ["the data subject's right to erase-", "ment of personal data"],  # hyphen kept, joined
        ["data pro-", "Cessing"],  # a capital after the hyphen: a space, not joined
        ["x" * 600, "continues here"],
    ],
)
def test_a_growing_paragraph_joins_like_join_lines(lines: list[str]) -> None:
    para, whole = _Paragraph(lines[0]), lines[0]
    for line in lines[1:]:
        para.add(line)
        whole = join_lines(whole, line)
        assert len(para.tail) <= _TAIL_CHARS and whole.endswith(para.tail)
    assert para.text() == whole


def test_a_long_paragraph_ending_in_a_reference_still_continues_past_a_heading() -> None:
    # The continuation check reads only the paragraph's tail: it must still see "Section".
    body = "\n".join(["the business shall comply with the requirements of this title"] * 2000)
    blocks = text_to_blocks(body + "\npursuant to Section\n1798.185. of this title")
    assert [b.kind for b in blocks] == ["para"]
    assert blocks[0].text.endswith("pursuant to Section 1798.185. of this title")
