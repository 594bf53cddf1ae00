"""PDF files: the text layer, structured by `structure.structure_plain_text`.

Running headers and footers (a line repeated at the top or bottom of most pages, page numbers
allowed to differ) are removed before structuring. A scanned PDF without a text layer, a damaged
file and a password-protected file are refused with a plain reason; OCR is not attempted.
"""

from __future__ import annotations

import logging
import re
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from ingestion.loaders import LoadedDocument, LoadError, require_content
from ingestion.loaders.structure import (
    collapse,
    guess_title,
    match_heading,
    structure_plain_text,
)

logger = logging.getLogger(__name__)

DAMAGED = "the PDF is damaged and could not be read"
NO_TEXT = "the PDF has no text layer (a scanned image?); run OCR on it first"
PASSWORD = "the PDF is password-protected"

# What pypdf raises on damaged input: its own errors, and whatever a malformed object provokes.
_PDF_ERRORS = (
    PyPdfError,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    AssertionError,
    OSError,
    RecursionError,
    ZeroDivisionError,
    NotImplementedError,
    OverflowError,
    zlib.error,
)
# Lines looked at for running headers/footers at each end of a page.
_EDGE_LINES = 2
_WORD_PRODUCER = re.compile(r"^Microsoft (?:Word|PowerPoint) - ", re.IGNORECASE)
_FILE_NAME = re.compile(r"\.(?:docx?|pdf|rtf|odt|txt|html?)$", re.IGNORECASE)


def load(path: Path) -> LoadedDocument:
    require_content(path)
    reader = _open(path)
    pages = _page_texts(reader, path)
    if not any(page.strip() for page in pages):
        raise LoadError(NO_TEXT)
    text = structure_plain_text("\n".join(strip_running_lines(pages)))
    meta: dict[str, Any] = {}
    title = _metadata_title(reader, path) or guess_title(text)
    if title:
        meta["title"] = title
    return LoadedDocument(text=text, meta=meta)


def _open(path: Path) -> PdfReader:
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError(PASSWORD)
        _ = len(reader.pages)
    except LoadError:
        raise
    except _PDF_ERRORS as exc:  # many types, one reason for the user
        logger.warning("cannot parse PDF %s: %s: %s", path, type(exc).__name__, exc)
        raise LoadError(DAMAGED) from None
    return reader


def _page_texts(reader: PdfReader, path: Path) -> list[str]:
    texts: list[str] = []
    failed = 0
    for number, page in enumerate(reader.pages, start=1):
        try:
            texts.append(page.extract_text() or "")
        except _PDF_ERRORS as exc:  # one bad page should not lose the others
            failed += 1
            logger.warning("%s: page %d unreadable: %s: %s", path, number, type(exc).__name__, exc)
    if failed and not any(text.strip() for text in texts):
        raise LoadError(DAMAGED)
    return texts


def _metadata_title(reader: PdfReader, path: Path) -> str | None:
    try:
        info = reader.metadata
        raw = info.title if info else None
    except _PDF_ERRORS as exc:
        logger.info("%s: unreadable document info: %s", path, exc)
        return None
    title = collapse(str(raw or ""))
    title = _WORD_PRODUCER.sub("", title)
    if not title or _FILE_NAME.search(title) or title.lower() in {"untitled", "title"}:
        return None
    return title


def _signature(line: str) -> str:
    """A header line with its page number blanked, so "Page 3" and "Page 4" compare equal."""
    return re.sub(r"[0-9]+", "#", collapse(line))


def strip_running_lines(pages: list[str]) -> list[str]:
    """Remove lines repeated at the top or bottom of most pages (running headers, footers)."""
    if len(pages) < 3:
        return pages
    counts: Counter[str] = Counter()
    for page in pages:
        lines = [line for line in page.splitlines() if line.strip()]
        edge = {_signature(line) for line in lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]}
        counts.update(edge)
    threshold = max(3, (len(pages) + 1) // 2)
    running = {sig for sig, count in counts.items() if count >= threshold}
    # "Article 12" at the top of three pages is a heading each time, not a running header.
    running = {sig for sig in running if match_heading(sig.replace("#", "1")) is None}
    if not running:
        return pages
    cleaned: list[str] = []
    for page in pages:
        lines = page.splitlines()
        nonblank = [i for i, line in enumerate(lines) if line.strip()]
        edges = set(nonblank[:_EDGE_LINES] + nonblank[-_EDGE_LINES:])
        kept = [
            line for i, line in enumerate(lines) if not (i in edges and _signature(line) in running)
        ]
        cleaned.append("\n".join(kept))
    return cleaned
