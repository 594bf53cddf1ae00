"""The leading-option grammar shared by Slack and Teams (`bot.channels.options`)."""

from __future__ import annotations

import pytest

from bot.channels.options import HELP_WORDS, Options, Problem, parse_options


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Options(help=True)),
        ("   ", Options(help=True)),
        ("help", Options(help=True)),
        ("HELP", Options(help=True)),
        ("--help", Options(help=True)),
        ("help me with GDPR erasure", Options(question="help me with GDPR erasure")),
        ("What is a sale?", Options(question="What is a sale?")),
        (
            "--jurisdiction CA,MA When?",
            Options(question="When?", jurisdictions=("CA", "MA")),
        ),
        (
            "--jurisdiction=CA,MA When?",
            Options(question="When?", jurisdictions=("CA", "MA")),
        ),
        ("--jurisdiction CA,EU When?", Options(question="When?", jurisdictions=("CA", "EU"))),
        ("--jurisdiction=CA When?", Options(question="When?", jurisdictions=("CA",))),
        ("-j CA, MA When?", Options(question="When?", jurisdictions=("CA", "MA"))),
        ("-j CA, EU When?", Options(question="When?", jurisdictions=("CA", "EU"))),
        ("-j CA -j EU,CA When?", Options(question="When?", jurisdictions=("CA", "EU"))),
        ("-j CA -j CA,MA When?", Options(question="When?", jurisdictions=("CA", "MA"))),
        (
            "--jurisdictions US-CA When?",
            Options(question="When?", jurisdictions=("US-CA",)),
        ),
        ("--quotes When?", Options(question="When?", full_quotes=True)),
        (
            "--quotes -j EU Erasure?",
            Options(question="Erasure?", jurisdictions=("EU",), full_quotes=True),
        ),
        (
            "Is --jurisdiction a flag here?",
            Options(question="Is --jurisdiction a flag here?"),
        ),
        ("When? --jurisdiction CA", Options(question="When? --jurisdiction CA")),
    ],
)
def test_parse_options(text: str, expected: Options) -> None:
    assert parse_options(text) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("--jurisdiction", Problem("no_jurisdictions")),
        ("--jurisdiction ,", Problem("no_jurisdictions")),
        ("--jurisdiction CA", Problem("no_question")),
        ("--colour red What?", Problem("unknown_option", option="--colour")),
        ("--frobnicate When?", Problem("unknown_option", option="--frobnicate")),
    ],
)
def test_bad_options_come_back_as_a_problem(text: str, problem: Problem) -> None:
    assert parse_options(text) == Options(problem=problem)


def test_help_words_can_be_extended() -> None:
    assert parse_options("/help") == Options(question="/help")
    assert parse_options("/help", help_words=HELP_WORDS | {"/help"}) == Options(help=True)
    assert parse_options("/HELP", help_words=HELP_WORDS | {"/help"}) == Options(help=True)
