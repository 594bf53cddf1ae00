from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.channels import web
from bot.channels.web import mount_web
from bot.channels.web.auth import COOKIE_NAME, cookie_value
from bot.ops.events import RecordingEvents
from tests.fixtures.web import FakeAnswers, fake_coverage

TOKEN = "page-token-for-tests"
WEB_DIR = Path(web.__file__).parent


def make_client(token: str | None = None) -> TestClient:
    app = FastAPI()
    mount_web(
        app,
        answers=FakeAnswers(),
        events=RecordingEvents(),
        coverage=fake_coverage,
        token=token,
    )
    return TestClient(app, follow_redirects=False)


def test_the_page_and_its_files_are_served() -> None:
    client = make_client()
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "<title>Ask Reggi</title>" in page.text
    for asset in re.findall(r'(?:src|href)="(static/[^"]+)"', page.text):
        response = client.get("/" + asset)
        assert response.status_code == 200, asset
        assert response.text.strip()


def test_the_page_forbids_foreign_scripts_and_framing() -> None:
    headers = make_client().get("/").headers
    csp = headers["content-security-policy"]
    assert (
        "script-src 'self'" in csp
        and "default-src 'none'" in csp
        and "frame-ancestors 'none'" in csp
    )
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize(
    "path",
    sorted(
        p.relative_to(WEB_DIR).as_posix()
        for p in WEB_DIR.rglob("*")
        if p.suffix in {".html", ".js", ".css"}
    ),
)
def test_nothing_is_loaded_from_another_server(path: str) -> None:
    text = (WEB_DIR / path).read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", text), path
    assert not re.search(r"""(?:@import|url\()\s*["']?(?:https?:)?//""", text), path
    assert not re.search(r"""fetch\(\s*["'`](?:https?:)?//""", text), path
    assert "innerHTML" not in text and "document.write" not in text, path


@pytest.mark.parametrize(
    ("query", "headers", "cookies", "status"),
    [
        ("", {}, {}, 401),
        ("?token=wrong", {}, {}, 401),
        ("", {"Authorization": f"Bearer {TOKEN}"}, {}, 200),
        ("", {}, {COOKIE_NAME: cookie_value(TOKEN)}, 200),
        ("", {}, {COOKIE_NAME: "forged"}, 401),
    ],
)
def test_the_token_protects_the_page(query: str, headers: dict, cookies: dict, status: int) -> None:
    client = make_client(TOKEN)
    client.cookies.update(cookies)
    response = client.get("/" + query, headers=headers)
    assert response.status_code == status
    if status == 401:
        assert "access link" in response.text
        assert TOKEN not in response.text


def test_the_token_link_sets_a_cookie_and_leaves_the_address_bar() -> None:
    client = make_client(TOKEN)
    response = client.get(f"/?token={TOKEN}&lang=en")
    assert response.status_code == 303
    assert TOKEN not in response.headers["location"]
    assert response.headers["location"].endswith("/?lang=en")
    set_cookie = response.headers["set-cookie"]
    assert f"{COOKIE_NAME}={cookie_value(TOKEN)}" in set_cookie
    assert "HttpOnly" in set_cookie and "SameSite=lax" in set_cookie
    assert TOKEN not in set_cookie
    # The browser then holds the cookie: page and API open.
    assert client.get("/").status_code == 200
    assert client.get("/api/jurisdictions").status_code == 200


def test_without_a_configured_token_the_query_is_ignored() -> None:
    assert make_client(None).get("/?token=anything").status_code == 200
