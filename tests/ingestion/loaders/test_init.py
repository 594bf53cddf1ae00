"""ingestion.loaders.load(): dispatch by suffix, and a folder with bad files among good ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.loaders import LoadedDocument, LoadError, load
from ingestion.loaders.pdf import DAMAGED
from tests.fixtures.loaders import loader_folder  # noqa: F401  (pytest fixture)


def _load_all(folder: Path) -> tuple[dict[str, LoadedDocument], dict[str, str]]:
    loaded: dict[str, LoadedDocument] = {}
    skipped: dict[str, str] = {}
    for path in sorted(folder.iterdir()):
        try:
            loaded[path.name] = load(path)
        except LoadError as exc:
            skipped[path.name] = exc.reason
    return loaded, skipped


def test_folder_with_bad_files_among_good_ones(loader_folder: Path) -> None:  # noqa: F811
    loaded, skipped = _load_all(loader_folder)
    assert skipped == {
        "corrupt.pdf": DAMAGED,
        "empty.txt": "the file has no text",
        "data.xyz": "unsupported file type '.xyz'",
    }
    assert sorted(loaded) == [
        "page.html",
        "policy.docx",
        "rules.md",
        "statute.pdf",
        "statute.txt",
    ]
    for name in ("statute.pdf", "statute.txt"):
        headings = [line for line in loaded[name].text.splitlines() if line.startswith("## ")]
        assert headings == [
            "## § 1. Definitions.",
            "## § 2. Notice to residents.",
            "## § 3. Enforcement.",
        ]
    assert loaded["statute.pdf"].text == loaded["statute.txt"].text
    assert "## § 1. Scope." in loaded["policy.docx"].text
    assert "## § 1. Scope." in loaded["page.html"].text
    assert loaded["rules.md"].meta == {"title": "Rules", "jurisdiction": "US-MA"}


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("notes.xyz", "unsupported file type '.xyz'"),
        ("README", "unsupported file type 'README'"),
    ],
)
def test_unsupported_types(tmp_path: Path, name: str, reason: str) -> None:
    path = tmp_path / name
    path.write_text("text", encoding="utf-8")
    with pytest.raises(LoadError) as err:
        load(path)
    assert err.value.reason == reason


def test_suffix_is_case_insensitive(tmp_path: Path) -> None:
    path = tmp_path / "PAGE.HTM"
    path.write_text("<html><body><h2>Section 1</h2><p>Text.</p></body></html>", encoding="utf-8")
    assert load(path).text == "## Section 1\n\nText.\n"
