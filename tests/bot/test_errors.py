"""bot/errors.py is the one place where user-facing failure text is written.

The channel modules (bot/channels/**.py) only translate: an apology, refusal or usage error they
show comes from a constant or function in bot.errors. The scan below reads their source with
`ast` and fails on a string literal that words such a sentence itself.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bot import errors

ROOT = Path(__file__).resolve().parents[2]
CHANNELS = ROOT / "bot" / "channels"

# Words that mark a sentence telling a user something failed, was refused or must be retried.
FAILURE_WORDS = re.compile(
    r"\bsorry\b|\bcouldn['’]t\b|\bcould not\b|\bcan['’]t\b|\bcannot\b|\bnot allowed\b"
    r"|\bplease\b|\btry again\b|\bno longer\b|\bisn['’]t enabled\b|\bi don['’]t know\b"
    r"|^only\b.*\bcan\b|\bnot (?:be )?(?:saved|read|reached|found)\b|\bincomplete\b"
    r"|\bnothing relevant\b",
    re.IGNORECASE,
)
LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical", "log"}
# Errors whose message is detail for the operator's log; the user reads the class's `user_text`.
OPERATOR_DETAIL = {"NotAllowed", "RateLimited", "ServiceUnavailable"}


def _ignored(tree: ast.AST) -> set[int]:
    """Ids of string nodes that are not user text: docstrings, logging arguments and the
    operator detail of errors whose user text is fixed."""
    ignored: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
        ):
            ignored.add(id(body[0].value))
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in LOG_METHODS
        ):
            ignored.update(id(n) for arg in node.args for n in ast.walk(arg))
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in OPERATOR_DETAIL
        ):
            ignored.update(id(n) for arg in node.args for n in ast.walk(arg))
    return ignored


def failure_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string literal in `source` that words a failure for a user."""
    tree = ast.parse(source)
    ignored = _ignored(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in ignored
        and FAILURE_WORDS.search(node.value.strip())
    ]


def test_the_scan_finds_failure_text_and_ignores_docstrings_and_logs() -> None:
    source = '''
"""Module docstring: sorry, this could not fail."""
import logging
log = logging.getLogger(__name__)
NOTE = "Sorry — that went wrong."
def f(x):
    """Docstring: try again."""
    log.warning("could not do %s", x)
    return f"I don't know the option `{x}`."
OK = "Looking that up… only you will see the answer."
def g(team):
    raise NotAllowed(f"team {team} not allowed")
def h():
    raise BadQuestion("Please ask about a regulation.")
'''
    assert [line for line, _ in failure_literals(source)] == [5, 9, 14]


def test_channel_modules_take_failure_text_from_bot_errors() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in sorted(CHANNELS.rglob("*.py"))
        for line, text in failure_literals(path.read_text(encoding="utf-8"))
    ]
    assert not found, "user-facing failure text belongs in bot/errors.py:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("kind", "option", "help_hint", "expected"),
    [
        ("no_jurisdictions", "", False, "e.g. `--jurisdiction CA,MA`."),
        ("unknown_option", "--colour", False, "I don't know the option `--colour`."),
        ("unknown_option", "--colour", True, "`--colour`. Type `help` to see what works."),
        ("no_question", "", True, errors.NO_QUESTION_AFTER_OPTIONS),
    ],
)
def test_option_problem(kind: str, option: str, help_hint: bool, expected: str) -> None:
    text = errors.option_problem(kind, option, example="CA,MA", help_hint=help_hint)
    assert text.endswith(expected)


def test_user_message_never_shows_an_unexpected_exception() -> None:
    assert errors.user_message(RuntimeError("secret detail")) == errors.GENERIC
    assert errors.user_message(errors.NotAllowed("team T not allowed")) == errors.NOT_ALLOWED
    assert errors.user_message(errors.Busy(7)) == errors.BUSY.format(seconds=7)
