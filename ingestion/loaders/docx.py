"""Word (.docx) files.

Paragraphs styled "Title" or "Heading N" are headings: one that names a citable unit ("§ 7012.",
"Article 17", "Section 3A") becomes `##`, a structural one ("Chapter 2") `#`, and an unnumbered
one `#` for "Title"/"Heading 1" and `##` for "Heading 2" and below. Other paragraphs go through
the plain-text rules, so a "§ 1. Definitions" typed in Normal style is found too. Table rows
become paragraphs. Automatic list numbering is not part of the text python-docx reads.
"""

from __future__ import annotations

import logging
import re
import zipfile
from pathlib import Path
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml.etree import XMLSyntaxError

from ingestion.loaders import LoadedDocument, LoadError, require_content
from ingestion.loaders.structure import (
    Block,
    blocks_to_markdown,
    collapse,
    guess_title,
    text_to_blocks,
)

logger = logging.getLogger(__name__)

DAMAGED = "the Word document is damaged and could not be read"
NOT_DOCX = "the file is not a Word .docx document (an old .doc file, or damaged?)"

_HEADING_STYLE = re.compile(r"^(?:Heading|heading)\s*([1-9])$")
_DOCX_ERRORS = (
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    TypeError,
    AttributeError,
    XMLSyntaxError,
    NotImplementedError,
)


def load(path: Path) -> LoadedDocument:
    require_content(path)
    try:
        document = docx.Document(str(path))
        blocks = _blocks(document)
        core_title = collapse(document.core_properties.title or "")
    except PackageNotFoundError as exc:
        logger.warning("not a docx package %s: %s", path, exc)
        raise LoadError(NOT_DOCX) from None
    except _DOCX_ERRORS as exc:
        logger.warning("cannot parse docx %s: %s: %s", path, type(exc).__name__, exc)
        raise LoadError(DAMAGED) from None
    if not any(block.kind == "para" for block in blocks):
        return LoadedDocument(text="", meta={"title": core_title} if core_title else {})
    text = blocks_to_markdown(blocks, title=core_title or None)
    meta: dict[str, Any] = {}
    title = core_title or guess_title(text)
    if title:
        meta["title"] = title
    return LoadedDocument(text=text, meta=meta)


def heading_level(style_name: str) -> int | None:
    """1 for "Title"/"Heading 1", 2 for "Heading 2" and deeper, None for body styles."""
    if style_name in ("Title", "title"):
        return 1
    m = _HEADING_STYLE.match(style_name.strip())
    if m:
        return 1 if m.group(1) == "1" else 2
    return None


def _blocks(document: Any) -> list[Block]:
    blocks: list[Block] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            blocks.extend(text_to_blocks("\n\n".join(pending)))
            pending.clear()

    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            text = item.text.strip()
            if not text:
                continue
            style = item.style.name if item.style is not None else ""
            level = heading_level(style or "")
            if level is None:
                pending.append(text)
                continue
            flush()
            blocks.append(Block("heading", collapse(text), level=level))
        elif isinstance(item, Table):
            flush()
            blocks.extend(_table_blocks(item))
    flush()
    return blocks


def _table_blocks(table: Table) -> list[Block]:
    blocks: list[Block] = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = collapse(cell.text)
            if text and (not cells or cells[-1] != text):  # merged cells repeat their text
                cells.append(text)
        if not cells:
            continue
        if len(cells) >= 2 and re.fullmatch(r"\([0-9A-Za-z]{1,4}\)", cells[0]):
            blocks.append(Block("para", f"{cells[0]} {' '.join(cells[1:])}"))
        else:
            blocks.append(Block("para", " | ".join(cells)))
    return blocks
