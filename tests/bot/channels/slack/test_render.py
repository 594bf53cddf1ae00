import json

import pytest

from bot.answer import Answer, Citation, Part
from bot.channels.slack.render import (
    ACTION_FEEDBACK,
    COMPACT_QUOTE,
    MAX_BLOCKS,
    SECTION_LIMIT,
    SlackMessage,
    answer_messages,
    escape,
    feedback_block,
    feedback_reason_view,
    feedback_vote,
    footnote,
    jurisdictions_line,
    link,
    link_markers,
    render_answer,
    render_text,
    share_block,
    split_text,
    with_blocks,
)
from tests.fixtures.slack import sample_answer


def _sections(message):
    return [b["text"]["text"] for b in message.blocks if b["type"] == "section"]


def _all_text(messages):
    return json.dumps([[m.text, list(m.blocks)] for m in messages])


def _citation(n, *, quote="The business shall delete it.", url="https://example.gov/s", **kw):
    fields = {
        "n": n,
        "citation": f"Reg. § {n}",
        "section": str(n),
        "heading": f"Heading {n}",
        "title": "Test Regulation",
        "jurisdiction": "US-CA",
        "url": url,
        "source": "x.md",
        "quote": quote,
    }
    fields.update(kw)
    return Citation(**fields)


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a & b", "a &amp; b"),
        ("<!channel>", "&lt;!channel&gt;"),
        ("<https://evil|click>", "&lt;https://evil|click&gt;"),
        ("&lt;", "&amp;lt;"),
        ("plain *bold* text", "plain *bold* text"),
    ],
)
def test_escape(raw, escaped):
    assert escape(raw) == escaped


@pytest.mark.parametrize(
    ("url", "label", "expected"),
    [
        ("https://law.example/§1", "§ 1", "<https://law.example/%C2%A71|§ 1>"),
        (
            "https://x.example/a?b=1&c=2",
            "A & B",
            "<https://x.example/a?b=1&amp;c=2|A &amp; B>",
        ),
        ("https://x.example/a|b>c", "L", "<https://x.example/a%7Cb%3Ec|L>"),
        ("javascript:alert(1)", "L", "L"),
        ("", "<b>", "&lt;b&gt;"),
        ("ftp://x.example/", "L", "L"),
    ],
)
def test_link_only_for_http_and_never_breaks_out(url, label, expected):
    assert link(url, label) == expected


@pytest.mark.parametrize(
    "text",
    [
        "word " * 2000,
        ("Sentence with a marker [12]. " * 300),
        ("para one [1]\n\n" + "x" * 50 + " ") * 200,
        "&amp;" * 2000,
        "x" * 7000,
    ],
)
def test_split_text_respects_limit_and_keeps_markers_and_entities(text):
    chunks = split_text(text, 1000)
    assert all(0 < len(c) <= 1000 for c in chunks)
    assert "".join(c.replace(" ", "").replace("\n", "") for c in chunks) == text.replace(
        " ", ""
    ).replace("\n", "")
    for c in chunks:
        assert c.count("[") == c.count("]")
        assert not c.endswith(("&", "&a", "&am", "&amp"))


def test_answer_renders_summary_sources_tags_notice_and_buttons():
    answer = sample_answer("Must we delete data on request?")
    [message] = render_answer(answer)
    types = [b["type"] for b in message.blocks]
    assert types == ["section", "section", "divider", "section", "context", "context_actions"]
    sections = _sections(message)
    assert sections[0] == escape(answer.answer)
    assert sections[1] == f"*California*\n{escape(answer.parts[0].text)}"
    sources = sections[2]
    assert sources.startswith("*Sources*\n*[1]* <https://leginfo.legislature.ca.gov/")
    assert (
        "|Cal. Civ. Code § 1798.105(a)> — Consumers' Right to Delete Personal Information"
        in sources
    )
    assert "\n> A consumer shall have the right" in sources
    assert (
        "*[2]* <https://cppa.ca.gov/regulations/|Cal. Code Regs. tit. 11, § 7022> — Requests to Delete"
        in sources
    )
    context = [e["text"] for e in message.blocks[4]["elements"]]
    assert context == ["Jurisdictions: California", escape(answer.notice)]
    [buttons] = message.blocks[5]["elements"]
    assert buttons["action_id"] == ACTION_FEEDBACK
    assert (buttons["positive_button"]["value"], buttons["negative_button"]["value"]) == (
        "up:ans-0001",
        "down:ans-0001",
    )
    assert message.text == escape(answer.answer)


