"""pdf.py on PDFs written by the tests (a real text layer), and on broken ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfWriter

from ingestion.loaders import LoadError
from ingestion.loaders.pdf import DAMAGED, NO_TEXT, PASSWORD, load, strip_running_lines
from tests.fixtures.loaders import THREE_SECTIONS_TEXT, pdf_bytes, write_pdf


def test_three_sections(tmp_path: Path) -> None:
    doc = load(
        write_pdf(
            tmp_path / "act.pdf",
            [THREE_SECTIONS_TEXT],
            title="Data Breach Notification Act",
        )
    )
    assert doc.text == (
        "# Data Breach Notification Act\n\n"
        "## § 1. Definitions.\n\n"
        "(a) “Breach” means the unauthorized acquisition of computerized data.\n\n"
        "(b) “Personal information” means a name combined with a Social Security number.\n\n"
        "## § 2. Notice to residents.\n\n"
        "A person that owns personal information shall notify each affected resident without "
        "unreasonable delay.\n\n"
        "## § 3. Enforcement.\n\n"
        "The attorney general may bring an action to enforce this act.\n"
    )
    assert doc.meta == {"title": "Data Breach Notification Act"}


def test_running_headers_footers_and_page_numbers_are_removed(tmp_path: Path) -> None:
    header = "Official Journal of the European Union"
    pages = [
        [
            header,
            "Article 1",
            "Subject-matter",
            "1. This Regulation lays down rules relating to the",
            "L 119/1",
        ],
        [
            header,
            "protection of natural persons.",
            "Article 2",
            "Material scope",
            "L 119/2",
        ],
        [
            header,
            "1. This Regulation applies to the processing of personal data.",
            "Article 3",
            "L 119/3",
        ],
        [
            header,
            "Territorial scope",
            "1. This Regulation applies to controllers in the Union.",
            "L 119/4",
        ],
    ]
    doc = load(write_pdf(tmp_path / "oj.pdf", pages))
    assert header not in doc.text and "L 119" not in doc.text
    assert [line for line in doc.text.splitlines() if line.startswith("## ")] == [
        "## Article 1 — Subject-matter",
        "## Article 2 — Material scope",
        "## Article 3 — Territorial scope",
    ]
    # a paragraph running over a page break is joined again
    assert (
        "1. This Regulation lays down rules relating to the protection of natural persons."
        in doc.text
    )
    assert "title" not in doc.meta or doc.meta["title"] != header


WORDS = ("alpha", "beta", "gamma", "delta")


def _page(*lines: str) -> str:
    return "\n".join(lines)


HEADS = ("Head", "Head", "Other", "Else")


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        (  # too few pages to tell
            [_page("Head", "a", "b"), _page("Head", "c", "d")],
            [_page("Head", "a", "b"), _page("Head", "c", "d")],
        ),
        (
            [_page("Head", w, "mid", f"{w} end", f"Page {n}") for n, w in enumerate(WORDS, 1)],
            [_page(w, "mid", f"{w} end") for w in WORDS],
        ),
        (  # on only two of four pages: below the threshold
            [
                _page(h, w, "mid", f"{w} end", f"{w} stop")
                for h, w in zip(HEADS, WORDS, strict=True)
            ],
            [
                _page(h, w, "mid", f"{w} end", f"{w} stop")
                for h, w in zip(HEADS, WORDS, strict=True)
            ],
        ),
        (  # a heading at the top of every page is kept
            [
                _page(f"Article {n}", w, "mid", f"{w} end", f"{w} stop")
                for n, w in enumerate(WORDS, 1)
            ],
            [
                _page(f"Article {n}", w, "mid", f"{w} end", f"{w} stop")
                for n, w in enumerate(WORDS, 1)
            ],
        ),
    ],
    ids=["two-pages", "header-and-page-number", "below-threshold", "headings-stay"],
)
def test_strip_running_lines(pages: list[str], expected: list[str]) -> None:
    assert strip_running_lines(pages) == expected


def test_title_falls_back_to_first_heading(tmp_path: Path) -> None:
    doc = load(
        write_pdf(tmp_path / "t.pdf", [THREE_SECTIONS_TEXT], title="Microsoft Word - act.docx")
    )
    assert doc.meta == {"title": "Data Breach Notification Act"}


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda: b"", "the file is empty"),
        (lambda: b"this is not a PDF at all" * 20, DAMAGED),
        (lambda: pdf_bytes([THREE_SECTIONS_TEXT])[:150], DAMAGED),
        (lambda: b"%PDF-1.4\n" + bytes(range(256)) * 8, DAMAGED),
        (lambda: pdf_bytes([[], []]), NO_TEXT),
    ],
    ids=["empty", "garbage", "truncated", "binary-after-header", "image-only"],
)
def test_bad_pdfs_are_refused_with_a_reason(tmp_path: Path, make, reason: str) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(make())
    with pytest.raises(LoadError) as err:
        load(path)
    assert err.value.reason == reason


def test_password_protected_pdf(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(LoadError) as err:
        load(path)
    assert err.value.reason == PASSWORD
