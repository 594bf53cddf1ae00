from dataclasses import replace
from pathlib import Path

import pytest
from llama_index.core.embeddings import MockEmbedding

from bot.errors import IndexMismatch
from bot.index.schema import Scope
from bot.index.store import RegulationIndex
from ingestion import __main__ as cli
from ingestion.pipeline import ingest
from tests.fixtures.index import SMALL, open_index, server_index


@pytest.fixture
def corpus(small_corpus) -> Path:
    return small_corpus


@pytest.fixture
def index(tmp_path, embedding) -> RegulationIndex:
    idx = open_index(tmp_path / "qdrant", embedding)
    yield idx
    idx.close()


def test_first_run_then_noop_then_update_and_delete(corpus, index):
    first = ingest(index, [corpus])
    assert first.added > 20 and first.updated == first.deleted == 0
    assert index.count() == first.added
    version = index.version()
    assert version == first.version

    again = ingest(index, [corpus])
    assert (again.added, again.updated, again.deleted) == (0, 0, 0)
    assert again.unchanged == first.added
    assert index.version() == version  # nothing changed: same index version

    ma = corpus / "us-ma/mgl-93h.md"
    text = ma.read_text()
    ma.write_text(text.replace("## Section 4\n\n", "## Section 4\n\nA sentence added here.\n\n"))
    changed = ingest(index, [corpus])
    assert changed.updated == 1 and changed.added == changed.deleted == 0
    assert changed.unchanged == first.added - 1
    assert index.version() != version

    head, _, tail = ma.read_text().partition("## Section 6")
    ma.write_text(head)
    removed = ingest(index, [corpus])
    assert removed.deleted >= 1 and removed.added == 0
    assert not list(index.scroll(Scope(section_keys=("6",), exclude_kinds=())))

    (corpus / "us-ny/gbl-899-aa-899-bb.md").unlink()
    gone = ingest(index, [corpus])
    assert gone.deleted > 5
    sources = {p.payload["source"] for p in index.scroll(fields=["source"])}
    assert sources == {"us-ma/mgl-93h.md"}


def test_bad_files_are_reported_and_skipped(corpus, index):
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage \x00\x01 not a pdf")
    (corpus / "empty.md").write_text("")
    (corpus / "notes.xyz").write_text("hello")
    report = ingest(index, [corpus])
    failed = {f.source: f.error for f in report.failed}
    assert set(failed) == {"broken.pdf", "empty.md", "notes.xyz"}
    assert all(reason for reason in failed.values())
    assert report.read_ok == 2 and index.count() == report.added > 0


def test_a_failed_file_keeps_its_previous_chunks(corpus, index):
    ingest(index, [corpus])
    before = index.count()
    (corpus / "us-ma/mgl-93h.md").write_bytes(b"\xff\xfe\x00bad")
    report = ingest(index, [corpus])
    assert [f.source for f in report.failed] == ["us-ma/mgl-93h.md"]
    assert report.deleted == 0 and index.count() == before


def test_file_without_jurisdiction_needs_the_option(tmp_path, index):
    root = tmp_path / "plain"
    root.mkdir()
    (root / "rules.txt").write_text(
        "Data Rules\n\nSection 1. Scope.\n\nThis chapter applies to every company.\n\n"
        "Section 2. Notice.\n\nA company shall notify the agency within 30 days.\n"
    )
    report = ingest(index, [root])
    assert "jurisdiction" in report.failed[0].error
    report = ingest(index, [root], jurisdiction="us-tx")
    assert not report.failed and report.added == 2
    payloads = [p.payload for p in index.scroll(fields=["jurisdiction", "section"])]
    assert {p["jurisdiction"] for p in payloads} == {"US-TX"}
    assert {p["section"] for p in payloads} == {"Section 1", "Section 2"}


def test_dry_run_writes_nothing(corpus, index):
    report = ingest(index, [corpus], dry_run=True)
    assert report.read_ok == 2 and report.added > 0
    assert index.count() == 0


def test_killed_midway_leaves_a_usable_index_and_the_next_run_completes(corpus, index):
    class Killed(Exception):
        pass

    def progress(batches):
        for i, batch in enumerate(batches):
            if i == 1:
                raise Killed
            yield batch

    import ingestion.pipeline as pipeline

    total = ingest(
        server_index(index.embedding),
        [corpus],
        dry_run=True,
    ).added
    original = pipeline.BATCH
    pipeline.BATCH = 8
    try:
        with pytest.raises(Killed):
            ingest(index, [corpus], progress=progress)
    finally:
        pipeline.BATCH = original
    assert 0 < index.count() < total
    assert index.read_meta().complete is False
    done = ingest(index, [corpus])
    assert done.added == total - 8 and done.unchanged == 8
    assert index.count() == total and index.read_meta().complete is True


