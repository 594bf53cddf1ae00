"""html.py on pages modelled on EUR-Lex, leginfo and eCFR, written by the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.loaders import LoadError
from ingestion.loaders.html import html_to_document, jurisdiction_from_url, load

EURLEX = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Regulation - 2016/679 - EN - gdpr - EUR-Lex</title>
<link rel="canonical" href="https://eur-lex.europa.eu/eli/reg/2016/679/oj">
<script>window.menu = "Article 99 Entry into force";</script>
<style>.oj-ti-art { font-weight: bold }</style></head>
<body>
<header class="site-header"><a href="/">EUR-Lex</a> Access to European Union law</header>
<div id="cookie-consent-banner">This site uses cookies. Accept all cookies</div>
<nav class="breadcrumb"><ol><li>Home</li><li>EUR-Lex</li><li>Document 32016R0679</li></ol></nav>
<div class="sidebar-menu"><ul><li>Article 1 — jump</li><li>Article 2 — jump</li></ul></div>
<div id="document1"><div class="tabContent">
<div class="eli-container">
<p class="oj-doc-ti">REGULATION (EU) 2016/679 OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL</p>
<p class="oj-doc-ti">of 27 April 2016</p>
<div class="eli-subdivision" id="rct_26"><table><col width="4%"><col width="96%">
<tbody><tr><td valign="top"><p class="oj-normal">(26)</p></td>
<td valign="top"><p class="oj-normal">The principles of data protection should apply to any information
concerning an identified or identifiable natural person.</p></td></tr></tbody></table></div>
<div class="eli-subdivision" id="cpt_III">
<p class="oj-ti-section-1"><span class="oj-expanded">CHAPTER III</span></p>
<div class="eli-title"><p class="oj-ti-section-2"><span class="oj-bold">Rights of the data subject</span></p></div>
<div class="eli-subdivision" id="cpt_III.sct_3">
<p class="oj-ti-section-1"><span class="oj-expanded">Section 3</span></p>
<div class="eli-title"><p class="oj-ti-section-2">Rectification and erasure</p></div>
<div class="eli-subdivision" id="art_16">
<p class="oj-ti-art">Article 16</p>
<div class="eli-title"><p class="oj-sti-art">Right to rectification</p></div>
<p class="oj-normal">The data subject shall have the right to obtain from the controller without undue
delay the rectification of inaccurate personal data concerning him or her.</p></div>
<div class="eli-subdivision" id="art_17">
<p class="oj-ti-art">Article 17</p>
<div class="eli-title"><p class="oj-sti-art">Right to erasure (‘right to be forgotten’)</p></div>
<div id="017.001"><p class="oj-normal">1.   The data subject shall have the right to obtain erasure
where one of the following grounds applies:</p>
<table><col width="4%"><col width="96%"><tbody><tr><td valign="top"><p class="oj-normal">(a)</p></td>
<td valign="top"><p class="oj-normal">the personal data are no longer necessary;</p></td></tr></tbody></table>
<table><tbody><tr><td valign="top"><p class="oj-normal">(b)</p></td>
<td valign="top"><p class="oj-normal">the data subject withdraws consent;</p></td></tr></tbody></table>
</div></div>
<div class="eli-subdivision" id="art_18">
<p class="oj-ti-art">Article 18</p>
<div class="eli-title"><p class="oj-sti-art">Right to restriction of processing</p></div>
<p class="oj-normal">The data subject shall have the right to obtain restriction of processing.</p>
</div></div></div></div></div></div>
<footer id="footer"><p>Article 1 of our legal notice. Contact. Cookies policy.</p></footer>
</body></html>
"""

LEGINFO = """<html><head><title>Law section</title>
<link rel="canonical" href="https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode=CIV&amp;sectionNum=1798.82.">
</head><body>
<div id="header"><ul class="menu"><li>Home</li><li>Bill Information</li><li>California Law</li></ul></div>
<div id="content_main"><div id="codeLawSectionNoHead">
<div><h4><b>Civil Code - CIV</b></h4></div>
<div><h4><b>DIVISION 3. OBLIGATIONS [1427 - 3273.69]</b></h4></div>
<div><h5><b>TITLE 1.81. CUSTOMER RECORDS [1798.80 - 1798.84]</b></h5></div>
<div><h6><a href="javascript:submitCodesValues('1798.81.5.','2.4.6')">1798.81.5.</a></h6>
<p>(a) (1) It is the intent of the Legislature to ensure that personal information about California
residents is protected.</p>
<p>(b) A business that owns, licenses, or maintains personal information shall implement reasonable
security procedures.</p>
<p><i>(Amended by Stats. 2020, Ch. 282, Sec. 1. (AB 1281) Effective January 1, 2021.)</i></p></div>
<div><h6><a href="#">1798.82.</a></h6>
<p>(a) A person or business that conducts business in California shall disclose a breach.</p></div>
<div><h6><a href="#">1798.83.</a></h6>
<p>(a) Except as otherwise provided, a business shall provide the information.</p></div>
</div></div>
<div id="footer"><a href="#">Privacy Policy</a> <a href="#">Accessibility</a></div>
</body></html>
"""

