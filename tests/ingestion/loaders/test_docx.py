"""docx.py on Word files written with python-docx, and on broken ones."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from ingestion.loaders import LoadError
from ingestion.loaders.docx import DAMAGED, NOT_DOCX, heading_level, load
from tests.fixtures.loaders import write_docx


def test_three_sections(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "act.docx",
        [
            ("Title", "Data Breach Notification Act"),
            ("Heading 1", "Chapter 1 — General Provisions"),
            ("Heading 2", "§ 1. Definitions."),
            ("Normal", "(a) “Breach” means the unauthorized acquisition of data."),
            ("Normal", "(b) “Resident” means a natural person."),
            ("Heading 2", "§ 2. Notice to residents."),
            (
                "Normal",
                "A person shall notify each affected resident without unreasonable delay.",
            ),
            ("Normal", "§ 3. Enforcement."),
            ("Normal", "The attorney general may bring an action."),
        ],
        title="Breach Act (core properties)",
        table=[["(c)", "“Notice” means written notice."], ["Form", "Deadline"]],
    )
    doc = load(path)
    assert doc.text == (
        "# Data Breach Notification Act\n\n"
        "# Chapter 1 — General Provisions\n\n"
        "## § 1. Definitions.\n\n"
        "(a) “Breach” means the unauthorized acquisition of data.\n\n"
        "(b) “Resident” means a natural person.\n\n"
        "## § 2. Notice to residents.\n\n"
        "A person shall notify each affected resident without unreasonable delay.\n\n"
        "## § 3. Enforcement.\n\n"
        "The attorney general may bring an action.\n\n"
        "(c) “Notice” means written notice.\n\n"
        "Form | Deadline\n"
    )
    assert doc.meta == {"title": "Breach Act (core properties)"}


def test_unnumbered_headings_follow_their_level(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "policy.docx",
        [
            ("Heading 1", "Records Policy"),
            ("Heading 2", "Scope"),
            ("Normal", "This policy applies to all staff."),
            ("Heading 3", "Retention"),
            ("Normal", "Records are kept for six years."),
        ],
    )
    doc = load(path)
    assert doc.text == (
        "# Records Policy\n\n## Scope\n\nThis policy applies to all staff.\n\n"
        "## Retention\n\nRecords are kept for six years.\n"
    )
    assert doc.meta == {"title": "Records Policy"}


@pytest.mark.parametrize(
    ("style", "level"),
    [
        ("Title", 1),
        ("Heading 1", 1),
        ("Heading 2", 2),
        ("Heading 6", 2),
        ("Normal", None),
        ("List Paragraph", None),
    ],
)
def test_heading_level(style: str, level: int | None) -> None:
    assert heading_level(style) == level


def _zip_without_document(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a word document")


def _broken_document_xml(path: Path, source: Path) -> None:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]
            dst.writestr(item, data)


@pytest.mark.parametrize(
    "case", ["empty", "garbage", "truncated", "zip-without-document", "broken-xml"]
)
def test_bad_docx_is_refused_with_a_reason(tmp_path: Path, case: str) -> None:
    good = write_docx(tmp_path / "good.docx", [("Normal", "Text.")])
    path = tmp_path / "bad.docx"
    expected = {
        "empty": "the file is empty",
        "garbage": NOT_DOCX,
        "truncated": NOT_DOCX,
    }.get(case, DAMAGED)
    if case == "empty":
        path.write_bytes(b"")
    elif case == "garbage":
        path.write_bytes(b"\xd0\xcf\x11\xe0 an old .doc file" * 10)
    elif case == "truncated":
        path.write_bytes(good.read_bytes()[:300])
    elif case == "zip-without-document":
        _zip_without_document(path)
    else:
        _broken_document_xml(path, good)
    with pytest.raises(LoadError) as err:
        load(path)
    assert err.value.reason == expected