def test_another_embedding_model_is_refused(corpus, index):
    ingest(index, [corpus])
    other = RegulationIndex(backend=index.backend, embedding=MockEmbedding(embed_dim=8))
    with pytest.raises(IndexMismatch, match="Re-ingest"):
        ingest(other, [corpus])
    with pytest.raises(IndexMismatch):
        other.check_model()


def test_metadata_of_sample_chunks(corpus_index):
    def first(key: str) -> dict:
        scope = Scope(section_keys=(key,), exclude_kinds=())
        points = sorted(corpus_index.scroll(scope), key=lambda p: p.payload["piece"])
        return points[0].payload

    ccpa = first("1798.100")
    assert ccpa["citation"] == "Cal. Civ. Code § 1798.100"
    assert ccpa["jurisdiction"] == "US-CA"
    assert ccpa["source"] == "us-ca/ccpa-civ-code-1798.md"
    assert ccpa["heading"] == "General Duties of Businesses that Collect Personal Information"
    assert ccpa["url"].endswith("lawCode=CIV&sectionNum=1798.100")
    assert ccpa["version"].startswith("effective 2026-01-01")
    assert len(ccpa["content_hash"]) == 32
    art = first("17")
    assert (art["citation"], art["section"], art["jurisdiction"]) == (
        "GDPR Art. 17",
        "Article 17",
        "EU",
    )
    assert art["url"] == "https://eur-lex.europa.eu/eli/reg/2016/679/art_17/oj/eng"
    assert art["path"].startswith("Chapter III")
    hipaa = first("164.404")
    assert hipaa["citation"] == "45 C.F.R. § 164.404"
    assert hipaa["url"] == "https://www.ecfr.gov/current/title-45/section-164.404"
    assert "Subpart D" in hipaa["path"]
    ma = first("3a")
    assert ma["citation"] == "Mass. Gen. Laws ch. 93H, § 3A"
    assert ma["url"].endswith("/Chapter93H/Section3A")


def test_cli_exit_codes(corpus, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("QDRANT_PATH", str(tmp_path / "cli-qdrant"))
    monkeypatch.setenv("QDRANT_COLLECTION", "cli")
    (corpus / "broken.pdf").write_bytes(b"not a pdf")
    assert cli.main([str(corpus)]) == 0
    out = capsys.readouterr().out
    assert "broken.pdf" in out and "FAILED" in out and "added" in out
    assert cli.main([str(corpus), "--strict"]) == 1
    empty = tmp_path / "nothing"
    empty.mkdir()
    (empty / "x.pdf").write_bytes(b"junk")
    assert cli.main([str(empty)]) == 1
    assert cli.main([str(tmp_path / "missing")]) == 2


class CountingBackend:
    """Counts the calls that read chunks, around a real backend."""

    def __init__(self, inner):
        self.inner = inner
        self.reads = 0

    def __getattr__(self, name):
        attr = getattr(self.inner, name)
        if name in ("scroll", "retrieve", "search"):
            self.reads += 1
        return attr


def test_a_noop_reingest_reads_no_chunks_and_coverage_is_recorded(corpus, tmp_path, embedding):
    backend = CountingBackend(open_index(tmp_path / "counted", embedding).backend)
    index = RegulationIndex(backend=backend, embedding=embedding)
    first = ingest(index, [corpus])
    records = index.sources()
    assert {r.source for r in records.values()} == set(SMALL)
    assert sum(len(r.chunks) for r in records.values()) == first.added
    backend.reads = 0
    again = ingest(index, [corpus])
    assert again.unchanged == first.added and not again.changed
    coverage = index.coverage()
    units = list(index.unit_payloads())
    assert backend.reads == 0  # neither the re-ingest, the coverage nor the units read a chunk
    assert {u["source"] for u in units} == set(SMALL) and len(units) > 5
    assert coverage.codes == {"US-MA", "US-NY"}
    ma = next(j for j in coverage.jurisdictions if j.code == "US-MA").instruments[0]
    assert ma.source == "us-ma/mgl-93h.md" and ma.sections > 5 and ma.complete is True
    index.close()


def test_an_index_without_records_gets_them_from_one_scan(corpus, index):
    ingest(index, [corpus])
    index.put_sources({key: None for key in index.sources()})  # as written before records
    again = ingest(index, [corpus])
    assert not again.changed and set(index.sources()) == {f"corpus/{s}" for s in SMALL}


def test_a_noop_reingest_adds_the_catalogue_fields_to_older_records(corpus, index):
    ingest(index, [corpus])
    current = index.sources()
    older = {k: replace(r, instrument=None, units=None) for k, r in current.items()}
    index.put_sources(older)  # as written before records kept the catalogue's fields
    scanned = list(index.unit_payloads())
    assert scanned and all("first_chunk" not in p for p in scanned)  # a scan of the chunks
    again = ingest(index, [corpus])
    assert not again.changed and index.sources() == current
    assert all("first_chunk" in p for p in index.unit_payloads())
