from __future__ import annotations

import urllib.request
from collections.abc import Mapping
from functools import partial

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot import __version__
from bot.ops.events import FanOut, RecordingEvents
from bot.ops.health import Check, Probe
from bot.ops.metrics import Metrics
from bot.ops.server import build_app, make_server, page_url
from bot.settings import Settings
from tests.fixtures.browser import live_server
from tests.fixtures.web import FakeAnswers, fake_coverage

TOKEN = "server-token-for-tests"


def settings(**overrides: object) -> Settings:
    return Settings(_env_file=None, **overrides)  # type: ignore[call-arg]


def app_with(
    *,
    readiness: Mapping[str, Probe] | list[Check] | None = None,
    metrics: Metrics | None = None,
    extra_mounts=(),
    token: str | None = None,
    events=None,
) -> FastAPI:
    metrics = metrics or Metrics()
    return build_app(
        settings=settings(web_api_token=token),
        answers=FakeAnswers(),
        events=events if events is not None else FanOut(metrics, RecordingEvents()),
        metrics=metrics,
        readiness=readiness or {},
        coverage=fake_coverage,
        extra_mounts=extra_mounts,
    )


def test_healthz() -> None:
    response = TestClient(app_with()).get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": __version__}


def ok(detail: str) -> Probe:
    return lambda: (True, detail)


def failing(detail: str) -> Probe:
    return lambda: (False, detail)


def raising() -> tuple[bool, str]:
    raise ConnectionError("redis://:hunter2@redis:6379 refused")


@pytest.mark.parametrize(
    ("checks", "status", "expected"),
    [
        ({}, 200, {}),
        (
            {
                "qdrant": ok("collection reggi: 1,204 points"),
                "redis": ok("not configured (in-process cache)"),
            },
            200,
            {"qdrant": True, "redis": True},
        ),
        (
            {
                "qdrant": failing("collection reggi is empty"),
                "embedding": ok("wordllama loaded"),
            },
            503,
            {"qdrant": False, "embedding": True},
        ),
        ({"redis": raising, "qdrant": ok("ok")}, 503, {"redis": False, "qdrant": True}),
    ],
)
def test_readyz(checks: Mapping[str, Probe], status: int, expected: dict[str, bool]) -> None:
    response = TestClient(app_with(readiness=checks)).get("/readyz")
    assert response.status_code == status
    body = response.json()
    assert body["status"] == ("ready" if status == 200 else "not ready")
    assert {name: r["ok"] for name, r in body["checks"].items()} == expected
    assert "hunter2" not in response.text


def test_readyz_is_degraded_not_down_when_an_optional_check_fails() -> None:
    checks = [
        Check("qdrant", ok("1,204 chunks")),
        Check("redis", failing("unreachable: answering without cache"), required=False),
    ]
    response = TestClient(app_with(readiness=checks)).get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["redis"] == {
        "ok": False,
        "required": False,
        "detail": "unreachable: answering without cache",
        "ms": response.json()["checks"]["redis"]["ms"],
    }


@pytest.mark.parametrize(
    ("method", "path", "status", "message"),
    [
        ("GET", "/api/ask", 405, "This address does not accept GET requests."),
        ("DELETE", "/healthz", 405, "This address does not accept DELETE requests."),
        ("GET", "/api/nothing-here", 404, "There is nothing at this address."),
    ],
)
def test_routing_refusals_use_the_error_shape(
    method: str, path: str, status: int, message: str
) -> None:
    response = TestClient(app_with()).request(method, path)
    assert response.status_code == status
    assert response.json() == {"error": message}


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics", "/", "/static/app.js"])
def test_every_response_says_nosniff(path: str) -> None:
    response = TestClient(app_with()).get(path)
    assert response.status_code == 200, path
    assert response.headers["x-content-type-options"] == "nosniff"


def test_api_json_and_refusals_say_nosniff() -> None:
    client = TestClient(app_with())
    for response in (
        client.post("/api/ask", json={"question": "q"}),
        client.post("/api/ask", content=b"{", headers={"content-type": "application/json"}),
        client.get("/api/jurisdictions"),
        client.get("/missing"),
    ):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-type"].startswith("application/json")


def test_metrics_endpoint_serves_prometheus_text() -> None:
    metrics = Metrics(index_stats=lambda: ("2026-11-01T00:00:00Z", 1204))
    client = TestClient(app_with(metrics=metrics))
    client.post("/api/ask", json={"question": "q"})
    client.post("/api/feedback", json={"answer_id": "ans-0001", "vote": "up"})
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'reggi_questions_total{channel="web"} 1.0' in text
    assert 'reggi_feedback_total{channel="web",vote="up"} 1.0' in text
    assert 'reggi_index_info{version="2026-11-01T00:00:00Z"} 1.0' in text
    assert "reggi_index_chunks 1204.0" in text
    assert 'reggi_latency_seconds_count{stage="retrieval"} 1.0' in text


def test_extra_mounts_add_routes_outside_the_web_token() -> None:
    def mount_teams(app: FastAPI, *, path: str) -> None:
        app.add_api_route(path, lambda: {"mounted": True}, methods=["POST"])

    client = TestClient(
        app_with(token=TOKEN, extra_mounts=[partial(mount_teams, path="/api/messages")])
    )
    assert client.post("/api/messages").json() == {"mounted": True}
    assert client.post("/api/ask", json={"question": "q"}).status_code == 401
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/metrics").status_code == 200


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/openapi.json"])
def test_no_api_docs_pages_that_would_load_a_cdn(path: str) -> None:
    assert TestClient(app_with()).get(path).status_code in (401, 404)


def test_an_unhandled_error_is_a_plain_sentence() -> None:
    def mount_broken(app: FastAPI) -> None:
        def broken() -> None:
            raise RuntimeError("secret internals")

        app.add_api_route("/broken", broken)

    client = TestClient(app_with(extra_mounts=[mount_broken]), raise_server_exceptions=False)
    response = client.get("/broken")
    assert response.status_code == 500
    assert "secret internals" not in response.text
    assert response.json()["error"].startswith("Sorry")


@pytest.mark.parametrize(
    ("host", "port", "url"),
    [
        ("127.0.0.1", 8080, "http://127.0.0.1:8080/"),
        ("0.0.0.0", 80, "http://127.0.0.1:80/"),
        ("::1", 8080, "http://[::1]:8080/"),
        ("::", 8080, "http://[::1]:8080/"),
        ("reggi.internal", 9000, "http://reggi.internal:9000/"),
    ],
)
def test_page_url(host: str, port: int, url: str) -> None:
    assert page_url(host, port) == url


def test_make_server_binds_where_configured_and_keeps_our_logging() -> None:
    server = make_server(FastAPI(), host="127.0.0.1", port=8123)
    assert (server.config.host, server.config.port) == ("127.0.0.1", 8123)
    assert server.config.log_config is None
    assert server.config.server_header is False


def test_a_real_server_answers_on_loopback() -> None:
    with (
        live_server(app_with()) as url,
        urllib.request.urlopen(url + "/healthz") as response,
    ):
        assert response.status == 200
