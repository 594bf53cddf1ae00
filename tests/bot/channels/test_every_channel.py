"""Every channel renders every piece of `layout()`: 0, 1 and several parts, each writer."""

import json

import pytest

from bot.channels import cli
from bot.channels.layout import layout
from bot.channels.slack import render as slack
from bot.channels.teams import render as teams
from tests.bot.answers import ALL


def _slack(answer):
    return json.dumps([m.as_kwargs() for m in slack.render_answer(answer)], ensure_ascii=False)


def _teams(answer):
    return json.dumps(teams.render_answer(answer), ensure_ascii=False)


def _norm(text: str) -> str:
    return json.dumps(slack.escape(text), ensure_ascii=False)[1:-1]


@pytest.mark.parametrize("make", list(ALL.values()), ids=list(ALL))
@pytest.mark.parametrize("channel", ["slack", "teams", "cli"])
def test_short_answer_detail_table_and_as_of_are_shown(make, channel):
    answer = make()
    view = layout(answer)
    rendered = {"slack": _slack, "teams": _teams, "cli": cli.render_text}[channel](answer)
    if channel == "cli":
        expected = [p.text for p in (*view.short, *view.details)] + [view.footer]
        present = all(t in rendered for t in expected)
    else:
        expected = [p.text for p in (*view.short, *view.details)] + [view.footer]
        present = all(_norm(t) in rendered for t in expected)
    assert present, (channel, expected)
    assert view.short or view.details
    if answer.table is not None:
        for row in answer.table.rows:
            assert row.name in rendered


def test_slack_table_block_and_monospace_fallback():
    answer = ALL["extractive, several parts"]()
    [message] = slack.render_answer(answer)
    table = next(b for b in message.blocks if b["type"] == "table")
    assert [c["text"] for c in table["rows"][0]] == [
        "Jurisdiction", "Rule", "Deadline (as written)", "Who it binds", "Pinpoint",
    ]  # fmt: skip
    assert table["rows"][2][2]["text"] == "60 calendar days"
    types = [b["type"] for b in message.blocks]
    assert types.index("table") < types.index("divider")  # before the sources
    [plain] = slack.render_answer(answer, table_block=False)
    assert "table" not in [b["type"] for b in plain.blocks]
    code = next(
        b["text"]["text"]
        for b in plain.blocks
        if b["type"] == "section" and "```" in b["text"]["text"]
    )
    assert "Jurisdiction" in code and "California" in code and "---" in code


def test_teams_table_is_an_adaptive_card_table():
    activity = teams.render_answer(ALL["extractive, several parts"]())
    [attachment] = activity["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    table = attachment["content"]["body"][1]
    assert table["type"] == "Table" and table["firstRowAsHeaders"] is True
    assert len(table["rows"]) == 3 and len(table["columns"]) == 5
    cell = table["rows"][2]["cells"][2]["items"][0]["text"]
    assert cell == "60 calendar days"
    assert "attachments" not in teams.render_answer(ALL["openai, one part"]())


def test_footnotes_carry_their_as_of_date_and_incompleteness():
    answer = ALL["extractive, several parts"]()
    blob = _slack(answer)
    assert (
        "as of 26 March 2013 · indexed 1 December 2026 · the indexed text of this instrument is incomplete"
        in blob
    )
    card = json.loads(
        teams.render_answer(answer)["entities"][0]["citation"][1]["appearance"]["text"]
    )
    assert any("as of 26 March 2013" in b["text"] for b in card["body"])
