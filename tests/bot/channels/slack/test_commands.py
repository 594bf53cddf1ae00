import pytest

from bot.channels.slack.commands import (
    Request,
    parse_request,
    plain_text,
    strip_mention,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Request(help=True)),
        ("help", Request(help=True)),
        ("/help", Request(question="/help")),  # "/help" asks for help in Teams only
        ("What is a sale?", Request(question="What is a sale?")),
        (
            "--quotes -j EU Erasure?",
            Request(question="Erasure?", jurisdictions=("EU",), full_quotes=True),
        ),
    ],
)
def test_parse_request(text, expected):
    """The grammar is tested in tests/bot/channels/test_options.py; this is Slack's reading."""
    assert parse_request(text) == expected


@pytest.mark.parametrize(
    ("text", "problem_part"),
    [
        ("--jurisdiction", "Name the jurisdictions"),
        ("--jurisdiction ,", "Name the jurisdictions"),
        ("--jurisdiction CA", "add your question"),
        ("--colour red What?", "`--colour`"),
    ],
)
def test_bad_options_come_back_as_help_with_a_problem(text, problem_part):
    request = parse_request(text)
    assert request.help
    assert problem_part in request.problem
    assert (request.question, request.jurisdictions, request.full_quotes) == ("", None, False)


@pytest.mark.parametrize(
    ("slack", "plain"),
    [
        ("<@U1ABC> hi", "@U1ABC hi"),
        ("<@U1ABC|ann> hi", "@ann hi"),
        ("<!channel> now", "@channel now"),
        ("<!here|here> now", "@here now"),
        ("<!subteam^S1|@legal> now", "@legal now"),
        ("see <https://evil.example|click>", "see click (https://evil.example)"),
        ("see <https://x.example>", "see https://x.example"),
        ("in <#C1|legal>", "in #legal"),
        ("a &amp; b &lt;c&gt;", "a & b <c>"),
        ("&lt;!channel&gt;", "<!channel>"),
        ("  many \n spaces ", "many spaces"),
    ],
)
def test_plain_text(slack, plain):
    assert plain_text(slack) == plain


@pytest.mark.parametrize(
    ("text", "bot", "expected"),
    [
        ("<@UBOT> what?", "UBOT", "  what?"),
        ("<@UBOT|reggi> what <@UOTHER>?", "UBOT", "  what <@UOTHER>?"),
        ("<@UBOT> what?", None, "<@UBOT> what?"),
    ],
)
def test_strip_mention(text, bot, expected):
    assert strip_mention(text, bot) == expected
