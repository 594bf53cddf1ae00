"""The small error tree, and the one place where an error becomes text a user reads.

Every sentence a person reads when Reggi refuses or fails is written here, so a change of
wording (or a translation) touches one file. The detail for the operator goes to the log,
never to the user.

ReggiError
├── BadQuestion          the question cannot be answered as asked
├── NotAllowed           the requester is not on an allowlist (Slack)
├── RateLimited          too many questions in a minute
├── Busy                 too many questions waiting for the engine (HTTP 503, retry hint)
├── BadRequest           an HTTP request the API refuses (status + sentence)
├── ServiceUnavailable   Qdrant, Redis or the OpenAI endpoint failed
├── ConfigError          settings missing or invalid (start-up)
└── IndexMismatch        the index was built with another embedding model
"""

from __future__ import annotations

# --- sentences a user reads ------------------------------------------------------------------
GENERIC = "Sorry — something went wrong while answering. The operator has the details."
NOT_ALLOWED = (
    "Sorry — Reggi isn't enabled for you here. Ask your Reggi administrator if you need access."
)
RATE_LIMITED = (
    "You have asked several questions in a short time. Please wait a minute and ask again."
)
QDRANT_DOWN = "Sorry — I couldn't reach the regulation index just now. Try again in a minute."
INDEX_UNUSABLE = (
    "The regulation index is empty or was built differently. "
    "Ask your operator to run the ingestion again."
)
SERVICE_DOWN = "Sorry — a service I depend on is unavailable just now. Try again in a minute."

# Web page and API (bot.channels.web).
UNAUTHORIZED = (
    "This Reggi server needs its access token. Open the link your operator gave you, "
    "or send the header Authorization: Bearer <token>."
)
NEEDS_LINK = (
    "This page needs an access link. Open the link your operator gave you "
    "(it ends in <code>?token=…</code>)."
)
WRONG_LINK = "That access link is not valid. Ask your operator for the current link."
COVERAGE_UNAVAILABLE = "Sorry — I couldn't read which jurisdictions the index covers just now."
TOO_LARGE = "The request is too large. Send a shorter question."
NOT_JSON_TYPE = "Send the request as JSON (Content-Type: application/json)."
NOT_JSON = 'The request body is not valid JSON. Send {"question": "…"}.'
TOO_NESTED = 'The request body is nested too deeply. Send {"question": "…"}.'
NOT_OBJECT = 'The request body must be a JSON object, like {"question": "…"}.'
BAD_JURISDICTIONS = '"jurisdictions" must be a list of jurisdiction codes, like ["US-CA", "EU"].'
TOO_MANY_JURISDICTIONS = "Choose at most {limit} jurisdictions."
BAD_HISTORY = '"history" must be a list of earlier turns, like [{"question": "…", "answer": "…"}].'
NO_QUESTION = 'Send a question: {"question": "…"}.'
QUESTION_NOT_TEXT = '"question" must be text.'
EMPTY_QUESTION = "Type a question first."
BAD_ANSWER_ID = '"answer_id" must be the id of the answer you are rating.'
BAD_VOTE = '"vote" must be "up" or "down".'
REASON_NOT_TEXT = '"reason" must be text.'
REASON_TOO_LONG = "Keep the reason under {limit} characters."
NOT_AN_ANSWER = (
    "That is not an answer this Reggi server can export. Ask the question again, then export."
)
EXPORT_GONE = (
    "This answer can no longer be exported (it is kept for a day). Ask again to get a fresh one."
)
BAD_EXPORT_FORMAT = 'Choose format "docx" or "text".'
NOT_FOUND = "There is nothing at this address."
METHOD_NOT_ALLOWED = "This address does not accept {method} requests."
BUSY = "Reggi is answering many questions right now. Please ask again in about {seconds} seconds."

# Teams endpoint.
NOT_AN_ACTIVITY = "The request body must be a JSON activity."

