"""The composition root on a small local index, with the services it can do without."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot import compose
from bot.settings import load_settings
from tests.fixtures.index import CORPUS
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
