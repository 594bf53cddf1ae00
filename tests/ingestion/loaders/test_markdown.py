"""The markdown loader on plain text without front matter (it uses structure_plain_text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.loaders import LoadError, load


def test_plain_text_without_front_matter_is_structured(tmp_path: Path) -> None:
    path = tmp_path / "mgl-93h.txt"
    path.write_text(
        "Chapter 93H: Security Breaches\n\nSection 1\n\nAs used in this chapter, the following words "
        "shall\nhave the following meanings:\n\nSection 2\n\n(a) The department shall adopt "
        "regulations.\n(b) The regulations shall be designed to safeguard personal information.\n",
        encoding="utf-8",
    )
    doc = load(path)
    assert doc.meta == {"title": "Chapter 93H: Security Breaches"}  # guessed from the text
    assert doc.text == (
        "# Chapter 93H: Security Breaches\n\n## Section 1\n\n"
        "As used in this chapter, the following words shall have the following meanings:\n\n"
        "## Section 2\n\n(a) The department shall adopt regulations.\n\n"
        "(b) The regulations shall be designed to safeguard personal information.\n"
    )


def test_markdown_with_unit_headings_is_kept_as_written(tmp_path: Path) -> None:
    text = "---\ntitle: T\n---\n\n# T\n\n## Section 1\n\nline one\nline two\n"
    path = tmp_path / "t.md"
    path.write_text(text, encoding="utf-8")
    doc = load(path)
    assert doc.meta == {"title": "T"}
    assert doc.text == "# T\n\n## Section 1\n\nline one\nline two\n"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\xff\xfe\xfa not utf-8", "the file is not valid UTF-8 text (byte 0)"),
        (b"abc\x00def", "the file is binary, not text"),
        (b"", "the file has no text"),
    ],
)
def test_undecodable_or_empty_text(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(LoadError) as err:
        load(path)
    assert err.value.reason == reason
