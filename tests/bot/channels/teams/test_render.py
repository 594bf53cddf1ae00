"""Answer → Teams activity: citation entities within Teams' limits, AI label, feedback, text."""

from __future__ import annotations

import json

import pytest
from microsoft_teams.api import MessageActivityInput

from bot.answer import Answer, Citation, Part
from bot.channels.teams.render import (
    ABSTRACT_LIMIT,
    DESCRIPTION_LIMIT,
    NAME_LIMIT,
    SensitivityLabel,
    answer_cards,
    answer_text,
    citation_claim,
    citation_label,
    escape,
    export_context,
    file_consent,
    file_info,
    render_answer,
    render_help,
    render_text,
    safe_url,
    typing,
)
from tests.bot.answers import ALL
from tests.fixtures.teams import sample_answer

LONG_QUOTE = (
    "A business that receives a verifiable consumer request from a consumer to delete the consumer's "
    "personal information pursuant to subdivision (a) of this section shall delete the consumer's "
    "personal information from its records and notify any service providers or contractors."
)


def _citation(**changes: object) -> Citation:
    return (
        sample_answer()
        .citations[0]
        .__class__(**{**sample_answer().citations[0].__dict__, **changes})
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://eur-lex.europa.eu/eli/reg/2016/679/oj",
            "https://eur-lex.europa.eu/eli/reg/2016/679/oj",
        ),
        ("http://example.gov/x", "http://example.gov/x"),
        ("javascript:alert(1)", None),
        ("data/corpus/file.md", None),
        ("", None),
    ],
)
def test_safe_url(url: str, expected: str | None) -> None:
    assert safe_url(url) == expected


@pytest.mark.parametrize(
    ("citation", "subsection", "expected"),
    [
        ("Cal. Civ. Code § 1798.105", "(a)", "Cal. Civ. Code § 1798.105(a)"),
        ("GDPR Art. 17", "para. 1", "GDPR Art. 17 para. 1"),
        ("GDPR Art. 17(1)", "(1)", "GDPR Art. 17(1)"),
        ("", "", "1798.105"),
    ],
)
def test_citation_label(citation: str, subsection: str, expected: str) -> None:
    assert citation_label(_citation(citation=citation, subsection=subsection)) == expected


@pytest.mark.parametrize(
    ("changes", "name", "abstract"),
    [
        ({}, "Cal. Civ. Code § 1798.105(a)", None),
        ({"quote": LONG_QUOTE}, None, None),
        ({"citation": "A very long citation " * 8, "subsection": ""}, None, None),
        ({"quote": ""}, None, "Consumers' Right to Delete Personal Information"),
    ],
)
def test_citation_claim_respects_teams_limits(
    changes: dict, name: str | None, abstract: str | None
) -> None:
    answer = sample_answer()
    claim = citation_claim(_citation(**changes), answer)
    appearance = claim["appearance"]
    assert claim["@type"] == "Claim" and claim["position"] == 1
    assert appearance["@type"] == "DigitalDocument"
    assert 0 < len(appearance["name"]) <= NAME_LIMIT
    assert 0 < len(appearance["abstract"]) <= ABSTRACT_LIMIT
    assert all(len(k) <= 28 for k in appearance["keywords"]) and len(appearance["keywords"]) <= 3
    if name:
        assert appearance["name"] == name
    if abstract:
        assert appearance["abstract"] == abstract
    if changes.get("quote") == LONG_QUOTE:
        assert appearance["abstract"].endswith("…")
        assert LONG_QUOTE.startswith(appearance["abstract"][:-1])  # cut at a word, not rewritten
    card = json.loads(appearance["text"])
    assert card["type"] == "AdaptiveCard"
    assert card["actions"][0]["url"] == appearance["url"]


def test_citation_without_safe_url_has_no_link() -> None:
    claim = citation_claim(_citation(url="javascript:alert(1)"), sample_answer())
    assert "url" not in claim["appearance"]
    assert "actions" not in json.loads(claim["appearance"]["text"])


