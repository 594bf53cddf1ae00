import pytest

from ingestion.metadata import (
    content_hash,
    cross_references,
    document_jurisdiction,
    instrument_type,
    official_urls,
    opens_with_definitions,
    section_citation,
    section_url,
    unit_kind,
)

STATUTE = {
    "short_title": "CCPA",
    "citation": "Cal. Civ. Code §§ 1798.100–1798.199.100",
    "source": {
        "official_url": "https://cppa.ca.gov/statute.pdf",
        "verification_url": "https://leginfo.legislature.ca.gov/faces/codes_displayText.xhtml?lawCode=CIV&part=4.",
    },
}
REGULATION = {"short_title": "HIPAA", "citation": "45 C.F.R. Part 164 (Subparts A, C)"}
EU = {
    "short_title": "GDPR",
    "citation": "Regulation (EU) 2016/679",
    "source": {"per_article_urls": "https://eur-lex.example/art_{n}/oj"},
}


@pytest.mark.parametrize(
    ("meta", "section", "citation"),
    [
        (STATUTE, "1798.150", "Cal. Civ. Code § 1798.150"),
        (REGULATION, "164.410", "45 C.F.R. § 164.410"),
        (EU, "Article 28", "GDPR Art. 28"),
        ({"short_title": "GDPR recitals"}, "Recital 26", "GDPR Recital 26"),
        ({"cite_as": "M.G.L. c. 93H, § {number}"}, "Section 3A", "M.G.L. c. 93H, § 3A"),
        ({"short_title": "Rules"}, "12", "Rules § 12"),
    ],
)
def test_section_citation(meta, section, citation):
    assert section_citation(meta, section) == citation


def test_official_urls_most_specific_first():
    assert official_urls(STATUTE) == [
        "https://cppa.ca.gov/statute.pdf",
        "https://leginfo.legislature.ca.gov/faces/codes_displayText.xhtml?lawCode=CIV&part=4.",
    ]
    assert official_urls({"source": "https://example.org/a"}) == ["https://example.org/a"]
    assert official_urls({}) == []


def test_section_url_deep_links_where_the_site_supports_them():
    assert section_url(EU, "Article 28") == "https://eur-lex.example/art_28/oj"
    assert section_url(STATUTE, "1798.150").endswith("lawCode=CIV&sectionNum=1798.150")
    ecfr = {"source": {"official_url": "https://www.ecfr.gov/current/title-45/part-164"}}
    assert section_url(ecfr, "164.410") == "https://www.ecfr.gov/current/title-45/section-164.410"
    assert section_url({"source": {"url": "https://example.org/doc"}}, "7") == (
        "https://example.org/doc"
    )


@pytest.mark.parametrize(
    ("value", "fallback", "code"),
    [("us-ca", None, "US-CA"), ("EU", None, "EU"), ("federal", None, "US"),
     (None, "California", "US-CA"), (None, None, None), ("US_NY", None, "US-NY")],
)  # fmt: skip
def test_document_jurisdiction(value, fallback, code):
    meta = {"jurisdiction": value} if value else {}
    assert document_jurisdiction(meta, fallback) == code


def test_content_hash_separates_parts():
    assert content_hash("ab", "c") != content_hash("a", "bc")
    assert content_hash("x") == content_hash("x") and len(content_hash("x")) == 32


@pytest.mark.parametrize(
    ("section", "heading", "path", "kind"),
    [("Recital 26", "", (), "recital"), ("1798.140", "Definitions", (), "definition"),
     ("1798.145", "Exemptions", (), "exception"), ("160.404", "Amount of a civil money penalty", (), "enforcement"),
     ("Article 68", "European Data Protection Board", ("CHAPTER VII Cooperation and consistency",), "procedural"),
     ("Article 33", "Notification of a personal data breach to the supervisory authority", (), "obligation"),
     ("Article 82", "Right to compensation and liability", ("CHAPTER VIII Remedies, liability and penalties",), "enforcement")],
)  # fmt: skip
def test_unit_kind(section, heading, path, kind):
    assert unit_kind(section, heading, path) == kind


# Synthetic openings of units, with or without a caption of their own.
_DEFS = "“Consumer” means a natural person.\n\n“Sale” means an exchange for money."


@pytest.mark.parametrize(
    ("heading", "body", "kind"),
    [("", "As used in this chapter, unless the context requires a different meaning:\n\n" + _DEFS, "definition"),
     ("", "(a) As used in this chapter, the following words shall, unless the context clearly requires otherwise, have the following meanings:—\n\n”Agency”, any agency.", "definition"),
     ("", "For purposes of this title:\n\n" + _DEFS, "definition"),
     ("", "For the purposes of this part, the following terms have the following meanings:\n\n" + _DEFS, "definition"),
     ("", "The following definitions apply to this title:\n\n" + _DEFS, "definition"),
     ("", "Except as otherwise provided, the following definitions apply to this subchapter:\n\n" + _DEFS, "definition"),
     ("", "1. As used in this section, the following terms shall have the following meanings:\n\n" + _DEFS, "definition"),
     ("", "In this Act:\n\n" + _DEFS, "definition"),
     ("General provisions", "As used in this part, the following terms have the following meanings:\n\n" + _DEFS, "definition"),
     # a rule that only opens with a scope clause is not a definitions unit
     ("", "For purposes of this section, a business does not sell personal information when:\n\n(1) it discloses.", "obligation"),
     ("", "For purposes of this title, a controller shall give notice.", "obligation"),
     ("", "A business shall, as used in this chapter:\n\n(a) notify.", "obligation"),
     ("", "In this State, a person that owns data shall notify residents.", "obligation"),
     # definitions deep inside a unit, or scoped to a captioned unit's own rules
     ("", "A controller shall notify.\n\nAs used in this chapter:\n\n" + _DEFS, "obligation"),
     ("Notification; breach", "1. As used in this section, the following terms shall have the following meanings:\n\n" + _DEFS, "obligation"),
     ("Organizational requirements", "(a) Definitions. As used in this section:\n\n" + _DEFS, "obligation"),
     ("Penalties", "As used in this chapter:\n\n" + _DEFS, "enforcement")],
)  # fmt: skip
def test_unit_kind_reads_a_definitions_opening(heading, body, kind):
    assert unit_kind("12", heading, (), body) == kind
    assert opens_with_definitions(body, captioned=bool(heading)) == (
        kind == "definition" or heading == "Penalties"
    )


def test_cross_references_in_order_without_years_or_itself():
    body = (
        "pursuant to Civil Code section 1798.185, subdivision (a), and sections 1798.100 and "
        "1798.105(c); see § 7012 and Article 6(1) of Regulation 2016. Section 7013 itself."
    )
    assert cross_references(body, own="7013") == ["1798.185", "1798.100", "1798.105", "7012", "6"]


def test_instrument_type():
    assert instrument_type({"instrument_type": "statute"}, "1798.100") == "statute"
    assert instrument_type({"instrument_type": "regulation (recitals)"}, "Recital 1") == "recital"
    assert instrument_type({"instrument_type": "Regulation"}, "Article 5") == "regulation"
