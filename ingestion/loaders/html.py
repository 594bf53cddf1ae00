"""Saved HTML pages of official sources (EUR-Lex, leginfo, eCFR, state legislatures).

Navigation, headers, footers, scripts, menus and breadcrumbs are dropped; headings (h1–h6 and
EUR-Lex's `oj-ti-art` / `oj-sti-art` / `oj-ti-section-*` paragraphs) and paragraphs are kept and
rendered by `structure.blocks_to_markdown`: a heading that names a citable unit becomes `##`,
any other heading `#`. A two-cell table row whose first cell is a point marker ("(a)") becomes
one paragraph "(a) text"; other table rows become "cell | cell".
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from ingestion.loaders import LoadedDocument, LoadError
from ingestion.loaders.structure import (
    Block,
    blocks_to_markdown,
    collapse,
    guess_title,
    match_heading,
    text_to_blocks,
)

logger = logging.getLogger(__name__)

# Official hosts whose jurisdiction is certain. Longest suffix wins.
HOST_JURISDICTIONS: dict[str, str] = {
    "eur-lex.europa.eu": "EU",
    "data.europa.eu": "EU",
    "ecfr.gov": "US",
    "federalregister.gov": "US",
    "govinfo.gov": "US",
    "uscode.house.gov": "US",
    "leginfo.legislature.ca.gov": "US-CA",
    "cppa.ca.gov": "US-CA",
    "malegislature.gov": "US-MA",
    "nysenate.gov": "US-NY",
    "law.lis.virginia.gov": "US-VA",
}

_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "canvas",
    "form",
    "button",
    "select",
    "input",
    "textarea",
    "nav",
    "aside",
    "header",
    "footer",
    "menu",
)
_NAV_TOKEN = re.compile(
    r"(?:^|[-_ ])(?:nav|navbar|navigation|menu|menubar|breadcrumbs?|sidebar|toolbar|skip|skiplinks?|"
    r"cookies?|cookie-banner|banner|masthead|header|footer|share|social|pagination|search|toc|"
    r"table-of-contents|subnav|topbar)(?:$|[-_ ])",
    re.IGNORECASE,
)
_NAV_ROLES = {
    "navigation",
    "banner",
    "contentinfo",
    "search",
    "menu",
    "menubar",
    "toolbar",
}
_BLOCK_TAGS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "blockquote",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "pre",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "center",
    "figure",
    "figcaption",
    "address",
    "body",
    "html",
}
_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# EUR-Lex classes, in the current ("oj-") and the older format.
_EURLEX_HEADING = re.compile(r"^(?:oj-)?(?:ti-art|ti-section-1|ti-grseq-1|title-article-norm)$")
_EURLEX_SUBTITLE = re.compile(r"^(?:oj-)?(?:sti-art|ti-section-2|stitle-article-norm)$")
_EURLEX_DOC_TITLE = re.compile(r"^(?:oj-)?doc-ti$")
_POINT_MARKER = re.compile(
    r"^(?:\(?[0-9]{1,3}[a-z]?\)|\(?[a-z]{1,4}\)|\(?[A-Z]{1,3}\)|[0-9]{1,3}\.|[—–-])$"
)
_RECITAL_ID = re.compile(r"^rct_([0-9]+)$")


def jurisdiction_from_url(url: str) -> str | None:
    """The jurisdiction of an official source, from its host; None when unknown."""
    host = (urlparse(url).hostname or "").lower()
    matches = [s for s in HOST_JURISDICTIONS if host == s or host.endswith("." + s)]
    return HOST_JURISDICTIONS[max(matches, key=len)] if matches else None


def load(path: Path) -> LoadedDocument:
    try:
        data = path.read_bytes()
    except OSError as exc:
        logger.warning("cannot read %s: %s", path, exc)
        raise LoadError("the file could not be read") from None
    if not data.strip():
        raise LoadError("the file is empty")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError("the file is binary, not an HTML page")
    return html_to_document(data)


def html_to_document(data: bytes | str) -> LoadedDocument:
    """Parse one saved page into structured markdown and metadata."""
    soup = BeautifulSoup(data, "lxml")
    meta = _page_meta(soup)
    body = soup.body or soup
    _strip_furniture(body)
    page_title = meta.pop("_page_title", None)
    if "title" not in meta:
        title = _doc_title(body) or page_title
        if title:
            meta["title"] = title
    blocks = _Walker().walk(body)
    text = blocks_to_markdown(blocks, title=meta.get("title"))
    if "title" not in meta:
        title = guess_title(text)
        if title:
            meta["title"] = title
    if not any(b.kind == "para" for b in blocks):
        return LoadedDocument(text="", meta=meta)
    return LoadedDocument(text=text, meta=meta)


def _page_meta(soup: BeautifulSoup) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    title = _meta_content(soup, "og:title", "dc.title", "dcterms.title")
    if title:
        meta["title"] = title
    url = ""
    link = soup.find("link", rel=lambda value: value is not None and "canonical" in value)
    if isinstance(link, Tag):
        url = str(link.get("href") or "").strip()
    if not url.startswith(("http://", "https://")):
        url = _meta_content(soup, "og:url") or ""
    if url.startswith(("http://", "https://")):
        meta["source"] = {"official_url": url}
        jurisdiction = jurisdiction_from_url(url)
        if jurisdiction:
            meta["jurisdiction"] = jurisdiction
    if "title" not in meta and soup.title and soup.title.string:
        meta["_page_title"] = collapse(soup.title.string)
    return meta


def _meta_content(soup: BeautifulSoup, *names: str) -> str | None:
    for tag in soup.find_all("meta"):
        key = str(tag.get("property") or tag.get("name") or "").lower()
        if key in names:
            content = collapse(str(tag.get("content") or ""))
            if content:
                return content
    return None


def _doc_title(body: Tag) -> str | None:
    """EUR-Lex's `doc-ti` paragraphs, else the first h1."""
    parts = [collapse(p.get_text(" ")) for p in body.find_all(class_=_EURLEX_DOC_TITLE)]
    parts = [p for p in parts if p]
    if parts:
        return " ".join(parts[:3])
    h1 = body.find("h1")
    if isinstance(h1, Tag):
        return collapse(h1.get_text(" ")) or None
    return None