def test_several_jurisdictions_get_a_section_each_and_missing_ones_are_named():
    answer = sample_answer(
        "q",
        parts=(
            Part("US-CA", "California", "CA text [1]"),
            Part("US-MA", "Massachusetts", "MA & text [2]"),
        ),
        jurisdictions=("US-CA", "US-MA"),
        missing_jurisdictions=("US-TX",),
        jurisdiction_names={
            "US-CA": "California",
            "US-MA": "Massachusetts",
            "US-TX": "Texas",
        },
        cache_note="answered an identical earlier question",
    )
    [message] = render_answer(answer)
    sections = _sections(message)
    assert "*California*\nCA text [1]" in sections
    assert "*Massachusetts*\nMA &amp; text [2]" in sections
    blob = _all_text([message])
    assert "Nothing relevant was found in the index for: Texas." in blob
    assert "answered an identical earlier question" in blob
    assert jurisdictions_line(answer) == "Jurisdictions: California · Massachusetts"


@pytest.mark.parametrize(
    ("changes", "has_buttons", "has_sources"),
    [
        ({}, True, True),
        ({"id": ""}, False, True),
        (
            {
                "citations": (),
                "abstained": True,
                "answer": "The index does not cover this.",
            },
            True,
            False,
        ),
    ],
)
def test_optional_parts(changes, has_buttons, has_sources):
    [message] = render_answer(sample_answer("q", **changes))
    types = [b["type"] for b in message.blocks]
    assert ("context_actions" in types) is has_buttons
    assert any("*Sources*" in s for s in _sections(message)) is has_sources


def test_feedback_can_be_left_out():
    [message] = render_answer(sample_answer("q"), feedback=False)
    assert all(b["type"] not in ("actions", "context_actions") for b in message.blocks)


def test_question_is_shown_for_slash_commands_and_escaped():
    [message] = render_answer(
        sample_answer("Is <!channel> & <https://evil|click> ok?"), show_question=True
    )
    assert (
        _sections(message)[0]
        == "*Question:* Is &lt;!channel&gt; &amp; &lt;https://evil|click&gt; ok?"
    )


def test_everything_from_users_sources_and_engine_is_escaped():
    evil = "<!channel> <@U123> <https://evil|click> &"
    answer = Answer(
        question=evil,
        answer=f"Answer {evil} [1]",
        parts=(Part("US-CA", f"Cal {evil}", f"part {evil}"), Part("EU", "EU", "eu")),
        citations=(
            _citation(1, quote=f"quote {evil}", heading=f"head {evil}", citation=f"cit {evil}"),
        ),
        jurisdictions=("US-CA",),
        jurisdiction_names={"US-CA": f"Cal {evil}"},
        notice=f"notice {evil}",
        cache_note=evil,
        writer_note=evil,
        missing_jurisdictions=("X",),
        id="a1",
    )
    messages = render_answer(answer, show_question=True, full_quotes=True)
    texts = [m.text for m in messages]
    for m in messages:
        for b in m.blocks:
            if b["type"] == "section":
                texts.append(b["text"]["text"])
            elif b["type"] == "context":
                texts += [e["text"] for e in b["elements"]]
    joined = "\n".join(texts)
    assert "<!channel>" not in joined
    assert "<@U123>" not in joined
    assert "<https://evil" not in joined
    assert "&lt;!channel&gt;" in joined
    # the only `<` left are the links Reggi made itself
    assert joined.count("<") == joined.count("<https://example.gov/s|")


def test_compact_quote_is_shortened_and_full_quote_kept():
    long_quote = "word " * 200
    compact = footnote(_citation(3, quote=long_quote))
    full = footnote(_citation(3, quote=long_quote), full_quote=True)
    assert compact.endswith("…")
    assert len(compact.split("\n> ", 1)[1]) <= COMPACT_QUOTE
    assert full.endswith(long_quote.strip())


