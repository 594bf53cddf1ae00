"""Per-chunk metadata: how a section is cited and where its official text is. Pure functions."""

from __future__ import annotations

import hashlib
import re
from typing import Any
from urllib.parse import urlparse

from ingestion.corpus_format import jurisdiction_code


def official_urls(meta: dict[str, Any]) -> list[str]:
    """Every official URL the front matter names, most specific first."""
    source = meta.get("source")
    urls: list[str] = []
    if isinstance(source, dict):
        for key in ("official_url", "verification_url", "url"):
            value = source.get(key)
            if isinstance(value, str):
                urls.extend(
                    u for u in re.split(r"\s+and\s+|\s*,\s*|\s+", value) if u.startswith("http")
                )
    elif isinstance(source, str) and source.startswith("http"):
        urls.append(source)
    for key in ("url", "source_url"):
        value = meta.get(key)
        if isinstance(value, str) and value.startswith("http"):
            urls.append(value)
    return urls


def _number(section: str) -> str:
    """ "Article 17" → "17", "Section 3A" → "3A", "1798.100" → "1798.100"."""
    return section.split()[-1] if " " in section else section


def section_citation(meta: dict[str, Any], section: str) -> str:
    """The citation a lawyer writes for one section, e.g. "Cal. Civ. Code § 1798.100"."""
    number = _number(section)
    template = meta.get("cite_as")
    if isinstance(template, str) and "{" in template:
        return template.format(section=section, number=number)
    short = str(meta.get("short_title") or meta.get("title") or "").strip()
    doc_citation = str(meta.get("citation") or "").strip()
    code = re.match(r"^(\d+\s+[A-Z][A-Za-z.]+)\s+(\d+)", short)
    if code and number.split(".")[0] == code.group(2).split(".")[0] and "." in number:
        return f"{code.group(1)} {number}"  # "201 CMR 17.03", "23 NYCRR 500.17"
    if section.startswith("Article "):
        return f"{short or doc_citation} Art. {number}".strip()
    if section.startswith("Recital "):
        base = re.sub(r"\s+recitals?$", "", short, flags=re.IGNORECASE)
        return f"{base or doc_citation} Recital {number}".strip()
    if "§" in doc_citation:
        prefix = doc_citation.split("§")[0]
    elif re.search(r"\bPart\s+\d", doc_citation):
        prefix = re.split(r"\s+Part\s+\d", doc_citation)[0]
    else:
        prefix = ""
    if re.search(r"\bPart\s+\d", prefix):
        prefix = re.split(r"\s+Part\s+\d", prefix)[0]
    prefix = prefix.strip().rstrip("(").strip()
    if prefix:
        return f"{prefix} § {number}"
    return f"{short or doc_citation or 'Section'} § {number}".strip()


def section_url(meta: dict[str, Any], section: str) -> str:
    """A deep link to the section where the official site supports one, else the document URL."""
    urls = official_urls(meta)
    number = _number(section)
    source = meta.get("source") if isinstance(meta.get("source"), dict) else {}
    template = source.get("per_article_urls") if isinstance(source, dict) else None
    if isinstance(template, str) and "{n}" in template and section.startswith("Article "):
        return template.replace("{n}", number)
    for url in urls:
        link = _deep_link(url, section, number)
        if link:
            return link
    return urls[0] if urls else ""


def _deep_link(url: str, section: str, number: str) -> str:
    host = urlparse(url).netloc.lower()
    if host.endswith("ecfr.gov"):
        m = re.search(r"/title-(\d+)", url)
        if m and re.fullmatch(r"\d+\.\d+[a-z]?", number):
            return f"https://www.ecfr.gov/current/title-{m.group(1)}/section-{number}"
    if host.endswith("leginfo.legislature.ca.gov"):
        m = re.search(r"lawCode=([A-Z]+)", url)
        if m and re.fullmatch(r"[\d.]+", number):
            return (
                "https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml"
                f"?lawCode={m.group(1)}&sectionNum={number}"
            )
    if host.endswith("uscode.house.gov"):
        m = re.search(r"title(\d+)", url)
        if m and re.fullmatch(r"\d+[a-z]?", number):
            return (
                "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title"
                f"{m.group(1)}-section{number}&num=0&edition=prelim"
            )
    if (
        host.endswith("malegislature.gov")
        and "/Chapter" in url
        and re.fullmatch(r"\d+[A-Z]?", number)
    ):
        return url.rstrip("/") + f"/Section{number}"
    if host.endswith("nysenate.gov") and url.upper().rstrip("/").endswith("/" + number.upper()):
        return url
    if host.endswith("law.lis.virginia.gov"):
        m = re.search(r"/title([\d.]+)/chapter(\d+)", url)
        if m and re.fullmatch(r"[\d.]+-\d+(?:\.\d+)?", number):
            return f"https://law.lis.virginia.gov/vacode/title{m.group(1)}/chapter{m.group(2)}/section{number}/"
    return ""


