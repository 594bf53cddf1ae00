"""Whether an index is what this code's ingestion writes, and which recorded files need
reading again (pure functions, table tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.index.coverage import SourceRecord
from bot.index.freshness import missing_note, needs_refresh, stale_files, staleness
from bot.index.schema import INGESTION_VERSION
from bot.index.store import IndexMeta

NOW = INGESTION_VERSION


def record(source="a.md", *, version=NOW, chunks=None, root="corpus", root_path="") -> SourceRecord:
    return SourceRecord(
        root=root,
        source=source,
        jurisdiction="US-MA",
        title="",
        sections=1,
        chunks={"id-1": "h1"} if chunks is None else chunks,
        ingestion_version=version,
        root_path=root_path,
    )


def meta(version: int) -> IndexMeta:
    return IndexMeta("m", 4, "v", 1, 0.0, True, ingestion_version=version)


@pytest.mark.parametrize(
    ("rec", "expected"),
    [
        (record(), False),
        (record(version=0), True),  # written before versions were recorded
        (record(version=NOW + 1), True),  # by a newer Reggi, now run by an older one
        (record(chunks={"id-1": "h1", "id-2": ""}), True),  # a write that never finished
        (record(version=0, chunks={}), False),  # no chunks: nothing to refresh
    ],
)
def test_needs_refresh(rec, expected):
    assert needs_refresh(rec) is expected


@pytest.mark.parametrize(
    ("stored", "records", "expected"),
    [
        (None, [record(version=0)], None),  # no index yet
        (NOW, [record(), record("b.md")], None),
        (0, [record(), record("b.md")], (0, 0)),  # metadata from an older run
        (NOW, [record(), record("b.md", version=0)], (NOW, 1)),  # one file left stale
        (0, [record(version=0), record("b.md", version=0)], (0, 2)),
    ],
)
def test_staleness(stored, records, expected):
    found = staleness(None if stored is None else meta(stored), records)
    assert (None if found is None else (found.stored, found.files)) == expected
    if found is not None:
        assert found.current == NOW
        assert f"ingestion version {stored}" in found.describe("the index folder x")


def test_stale_files_name_the_recorded_folder_or_a_known_one_by_name(tmp_path):
    records = {
        r.key: r
        for r in [
            record("a.md", version=0, root_path=str(tmp_path / "corpus")),
            record("b.md", version=0),  # no folder recorded: matched by name
            record("c.md", version=0, root="extra"),  # no folder, no folder of that name
            record("d.md"),  # current
            record("e.md", version=0, root="skipped"),  # being ingested anyway
        ]
    }
    found = stale_files(records, skip_roots={"skipped"}, known_roots=[Path("/data/corpus")])
    assert [(r.source, folder) for r, folder in found] == [
        ("a.md", tmp_path / "corpus"),
        ("b.md", Path("/data/corpus")),
        ("c.md", None),
    ]
    assert missing_note(found[2][0], None) == "extra/c.md (its folder was not recorded)"