def test_keywords_are_the_jurisdiction_code_and_name() -> None:
    answer = sample_answer(jurisdiction_names={})
    assert citation_claim(answer.citations[0], answer)["appearance"]["keywords"] == ["US-CA"]
    named = sample_answer()
    assert citation_claim(named.citations[0], named)["appearance"]["keywords"] == [
        "US-CA",
        "California",
    ]


def test_render_answer_has_ai_label_citations_and_feedback() -> None:
    activity = render_answer(sample_answer())
    (entity,) = activity["entities"]
    assert entity["additionalType"] == ["AIGeneratedContent"]
    assert [c["position"] for c in entity["citation"]] == [1, 2]
    assert activity["channelData"] == {"feedbackLoop": {"type": "default"}}
    assert "[1]" in activity["text"] and "[2]" in activity["text"]


def test_render_answer_is_accepted_by_the_teams_sdk_unchanged() -> None:
    """The SDK model validates Teams' limits and serialises back to the same wire JSON."""
    activity = render_answer(sample_answer(citations=(_citation(quote=LONG_QUOTE),)))
    model = MessageActivityInput.model_validate(activity)
    assert model.model_dump(by_alias=True, exclude_none=True) == activity


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        (None, None),
        (
            SensitivityLabel("Confidential", "Legal research: do not forward"),
            {
                "@id": "reggi-sensitivity",
                "name": "Confidential",
                "description": "Legal research: do not forward",
            },
        ),
    ],
)
def test_sensitivity_label_is_on_every_citation_and_the_sdk_accepts_it(
    label: SensitivityLabel | None, expected: dict[str, str] | None
) -> None:
    activity = render_answer(sample_answer(), label=label)
    claims = activity["entities"][0]["citation"]
    assert [c["appearance"].get("usageInfo") for c in claims] == [expected] * len(claims)
    model = MessageActivityInput.model_validate(activity)
    assert model.model_dump(by_alias=True, exclude_none=True) == activity


def test_abstained_answer_renders_without_citations() -> None:
    answer = sample_answer(
        answer="The indexed regulations don't cover Texas.",
        citations=(),
        jurisdictions=(),
        abstained=True,
    )
    activity = render_answer(answer)
    assert "citation" not in activity["entities"][0]
    assert "Texas" in activity["text"]


@pytest.mark.parametrize(
    ("changes", "present", "absent"),
    [
        (
            {},
            ["**Jurisdictions:** California (US-CA)", "_Reggi quotes"],
            ["Nothing relevant"],
        ),
        (
            {
                "missing_jurisdictions": ("US-TX",),
                "jurisdiction_names": {"US-CA": "California", "US-TX": "Texas"},
            },
            ["_Nothing relevant was found in the index for: Texas._"],
            [],
        ),
        (
            {"cache_note": "answered an identical earlier question"},
            ["_answered an identical earlier question_"],
            [],
        ),
        (
            {"writer_note": "OpenAI was unavailable; quotes only."},
            ["_OpenAI was unavailable; quotes only._"],
            [],
        ),
        (
            {"answer": "Use <at>Everyone</at> & <b>bold</b>"},
            ["&lt;at&gt;Everyone&lt;/at&gt; &amp; &lt;b&gt;"],
            ["<at>"],
        ),
        ({"notice": ""}, [], ["not legal advice"]),
        (
            {
                "answer": "Both require notice.",
                "parts": (
                    Part("US-CA", "California", "Within 45 days [1]."),
                    Part("EU", "European Union", "Without undue delay [2]."),
                ),
            },
            [
                "Both require notice.",
                "**California**\n\nWithin 45 days [1].",
                "**European Union**",
            ],
            [],
        ),
        (
            {"parts": (Part("US-CA", "California", sample_answer().answer),)},
            [],
            ["**California**"],  # one part that repeats the summary is not shown twice
        ),
    ],
)
def test_answer_text(changes: dict, present: list[str], absent: list[str]) -> None:
    text = answer_text(sample_answer(**changes))
    for snippet in present:
        assert snippet in text
    for snippet in absent:
        assert snippet not in text


def test_full_quotes_lists_each_quote() -> None:
    text = answer_text(sample_answer(), full_quotes=True)
    assert "[1] Cal. Civ. Code § 1798.105(a): “A consumer shall have the right" in text
    assert "[2] Cal. Code Regs. tit. 11, § 7021:" in text
    assert "**Quoted sections**" not in answer_text(sample_answer())


