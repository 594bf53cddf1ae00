"""The leading-option grammar shared by the chat channels (Slack's `/reggi`, Teams messages).

`[--jurisdiction CA,MA | -j CA] [--quotes | -q] [--private | -p] question…`, or `help` / `-h` / `--help`.
A pure function over plain text: each channel first turns its own markup into plain text,
then words the result (help, the question, or a problem with the options) its own way.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

HELP_WORDS = frozenset({"help", "-h", "--help", "?", "usage"})
_JURISDICTION_FLAGS = {"--jurisdiction", "--jurisdictions", "-j"}
_QUOTES_FLAGS = {"--quotes", "-q"}
_PRIVATE_FLAGS = {"--private", "-p"}  # answer where only the asker sees it

ProblemKind = Literal["no_jurisdictions", "unknown_option", "no_question"]


@dataclass(frozen=True)
class Problem:
    """Why the options could not be read; each channel words it for its users."""

    kind: ProblemKind
    option: str = ""  # kind == "unknown_option": the option as the user typed it


@dataclass(frozen=True)
class Options:
    """The question and its options, or help, or a problem with the options."""

    question: str = ""  # "" when `help` or `problem` is set
    jurisdictions: tuple[str, ...] | None = None  # None = let the engine decide
    full_quotes: bool = False
    private: bool = False
    help: bool = False  # the user asked for help, or typed nothing to ask
    problem: Problem | None = None


def parse_options(text: str, *, help_words: Collection[str] = HELP_WORDS) -> Options:
    """Read leading options and the question from plain text.

    `help_words` are the lone words (compared in lower case) that ask for help.
    """
    tokens = text.split()
    if not tokens or (len(tokens) == 1 and tokens[0].lower() in help_words):
        return Options(help=True)
    jurisdictions: list[str] | None = None
    full_quotes = False
    private = False
    i = 0
    while i < len(tokens) and tokens[i].startswith("-"):
        flag, _, inline = tokens[i].partition("=")
        flag = flag.lower()
        i += 1
        if flag in _QUOTES_FLAGS and not inline:
            full_quotes = True
        elif flag in _PRIVATE_FLAGS and not inline:
            private = True
        elif flag in _JURISDICTION_FLAGS:
            value = inline
            if not value and i < len(tokens):
                value = tokens[i]
                i += 1
            while value.endswith(",") and i < len(tokens):
                value += tokens[i]
                i += 1
            codes = [c.strip() for c in value.split(",") if c.strip()]
            if not codes:
                return Options(problem=Problem("no_jurisdictions"))
            jurisdictions = (jurisdictions or []) + codes
        elif flag in ("-h", "--help"):
            return Options(help=True)
        else:
            return Options(problem=Problem("unknown_option", option=tokens[i - 1]))
    question = " ".join(tokens[i:])
    if not question:
        if jurisdictions is None and not full_quotes and not private:
            return Options(help=True)
        return Options(problem=Problem("no_question"))
    return Options(
        question=question,
        jurisdictions=tuple(dict.fromkeys(jurisdictions)) if jurisdictions is not None else None,
        full_quotes=full_quotes,
        private=private,
    )
