import openai
import pytest

from bot.engine.writers import markers
from bot.engine.writers.extractive import ExtractiveWriter
from bot.engine.writers.openai_writer import OpenAIWriter, build_prompt
from bot.errors import WRITER_FALLBACK, WRITER_SHORT_FAILED, WRITER_UNVERIFIED
from tests.bot.engine.writers.nodes import BREACH_GROUPS, GROUPS
from tests.fixtures.openai_server import Reply, fake_openai

QUESTION = "Can I collect personal information from customers in California and Massachusetts?"


def writer(
    url: str, *, timeout: float = 5.0, retries: int = 0, stream: bool = False
) -> OpenAIWriter:
    client = openai.OpenAI(api_key="sk-test", base_url=url, timeout=timeout, max_retries=retries)
    return OpenAIWriter(
        client=client, model="fake-model", fallback=ExtractiveWriter(), stream=stream
    )


def test_normal_reply_is_split_into_parts_with_checked_citations():
    reply = (
        "Both states regulate collection [1][2].\n\n### California\nA business must inform consumers at "
        "collection [1].\n\n### Massachusetts\nRegulations govern owners of personal information [2]."
    )
    with fake_openai([Reply(content=reply)]) as fake:
        written = writer(fake.url).write(QUESTION, GROUPS)
    assert written.writer == "openai:fake-model" and not written.note
    assert [p.name for p in written.parts] == ["California", "Massachusetts"]
    assert [c.citation for c in written.citations] == [
        "Cal. Civ. Code § 1798.100",
        "Mass. Gen. Laws ch. 93H, § 2",
    ]
    body = fake.requests[0]["body"]
    assert body["model"] == "fake-model"
    assert "[1] (California) Cal. Civ. Code § 1798.100" in body["messages"][1]["content"]
    assert fake.requests[0]["auth"] == "Bearer sk-test"


def test_marker_to_a_missing_source_is_removed_and_the_rest_renumbered():
    reply = (
        "### California\nInform consumers [1]. Invented claim [9].\n\n### Massachusetts\nRules [2]."
    )
    with fake_openai([Reply(content=reply)]) as fake:
        written = writer(fake.url).write(QUESTION, GROUPS)
    text = " ".join(p.text for p in written.parts)
    assert "[9]" not in text and "[1]" in text and "[2]" in text
    assert len(written.citations) == 2


def test_only_the_sources_it_cites_become_footnotes_numbered_from_one():
    reply = "### Massachusetts\nRules apply [2]."
    with fake_openai([Reply(content=reply)]) as fake:
        written = writer(fake.url).write(QUESTION, GROUPS)
    assert [c.n for c in written.citations] == [1]
    assert written.citations[0].jurisdiction == "US-MA"
    assert written.parts[0].text == "Rules apply [1]."


def test_reply_citing_nothing_valid_falls_back_to_quotes():
    with fake_openai([Reply(content="### California\nSure, anything goes [7].")]) as fake:
        written = writer(fake.url).write(QUESTION, GROUPS)
    assert written.writer == "extractive" and written.note == WRITER_UNVERIFIED
    assert {c.jurisdiction for c in written.citations} == {"US-CA", "US-MA"}


@pytest.mark.parametrize(
    "reply",
    [Reply(status=429, headers={"Retry-After": "0"}), Reply(status=500), Reply(status=503)],
    ids=["429", "500", "503"],
)
def test_api_errors_fall_back_to_quotes(reply):
    with fake_openai([reply]) as fake:
        written = writer(fake.url).write(QUESTION, GROUPS)
    assert written.writer == "extractive" and written.note == WRITER_FALLBACK
    assert written.citations and written.parts


def test_retry_with_backoff_then_success():
    ok = "### California\nInform consumers [1]."
    with fake_openai([Reply(status=500), Reply(content=ok)]) as fake:
        written = writer(fake.url, retries=2).write(QUESTION, GROUPS)
    assert written.writer == "openai:fake-model"
    assert len(fake.requests) == 2


def test_timeout_falls_back_to_quotes():
    with fake_openai([Reply(content="late [1]", delay=2.0)]) as fake:
        written = writer(fake.url, timeout=0.3).write(QUESTION, GROUPS)
    assert written.writer == "extractive" and written.note == WRITER_FALLBACK


