"""deploy/Dockerfile, checked offline: base image, user, COPY sources, healthcheck, command."""

from __future__ import annotations

import fnmatch
import json
import os
import shlex
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bot.ops.events import RecordingEvents
from bot.ops.metrics import Metrics
from bot.ops.server import build_app
from bot.settings import Settings
from tests.fixtures.browser import live_server
from tests.fixtures.web import FakeAnswers, fake_coverage

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
DOCKERIGNORE = ROOT / "deploy" / "Dockerfile.dockerignore"


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    result: list[tuple[str, str]] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        keyword, _, args = line.partition(" ")
        result.append((keyword.upper(), args.strip()))
    return result


STEPS = instructions(DOCKERFILE.read_text(encoding="utf-8"))


def args_of(keyword: str) -> list[str]:
    return [a for k, a in STEPS if k == keyword]


def exec_form(args: str) -> list[str]:
    value = json.loads(args)
    assert isinstance(value, list) and all(isinstance(v, str) for v in value)
    return value


def test_slim_python_base() -> None:
    assert STEPS[0] == ("FROM", "python:3.11-slim")


def test_runs_as_a_non_root_user() -> None:
    users = args_of("USER")
    assert users, "the image must switch away from root"
    final = users[-1].split(":")[0]
    assert final not in ("root", "0")
    last_user = max(i for i, (k, _) in enumerate(STEPS) if k == "USER")
    last_cmd = max(i for i, (k, _) in enumerate(STEPS) if k == "CMD")
    assert last_user < last_cmd


def copy_sources() -> list[str]:
    sources = []
    for args in args_of("COPY"):
        parts = [p for p in shlex.split(args) if not p.startswith("--")]
        sources.extend(parts[:-1])
    return sources


def test_copies_the_code_and_the_corpus() -> None:
    assert {"requirements.txt", "bot/", "ingestion/", "data/corpus/"} <= set(copy_sources())


@pytest.mark.parametrize("source", copy_sources())
def test_copy_sources_exist_and_are_not_ignored(source: str) -> None:
    assert (ROOT / source).exists(), f"COPY {source}: no such file in the repository"
    ignored = [
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert not any(fnmatch.fnmatch(source.rstrip("/"), pattern) for pattern in ignored), source


def test_dependencies_install_from_requirements_and_bake_the_model() -> None:
    runs = " ".join(args_of("RUN"))
    assert "pip install -r requirements.txt" in runs
    assert "disable_download=True" in runs  # the build fails if the model needs the network


@pytest.mark.parametrize(("module", "entry"), [("bot", "serve"), ("ingestion", None)])
def test_entrypoint_modules_exist(module: str, entry: str | None) -> None:
    assert (ROOT / module / "__main__.py").is_file(), (
        f"`python -m {module}` needs {module}/__main__.py"
    )


def test_the_image_command_is_the_bot_server() -> None:
    [cmd] = args_of("CMD")
    assert exec_form(cmd) == ["python", "-m", "bot", "serve"]


@pytest.mark.parametrize(
    "command", [["-m", "bot", "serve", "--help"], ["-m", "ingestion", "--help"]]
)
def test_the_image_commands_run_locally(command: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "usage" in result.stdout.lower()


def healthcheck_command() -> list[str]:
    [args] = args_of("HEALTHCHECK")
    _, _, cmd = args.partition("CMD ")
    return exec_form(cmd)


def run_healthcheck(port: int) -> int:
    command = healthcheck_command()
    assert command[0] == "python"
    env = dict(os.environ, PORT=str(port))
    return subprocess.run(
        [sys.executable, *command[1:]],
        env=env,
        capture_output=True,
        timeout=30,
        check=False,
    ).returncode


def test_the_healthcheck_passes_against_a_live_server() -> None:
    app = build_app(
        settings=Settings(_env_file=None),  # type: ignore[call-arg]
        answers=FakeAnswers(),
        events=RecordingEvents(),
        metrics=Metrics(),
        readiness={},
        coverage=fake_coverage,
    )
    with live_server(app) as url:
        assert run_healthcheck(int(url.rsplit(":", 1)[1])) == 0


def test_the_healthcheck_fails_when_nothing_listens() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert run_healthcheck(port) != 0


def test_healthcheck_hits_healthz() -> None:
    assert any("/healthz" in part for part in healthcheck_command())
