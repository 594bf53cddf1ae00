"""Whether the index is what this code's ingestion writes (`schema.INGESTION_VERSION`), and
which recorded files an ingest must read again because another version wrote them. Pure
functions: the caller reads the index and the disk.

A file's source record keeps the folder it was ingested from, so it can be read again
without being named; a record written before folders were kept is matched by the folder's
name against the folders the caller knows (the bundled corpus). A recorded file that is no
longer there is reported and keeps its chunks and record: answers still cite it, with the
labels it was ingested with, until it is restored or re-ingested away (`--rebuild`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.index.coverage import SourceRecord
from bot.index.schema import INGESTION_VERSION
from bot.index.store import IndexMeta


@dataclass(frozen=True)
class Staleness:
    """How an index differs from what this code writes."""

    stored: int  # the ingestion version in the index metadata
    current: int  # this code's
    files: int  # recorded files written by another version, or whose write did not finish

    def describe(self, where: str) -> str:
        return (
            f"The index ({where}) was made by ingestion version {self.stored} and this Reggi "
            f"writes version {self.current}; {self.files} recorded file(s) were ingested by "
            "another version, so subdivision labels and catalogue fields may be out of date"
        )


def needs_refresh(record: SourceRecord, current: int = INGESTION_VERSION) -> bool:
    """Written by another ingestion version, or listing chunks whose write never finished."""
    if not record.chunks:
        return False
    return record.ingestion_version != current or any(not h for h in record.chunks.values())


def staleness(
    meta: IndexMeta | None,
    records: Iterable[SourceRecord],
    current: int = INGESTION_VERSION,
) -> Staleness | None:
    """None when the index is what this code writes (or holds nothing yet)."""
    if meta is None:
        return None
    files = sum(1 for r in records if needs_refresh(r, current))
    if meta.ingestion_version == current and not files:
        return None
    return Staleness(stored=meta.ingestion_version, current=current, files=files)


def stale_files(
    records: Mapping[str, SourceRecord],
    *,
    skip_roots: Iterable[str],
    known_roots: Sequence[Path] = (),
    current: int = INGESTION_VERSION,
) -> list[tuple[SourceRecord, Path | None]]:
    """(record, the folder it was ingested from, or None when unknown) of every record that
    needs a refresh, except those under folders named in `skip_roots` (being ingested anyway).
    `known_roots` are the folders to match by name for records that kept no folder."""
    skip = set(skip_roots)
    by_name = {p.name: p for p in known_roots}
    found: list[tuple[SourceRecord, Path | None]] = []
    for _, record in sorted(records.items()):
        if record.root in skip or not needs_refresh(record, current):
            continue
        folder = Path(record.root_path) if record.root_path else by_name.get(record.root)
        found.append((record, folder))
    return found


def missing_note(record: SourceRecord, file: Path | None) -> str:
    """How a recorded file that cannot be read again is named in the report."""
    return str(file) if file else f"{record.key} (its folder was not recorded)"
