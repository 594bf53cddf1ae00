import io

from docx import Document
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.channels.web import mount_web
from bot.ops.events import RecordingEvents
from tests.bot.answers import several
from tests.fixtures.web import FakeAnswers, fake_coverage

TOKEN = "web-token-for-tests"


def client(token: str | None = None) -> TestClient:
    app = FastAPI()
    mount_web(
        app, answers=FakeAnswers(), events=RecordingEvents(), coverage=fake_coverage, token=token
    )
    return TestClient(app)


def test_the_answer_json_comes_back_as_a_word_memo():
    response = client().post("/api/export?format=docx", json=several().to_dict())
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert (
        response.headers["content-disposition"] == 'attachment; filename="reggi-memo-abc123.docx"'
    )
    doc = Document(io.BytesIO(response.content))
    assert doc.tables[0].rows[2].cells[2].text == "60 calendar days"


def test_plain_text_for_copy():
    response = client().post("/api/export?format=text", json=several().to_dict())
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    assert response.text.startswith("Reggi memo\n\nQuestion\nWhen must a breach be notified")


def test_bad_exports_get_a_plain_sentence_and_lose_nothing():
    c = client()
    old = {**several().to_dict(), "schema_version": 1}
    for body, status in [
        (old, 422),
        ({"question": "x"}, 422),
        ({**several().to_dict(), "citations": [{"n": "x"}]}, 422),
    ]:
        response = c.post("/api/export", json=body)
        assert response.status_code == status, body
        assert "Ask the question again" in response.json()["error"]
    assert c.post("/api/export?format=pdf", json=several().to_dict()).status_code == 400
    assert (
        c.post(
            "/api/export", content=b"[]", headers={"content-type": "application/json"}
        ).status_code
        == 400
    )


def test_export_needs_the_token_like_every_api_route():
    assert client(TOKEN).post("/api/export", json=several().to_dict()).status_code == 401
    ok = client(TOKEN).post(
        "/api/export", json=several().to_dict(), headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert ok.status_code == 200