def test_plain_messages() -> None:
    assert render_text("Fees & <b>") == {
        "type": "message",
        "textFormat": "markdown",
        "text": "Fees &amp; &lt;b&gt;",
    }
    assert "--jurisdiction" in render_help()["text"]
    assert "entities" not in render_help()
    assert typing() == {"type": "typing"}
    assert escape("a<b>&c") == "a&lt;b&gt;&amp;c"


# --- "Export as Word" and the file cards ----------------------------------------------------
EXPORT = {
    "type": "Action.Submit",
    "title": "Export as Word",
    "data": {"reggi": "export", "answerId": "ans-7"},
}


@pytest.mark.parametrize(
    ("with_table", "key", "expected"),
    [
        (False, None, []),  # no table, nothing kept: no card
        (False, "ans-7", [("hint", [EXPORT])]),  # the action on a card of its own
        (True, None, [("table", None)]),  # the table card alone
        (True, "ans-7", [("table", [EXPORT])]),  # the action on the table card
    ],
)
def test_answer_cards(with_table: bool, key: str | None, expected: list) -> None:
    table = ALL["extractive, several parts"]().table if with_table else None
    cards = answer_cards(table, key)
    assert [
        ("table" if c["body"][0]["text"] == "Comparison" else "hint", c.get("actions"))
        for c in cards
    ] == expected
    assert all(c["type"] == "AdaptiveCard" and c["version"] == "1.5" for c in cards)


@pytest.mark.parametrize(
    ("answer", "key", "attachments"),
    [
        (sample_answer(), None, 0),
        (sample_answer(), "ans-7", 1),
        (ALL["extractive, several parts"](), "ans-7", 1),  # one card: table and action
    ],
)
def test_render_answer_with_export_is_accepted_by_the_sdk(
    answer: Answer, key: str | None, attachments: int
) -> None:
    activity = render_answer(answer, export_key=key)
    assert len(activity.get("attachments", [])) == attachments
    for attachment in activity.get("attachments", []):
        assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    model = MessageActivityInput.model_validate(activity)
    assert model.model_dump(by_alias=True, exclude_none=True) == activity


@pytest.mark.parametrize(
    ("question", "description"),
    [
        ("Must we delete data?", "Word memo: Must we delete data?"),
        ("Why " * 100, None),  # a long question is cut at a word
    ],
)
def test_file_consent_card(question: str, description: str | None) -> None:
    activity = file_consent(key="ans-7", name="reggi-memo-ans-7.docx", size=1234, question=question)
    [attachment] = activity["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.teams.card.file.consent"
    assert attachment["name"] == "reggi-memo-ans-7.docx"
    content = attachment["content"]
    assert content["sizeInBytes"] == 1234
    assert content["acceptContext"] == content["declineContext"] == export_context("ans-7")
    assert len(content["description"]) <= len("Word memo: ") + DESCRIPTION_LIMIT
    if description:
        assert content["description"] == description
    else:
        assert content["description"].endswith("…")
    model = MessageActivityInput.model_validate(activity)
    assert model.model_dump(by_alias=True, exclude_none=True) == activity


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("reggi-memo-ans-7.docx", "**reggi-memo-ans-7.docx**"),
        ("a<b>&c.docx", "**a&lt;b&gt;&amp;c.docx**"),  # the name is escaped in the text
    ],
)
def test_file_info_card(name: str, text: str) -> None:
    activity = file_info(
        name=name, content_url="https://x.sharepoint.com/m.docx", unique_id="U1", file_type="docx"
    )
    assert activity["text"].endswith(text)
    assert activity["attachments"] == [
        {
            "contentType": "application/vnd.microsoft.teams.card.file.info",
            "contentUrl": "https://x.sharepoint.com/m.docx",
            "name": name,
            "content": {"uniqueId": "U1", "fileType": "docx"},
        }
    ]
    model = MessageActivityInput.model_validate(activity)
    assert model.model_dump(by_alias=True, exclude_none=True) == activity
