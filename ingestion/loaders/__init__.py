"""Loaders: one per file type, each turning a file into structured markdown plus metadata.

Every loader returns a `LoadedDocument` whose text follows the bundled corpus' conventions:
`#` headings for structure (chapter, part, subpart), `##` headings for citable units
(`## § 1798.100. Title`, `## Article 17 — Title`, `## Section 3A`, `## Recital (26)`), one
paragraph per subdivision separated by blank lines. The chunker only ever sees that form.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class LoadedDocument:
    text: str
    meta: dict[str, Any] = field(default_factory=dict)


class LoadError(Exception):
    """A file could not be read; `reason` is a sentence for the ingestion report."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


Loader = Callable[[Path], LoadedDocument]


def require_content(path: Path) -> None:
    """Raise LoadError unless `path` can be read and is not empty (the binary loaders' first
    check; the detail goes to the operator's log, the reason to the ingestion report)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        logging.getLogger(__name__).warning("cannot read %s: %s", path, exc)
        raise LoadError("the file could not be read") from None
    if size == 0:
        raise LoadError("the file is empty")


_MODULES = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}


SUPPORTED_SUFFIXES = tuple(_MODULES)


def load(path: Path) -> LoadedDocument:
    """Load any supported file; raises LoadError with a readable reason."""
    module = _MODULES.get(path.suffix.lower())
    if module is None:
        raise LoadError(f"unsupported file type '{path.suffix or path.name}'")
    loader: Loader = importlib.import_module(f"ingestion.loaders.{module}").load
    doc = loader(path)
    if not doc.text.strip():
        raise LoadError("the file has no text")
    return doc
