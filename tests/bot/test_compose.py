"""The composition root on a small local index, with the services it can do without."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot import compose
from bot.cache import MemoryBackend
from bot.index.schema import INGESTION_VERSION as NOW
from bot.settings import load_settings
from ingestion.pipeline import ingest
from tests.fixtures.index import CORPUS, make_older, server_index
from tests.fixtures.redis import free_port


@pytest.fixture
def settings_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS / "us-ma", corpus / "us-ma")
    monkeypatch.setenv("QDRANT_PATH", str(tmp_path / "qdrant"))
    monkeypatch.setenv("CORPUS_DIR", str(corpus))
    monkeypatch.setenv("AUDIT_LOG_PATH", str(tmp_path / "audit" / "audit.jsonl"))
    return tmp_path


def test_redis_unreachable_at_start_up_is_degraded_and_answers_keep_coming(
    settings_env: Path,
) -> None:
    # Issue 14.1: Redis is optional, so a replica without it stays in service.
    settings = load_settings(
        redis_url=f"redis://127.0.0.1:{free_port()}/0", redis_timeout_seconds=0.2
    )
    components = compose.build_components(settings)
    compose.ensure_index(components)
    app, _ = compose.build_server(components)
    try:
        with TestClient(app) as client:
            response = client.get("/readyz")
            assert response.status_code == 200
            body = response.json()
            assert body["status"] == "degraded"
            assert body["checks"]["redis"] == {
                "ok": False,
                "required": False,
                "detail": "unreachable: answering without cache",
                "ms": body["checks"]["redis"]["ms"],
            }
            assert body["checks"]["qdrant"]["ok"] and body["checks"]["embedding"]["ok"]
            answer = client.post("/api/ask", json={"question": "Breach notice in Massachusetts?"})
            assert answer.status_code == 200 and answer.json()["cached"] is False
    finally:
        components.index.close()


def test_an_empty_index_is_not_ready(settings_env: Path) -> None:
    components = compose.build_components(load_settings())
    app, _ = compose.build_server(components)  # no ensure_index: the collection stays empty
    try:
        with TestClient(app) as client:
            response = client.get("/readyz")
            assert response.status_code == 503
            assert response.json()["status"] == "not ready"
            assert response.json()["checks"]["qdrant"]["detail"].startswith("the collection")
    finally:
        components.index.close()


def test_start_refreshes_an_index_made_by_an_older_ingestion(settings_env: Path, capsys) -> None:
    components = compose.build_components(load_settings())
    index = components.index
    try:
        first = compose.ensure_index(components)  # empty: the first start ingests
        assert first is not None and first.added > 0
        older = make_older(index, chunks=4)
        capsys.readouterr()
        report = compose.ensure_index(components)
        err = capsys.readouterr().err
        assert report is not None and report.updated == 4 and not report.missing
        assert report.refreshed == ["corpus/us-ma/201-cmr-17.md", "corpus/us-ma/mgl-93h.md"]
        assert f"made by ingestion version 0 and this Reggi writes version {NOW}" in err
        assert f"Index refreshed to ingestion version {NOW}: 2 recorded file(s) read again" in err
        labels = [h.payload["paragraph_labels"] for h in index.retrieve(older)]
        assert ["(z)"] not in labels
        assert compose.ensure_index(components) is None  # current: left alone
        assert capsys.readouterr().err == ""
    finally:
        index.close()


def test_start_reports_a_recorded_file_that_vanished(settings_env: Path, capsys) -> None:
    components = compose.build_components(load_settings())
    try:
        compose.ensure_index(components)
        make_older(components.index, chunks=2, folders=True)
        gone = settings_env / "corpus/us-ma/201-cmr-17.md"
        gone.unlink()
        capsys.readouterr()
        report = compose.ensure_index(components)
        err = capsys.readouterr().err
        assert report is not None and report.missing == [str(gone.absolute())]
        assert f"1 recorded file(s) not found, kept with their old labels: {gone}" in err
        again = compose.ensure_index(components)  # said on every start, nothing re-read
        assert again is not None and again.missing == report.missing and again.files == []
    finally:
        components.index.close()


def test_a_replica_of_a_shared_index_only_warns_and_stays_ready(tmp_path, embedding, caplog):
    from bot.ops.health import dependency_checks, run_checks

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS / "us-ma", corpus / "us-ma")
    index = server_index(embedding)  # a Qdrant server's collection, shared by the replicas
    ingest(index, [corpus])
    older = make_older(index, chunks=2)
    with caplog.at_level(logging.WARNING, logger="bot"):
        assert compose.prepare_index(index, corpus=corpus, shared=True) is None
    assert "made by ingestion version 0" in caplog.text and "ingest job" in caplog.text
    assert [h.payload["paragraph_labels"] for h in index.retrieve(older)] == [["(z)"]] * 2
    checks = dependency_checks(
        index=index, cache=MemoryBackend(max_entries=8), redis_configured=False
    )
    assert run_checks(checks).status == "ready"
    job = ingest(index, [corpus])  # the ingest job (`python -m ingestion data/corpus`)
    assert job.updated == 2
    caplog.clear()
    assert compose.prepare_index(index, corpus=corpus, shared=True) is None
    assert caplog.text == ""
    index.close()