def test_a_footnote_longer_than_a_section_is_shortened_not_split():
    entry = footnote(_citation(4, quote="sentence " * 1000), full_quote=True)
    assert len(entry) <= SECTION_LIMIT
    assert entry.startswith("*[4]* <https://example.gov/s|Reg. § 4> — Heading 4")


def test_oversized_answer_is_split_into_messages_with_every_footnote_whole():
    citations = tuple(
        _citation(n, quote=f"Quote {n}: " + "lorem ipsum dolor sit amet " * 60)
        for n in range(1, 81)
    )
    answer = sample_answer(
        "q",
        answer=" ".join(f"Point {n} [{n}]." * 8 for n in range(1, 81)),
        citations=citations,
    )
    messages = render_answer(answer, full_quotes=True)
    assert len(messages) > 1
    for m in messages:
        assert m.text
        assert len(m.blocks) <= MAX_BLOCKS
        assert all(len(s) <= SECTION_LIMIT for s in _sections(m))
    sections = [s for m in messages for s in _sections(m)]
    for c in citations:
        entry = footnote(c, full_quote=True)
        assert sum(entry in s for s in sections) == 1, c.n
    markers = "".join(s for s in sections if "*Sources*" not in s and "*[" not in s)
    assert all(f"[{n}]" in markers for n in range(1, 81))
    assert [b["type"] for b in messages[-1].blocks][-2:] == ["context", "context_actions"]
    assert all(b["type"] != "context_actions" for m in messages[:-1] for b in m.blocks)
    assert messages[1].text == f"Reggi's answer, continued (2/{len(messages)})"


def test_render_text_escapes_and_fits():
    message = render_text("<!here> " + "x " * 4000)
    assert message.text.startswith("&lt;!here&gt;")
    assert all(len(s) <= SECTION_LIMIT for s in _sections(message))


def test_feedback_reason_view_is_an_optional_input_modal():
    view = feedback_reason_view('{"answer_id": "a"}')
    assert view["type"] == "modal"
    assert view["notify_on_close"] is True
    assert len(view["title"]["text"]) <= 24
    assert view["blocks"][0]["optional"] is True
    assert view["private_metadata"] == '{"answer_id": "a"}'


def test_feedback_and_share_blocks_are_valid_block_kit():
    from slack_sdk.models.blocks import Block as SdkBlock

    for block in (feedback_block("ans-1"), share_block("k")):
        parsed = SdkBlock.parse(block)
        assert parsed is not None
        parsed.validate_json()
        assert parsed.to_dict() == block
    assert feedback_vote("up:ans-1") == ("up", "ans-1")
    assert feedback_vote("down:a:b") == ("down", "a:b")
    assert feedback_vote("sideways:x") is None and feedback_vote("up:") is None


def test_markers_link_to_their_sources_but_footnote_numbers_stay():
    answer = sample_answer("q", answer="Delete it [1][2]; see [9] and *[1]*.")
    [message] = link_markers(render_answer(answer), answer)
    first = _sections(message)[0]
    assert first.startswith("Delete it <https://leginfo.legislature.ca.gov/")
    assert "|[1]><https://cppa.ca.gov/regulations/|[2]>" in first
    assert "see [9] and *[1]*." in first  # no such source; bold footnote number
    sources = next(t for t in _sections(message) if t.startswith("*Sources*"))
    assert "*[1]* <https://leginfo" in sources  # the Sources list is unchanged


def test_a_follow_up_says_which_question_it_continued():
    [message] = answer_messages(sample_answer("q"), continued="Must we delete <data>?")
    assert message.blocks[0] == {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": "Follow-up to: “Must we delete &lt;data&gt;?”"}],
    }


def test_blocks_go_under_the_last_message_or_into_their_own():
    one = SlackMessage(text="a", blocks=({"type": "divider"},) * 49)
    extra = share_block("k")
    assert with_blocks([one], extra)[-1].blocks[-1] == extra
    full = SlackMessage(text="a", blocks=({"type": "divider"},) * 50)
    out = with_blocks([full], extra)
    assert len(out) == 2 and out[1].blocks == (extra,)
