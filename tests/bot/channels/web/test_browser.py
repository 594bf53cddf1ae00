"""End to end in headless Chromium: ask, read footnotes and tags, follow a footnote, vote."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from docx import Document

from bot.errors import ServiceUnavailable, user_message
from bot.ops.events import RecordingEvents
from bot.ops.metrics import Metrics
from bot.ops.server import build_app
from bot.settings import Settings
from tests.bot.answers import one_part, several
from tests.fixtures.browser import browser, live_server  # noqa: F401
from tests.fixtures.web import FakeAnswers, fake_coverage, sample_answer

TOKEN = "browser-token-for-tests"


def app_for(answers: FakeAnswers, events: RecordingEvents, *, token: str | None = None) -> Any:
    settings = Settings(_env_file=None, host="127.0.0.1", web_api_token=token)  # type: ignore[call-arg]
    return build_app(
        settings=settings,
        answers=answers,
        events=events,
        metrics=Metrics(),
        readiness={},
        coverage=fake_coverage,
    )


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()


def test_ask_read_footnotes_follow_one_and_vote(page: Any) -> None:
    answers, events = FakeAnswers(), RecordingEvents()
    with live_server(app_for(answers, events)) as url:
        page.goto(url + "/")
        # The picker lists what the index covers; choose California with the keyboard.
        page.locator("#jurisdiction-picker summary").click()
        page.get_by_label("California").check()
        assert page.locator("#jurisdiction-summary").inner_text() == "California"

        page.get_by_label("Your question").fill("How fast must we answer an access request?")
        page.get_by_label("Your question").press("Enter")

        answer = page.locator("article.answer")
        answer.wait_for()
        assert answers.calls[0]["jurisdictions"] == ("US-CA",)
        assert answer.locator("h2").inner_text() == "How fast must we answer an access request?"
        # Parts per jurisdiction, tags, footnotes with citation, heading, quote and link, notice.
        assert answer.locator("section.part h3").all_inner_texts() == [
            "California US-CA",
            "European Union EU",
        ]
        assert answer.locator("ul.tags li").all_inner_texts() == [
            "California (US-CA)",
            "European Union (EU)",
        ]
        footnotes = answer.locator("ol.footnotes li.footnote")
        assert footnotes.count() == 3
        first = footnotes.nth(0)
        assert "Cal. Civ. Code § 1798.130" in first.inner_text()
        assert "Methods of submitting requests" in first.inner_text()
        assert "within 45 days" in first.locator("blockquote").inner_text()
        assert first.locator("a.official").get_attribute("href") == sample_answer().citations[0].url
        assert "GDPR Art. 12(3) — Transparent information" in footnotes.nth(1).inner_text()
        assert "not legal advice" in answer.locator(".notice").inner_text()
        assert answer.locator(".badge.cached").count() == 0

        # Follow the [2] marker: the footnote becomes the target and takes focus.
        # The short answer comes first, and its [2] is the one the footnote links back to.
        assert answer.locator(".short-answer").inner_text().startswith("Short answer")
        marker = answer.locator(".short-answer a.ref", has_text="[2]")
        marker.click()
        assert page.evaluate("window.location.hash") == "#a1-fn-2"
        assert page.evaluate("document.querySelector(':target').id") == "a1-fn-2"
        page.wait_for_function("document.activeElement && document.activeElement.id === 'a1-fn-2'")
        # ... and back to the answer.
        footnotes.nth(1).locator("a.back").click()
        assert page.evaluate("window.location.hash") == "#a1-ref-2"

        # Thumbs down with a reason.
        answer.get_by_role("button", name="Not helpful").click()
        page.get_by_label("What was wrong? (optional)").fill("cites the wrong article")
        answer.get_by_role("button", name="Send").click()
        page.get_by_text("Thanks — your feedback was recorded.").wait_for()
        assert events.of("feedback") == [
            {
                "channel": "web",
                "user": "anonymous@127.0.0.1",
                "answer_id": "ans-0001",
                "vote": "down",
                "reason": "cites the wrong article",
            }
        ]
        assert [e["question"] for e in events.of("answered")] == [
            "How fast must we answer an access request?"
        ]


def test_follow_up_sends_the_conversation_and_marks_cached_answers(page: Any) -> None:
    answers = FakeAnswers(
        answer=sample_answer().with_changes(
            cached=True, cache_note="answered an identical earlier question"
        )
    )
    with live_server(app_for(answers, RecordingEvents())) as url:
        page.goto(url + "/")
        page.get_by_label("Your question").fill("First question?")
        page.get_by_role("button", name="Ask").click()
        page.locator("article.answer").first.wait_for()
        page.get_by_label("Your question").fill("And the second?")
        page.get_by_role("button", name="Ask").click()
        page.locator("article.answer").nth(1).wait_for()
        assert [t.question for t in answers.calls[1]["history"]] == ["First question?"]
        assert (
            page.locator("article.answer").nth(1).locator(".badge.cached").inner_text() == "Cached"
        )
        page.get_by_role("button", name="New conversation").click()
        assert page.locator("article.answer").count() == 0


def test_errors_are_plain_sentences_on_the_page(page: Any) -> None:
    down = ServiceUnavailable("qdrant", "connection refused")
    with live_server(app_for(FakeAnswers(error=down), RecordingEvents())) as url:
        page.goto(url + "/")
        page.get_by_role("button", name="Ask").click()
        alert = page.get_by_role("alert")
        assert alert.inner_text() == "Type a question first."
        page.get_by_label("Your question").fill("Does the CCPA apply to us?")
        page.get_by_role("button", name="Ask").click()
        page.get_by_text(user_message(down)).wait_for()
        assert page.locator("article.answer").count() == 0


def test_phone_width_has_no_horizontal_scroll(browser: Any) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        with live_server(app_for(FakeAnswers(), RecordingEvents())) as url:
            page.goto(url + "/")
            page.get_by_label("Your question").fill("How fast?")
            page.get_by_role("button", name="Ask").click()
            page.locator("article.answer").wait_for()
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()


def test_the_access_link_opens_the_page(page: Any) -> None:
    with live_server(app_for(FakeAnswers(), RecordingEvents(), token=TOKEN)) as url:
        assert page.goto(url + "/").status == 401
        page.goto(f"{url}/?token={TOKEN}")
        assert TOKEN not in page.url
        page.get_by_label("Your question").fill("How fast?")
        page.get_by_role("button", name="Ask").click()
        page.locator("article.answer").wait_for()
        assert (
            page.get_by_label("California").count() == 1
        )  # the picker loaded through the cookie too


def focused(page: Any) -> str:
    return page.evaluate(
        "(() => { const e = document.activeElement;"
        " return e.id || e.getAttribute('aria-label') || e.textContent.trim(); })()"
    )


def test_keyboard_only(page: Any) -> None:
    events = RecordingEvents()
    with live_server(app_for(FakeAnswers(), events)) as url:
        page.goto(url + "/")
        page.keyboard.press("Tab")
        assert focused(page) == "Skip to the question box"
        page.keyboard.press("Tab")
        assert focused(page) == "question"
        page.keyboard.type("How fast must we answer?")
        page.keyboard.press("Enter")
        page.locator("article.answer").wait_for()
        assert focused(page) == "a1-question"  # focus moves to the new answer
        page.keyboard.press("Tab")
        assert focused(page) == "a1-ref-1"  # the [1] marker
        page.keyboard.press("Enter")
        page.wait_for_function("document.activeElement.id === 'a1-fn-1'")
        for _ in range(30):
            if focused(page) == "Helpful":
                break
            page.keyboard.press("Tab")
        assert focused(page) == "Helpful"
        page.keyboard.press("Space")
        page.get_by_text("Thanks — your feedback was recorded.").wait_for()
        assert [e["vote"] for e in events.of("feedback")] == ["up"]


# --- the answer a lawyer reads: short answer, table, as-of dates, Word and Copy (issue 13) ---
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
