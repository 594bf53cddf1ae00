import openai
import pytest

from bot.engine.writers.extractive import ExtractiveWriter
from bot.engine.writers.openai_writer import (
    FALLBACK_NOTE,
    UNVERIFIED_NOTE,
    OpenAIWriter,
    build_prompt,
)
from tests.bot.engine.writers.nodes import GROUPS
from tests.fixtures.openai_server import Reply, fake_openai

QUESTION = "Can I collect personal information from customers in California and Massachusetts?"


def writer(url: str, *, timeout: float = 5.0, retries: int = 0) -> OpenAIWriter:
    client = openai.OpenAI(api_key="sk-test", base_url=url, timeout=timeout, max_retries=retries)
    return OpenAIWriter(client=client, model="fake-model", fallback=ExtractiveWriter())


def test_normal_reply_is_split_into_parts_with_checked_citations():
    reply = (
        "Both states regulate collection.\n\n### California\nA business must inform consumers at "
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
    assert written.writer == "extractive" and written.note == UNVERIFIED_NOTE
    assert {c.jurisdiction for c in written.citations} == {"US-CA", "US-MA"}


@pytest.mark.parametrize(
    "reply",
    [Reply(status=429, headers={"Retry-After": "0"}), Reply(status=500), Reply(status=503)],
    ids=["429", "500", "503"],
)
def test_api_errors_fall_back_to_quotes(reply):
    with fake_openai([reply]) as fake:
        written = writer(fake.url).write(QUESTION, GROUPS)
    assert written.writer == "extractive" and written.note == FALLBACK_NOTE
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
    assert written.writer == "extractive" and written.note == FALLBACK_NOTE


def test_prompt_numbers_sources_and_names_jurisdictions():
    prompt = build_prompt(QUESTION, GROUPS, context="an earlier question")
    assert "Jurisdictions: California, Massachusetts" in prompt
    assert "[2] (Massachusetts) Mass. Gen. Laws ch. 93H, § 2" in prompt
    assert "Earlier in this conversation: an earlier question" in prompt
