"""The pipeline re-ingesting what another ingestion version wrote, over both backends (Qdrant
Edge, and the server path through qdrant-client's in-process implementation)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.index.freshness import staleness
from bot.index.schema import INGESTION_VERSION, Scope
from bot.index.store import RegulationIndex
from ingestion import __main__ as cli
from ingestion.pipeline import ingest
from tests.fixtures.index import CORPUS, SMALL, make_older, open_index, server_index

NOW = INGESTION_VERSION


@pytest.fixture
def corpus(small_corpus) -> Path:
    return small_corpus


@pytest.fixture(params=["edge", "server"])
def index(request, tmp_path, embedding):
    idx = (
        open_index(tmp_path / "qdrant", embedding)
        if request.param == "edge"
        else server_index(embedding)
    )
    yield idx
    idx.close()


def _labels(index: RegulationIndex, ids: list[str]) -> list[list[str]]:
    return [h.payload["paragraph_labels"] for h in index.retrieve(ids, fields=["paragraph_labels"])]


def _chunks(index: RegulationIndex) -> dict[str, tuple]:
    fields = ["paragraph_labels", "content_hash", "source", "root"]
    return {
        h.id: tuple(sorted((k, str(v)) for k, v in h.payload.items()))
        for h in index.scroll(fields=fields)
    }


def test_an_index_made_by_an_older_ingestion_is_refreshed_to_what_a_fresh_ingest_makes(
    corpus, index, embedding
):
    ingest(index, [corpus])
    older = make_older(index, chunks=3)
    assert staleness(index.read_meta(), index.sources().values()) is not None
    report = ingest(index, [], known_roots=[corpus])
    assert sorted(report.refreshed) == [f"corpus/{s}" for s in SMALL] and not report.missing
    assert (report.updated, report.added, report.deleted) == (3, 0, 0)
    assert report.unchanged == index.count() - 3
    assert all(labels != ["(z)"] for labels in _labels(index, older))
    fresh = server_index(embedding, "fresh")
    ingest(fresh, [corpus])
    assert _chunks(index) == _chunks(fresh)
    assert index.sources() == fresh.sources()
    fresh.close()
    assert all(r.root_path == str(corpus.absolute()) for r in index.sources().values())
    assert index.read_meta().ingestion_version == NOW
    assert staleness(index.read_meta(), index.sources().values()) is None
    again = ingest(index, [], known_roots=[corpus])  # current: nothing is read
    assert again.files == [] and again.refreshed == [] and not again.changed


def test_ingesting_one_folder_also_refreshes_the_other_recorded_files(corpus, index, tmp_path):
    extra = tmp_path / "extra"
    extra.mkdir()
    shutil.copy(CORPUS / "us-ma/201-cmr-17.md", extra / "201-cmr-17.md")
    ingest(index, [corpus])
    ingest(index, [extra])
    older = make_older(index, chunks=50, folders=True)
    report = ingest(index, [extra])
    assert sorted(report.refreshed) == [f"corpus/{s}" for s in SMALL]
    assert all(labels != ["(z)"] for labels in _labels(index, older))
    assert staleness(index.read_meta(), index.sources().values()) is None


def test_a_recorded_file_that_vanished_is_reported_and_keeps_its_chunks(corpus, index):
    ingest(index, [corpus])
    make_older(index, chunks=100, folders=True)
    gone = corpus / SMALL[1]
    gone.unlink()
    kept = Scope(sources=(SMALL[1],), exclude_kinds=())
    before = index.count(kept)
    report = ingest(index, [], known_roots=[corpus])
    assert report.missing == [str(gone.absolute())]
    assert report.refreshed == [f"corpus/{SMALL[0]}"] and report.deleted == 0
    assert index.count(kept) == before > 0
    still = staleness(index.read_meta(), index.sources().values())
    assert still is not None and still.files == 1
    again = ingest(index, [], known_roots=[corpus])  # reported again, nothing re-read
    assert again.missing == report.missing and again.files == [] and not again.changed


def test_a_file_ingested_with_a_jurisdiction_option_is_refreshed_with_it(tmp_path, index):
    root = tmp_path / "plain"
    root.mkdir()
    (root / "rules.txt").write_text(
        "Data Rules\n\nSection 1. Scope.\n\nThis chapter applies to every company.\n\n"
        "Section 2. Notice.\n\n(a) A company shall notify the agency within 30 days.\n\n"
        "(b) The notice shall be in writing.\n"
    )
    ingest(index, [root], jurisdiction="us-tx")
    make_older(index, chunks=1, folders=True)
    report = ingest(index, [])
    assert report.refreshed == ["plain/rules.txt"] and not report.failed
    assert report.updated == 1
    assert {h.payload["jurisdiction"] for h in index.scroll(fields=["jurisdiction"])} == {"US-TX"}


def test_the_command_records_the_current_version(corpus, tmp_path, monkeypatch, capsys, embedding):
    folder = tmp_path / "cli-qdrant"
    monkeypatch.setenv("QDRANT_PATH", str(folder))
    monkeypatch.setenv("QDRANT_COLLECTION", "cli")
    monkeypatch.setenv("CORPUS_DIR", str(corpus))
    assert cli.main([str(corpus)]) == 0
    index = open_index(folder, embedding, "cli")
    make_older(index, chunks=2)  # as an older Reggi left it: no folders recorded
    index.close()
    extra = tmp_path / "extra"
    extra.mkdir()
    shutil.copy(CORPUS / "us-ma/201-cmr-17.md", extra / "201-cmr-17.md")
    assert cli.main([str(extra)]) == 0  # CORPUS_DIR is the folder named "corpus"
    out = capsys.readouterr().out
    assert "read again" in out and "corpus/us-ma/mgl-93h.md" in out
    assert f"ingestion version {NOW}" in out
    index = open_index(folder, embedding, "cli")
    try:
        assert staleness(index.read_meta(), index.sources().values()) is None
        assert {r.root for r in index.sources().values()} == {"corpus", "extra"}
    finally:
        index.close()


def test_a_killed_refresh_is_taken_up_again(corpus, index):
    ingest(index, [corpus])
    make_older(index, chunks=3, folders=True)

    class Killed(Exception):
        pass

    def killed(batches):
        raise Killed
        yield from batches

    with pytest.raises(Killed):
        ingest(index, [], progress=killed)
    records = index.sources().values()
    assert staleness(index.read_meta(), records) is not None
    assert index.read_meta().ingestion_version == 0 and not index.read_meta().complete
    assert {r.ingestion_version for r in records} == {0}  # the interrupted files are still stale
    done = ingest(index, [])
    assert done.updated == 3 and staleness(index.read_meta(), index.sources().values()) is None


def test_a_record_kept_no_folder_and_none_is_known(corpus, index):
    ingest(index, [corpus])
    make_older(index, chunks=1)
    report = ingest(index, [])
    assert sorted(report.missing) == [f"corpus/{s} (its folder was not recorded)" for s in SMALL]
    assert report.files == [] and not report.changed
