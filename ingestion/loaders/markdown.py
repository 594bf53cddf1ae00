"""Markdown and plain text, with optional YAML front matter (the bundled corpus' format)."""

from __future__ import annotations

from pathlib import Path

import yaml

from ingestion.loaders import LoadedDocument, LoadError


def read_text(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise LoadError("the file is binary, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(f"the file is not valid UTF-8 text (byte {exc.start})") from None


def split_front_matter(text: str) -> tuple[dict, str]:
    """Return (front matter, body). Text without front matter gives ({}, text)."""
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end == -1:
        return {}, text
    try:
        meta = yaml.safe_load(text[3:end]) or {}
    except yaml.YAMLError as exc:
        raise LoadError(f"the YAML front matter is invalid ({exc.__class__.__name__})") from None
    if not isinstance(meta, dict):
        raise LoadError("the YAML front matter is not a mapping")
    body = text[end + 4 :]
    return meta, body.lstrip("\n")


def load(path: Path) -> LoadedDocument:
    meta, body = split_front_matter(read_text(path))
    if "\n## " not in "\n" + body:
        # Plain text (or markdown without citable-unit headings): find the headings ourselves.
        from ingestion.loaders.structure import structure_plain_text

        body = structure_plain_text(body)
    if not meta.get("title"):
        from ingestion.loaders.structure import guess_title

        title = guess_title(body)
        if title:
            meta["title"] = title
    return LoadedDocument(text=body, meta=meta)
