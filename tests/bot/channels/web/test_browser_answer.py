"""Headless Chromium: short answer first, the comparison table, as-of dates, Word and Copy."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from docx import Document

from bot.ops.events import RecordingEvents
from tests.bot.answers import one_part, several
from tests.bot.channels.web.test_browser import app_for
from tests.fixtures.browser import browser, live_server  # noqa: F401
from tests.fixtures.web import FakeAnswers


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()


def ask(page: Any, url: str, question: str) -> Any:
    page.goto(url + "/")
    page.get_by_label("Your question").fill(question)
    page.get_by_label("Your question").press("Enter")
    answer = page.locator("article.answer")
    answer.wait_for()
    return answer


def test_short_answer_then_table_then_detail_with_dated_sources(page: Any) -> None:
    with live_server(app_for(FakeAnswers(answer=several()), RecordingEvents())) as url:
        answer = ask(page, url, "When must a breach be notified?")
        order = page.evaluate(
            """() => Array.from(document.querySelectorAll('article.answer > *'))
                 .map(e => e.className || e.tagName.toLowerCase())"""
        )
        assert order.index("short-answer") < order.index("table-scroll") < order.index("part")
        assert answer.locator(".short-part").count() == 2
        assert answer.locator(".short-name").all_inner_texts() == [
            "California",
            "United States (federal)",
        ]
        table = answer.locator("table.comparison")
        assert table.locator("thead th").all_inner_texts() == [
            "Jurisdiction", "Rule", "Deadline (as written)", "Who it binds", "Pinpoint",
        ]  # fmt: skip
        assert table.locator("tbody th").all_inner_texts() == [
            "California",
            "United States (federal)",
        ]
        assert (
            table.locator("tbody tr").nth(1).locator("td").nth(1).inner_text() == "60 calendar days"
        )
        # A marker in a table cell links to its footnote.
        assert table.locator("a.ref").first.get_attribute("href") == "#a1-fn-1"
        footnote = answer.locator("li.footnote").nth(1)
        assert footnote.locator(".footnote-citation").inner_text() == "45 C.F.R. § 164.404(b)"
        currency = footnote.locator(".currency.incomplete").inner_text()
        assert currency.startswith("Text as of 26 March 2013") and currency.endswith("incomplete")
        assert (
            answer.locator(".as-of")
            .inner_text()
            .startswith("Oldest source relied on: text as of 26 March 2013")
        )


def test_a_single_part_model_answer_is_shown(page: Any) -> None:
    with live_server(app_for(FakeAnswers(answer=one_part()), RecordingEvents())) as url:
        answer = ask(page, url, "When must individuals be notified?")
        assert answer.locator("section.part").inner_text().endswith("Within 60 calendar days [1].")


def test_download_as_word_and_copy_as_plain_text(page: Any) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    with live_server(app_for(FakeAnswers(answer=several()), RecordingEvents())) as url:
        answer = ask(page, url, "When must a breach be notified?")
        with page.expect_download() as info:
            answer.get_by_role("button", name="Download as Word").click()
        download = info.value
        assert download.suggested_filename == "reggi-memo-abc123.docx"
        doc = Document(io.BytesIO(open(download.path(), "rb").read()))
        assert doc.tables[0].rows[2].cells[2].text == "60 calendar days"
        answer.get_by_role("button", name="Copy").click()
        page.get_by_text("Copied as plain text.").wait_for()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith("Reggi memo\n\nQuestion\nWhen must a breach be notified")
        assert "60 calendar days" in copied