def _strip_furniture(body: Tag) -> None:
    total = len(collapse(body.get_text(" ")))
    for comment in body.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    candidates: list[Tag] = []
    for tag in body.find_all(True):
        if not isinstance(tag, Tag) or tag.attrs is None:
            continue
        if tag.name in _DROP_TAGS or _is_navigation(tag):
            candidates.append(tag)
    for tag in candidates:
        if tag.decomposed:
            continue
        if tag.name not in (
            "script",
            "style",
            "noscript",
            "template",
        ) and _holds_content(tag, total):
            continue
        tag.decompose()


def _is_navigation(tag: Tag) -> bool:
    if str(tag.get("role") or "").lower() in _NAV_ROLES:
        return True
    if tag.get("hidden") is not None or str(tag.get("aria-hidden") or "").lower() == "true":
        return True
    names = " ".join([str(tag.get("id") or ""), *(tag.get("class") or [])])
    return bool(names.strip()) and bool(_NAV_TOKEN.search(names))


def _holds_content(tag: Tag, total: int) -> bool:
    """Never drop a container that holds most of the page or a citable unit's heading."""
    if total and len(collapse(tag.get_text(" "))) >= total / 2:
        return True
    for heading in tag.find_all(list(_HEADING_TAGS)):
        if _unit_like(collapse(heading.get_text(" "))):
            return True
    return False


def _unit_like(text: str) -> bool:
    m = match_heading(text)
    return m is not None and m.family != "structural"


def _classes(tag: Tag) -> list[str]:
    return [str(c) for c in (tag.get("class") or [])]


class _Walker:
    """Walk the cleaned body in document order, collecting blocks."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.prefix = ""

    def walk(self, root: Tag) -> list[Block]:
        self._visit(root)
        self._flush()
        return self.blocks

    def _flush(self) -> None:
        text = "".join(self.buffer)
        self.buffer = []
        lines = [collapse(line) for line in text.split("\n")]
        text = "\n\n".join(line for line in lines if line)
        if not text:
            return
        if self.prefix:
            text, self.prefix = f"{self.prefix} {text}", ""
        self.blocks.extend(text_to_blocks(text))

    def _heading(self, kind: str, text: str) -> None:
        self._flush()
        text = collapse(text)
        if text:
            self.blocks.append(Block(kind, text))  # type: ignore[arg-type]

    def _visit(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                self.buffer.append(str(child).replace("\n", " "))
                continue
            if not isinstance(child, Tag):
                continue
            self._visit_tag(child)

    def _visit_tag(self, tag: Tag) -> None:
        name = tag.name
        classes = _classes(tag)
        if name == "br":
            self.buffer.append("\n")
            return
        if any(_EURLEX_DOC_TITLE.match(c) for c in classes):
            self._flush()
            return  # the document title becomes meta["title"] and the first heading
        if name in _HEADING_TAGS or any(_EURLEX_HEADING.match(c) for c in classes):
            self._heading("heading", tag.get_text(" "))
            return
        if any(_EURLEX_SUBTITLE.match(c) for c in classes):
            self._heading("subtitle", tag.get_text(" "))
            return
        recital = _RECITAL_ID.match(str(tag.get("id") or ""))
        if recital:
            self._heading("heading", f"Recital ({recital.group(1)})")
            self._recital(tag)
            return
        if name == "tr":
            self._row(tag)
            return
        if name in _BLOCK_TAGS or name in ("td", "th"):
            self._flush()
            self._visit(tag)
            self._flush()
            return
        self._visit(tag)

    def _recital(self, tag: Tag) -> None:
        """EUR-Lex recitals: a table whose first cell is "(26)"; the number is already the heading."""
        cells = tag.find_all("td")
        if len(cells) >= 2 and _POINT_MARKER.match(collapse(cells[0].get_text(" "))):
            for cell in cells[1:]:
                self._flush()
                self._visit(cell)
            self._flush()
            return
        self._flush()
        self._visit(tag)
        self._flush()

    def _row(self, row: Tag) -> None:
        self._flush()
        if self.prefix:  # an outer point whose text cell opens with this nested table
            self.blocks.append(Block("para", self.prefix))
            self.prefix = ""
        cells = row.find_all(["td", "th"], recursive=False)
        if not cells:
            return
        first = collapse(cells[0].get_text(" "))
        if len(cells) >= 2 and _POINT_MARKER.match(first):
            # "(a)" | "the identity of the controller …" → one paragraph "(a) the identity …"
            self.prefix = first
            for cell in cells[1:]:
                self._visit(cell)
                self._flush()
            if self.prefix:  # the text cells were empty
                self.blocks.append(Block("para", self.prefix))
                self.prefix = ""
            return
        texts = [collapse(cell.get_text(" ")) for cell in cells]
        texts = [t for t in texts if t]
        if texts:
            self.blocks.append(Block("para", " | ".join(texts)))