def document_jurisdiction(meta: dict[str, Any], fallback: str | None) -> str | None:
    value = meta.get("jurisdiction") or fallback
    return jurisdiction_code(str(value)) if value else None


def content_hash(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()[:32]


# --- legal structure of a unit -----------------------------------------------------------------
UNIT_KINDS = ("definition", "obligation", "exception", "enforcement", "procedural", "recital")

_KIND_BY_HEADING: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("definition", re.compile(r"\bdefinitions?\b|\bmeaning of\b|\bdefinition of\b", re.I)),
    (
        "exception",
        re.compile(
            r"\bexemptions?\b|\bexceptions?\b|\bexclusions?\b|\bpreemption\b|\bpreempt|"
            r"\beffect on other laws\b|\bconflicting provisions\b|\brestrictions\b|"
            r"\bderogations?\b|\bnot apply\b",
            re.I,
        ),
    ),
    (
        "enforcement",
        re.compile(
            r"\bpenalt|\benforcement\b|\bfines?\b|\bsanctions?\b|\bdamages\b|\bliabilit|"
            r"\bremed(?:y|ies)\b|\bcompensation\b|\bcomplaints?\b|\bcivil money\b|"
            r"\baffirmative defenses?\b|\bviolations?\b|\bsecurity breaches\b",
            re.I,
        ),
    ),
    (
        "procedural",
        re.compile(
            r"\bboard\b|\bcommission\b|\bchair\b|\bsecretariat\b|"
            r"\bcommittee\b|\bhearing\b|\balj\b|\bdelegat|\bimplementing acts?\b|\breports?\b|"
            r"\breview\b|\brepeal\b|\bentry into force\b|\bseverab|\bseparability\b|"
            r"\btransition\b|\bcompliance dates?\b|\bstatutory basis\b|\btitle and scope\b|"
            r"\bsubject-matter\b|\bfund\b|\bfees\b|\bwitness|\bevidence\b|\bsubpoenas?\b|"
            r"\bmotions\b|\bappeal\b|\bthe record\b|\bdiscovery\b|\bstay of\b|\bex parte\b|"
            r"\bestoppel\b|\bsampling\b|\bsettle\b|\bcollection of penalty\b|\bwaiver\b|"
            r"\bharmless\b|\bcongressional findings\b|\bstudy\b|\brewards\b|\bregistry\b|"
            r"\bprehearing\b|\bcomputation of time\b|\bform, filing\b|\bindependence\b|"
            r"\bcompetence\b|\bmutual assistance\b|\bjoint operations\b|"
            r"\bconsistency mechanism\b|\bopinion of the board\b|\bdispute resolution\b|"
            r"\burgency procedure\b|\bexchange of information\b|\bactivity reports\b|"
            r"\bgeneral conditions for the members\b|\bestablishment of the supervisory\b|"
            r"\bmodifications\b|\bsworn complaints\b|\binvestigations\b|\bprobable cause\b|"
            r"\bstipulated orders\b|\bagency audits\b|\bprocedure\b|\bconfidentiality\b$|"
            r"\bcommittee procedure\b|\bexercise of the delegation\b|\bvoluntary commission\b",
            re.I,
        ),
    ),
)
# Structural groupings whose units are about institutions and procedure (GDPR Chapters VI,
# VII, X, XI; HIPAA Part 160 Subparts B-E procedure).
_PROCEDURAL_PATH = re.compile(
    r"independent supervisory authorities|cooperation and consistency|delegated acts|"
    r"final provisions|procedures for hearings|european data protection board",
    re.I,
)