ECFR = """<html><head><title>eCFR :: 45 CFR Part 164 Subpart D</title>
<meta property="og:url" content="https://www.ecfr.gov/current/title-45/part-164/subpart-D">
</head><body>
<nav class="navbar"><a>Browse</a><a>Search</a><a>Reader Aids</a></nav>
<div class="reader-toc table-of-contents"><ul><li>§ 164.400 Applicability.</li><li>§ 164.402 Definitions.</li></ul></div>
<main><div id="content-body">
<div class="part"><h1>PART 164—SECURITY AND PRIVACY</h1>
<div class="subpart"><h2 id="subpart-D">Subpart D—Notification in the Case of Breach of Unsecured Protected Health Information</h2>
<div class="section" id="164.400"><h4>§ 164.400 Applicability.</h4>
<p>The requirements of this subpart shall apply with respect to breaches occurring on or after September 23, 2009.</p></div>
<div class="section" id="164.402"><h4>§ 164.402 Definitions.</h4>
<p>As used in this subpart, the following terms have the following meanings:</p>
<p class="indent-1" data-title="164.402 Breach"><em>Breach</em> means the acquisition of protected health information.</p></div>
<div class="section" id="164.404"><h4>§ 164.404 Notification to individuals.</h4>
<p class="indent-1" data-title="164.404(a)"><span class="paragraph-hierarchy"><span class="paren">(</span>a<span class="paren">)</span></span> <em class="paragraph-heading">Standard</em>—<span class="paragraph-hierarchy"><span class="paren">(</span>1<span class="paren">)</span></span> <em>General rule.</em> A covered entity shall notify each individual.</p>
<p class="indent-2" data-title="164.404(a)(2)"><span class="paragraph-hierarchy">(2)</span> <em>Breaches treated as discovered.</em> A breach shall be treated as discovered.</p>
</div></div></div></div></main>
<footer class="site-footer">Federal Register | National Archives</footer>
</body></html>
"""


def _unit_headings(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("## ")]


def test_eurlex_page() -> None:
    doc = html_to_document(EURLEX)
    assert _unit_headings(doc.text) == [
        "## Recital (26)",
        "## Article 16 — Right to rectification",
        "## Article 17 — Right to erasure (‘right to be forgotten’)",
        "## Article 18 — Right to restriction of processing",
    ]
    assert "# CHAPTER III — Rights of the data subject" in doc.text
    assert "# Section 3 — Rectification and erasure" in doc.text
    assert doc.text.startswith(
        "# REGULATION (EU) 2016/679 OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL of 27 April 2016\n"
    )
    assert "\n\n(a) the personal data are no longer necessary;\n\n" in doc.text
    assert (
        "1. The data subject shall have the right to obtain erasure where one of the following "
        "grounds applies:"
    ) in doc.text
    assert (
        "The principles of data protection should apply to any information concerning" in doc.text
    )
    for furniture in (
        "cookies",
        "Document 32016R0679",
        "jump",
        "legal notice",
        "window.menu",
        "font-weight",
    ):
        assert furniture not in doc.text
    assert doc.meta == {
        "title": "REGULATION (EU) 2016/679 OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL of 27 April 2016",
        "source": {"official_url": "https://eur-lex.europa.eu/eli/reg/2016/679/oj"},
        "jurisdiction": "EU",
    }