def test_prompt_numbers_sources_and_names_jurisdictions():
    prompt = build_prompt(QUESTION, GROUPS, context="an earlier question")
    assert "Jurisdictions: California, Massachusetts" in prompt
    assert "[2] (Massachusetts) Mass. Gen. Laws ch. 93H, § 2" in prompt
    assert "Earlier in this conversation: an earlier question" in prompt


BREACH_Q = "How fast must a data breach be notified in New York, the EU and under HIPAA?"

# Realistic replies in the model's usual styles; every sentence is correct and cited.
STYLES = {
    "headings": (
        "New York requires notice within thirty days [1], the EU within 72 hours [2], and HIPAA "
        "within 60 calendar days [3].\n\n"
        "### New York\nA business that owns computerized data must notify affected residents "
        "within thirty days after discovery [1].\n\n"
        "### European Union\nThe controller notifies the supervisory authority without undue "
        "delay and, where feasible, not later than 72 hours after becoming aware of it [2].\n\n"
        "### United States (federal)\nA covered entity notifies without unreasonable delay and "
        "in no case later than 60 calendar days after discovery [3]."
    ),
    "bullets and bold names": (
        "**Short answer:** Deadlines differ: thirty days in New York [1], 72 hours in the EU [2].\n\n"
        "**New York**\n- Notify affected residents within 30 days of discovery [1].\n\n"
        "**European Union**\n- Notify the supervisory authority within 72 hours [2].\n"
        "- Act without undue delay [2].\n\n"
        "**United States (federal)**\n- Notify within 60 calendar days [3]."
    ),
    "grouped markers": (
        "Each sets a deadline for breach notices [1][2][3].\n\n"
        "### New York\nNotice within thirty days applies to owners of computerized data [1, 3].\n\n"
        "### European Union\nThe controller must notify within 72 hours [2].\n\n"
        "### United States (federal)\nThe rules on timing differ by regime [1-3]."
    ),
    "footnote list at the end": (
        "New York: thirty days [1]; EU: 72 hours [2]; HIPAA: 60 calendar days [3].\n\n"
        "## New York\nNotify residents within thirty days [1].\n\n"
        "## European Union\nNotify the authority within 72 hours [2].\n\n"
        "## United States (federal)\nNotify individuals within 60 calendar days [3].\n\n"
        "Sources:\n[1] N.Y. Gen. Bus. Law § 899-aa\n[2] GDPR Art. 33\n[3] 45 C.F.R. § 164.404"
    ),
}


@pytest.mark.parametrize("stream", [False, True], ids=["json", "sse"])
@pytest.mark.parametrize("style", list(STYLES))
def test_correct_replies_in_each_style_pass_untouched(style, stream):
    with fake_openai([Reply(content=STYLES[style])]) as fake:
        written = writer(fake.url, stream=stream).write(BREACH_Q, BREACH_GROUPS)
    assert written.writer == "openai:fake-model", written.note
    assert written.note == "" and written.checks["removed"] == 0
    assert written.checks["sentences"] >= 4
    assert [p.name for p in written.parts] == [
        "New York",
        "European Union",
        "United States (federal)",
    ]
    assert written.short and written.short[0].text == written.answer
    assert "Sources:" not in " ".join(p.text for p in written.parts)
    assert fake.requests[0]["body"].get("stream", False) is stream
    for p in written.parts:
        cited = {written.citations[n - 1].jurisdiction for n in markers(p.text)}
        assert cited, p


def test_a_correct_part_keeps_its_wording_exactly():
    with fake_openai([Reply(content=STYLES["headings"])]) as fake:
        written = writer(fake.url).write(BREACH_Q, BREACH_GROUPS)
    assert written.parts[1].text == (
        "The controller notifies the supervisory authority without undue delay and, where "
        "feasible, not later than 72 hours after becoming aware of it [2]."
    )


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        ("The controller may also wait 96 hours [2].", "duration"),
        ("Fines reach 20 million euros [2].", "number"),
        ("The controller must also tell the press [7].", "fabricated marker"),
        ("The controller must also tell the press.", "uncited"),
    ],
)
def test_a_failing_sentence_is_removed_and_the_answer_says_so(bad, why):
    reply = STYLES["headings"].replace(
        "becoming aware of it [2].", f"becoming aware of it [2]. {bad}"
    )
    with fake_openai([Reply(content=reply)]) as fake:
        written = writer(fake.url).write(BREACH_Q, BREACH_GROUPS)
    assert written.writer == "openai:fake-model"
    assert bad.split(" [")[0].rstrip(".") not in " ".join(p.text for p in written.parts), why
    assert "72 hours after becoming aware of it [2]." in written.parts[1].text
    assert written.checks == {"sentences": 5, "removed": 1}
    assert written.note == (
        "1 sentence of the AI-written answer could not be checked against the cited sources "
        "and was removed."
    )


