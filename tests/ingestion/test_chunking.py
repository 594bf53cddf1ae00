from pathlib import Path

import pytest
import yaml

from ingestion.chunking import (
    chunk_document,
    paragraphs,
    parse_unit_heading,
    split_unit,
    split_units,
)
from ingestion.loaders.markdown import split_front_matter
from tests.fixtures.index import CORPUS

FILES = sorted(p for p in CORPUS.rglob("*.md") if p.name != "README.md")


def _readme_counts() -> dict[str, int]:
    """`sections` column of the corpus README table, by file."""
    counts = {}
    for line in (CORPUS / "README.md").read_text().splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 5 and cells[1].startswith("`"):
            counts[cells[1].strip("`")] = int(cells[4])
    return counts


@pytest.mark.parametrize(
    ("heading", "section", "title"),
    [
        ("§ 1798.100. General Duties of Businesses that Collect Personal Information", "1798.100",
         "General Duties of Businesses that Collect Personal Information"),
        ("§ 1798.199.100.", "1798.199.100", ""),
        ("§ 1798.81.5.", "1798.81.5", ""),
        ("§ 7012. Notice at Collection of Personal Information.", "7012",
         "Notice at Collection of Personal Information"),
        ("Article 17 — Right to erasure (‘right to be forgotten’)", "Article 17",
         "Right to erasure (‘right to be forgotten’)"),
        ("§ 164.404 Notification to individuals.", "164.404", "Notification to individuals"),
        ("Recital (26)", "Recital 26", ""),
        ("Section 3A", "Section 3A", ""),
        ("§ 899-bb. Data security protections.", "899-bb", "Data security protections"),
        ("§ 59.1-577", "59.1-577", ""),
        ("Art. 5. Principles", "Article 5", "Principles"),
    ],
)  # fmt: skip
def test_parse_unit_heading(heading, section, title):
    assert parse_unit_heading(heading) == (section, title)


def test_structural_path_is_kept():
    md = "# Title\n\n# Part 1\n\n# Subpart A\n\n## § 1.1 One.\n\nText one.\n\n# Subpart B\n\n## § 1.2 Two.\n\nText two.\n"
    title, units = split_units(md)
    assert title == "Title"
    assert [u.path for u in units] == [("Part 1", "Subpart A"), ("Part 1", "Subpart B")]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(CORPUS).as_posix())
def test_every_bundled_instrument_chunks_into_its_sections(path: Path):
    meta, body = split_front_matter(path.read_text())
    _, units = split_units(body)
    _, pieces = chunk_document(body)
    expected = _readme_counts()[path.relative_to(CORPUS).as_posix()]
    sections = [u.section for u in units if not u.section.startswith("Appendix")]
    assert len(sections) == len(set(sections)) == expected == meta["sections"]
    # every piece lies inside exactly one section and never holds a heading
    bodies = {u.section: " ".join(u.body.split()) for u in units}
    for piece in pieces:
        assert "## " not in piece.text
        flat = " ".join(piece.text.split())
        assert flat in bodies[piece.unit.section]
        assert sum(flat in b for b in bodies.values()) >= 1
    # pieces of a section cover its whole text, in order
    for unit in units:
        own = [p for p in pieces if p.unit == unit]
        if unit.body:
            assert " ".join(" ".join(p.text.split()) for p in own) == " ".join(unit.body.split())


def test_headings_of_known_sections():
    _, units = split_units(split_front_matter((CORPUS / "eu/gdpr.md").read_text())[1])
    by = {u.section: u for u in units}
    assert by["Article 17"].heading == "Right to erasure (‘right to be forgotten’)"
    assert by["Article 17"].path == (
        "Chapter III — Rights of the data subject",
        "Chapter III, Section 3 — Rectification and erasure",
    ) or by["Article 17"].path[-1].startswith("Chapter III")


def test_long_section_is_split_at_subdivisions_with_labels():
    _, units = split_units(
        split_front_matter((CORPUS / "us-ca/ccpa-civ-code-1798.md").read_text())[1]
    )
    unit = next(u for u in units if u.section == "1798.105")
    pieces = split_unit(unit, max_words=200)
    assert len(pieces) > 1
    assert all(len(p.text.split()) <= 200 or "(" not in p.text[:3] for p in pieces)
    assert pieces[0].subsection == "(a)"
    assert all(p.subsection for p in pieces)
    assert [p.ordinal for p in pieces] == list(range(len(pieces)))
    labels = [lab for p in pieces for lab in p.paragraph_labels]
    assert "(c)(1)" in labels and "(d)(8)" in labels


@pytest.mark.parametrize(
    ("body", "labels"),
    [
        ("(a) One.\n\n(1) Sub.\n\n(2) Sub.\n\n(b) Two.", ["(a)", "(a)(1)", "(a)(2)", "(b)"]),
        ("(a) One.\n\n(1) Sub.\n\n(A) Deep.\n\n(i) Deeper.\n\n(ii) More.\n\n(b) Two.",
         ["(a)", "(a)(1)", "(a)(1)(A)", "(a)(1)(A)(i)", "(a)(1)(A)(ii)", "(b)"]),
        ("(h) Aitch.\n\n(i) Eye is a letter here.\n\n(j) Jay.", ["(h)", "(i)", "(j)"]),
        ("1. Member States shall.\n\n(a) point.\n\n2. Second.", ["(1)", "(1)(a)", "(2)"]),
        ("A. Virginia style.\n\nB. Next.\n\n1. Number.", ["(A)", "(B)", "(B)(1)"]),
        ("(c) (1) Two markers.\n\n(2) Next.", ["(c)(1)", "(c)(2)"]),
        ("No markers.\n\nContinuation.", ["", ""]),
    ],
)  # fmt: skip
def test_paragraph_labels(body, labels):
    from ingestion.chunking import Unit

    piece = split_unit(Unit("1", "", "1", (), body), max_words=10_000)[0]
    assert list(piece.paragraph_labels) == labels


def test_paragraphs_rejoin_wrapped_lines():
    assert paragraphs("a\nb\n\n c ") == ["a b", "c"]


def test_front_matter_of_every_file_is_valid_yaml():
    for path in FILES:
        meta, _ = split_front_matter(path.read_text())
        assert yaml.safe_dump(meta)
        assert meta["jurisdiction"] and meta["title"]