# Chat channels (bot.channels.slack, bot.channels.teams).
NO_JURISDICTIONS_NAMED = (
    "Name the jurisdictions after --jurisdiction, e.g. `--jurisdiction {example}`."
)
UNKNOWN_OPTION = "I don't know the option `{option}`."
HELP_HINT = "Type `help` to see what works."
NO_QUESTION_AFTER_OPTIONS = "Please add your question after the options."
PRIVATE_NOTE = "I've sent the answer to your 1:1 chat with me, where only you can see it."

# Teams' "Export as Word" (bot.channels.teams.export): files go only through a 1:1 chat.
EXPORT_PERSONAL_ONLY = (
    "Teams lets Reggi send files only in a 1:1 chat. Ask the question in your 1:1 chat with "
    "Reggi and use “Export as Word” there, or use “Download as Word” on Reggi's web page."
)
EXPORT_DECLINED = "OK — nothing was uploaded: the Word memo was not saved to your OneDrive."
EXPORT_UPLOAD_FAILED = (
    "Sorry — the Word memo could not be saved to your OneDrive just now. Try “Export as Word” "
    "again in a minute, or use “Download as Word” on Reggi's web page."
)

# Slack.
NO_MESSAGE_TEXT = "That message has no text Reggi can read. Pick a message with a question in it."
ADMINS_ONLY = "Only workspace admins and owners can change Reggi's settings for a channel."
SETTING_NOT_SAVED = "Sorry — the setting could not be saved just now. Try again in a minute."
SHARE_GONE = (
    "This answer can no longer be shared (it is kept for a day). Ask again to get a fresh one."
)
HOME_COVERAGE_UNAVAILABLE = "The index coverage could not be read just now."
INDEX_EMPTY = "The index is empty: ask your operator to ingest."

# Questions the engine will not look up (bot.engine.query).
QUESTION_EXAMPLE = (
    "for example: “What must a business tell consumers when it collects personal information "
    "in California?”"
)
NO_QUESTION_TYPED = f"Please type a question about a regulation — {QUESTION_EXAMPLE}"
ONLY_A_GREETING = f"Hello! Ask me about a regulation — {QUESTION_EXAMPLE}"
NOT_ABOUT_LAW = (
    "I can only answer questions about the regulations in my index (privacy, data "
    f"security, breach notification, health information, marketing e-mail) — {QUESTION_EXAMPLE}"
)
QUESTION_TOO_LONG = (
    "That question is {length:,} characters long; please keep it under "
    "{limit:,} characters and ask about one topic at a time."
)

# Notes under an answer when the model writer could not be used or trusted (bot.engine.writers).
WRITER_FALLBACK = (
    "The AI writer could not be used just now, so this answer quotes the sources directly."
)
WRITER_UNVERIFIED = (
    "The AI writer's reply could not be checked against the sources, so this answer quotes "
    "the sources directly."
)
WRITER_SHORT_FAILED = (
    "The AI writer's short answer could not be checked against the sources, so this answer "
    "quotes the sources directly."
)

# What an answer could not cover (bot.channels.layout, shared by every channel).
NOTHING_FOUND_FOR = "Nothing relevant was found in the index for: {names}."
INCOMPLETE = "the indexed text of this instrument is incomplete"
SOME_INCOMPLETE = "Some indexed texts are incomplete: see the sources."

# Why (part of) a question is declined: not answerable from the index (bot.engine.plan).
NOT_COVERED = "The indexed regulations don't cover this question."
NOT_COVERED_FOR = "The indexed regulations don't cover this question for {places}."
OTHER_FIELD = (
    "The indexed regulations don't cover this question: it turns on {field}, "
    "and the index holds privacy, data-security and marketing-e-mail law only."
)
NO_SUCH_SECTION = (
    "The indexed regulations don't include {section}: no indexed instrument has that section."
)
SECTION_NOT_INDEXED = (
    "{section} of {instrument} is not in the indexed text, which is incomplete: {why}"
)
SUBDIVISION_NOT_INDEXED = (
    "{instrument} {section} is not in the indexed text, which is incomplete: {why}"
)
PART_NOT_INDEXED = (
    "{section} of {instrument} ({what}) is not in the indexed text, which is incomplete: {why}"
)
CHANGE_NOT_INDEXED = "The indexed text of {instrument} does not reflect that change: {why}"
NO_SUCH_UNIT = "{instrument} has no {section} (it has {span})."
NAMED_OFF_TOPIC = (
    "{sections}, which the question names, may not be the provision this is about; the "
    "sections closest to the question are cited as well."
)