@pytest.mark.parametrize("stream", [False, True], ids=["json", "sse"])
def test_a_failing_short_answer_falls_back_to_quotes(stream):
    reply = STYLES["headings"].replace("within 72 hours [2]", "within 48 hours [2]")
    with fake_openai([Reply(content=reply)]) as fake:
        written = writer(fake.url, stream=stream).write(BREACH_Q, BREACH_GROUPS)
    assert written.writer == "extractive" and written.note == WRITER_SHORT_FAILED
    assert all(p.text.startswith("Under ") for p in written.short)


def test_without_a_lead_the_short_answer_is_each_parts_first_sentence():
    reply = STYLES["headings"].split("\n\n", 1)[1]
    with fake_openai([Reply(content=reply)]) as fake:
        written = writer(fake.url).write(BREACH_Q, BREACH_GROUPS)
    assert written.short[0].text.startswith("New York: A business that owns computerized data")
    assert "European Union: The controller notifies" in written.short[0].text


def test_a_comparison_gets_the_verbatim_table_with_footnotes():
    question = "Compare the breach notification deadlines of New York, the EU and HIPAA"
    with fake_openai([Reply(content=STYLES["headings"])]) as fake:
        written = writer(fake.url).write(question, BREACH_GROUPS)
    assert written.table is not None
    assert [r.cells[1] for r in written.table.rows] == [
        "thirty days",
        "without undue delay; 72 hours",
        "without unreasonable delay; 60 calendar days",
    ]
    for r in written.table.rows:
        n = markers(r.cells[3])[0]
        assert written.citations[n - 1].jurisdiction == r.jurisdiction


UNREADABLE = {
    "not JSON": Reply(body="this is not json", content_type="application/json"),
    "HTML page with 200": Reply(
        body="<html><body><h1>Welcome to nginx</h1></body></html>", content_type="text/html"
    ),
    "empty choices": Reply(
        body='{"id": "x", "object": "chat.completion", "created": 1, "model": "m", "choices": []}'
    ),
    "empty object": Reply(body="{}"),
    "empty content": Reply(content=""),
}


@pytest.mark.parametrize("reply", list(UNREADABLE.values()), ids=list(UNREADABLE))
def test_an_unreadable_reply_falls_back_with_the_notice_logged_once(reply, caplog):
    with fake_openai([reply]) as fake:
        written = writer(fake.url).write(QUESTION, GROUPS)
    assert written.writer == "extractive" and written.note == WRITER_FALLBACK
    assert written.short and written.citations
    warnings = [r for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and "using the extractive writer" in warnings[0].getMessage()


def test_a_count_written_as_a_word_is_a_number_too():
    # Strict by design: "three" is not in any source, so the short answer fails.
    reply = STYLES["grouped markers"].replace("Each sets", "All three set")
    with fake_openai([Reply(content=reply)]) as fake:
        written = writer(fake.url).write(BREACH_Q, BREACH_GROUPS)
    assert written.writer == "extractive" and written.note == WRITER_SHORT_FAILED


def test_the_draft_is_handed_on_as_the_model_writes_it():
    drafts: list[str] = []
    with fake_openai([Reply(content=STYLES["headings"])]) as fake:
        written = writer(fake.url).write(BREACH_Q, BREACH_GROUPS, on_text=drafts.append)
    assert fake.requests[0]["body"].get("stream") is True  # streamed because someone listens
    assert len(drafts) > 1 and "".join(drafts) == STYLES["headings"]
    assert written.writer == "openai:fake-model"  # the checked result is unchanged