# The opening of a definitions unit: "As used in this chapter, unless the context requires a
# different meaning:", "(a) As used in this chapter, the following words shall … have the
# following meanings", "For purposes of this title:", "The following definitions apply to this
# title:", "Except as otherwise provided, the following definitions apply to this subchapter:",
# "In this Act:". `scope` is what the definitions apply to.
_SCOPES = r"act|chapter|title|part|subpart|subchapter|article|regulation|rules?|code|section"
_DEFINITIONS_OPENING = re.compile(
    r"^(?:(?:\([0-9a-z]{1,4}\)|[0-9a-z]{1,4}\.)\s*)?"
    r"(?:(?:except|unless)\s+(?:as\s+)?otherwise\s+(?:provided|stated)[^,.:]{0,40},\s*)?(?:"
    rf"(?:as\s+used\s+in|for\s+(?:the\s+)?purposes\s+of|in)\s+this\s+(?P<scope>{_SCOPES})\b"
    r"(?:\s*(?:,\s*(?:unless|except)\b[^.:]{0,100})?\s*[:—]"
    r"|[^.:]{0,160}?\bfollowing\s+(?:words|terms?|definitions?|meanings?)\b)"
    r"|(?:the\s+)?following\s+(?:definitions|terms|words)\s+(?:apply|shall\s+apply|have)\b"
    rf"[^.]{{0,80}}?\bthis\s+(?P<scope2>{_SCOPES})\b"
    r")",
    re.I,
)


def opens_with_definitions(body: str, *, captioned: bool = False) -> bool:
    """Whether a unit's text opens as a definitions unit does. A unit with a caption of its
    own ("Organizational requirements") counts only when the opening defines terms for more
    than the unit itself ("As used in this part"), not "(a) Definitions. As used in this
    section:" ahead of its rules."""
    first = body.strip().split("\n\n", 1)[0].strip()
    m = _DEFINITIONS_OPENING.match(first)
    if not m:
        return False
    scope = (m.group("scope") or m.group("scope2") or "").lower()
    return not captioned or scope != "section"


def unit_kind(section: str, heading: str, path: tuple[str, ...] | str = (), body: str = "") -> str:
    """The kind of a citable unit, from its number, heading, place in the document and the
    opening of its text: definition, obligation (rules and rights, the default), exception,
    enforcement, procedural (institutions, procedure, final provisions) or recital."""
    if section.startswith("Recital "):
        return "recital"
    joined = path if isinstance(path, str) else " ".join(path)
    for kind, pattern in _KIND_BY_HEADING:
        if heading and pattern.search(heading):
            if kind == "enforcement" and _PROCEDURAL_PATH.search(joined):
                return "procedural"
            return kind
    if opens_with_definitions(body, captioned=bool(heading.strip())):
        return "definition"
    if _PROCEDURAL_PATH.search(joined) and not re.search(
        r"remedies|liability|penalt", heading, re.I
    ):
        return "procedural"
    return "obligation"


def instrument_type(meta: dict[str, Any], section: str) -> str:
    """statute, regulation or recital (front matter `instrument_type`, normalised)."""
    if section.startswith("Recital ") or "recital" in str(meta.get("instrument_type", "")).lower():
        return "recital"
    value = str(meta.get("instrument_type") or "").lower()
    if "regulation" in value or "rule" in value:
        return "regulation"
    if "statute" in value or "act" in value or "code" in value:
        return "statute"
    return value or "statute"


# "section 1798.135", "Civil Code section 1798.100", "§ 164.404", "§§ 164.400 through 164.414",
# "Article 6(1)", "Articles 15 to 22", "sections 7050 and 7051" — the numbers, in order.
_REF_LEAD = re.compile(
    r"(?:\b(?:sections?|articles?|recitals?)\s+|§§?\s*)"
    r"(?P<nums>[0-9][0-9A-Za-z.\-]*(?:\([0-9A-Za-z]{1,5}\))*"
    r"(?:\s*(?:,|and|or|to|through|–|-)\s*[0-9][0-9A-Za-z.\-]*(?:\([0-9A-Za-z]{1,5}\))*)*)",
    re.I,
)
_REF_NUMBER = re.compile(r"[0-9][0-9A-Za-z.\-]*[0-9A-Za-z]|[0-9]")


def cross_references(body: str, *, own: str = "") -> list[str]:
    """Section keys of the units a unit's text refers to ("section 1798.135" → "1798.135"),
    without subdivisions and without the unit itself. Resolved against the index when used."""
    found: list[str] = []
    for m in _REF_LEAD.finditer(body):
        recital = m.group(0).lower().startswith("recital")
        for raw in _REF_NUMBER.findall(re.sub(r"\([^)]*\)", " ", m.group("nums"))):
            number = raw.rstrip(".-")
            if (
                not number
                or number.isdigit()
                and len(number) == 4
                and number.startswith(("19", "20"))
            ):
                continue  # a year
            key = f"recital-{number.lower()}" if recital else number.lower()
            if key != own and key not in found:
                found.append(key)
    return found