def sentences_removed(count: int) -> str:
    """The note under a model-written answer some of whose sentences failed the checks."""
    what, verb = ("1 sentence", "was") if count == 1 else (f"{count} sentences", "were")
    return (
        f"{what} of the AI-written answer could not be checked against the cited sources "
        f"and {verb} removed."
    )


def option_problem(kind: str, option: str = "", *, example: str, help_hint: bool = False) -> str:
    """The sentence for options that could not be read (`bot.channels.options.Problem.kind`).

    `example` is the jurisdiction list shown after `--jurisdiction`; `help_hint` adds where to
    look (Teams, whose help is a word typed in the chat).
    """
    if kind == "no_jurisdictions":
        return NO_JURISDICTIONS_NAMED.format(example=example)
    if kind == "unknown_option":
        text = UNKNOWN_OPTION.format(option=option)
        return f"{text} {HELP_HINT}" if help_hint else text
    return NO_QUESTION_AFTER_OPTIONS


class ReggiError(Exception):
    """Base of every error Reggi raises on purpose."""

    user_text = GENERIC


class BadQuestion(ReggiError):
    """The question cannot be answered as asked (empty, too long, a greeting, not about law)."""

    def __init__(self, user_text: str) -> None:
        super().__init__(user_text)
        self.user_text = user_text


class NotAllowed(ReggiError):
    """The workspace, channel or user is not on the configured allowlist."""

    user_text = NOT_ALLOWED


class RateLimited(ReggiError):
    """A user asked more questions in a minute than the rate limit allows."""

    user_text = RATE_LIMITED


class Busy(ReggiError):
    """More questions are waiting for the engine than the queue allows; ask again later."""

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(f"queue full; retry after {retry_after_seconds} s")
        self.retry_after_seconds = retry_after_seconds
        self.user_text = BUSY.format(seconds=retry_after_seconds)


class BadRequest(ReggiError):
    """An HTTP request the API refuses: the status and the sentence shown to the caller."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.user_text = message


class ServiceUnavailable(ReggiError):
    """A service Reggi depends on (Qdrant, Redis, the OpenAI endpoint) failed."""

    def __init__(self, service: str, detail: str = "") -> None:
        super().__init__(f"{service} unavailable: {detail}" if detail else f"{service} unavailable")
        self.service = service
        self.detail = detail

    @property
    def user_text(self) -> str:  # type: ignore[override]
        return {"qdrant": QDRANT_DOWN, "index": INDEX_UNUSABLE}.get(self.service, SERVICE_DOWN)


class ConfigError(ReggiError):
    """Settings are missing or invalid; raised at start-up, naming the key."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.user_text = message


class IndexMismatch(ReggiError):
    """The collection was built with another embedding model than the one configured."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.user_text = message


class IndexBusy(ReggiError):
    """Another process holds the embedded index folder (only one process may open it)."""

    def __init__(self, folder: str, holder: str = "") -> None:
        who = f" ({holder})" if holder else ""
        message = (
            f"The index folder {folder} is in use by another process{who}. Wait for it to "
            "finish or stop it, then try again; or set QDRANT_URL so that several processes "
            "share one Qdrant server."
        )
        super().__init__(message)
        self.user_text = message


class HeldByServer(ReggiError):
    """The running server holds the index folder and could not do the work sent to it."""

    def __init__(self, folder: str, url: str, detail: str) -> None:
        message = (
            f"The Reggi server at {url} holds the index folder {folder} and could not take "
            f"this ({detail}): stop the server (Ctrl-C) and run the command again, or use a "
            "Qdrant server (QDRANT_URL) that several processes can share."
        )
        super().__init__(message)
        self.user_text = message


def user_message(exc: BaseException) -> str:
    """The text a user sees for any exception: never a stack trace, never internals."""
    if isinstance(exc, ReggiError):
        return exc.user_text
    return GENERIC
