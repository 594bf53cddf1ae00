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