def test_leginfo_page() -> None:
    doc = html_to_document(LEGINFO)
    assert _unit_headings(doc.text) == [
        "## § 1798.81.5.",
        "## § 1798.82.",
        "## § 1798.83.",
    ]
    assert "# TITLE 1.81. CUSTOMER RECORDS [1798.80 - 1798.84]" in doc.text
    assert (
        "## § 1798.81.5.\n\n(a) (1) It is the intent of the Legislature to ensure that personal "
        "information about California residents is protected.\n\n(b) A business that owns"
    ) in doc.text
    assert (
        "(Amended by Stats. 2020, Ch. 282, Sec. 1. (AB 1281) Effective January 1, 2021.)"
        in doc.text
    )
    assert "Bill Information" not in doc.text and "Privacy Policy" not in doc.text
    assert doc.meta["jurisdiction"] == "US-CA"
    assert doc.meta["source"]["official_url"].startswith("https://leginfo.legislature.ca.gov/")


def test_ecfr_page() -> None:
    doc = html_to_document(ECFR)
    assert _unit_headings(doc.text) == [
        "## § 164.400 Applicability.",
        "## § 164.402 Definitions.",
        "## § 164.404 Notification to individuals.",
    ]
    assert doc.text.startswith("# PART 164—SECURITY AND PRIVACY\n\n# Subpart D—Notification")
    assert (
        "(a) Standard—(1) General rule. A covered entity shall notify each individual." in doc.text
    )
    assert (
        "\n\n(2) Breaches treated as discovered. A breach shall be treated as discovered.\n"
        in doc.text
    )
    assert "Breach means the acquisition of protected health information." in doc.text
    assert "Reader Aids" not in doc.text and "National Archives" not in doc.text
    assert doc.text.count("§ 164.400") == 1  # the contents sidebar is gone
    assert doc.meta == {
        "title": "PART 164—SECURITY AND PRIVACY",
        "source": {"official_url": "https://www.ecfr.gov/current/title-45/part-164/subpart-D"},
        "jurisdiction": "US",
    }


def test_container_with_navigation_like_class_is_kept_when_it_holds_the_text() -> None:
    page = (
        "<html><body><div class='has-sidebar'><h2>§ 1. Scope.</h2><p>This act applies.</p>"
        "<h2>§ 2. Notice.</h2><p>Notice is required.</p></div></body></html>"
    )
    doc = html_to_document(page)
    assert _unit_headings(doc.text) == ["## § 1. Scope.", "## § 2. Notice."]
    assert "Notice is required." in doc.text


def test_unnumbered_headings_are_structural_and_tables_become_rows() -> None:
    page = (
        "<html><head><title>Guide</title></head><body><h1>Privacy guide</h1><h2>Background</h2>"
        "<p>Intro text.</p><table><tr><th>Term</th><th>Days</th></tr>"
        "<tr><td>Notice</td><td>30</td></tr></table></body></html>"
    )
    doc = html_to_document(page)
    assert (
        doc.text == "# Privacy guide\n\n# Background\n\nIntro text.\n\nTerm | Days\n\nNotice | 30\n"
    )
    assert doc.meta == {"title": "Privacy guide"}


@pytest.mark.parametrize(
    ("url", "jurisdiction"),
    [
        ("https://eur-lex.europa.eu/eli/reg/2016/679/oj", "EU"),
        ("https://www.ecfr.gov/current/title-45/part-164", "US"),
        ("https://uscode.house.gov/view.xhtml?req=15+USC+7701", "US"),
        ("https://leginfo.legislature.ca.gov/faces/codes.xhtml", "US-CA"),
        (
            "https://malegislature.gov/Laws/GeneralLaws/PartI/TitleXV/Chapter93H",
            "US-MA",
        ),
        ("https://www.nysenate.gov/legislation/laws/GBS/899-AA", "US-NY"),
        ("https://law.lis.virginia.gov/vacode/title59.1/chapter53/", "US-VA"),
        ("https://example.com/eur-lex.europa.eu", None),
        ("https://noteur-lex.europa.eu/x", None),
        ("not a url", None),
        ("", None),
    ],
)
def test_jurisdiction_from_url(url: str, jurisdiction: str | None) -> None:
    assert jurisdiction_from_url(url) == jurisdiction


def test_load_reads_the_file(tmp_path: Path) -> None:
    path = tmp_path / "gdpr.html"
    path.write_text(EURLEX, encoding="utf-8")
    assert load(path) == html_to_document(EURLEX.encode("utf-8"))


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the file is empty"),
        (b"  \n", "the file is empty"),
        (b"PK\x03\x04\x00\x00binary", "the file is binary, not an HTML page"),
    ],
)
def test_load_refuses(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(data)
    with pytest.raises(LoadError) as err:
        load(path)
    assert err.value.reason == reason
