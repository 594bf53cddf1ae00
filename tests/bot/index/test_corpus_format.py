import pytest

from bot.index.corpus_format import (
    jurisdiction_code,
    leading_markers,
    parse_unit_heading,
    section_key,
)


@pytest.mark.parametrize(
    ("line", "parsed"),
    [
        ("§ 1798.100. General Duties of Businesses", ("1798.100", "General Duties of Businesses")),
        ("§ 164.404 Notification to individuals.", ("164.404", "Notification to individuals")),
        ("§ 59.1-577", ("59.1-577", "")),
        ("Article 17 — Right to erasure", ("Article 17", "Right to erasure")),
        ("Art. 5 Principles", ("Article 5", "Principles")),
        ("Section 3A", ("Section 3A", "")),
        ("Recital (26)", ("Recital 26", "")),
        ("Appendix A to Subpart C", ("Appendix A to Subpart C", "")),
    ],
)
def test_parse_unit_heading(line, parsed):
    assert parse_unit_heading(line) == parsed


@pytest.mark.parametrize(
    ("section", "key"),
    [("§ 1798.100", "1798.100"), ("Article 17", "17"), ("Art. 6", "6"), ("Section 3A", "3a"),
     ("Recital 26", "recital-26"), ("899-AA", "899-aa")],
)  # fmt: skip
def test_section_key(section, key):
    assert section_key(section) == key


@pytest.mark.parametrize(
    ("paragraph", "markers"),
    [("(c) (1) A business shall", ["c", "1"]), ("2. The controller shall", ["2."]),
     ("A. A controller shall", ["A."]), ("(1a) Text", ["1a"]), ("A business shall", []),
     ("(Added by Stats. 2018)", []), ("a. For the purposes of targeted advertising", ["a."]),
     ("e.g. a listing", [])],
)  # fmt: skip
def test_leading_markers(paragraph, markers):
    assert leading_markers(paragraph) == markers


@pytest.mark.parametrize(
    ("value", "code"),
    [("us-ca", "US-CA"), ("CA", "US-CA"), ("California", "US-CA"), ("federal", "US"),
     ("European Union", "EU"), ("eu", "EU"), ("new   york", "US-NY"), ("GB", "GB")],
)  # fmt: skip
def test_jurisdiction_code(value, code):
    assert jurisdiction_code(value) == code


def test_jurisdiction_code_takes_extra_names():
    assert jurisdiction_code("Canada", {"CANADA": "CA-CANADA"}) == "CA-CANADA"
