"""Files → chunks → embedded LlamaIndex nodes → Qdrant, incrementally and idempotently."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from llama_index.core.schema import TextNode

from bot.index import vocabulary
from bot.index.coverage import SourceRecord, catalogue_fields, source_key
from bot.index.freshness import missing_note, stale_files
from bot.index.schema import CONTENT_HASH, INGESTION_VERSION
from bot.index.store import RegulationIndex, new_version
from ingestion.chunking import Piece, chunk_document
from ingestion.corpus_format import section_key
from ingestion.loaders import SUPPORTED_SUFFIXES, LoadedDocument, LoadError, load
from ingestion.metadata import (
    content_hash,
    cross_references,
    document_jurisdiction,
    instrument_type,
    section_citation,
    section_url,
    unit_kind,
)

log = logging.getLogger(__name__)

__all__ = ["IngestReport", "build_nodes", "discover", "ingest", "section_key"]

_ID_NAMESPACE = uuid.UUID("6f1c1f4e-2b7a-4d0e-9a55-5e6f52656767")
EMBED_KEYS = ("citation", "heading", "short_title", "path")
BATCH = 128


@dataclass
class FileResult:
    source: str
    chunks: int = 0
    error: str = ""


@dataclass
class IngestReport:
    files: list[FileResult] = field(default_factory=list)
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    version: str = ""
    seconds: float = 0.0
    dry_run: bool = False
    ingestion_version: int = INGESTION_VERSION
    # Recorded files outside the paths asked for, read again because another ingestion
    # version wrote them (`bot.index.freshness`), and those that could not be found.
    refreshed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.error]

    @property
    def read_ok(self) -> int:
        return sum(1 for f in self.files if not f.error)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.deleted)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> IngestReport:
        files = [FileResult(**f) for f in data.get("files", [])]
        return cls(**{**data, "files": files})


def discover(paths: Sequence[Path]) -> list[tuple[Path, Path]]:
    """(root, file) pairs for every candidate file; a README in a folder is documentation."""
    found: list[tuple[Path, Path]] = []
    for path in paths:
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                if not file.is_file() or any(
                    p.startswith(".") for p in file.relative_to(path).parts
                ):
                    continue
                if file.stem.upper() == "README":
                    continue
                found.append((path, file))
        else:
            found.append((path.parent, path))
    return found


def build_nodes(
    doc: LoadedDocument, *, source: str, root: str, jurisdiction: str | None
) -> list[TextNode]:
    """One LlamaIndex node per chunk, with the metadata every later step relies on."""
    meta = dict(doc.meta)
    code = document_jurisdiction(meta, jurisdiction)
    if not code:
        raise LoadError("no jurisdiction: add `jurisdiction:` front matter or pass --jurisdiction")
    doc_title, pieces = chunk_document(doc.text)
    if not pieces:
        raise LoadError("no citable sections found (expected headings such as '§ 1', 'Article 1')")
    title = str(meta.get("title") or doc_title or Path(source).stem)
    short = str(meta.get("short_title") or title)
    meta.setdefault("title", title)
    version = str(meta.get("version") or "")
    nodes = []
    for piece in pieces:
        nodes.append(_node(piece, meta, source, root, code, title, short, version))
    return nodes


def _node(
    piece: Piece,
    meta: dict,
    source: str,
    root: str,
    code: str,
    title: str,
    short: str,
    version: str,
) -> TextNode:
    unit = piece.unit
    is_recital = unit.section.startswith("Recital ")
    metadata = {
        "source": source,
        "root": root,
        "title": title,
        "short_title": short,
        "jurisdiction": code,
        "citation": section_citation(meta, unit.section),
        "section": unit.section,
        "section_key": section_key(unit.section),
        "heading": unit.heading,
        "subsection": piece.subsection,
        "path": " › ".join(unit.path),
        "url": section_url(meta, unit.section),
        "version": version,
        "retrieved": str(meta.get("retrieved") or ""),
        "complete": meta.get("complete") is not False,
        "missing": str(meta.get("missing") or ""),
        "kind": "recital" if is_recital else "section",
        "piece": piece.ordinal,
        "pieces": piece.pieces,
        "paragraph_labels": list(piece.paragraph_labels),
        # Legal structure (see docs/ingestion.md): what the unit is and what it refers to.
        "unit_kind": unit_kind(unit.section, unit.heading, unit.path, unit.body),
        "instrument_type": instrument_type(meta, unit.section),
        "refs": cross_references(unit.body, own=section_key(unit.section)),
    }
    metadata["content_hash"] = content_hash(piece.text, *(str(v) for v in metadata.values()))
    # After the hash: re-ingesting unchanged text keeps the date it first entered the index.
    metadata["ingested"] = datetime.now(UTC).date().isoformat()
    node_id = str(uuid.uuid5(_ID_NAMESPACE, f"{source}|{unit.section}|{piece.ordinal}"))
    excluded = [k for k in metadata if k not in EMBED_KEYS]
    return TextNode(
        id_=node_id,
        text=piece.text,
        metadata=metadata,
        excluded_embed_metadata_keys=excluded,
        excluded_llm_metadata_keys=excluded,
    )


Progress = Callable[[Iterable], Iterable]


@dataclass(frozen=True)
class _File:
    """One file to read: its folder, the name chunks and records know that folder by, and the
    jurisdiction for a file whose front matter names none."""

    folder: Path
    root: str
    file: Path
    jurisdiction: str | None


def _stale(
    records: dict[str, SourceRecord],
    roots: set[str],
    known_roots: Sequence[Path],
    report: IngestReport,
) -> list[_File]:
    """The recorded files outside `roots` that another ingestion version wrote, to read again
    (listed in `report.refreshed`); those not found go to `report.missing`."""
    todo = []
    for record, folder in stale_files(records, skip_roots=roots, known_roots=known_roots):
        file = folder / record.source if folder else None
        if folder is not None and file is not None and file.is_file():
            # The record's jurisdiction stands in for the --jurisdiction it was ingested with.
            todo.append(_File(folder, record.root, file, record.jurisdiction))
            report.refreshed.append(record.key)
        else:
            report.missing.append(missing_note(record, file))
            log.warning("recorded file not found, kept as ingested: %s", report.missing[-1])
    return todo


def ingest(
    index: RegulationIndex,
    paths: Sequence[Path],
    *,
    jurisdiction: str | None = None,
    dry_run: bool = False,
    progress: Progress = lambda it: it,
    optimize: bool = True,
    known_roots: Sequence[Path] = (),
) -> IngestReport:
    """Bring the index in line with the files under `paths`; report what changed.

    What is stored is known from the index's source records (chunk ids and content hashes per
    file), so a run that changes nothing reads no chunks. Recorded files elsewhere that another
    ingestion version wrote are read again too, from the folder their record names (or, for
    older records, the folder of that name among `known_roots`); `paths` may be empty for only
    that. `optimize=False` skips compacting the storage afterwards (for a server ingesting
    while it answers)."""
    started = time.perf_counter()
    report = IngestReport(dry_run=dry_run)
    nodes: dict[str, TextNode] = {}
    loaded: dict[str, SourceRecord] = {}
    failed_sources: set[tuple[str, str]] = set()
    found = discover(paths)
    roots = {root.name for root, _ in found}
    records = stored_records(index)
    todo = [_File(root, root.name, file, jurisdiction) for root, file in found]
    todo += _stale(records, roots, known_roots, report)
    for item in todo:
        source = item.file.relative_to(item.folder).as_posix()
        try:
            if item.file.suffix.lower() not in SUPPORTED_SUFFIXES:
                raise LoadError(f"unsupported file type '{item.file.suffix or item.file.name}'")
            file_nodes = build_nodes(
                load(item.file), source=source, root=item.root, jurisdiction=item.jurisdiction
            )
        except LoadError as exc:
            report.files.append(FileResult(source, error=exc.reason))
            failed_sources.add((item.root, source))
            log.warning("skipped %s: %s", item.file, exc.reason)
            continue
        except Exception as exc:  # noqa: BLE001 — one bad file never stops the others
            report.files.append(FileResult(source, error=f"could not be read ({exc})"))
            failed_sources.add((item.root, source))
            log.exception("skipped %s", item.file)
            continue
        record = source_record(item.root, source, file_nodes, folder=item.folder)
        loaded[record.key] = record
        report.files.append(FileResult(source, chunks=len(file_nodes)))
        for node in file_nodes:
            nodes[node.node_id] = node

    if not loaded and not dry_run:
        record_version(index)
        report.seconds = time.perf_counter() - started
        return report

    index.check_model()
    refreshed = set(report.refreshed)
    stored = {
        nid: (digest, r.key)
        for r in records.values()
        if r.root in roots or r.key in refreshed
        for nid, digest in r.chunks.items()
    }
    confirm_pending(index, stored)
    to_write = [
        n for nid, n in nodes.items() if stored.get(nid, ("",))[0] != n.metadata["content_hash"]
    ]
    report.added = sum(1 for n in to_write if n.node_id not in stored)
    report.updated = len(to_write) - report.added
    report.unchanged = len(nodes) - len(to_write)
    failed_keys = {source_key(root, source) for root, source in failed_sources}
    to_delete = [
        nid for nid, (_, key) in stored.items() if nid not in nodes and key not in failed_keys
    ]
    report.deleted = len(to_delete)
    removed = [
        key
        for key, r in records.items()
        if r.root in roots and key not in loaded and key not in failed_keys
    ]
    meta = index.read_meta()
    if dry_run or not (to_write or to_delete):
        if not dry_run:
            # Same chunks, older record (e.g. written before records kept the catalogue's
            # fields, or by another ingestion version): rewrite the record only.
            index.put_sources({k: r for k, r in loaded.items() if k in records and records[k] != r})
            record_version(index)
        report.version = index.version() if index.exists() else ""
        report.seconds = time.perf_counter() - started
        return report

    index.ensure_collection()
    report.version = new_version()
    # Mark the index as changing before the first write: a run killed midway leaves a usable
    # index under a version no cache entry was made for, and the next run completes it. The
    # records list every chunk about to be written (hash "" until written), so a killed run's
    # chunks are known to the next one; they keep the ingestion version that wrote them until
    # the run completes, so that a start after a killed refresh refreshes again.
    before = meta.ingestion_version if meta else 0
    index.write_meta(
        version=report.version, chunks=index.count(), complete=False, ingestion_version=before
    )
    pending: dict[str, SourceRecord | None] = {}
    for node in to_write:
        key = source_key(node.metadata["root"], node.metadata["source"])
        if key not in pending:
            old = records.get(key)
            pending[key] = replace(
                loaded[key],
                chunks=dict(old.chunks) if old else {},
                ingestion_version=old.ingestion_version if old else 0,
            )
        pending_record = pending[key]
        assert pending_record is not None
        pending_record.chunks.setdefault(node.node_id, "")
    index.put_sources(pending)
    batches = [to_write[i : i + BATCH] for i in range(0, len(to_write), BATCH)]
    for batch in progress(batches):
        embeddings = index.embedding.get_text_embedding_batch(
            [n.get_content(metadata_mode="embed") for n in batch]
        )
        for node, emb in zip(batch, embeddings, strict=True):
            node.embedding = emb
        index.add(batch)
    index.delete(to_delete)
    final: dict[str, SourceRecord | None] = {
        key: r for key, r in loaded.items() if records.get(key) != r
    }
    final.update({key: None for key in removed})
    index.put_sources(final)
    index.flush()
    if optimize:
        index.optimize()
    index.write_meta(
        version=report.version,
        chunks=index.count(),
        complete=True,
        ingestion_version=INGESTION_VERSION,
    )
    vocabulary.store(index, report.version, vocabulary.scan(index))
    report.seconds = time.perf_counter() - started
    return report


def source_record(
    root: str, source: str, nodes: Sequence[TextNode], *, folder: Path | None = None
) -> SourceRecord:
    """What the index keeps about one ingested file: its coverage, its chunks' hashes, the
    folder it was read from and the ingestion version that wrote it."""
    meta = nodes[0].metadata
    instrument, units = catalogue_fields((n.node_id, n.metadata) for n in nodes)
    return SourceRecord(
        root=root,
        root_path=str(folder.absolute()) if folder else "",
        ingestion_version=INGESTION_VERSION,
        source=source,
        jurisdiction=str(meta.get("jurisdiction", "")),
        title=str(meta.get("title", "")),
        sections=len({n.metadata.get("section", "") for n in nodes}),
        version=str(meta.get("version", "")),
        as_of=str(meta.get("retrieved", "")),
        complete=bool(meta.get("complete", True)),
        chunks={n.node_id: str(n.metadata["content_hash"]) for n in nodes},
        instrument=instrument,
        units=units,
    )


def record_version(index: RegulationIndex) -> None:
    """Record this code's ingestion version in the metadata of an index a run changed no chunk
    of (each file's record says which version last read it)."""
    meta = index.read_meta() if index.exists() else None
    if meta is not None and meta.ingestion_version != INGESTION_VERSION:
        index.write_meta(
            version=meta.version,
            chunks=meta.chunks,
            complete=meta.complete,
            ingestion_version=INGESTION_VERSION,
        )


def confirm_pending(index: RegulationIndex, stored: dict[str, tuple[str, str]]) -> None:
    """Chunks a killed run meant to write (hash ""): read back by id which ones it wrote."""
    pending = [nid for nid, (digest, _) in stored.items() if not digest]
    found: dict[str, str] = {}
    for start in range(0, len(pending), 256):
        for hit in index.retrieve(pending[start : start + 256], fields=[CONTENT_HASH]):
            found[hit.id] = str(hit.payload.get(CONTENT_HASH, ""))
    for nid in pending:
        if nid in found:
            stored[nid] = (found[nid], stored[nid][1])
        else:
            del stored[nid]


def stored_records(index: RegulationIndex) -> dict[str, SourceRecord]:
    """The index's source records; an index written before records existed gets them from
    one scan of its chunks (once)."""
    if not index.exists():
        return {}
    records = index.sources()
    if not records and index.count() > 0:
        records = index.backfill_sources()
    return records
