"""docker-compose.yml, checked offline: services, dependencies, volumes, settings, ports."""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES: dict[str, Any] = COMPOSE["services"]
SETTING_NAMES = {name.upper() for name in Settings.model_fields}


def test_the_four_services() -> None:
    assert set(SERVICES) == {"bot", "qdrant", "redis", "ingest"}


@pytest.mark.parametrize(
    ("service", "repository"), [("qdrant", "qdrant/qdrant"), ("redis", "redis")]
)
def test_official_images_pinned(service: str, repository: str) -> None:
    image = SERVICES[service]["image"]
    name, _, tag = image.partition(":")
    assert name == repository
    assert tag and tag != "latest"


def test_dependencies_name_defined_services_and_wait_properly() -> None:
    for name, service in SERVICES.items():
        for dependency, condition in (service.get("depends_on") or {}).items():
            assert dependency in SERVICES, f"{name} depends on undefined {dependency}"
            if condition["condition"] == "service_healthy":
                assert "healthcheck" in SERVICES[dependency] or dependency in (
                    "bot",
                    "ingest",
                ), dependency
    assert SERVICES["bot"]["depends_on"] == {
        "qdrant": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
        "ingest": {"condition": "service_completed_successfully"},
    }
    assert SERVICES["ingest"]["depends_on"] == {"qdrant": {"condition": "service_healthy"}}


def test_ingest_is_one_shot_with_the_bundled_corpus() -> None:
    ingest = SERVICES["ingest"]
    assert ingest["command"] == ["python", "-m", "ingestion", "data/corpus"]
    assert ingest["restart"] == "no"
    assert ingest["image"] == SERVICES["bot"]["image"]


def test_bot_and_ingest_build_from_the_dockerfile() -> None:
    for name in ("bot", "ingest"):
        build = SERVICES[name]["build"]
        assert (ROOT / build["context"] / build["dockerfile"]).is_file()
        assert SERVICES[name]["env_file"] == [{"path": ".env", "required": False}]


def named_volumes(service: dict[str, Any]) -> list[str]:
    names = []
    for volume in service.get("volumes") or []:
        source = volume.split(":")[0] if isinstance(volume, str) else volume.get("source", "")
        if source and not source.startswith((".", "/", "~")):
            names.append(source)
    return names


def test_named_volumes_are_declared_and_used() -> None:
    used = {v for s in SERVICES.values() for v in named_volumes(s)}
    assert used == set(COMPOSE["volumes"])
    assert "qdrant_storage" in named_volumes(SERVICES["qdrant"])


def interpolated(value: Any) -> set[str]:
    return set(re.findall(r"\$\{([A-Z0-9_]+)", yaml.safe_dump(value)))


def test_environment_uses_only_real_settings() -> None:
    for name in ("bot", "ingest"):
        env = SERVICES[name].get("environment") or {}
        assert set(env) <= SETTING_NAMES, set(env) - SETTING_NAMES
    assert interpolated(COMPOSE) <= SETTING_NAMES


def test_the_bot_requires_a_token_and_talks_to_the_services() -> None:
    env = SERVICES["bot"]["environment"]
    assert env["WEB_API_TOKEN"].startswith("${WEB_API_TOKEN:?")
    assert env["QDRANT_URL"] == "http://qdrant:6333"
    assert env["REDIS_URL"].startswith("redis://redis:6379")
    # The values pass the settings' own validation.
    Settings(
        _env_file=None,
        qdrant_url=env["QDRANT_URL"],
        redis_url=env["REDIS_URL"],
        host=env["HOST"],
        port=env["PORT"],
        web_api_token="x" * 32,
    )  # type: ignore[call-arg]


def test_only_the_bot_publishes_a_port_on_loopback() -> None:
    published = {name: s["ports"] for name, s in SERVICES.items() if s.get("ports")}
    assert published == {"bot": ["127.0.0.1:8080:8080"]}


@pytest.mark.parametrize("service", ["qdrant", "redis"])
def test_datastores_have_healthchecks(service: str) -> None:
    assert SERVICES[service]["healthcheck"]["test"][0] in ("CMD", "CMD-SHELL")


class _Readyz(BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        code = self.status if self.path == "/readyz" else 404
        self.send_response(code)
        self.end_headers()
        self.wfile.write(b"all shards are ready")

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.skipif(
    shutil.which("bash") is None, reason="bash is needed to run the Qdrant healthcheck"
)
@pytest.mark.parametrize(("status", "healthy"), [(200, True), (503, False)])
def test_the_qdrant_healthcheck_reads_readyz(status: int, healthy: bool) -> None:
    handler = type("Handler", (_Readyz,), {"status": status})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        command = [
            part.replace("$$", "$") for part in SERVICES["qdrant"]["healthcheck"]["test"][1:]
        ]
        command = [part.replace("6333", str(server.server_address[1])) for part in command]
        result = subprocess.run(command, capture_output=True, timeout=30, check=False)
        assert (result.returncode == 0) is healthy, result.stderr
    finally:
        server.shutdown()
        server.server_close()
