"""One process owns the embedded folder; the others send their work to it (real processes)."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.index import owner
from bot.index.config import check_reachable
from tests.fixtures.index import CORPUS

REPO = Path(__file__).resolve().parents[3]


def test_a_dead_holder_is_no_holder_and_release_keeps_others_records(tmp_path):
    owner.claim(tmp_path, owner.Owner(pid=os.getpid(), role="serve", url="http://x", token="t"))
    assert owner.read(tmp_path) == owner.Owner(os.getpid(), "serve", "http://x", "t")
    assert (tmp_path / owner.FILE).stat().st_mode & 0o077 == 0  # the token stays private
    owner.release(tmp_path, pid=os.getpid() + 1)  # not that process's record: kept
    assert owner.read(tmp_path) is not None
    owner.release(tmp_path)
    assert owner.read(tmp_path) is None
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout  # fmt: skip
    owner.claim(tmp_path, owner.Owner(pid=int(dead), role="ingestion"))
    assert owner.read(tmp_path) is None


def _env(tmp_path: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QDRANT_", "REDIS_"))}
    env.update(
        REGGI_ENV_FILE="",
        QDRANT_PATH=str(tmp_path / "index"),
        CORPUS_DIR=str(tmp_path / "corpus"),
        AUDIT_LOG_PATH=str(tmp_path / "audit" / "audit.jsonl"),
        HOST="127.0.0.1",
        PORT=str(port),
        HF_HUB_OFFLINE="1",
    )
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=300
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    """`python -m bot serve` over a folder holding the Massachusetts corpus file."""
    (tmp_path / "corpus").mkdir()
    shutil.copytree(CORPUS / "us-ma", tmp_path / "corpus" / "us-ma")
    port = _free_port()
    env = _env(tmp_path, port)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve"], env=env, cwd=REPO,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    break
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                time.sleep(0.2)
        yield tmp_path, env, proc
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)


def test_ask_and_ingest_go_through_the_running_server(served):
    tmp_path, env, proc = served
    folder = tmp_path / "index"
    assert owner.read(folder).pid == proc.pid

    asked = _run(["-m", "bot", "ask", "Breach notice rules in Massachusetts?", "--json"], env)
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert "US-MA" in answer["jurisdictions"] and answer["citations"]

    ny = tmp_path / "more"
    shutil.copytree(CORPUS / "us-ny", ny / "us-ny")
    ingested = _run(["-m", "ingestion", str(ny)], env)
    assert ingested.returncode == 0, ingested.stderr
    assert f"holds {folder}" in ingested.stderr and "us-ny/gbl-899-aa-899-bb.md" in ingested.stdout
    asked = _run(["-m", "bot", "ask", "Breach notice rules in New York?", "--json"], env)
    sources = {c["source"] for c in json.loads(asked.stdout)["citations"]}
    assert "us-ny/gbl-899-aa-899-bb.md" in sources  # ingested by the server, found by it

    second = _run(["-m", "bot", "serve"], {**env, "PORT": str(_free_port())})
    assert second.returncode == 2
    assert str(folder) in second.stderr and f"pid {proc.pid}" in second.stderr
    assert "Traceback" not in second.stderr

    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    assert owner.read(folder) is None and not (folder / owner.FILE).exists()


def test_an_unreachable_qdrant_url_fails_fast_naming_it(tmp_path):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.monotonic()
    with pytest.raises(ConfigError) as caught:
        check_reachable(f"http://127.0.0.1:{port}")
    assert time.monotonic() - started < 5
    assert "QDRANT_URL" in caught.value.user_text and f"127.0.0.1:{port}" in caught.value.user_text
    # The command says the same and exits 2 (its time is mostly imports on a loaded machine).
    env = {**_env(tmp_path, 8080), "QDRANT_URL": f"http://127.0.0.1:{port}"}
    result = _run(["-m", "bot", "ask", "Breach rules in Massachusetts?"], env)
    assert result.returncode == 2, result.stderr
    assert "QDRANT_URL" in result.stderr and f"127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr
