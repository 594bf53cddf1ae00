"""A Teams activity → what the user asked, or what they thought of an answer.

Pure functions over the activity's JSON (the Bot Framework wire shape, camelCase keys):
the bot's own @mention and an optional leading "reggi" are removed, Teams' HTML is turned
into plain text, and the leading options are read with the grammar shared with Slack
(`bot.channels.options`: `--jurisdiction CA,EU` / `-j CA`, `--quotes`, `help`).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from bot.channels import options as shared_options
from bot.channels.teams.render import EXPORT_ACTION
from bot.errors import BadQuestion, option_problem
from bot.ops.events import Vote

_HELP_WORDS = shared_options.HELP_WORDS | {"/help"}
_DASHES = str.maketrans({"\u2013": "--", "\u2014": "--"})  # Teams/Office autocorrect "--" → "–"/"—"
_TAG = re.compile(r"<[^>]+>")
_AT = re.compile(r"<at[^>]*>(.*?)</at>", re.IGNORECASE | re.DOTALL)
_LEADING_NAME = re.compile(r"^\s*@?reggi\b[\s,:;.!-]*", re.IGNORECASE)
_FEEDBACK_LIMIT = 2000

Kind = Literal["ignore", "help", "question", "invalid"]


@dataclass(frozen=True)
class Request:
    """What to do with one incoming message."""

    kind: Kind
    question: str = ""
    jurisdictions: tuple[str, ...] | None = None  # None = let the engine decide
    full_quotes: bool = False
    private: bool = False  # answer in the asker's 1:1 chat with Reggi
    problem: BadQuestion | None = None  # kind == "invalid": what to tell the user


@dataclass(frozen=True)
class Feedback:
    """A like/dislike (and optional text) submitted with Teams' feedback buttons."""

    vote: Vote
    reason: str
    message_id: str  # id of Reggi's message the feedback is about (the invoke's replyToId)


@dataclass(frozen=True)
class Consent:
    """The user's answer to a file consent card (`fileConsent/invoke`)."""

    accepted: bool
    key: str  # of the kept answer, from the card's accept/decline context
    upload_url: str = ""  # accepted: where to PUT the file's bytes
    content_url: str = ""  # accepted: the file in the user's OneDrive
    name: str = ""
    unique_id: str = ""
    file_type: str = ""


def _get(mapping: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(mapping, Mapping):
            return None
        mapping = mapping.get(key)
    return mapping


def conversation_type(activity: Mapping[str, Any]) -> str:
    """ "personal", "groupChat" or "channel" ("personal" when Teams does not say)."""
    return str(_get(activity, "conversation", "conversationType") or "personal")


def mentions_bot(activity: Mapping[str, Any]) -> bool:
    """Whether the message @mentions the bot that receives it."""
    bot_id = _get(activity, "recipient", "id")
    return bool(bot_id) and any(
        isinstance(e, Mapping)
        and e.get("type") == "mention"
        and _get(e, "mentioned", "id") == bot_id
        for e in activity.get("entities") or ()
    )


def plain_text(activity: Mapping[str, Any]) -> str:
    """The message text as the user typed it, without the bot's own @mention.

    Other people's mentions keep their names (`<at>Ann</at>` → `Ann`); Teams' HTML tags and
    entities (`&nbsp;`, `&amp;`) become plain characters.
    """
    text = str(activity.get("text") or "")
    bot_id = _get(activity, "recipient", "id")
    for entity in activity.get("entities") or ():
        if (
            isinstance(entity, Mapping)
            and entity.get("type") == "mention"
            and _get(entity, "mentioned", "id") == bot_id
            and entity.get("text")
        ):
            text = text.replace(str(entity["text"]), " ")
    text = _AT.sub(lambda m: m.group(1), text)
    text = _TAG.sub(" ", text)
    text = html.unescape(text).replace("\xa0", " ")
    return " ".join(text.split())


def parse_options(text: str) -> Request:
    """Read leading options and the question from plain text (the grammar of Slack's `/reggi`)."""
    options = shared_options.parse_options(text.translate(_DASHES), help_words=_HELP_WORDS)
    if options.problem is not None:
        return Request(kind="invalid", problem=BadQuestion(_problem_text(options.problem)))
    if options.help:
        return Request(kind="help")
    return Request(
        kind="question",
        question=options.question,
        jurisdictions=options.jurisdictions,
        full_quotes=options.full_quotes,
        private=options.private,
    )


def _problem_text(problem: shared_options.Problem) -> str:
    return option_problem(problem.kind, problem.option, example="CA,EU", help_hint=True)


def parse_message(activity: Mapping[str, Any]) -> Request:
    """Decide what an incoming message asks for.

    In channels and group chats only messages that @mention the bot count; in a 1:1 chat every
    message does, and a leading "reggi" is optional. Messages from other bots and card
    submissions (no text) are ignored.
    """
    if activity.get("type") != "message" or _get(activity, "from", "role") == "bot":
        return Request(kind="ignore")
    if conversation_type(activity) != "personal" and not mentions_bot(activity):
        return Request(kind="ignore")
    if not str(activity.get("text") or "").strip() and activity.get("value") is not None:
        return Request(kind="ignore")
    text = _LEADING_NAME.sub("", plain_text(activity), count=1)
    return parse_options(text)


def reply_conversation_id(activity: Mapping[str, Any]) -> str:
    """The conversation id to answer in: for a channel post, its thread.

    Teams already puts `;messageid=<thread root>` on channel conversation ids; when it is
    missing, the thread of this very message is used.
    """
    conversation_id = str(_get(activity, "conversation", "id") or "")
    activity_id = str(activity.get("id") or "")
    if (
        conversation_type(activity) == "channel"
        and ";messageid=" not in conversation_id
        and activity_id.isdigit()
        and activity_id != "0"
    ):
        return f"{conversation_id.split(';')[0]};messageid={activity_id}"
    return conversation_id


def user_key(activity: Mapping[str, Any]) -> str:
    """A stable id of the sender (the Entra object id when Teams gives it)."""
    sender = activity.get("from") or {}
    return "teams:" + str(sender.get("aadObjectId") or sender.get("id") or "unknown")


def tenant_id(activity: Mapping[str, Any]) -> str:
    """The sender's Microsoft 365 tenant (the organisation), or ""."""
    return str(
        _get(activity, "conversation", "tenantId")
        or _get(activity, "channelData", "tenant", "id")
        or ""
    )


def dedupe_key(activity: Mapping[str, Any]) -> str | None:
    """The key under which an activity counts as already handled (None: no id to go by)."""
    activity_id = activity.get("id")
    if not activity_id:
        return None
    conversation_id = str(_get(activity, "conversation", "id") or "").split(";")[0]
    return f"teams:activity:{conversation_id}:{activity_id}"


def parse_feedback(activity: Mapping[str, Any]) -> Feedback | None:
    """A `message/submitAction` feedback invoke → the vote and text, or None if it is not one."""
    if activity.get("type") != "invoke" or activity.get("name") != "message/submitAction":
        return None
    value = activity.get("value")
    if not isinstance(value, Mapping) or value.get("actionName", "feedback") != "feedback":
        return None
    action = value.get("actionValue")
    if not isinstance(action, Mapping):
        return None
    vote: Vote | None = {"like": "up", "dislike": "down"}.get(str(action.get("reaction")))  # type: ignore[assignment]
    if vote is None:
        return None
    return Feedback(
        vote=vote,
        reason=_feedback_text(action.get("feedback")),
        message_id=str(activity.get("replyToId") or ""),
    )


def _feedback_text(raw: Any) -> str:
    """Teams sends the typed text as a JSON string `{"feedbackText": "…"}`."""
    text: Any = raw
    if isinstance(raw, str):
        try:
            text = json.loads(raw) if raw.strip().startswith("{") else raw
        except ValueError:
            text = raw
    if isinstance(text, Mapping):
        text = text.get("feedbackText", "")
    return " ".join(str(text or "").split())[:_FEEDBACK_LIMIT]


def is_thread_reply(activity: Mapping[str, Any]) -> bool:
    """Whether the message replies in a channel thread (not the thread's first post)."""
    conversation_id = str(_get(activity, "conversation", "id") or "")
    root = conversation_id.partition(";messageid=")[2]
    return (
        conversation_type(activity) == "channel"
        and bool(root)
        and root != str(activity.get("id") or "")
    )


def _export_key(data: Any) -> str | None:
    if not isinstance(data, Mapping) or data.get("reggi") != EXPORT_ACTION:
        return None
    return str(data.get("answerId") or "")


def export_request(activity: Mapping[str, Any]) -> str | None:
    """The answer key of an "Export as Word" click (a card submission: a message activity
    whose `value` is the action's data), or None when the activity is something else."""
    if activity.get("type") != "message" or _get(activity, "from", "role") == "bot":
        return None
    return _export_key(activity.get("value"))


def parse_consent(activity: Mapping[str, Any]) -> Consent | None:
    """A `fileConsent/invoke` for one of Reggi's memos → accept (with where to upload) or
    decline; None for any other activity or a consent card that is not Reggi's memo."""
    if activity.get("type") != "invoke" or activity.get("name") != "fileConsent/invoke":
        return None
    value = activity.get("value")
    if not isinstance(value, Mapping):
        return None
    key = _export_key(value.get("context"))
    if key is None:
        return None
    if value.get("action") != "accept":
        return Consent(accepted=False, key=key)
    upload = value.get("uploadInfo")
    upload = upload if isinstance(upload, Mapping) else {}
    return Consent(
        accepted=True,
        key=key,
        upload_url=str(upload.get("uploadUrl") or ""),
        content_url=str(upload.get("contentUrl") or ""),
        name=str(upload.get("name") or ""),
        unique_id=str(upload.get("uniqueId") or ""),
        file_type=str(upload.get("fileType") or ""),
    )
