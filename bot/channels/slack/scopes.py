"""Every Web API method and event the Slack app uses, and the bot scopes each needs.

`tests/bot/channels/slack/test_manifest.py` checks `deploy/slack-manifest*.yml` against these,
and the end-to-end tests check that every method the app calls is listed here.
"""

from __future__ import annotations

_HISTORY = frozenset({"channels:history", "groups:history", "im:history", "mpim:history"})
_ASSISTANT = frozenset({"assistant:write"})

SCOPES_BY_METHOD: dict[str, frozenset[str]] = {
    "auth.test": frozenset(),
    "chat.postMessage": frozenset({"chat:write"}),  # answers, notices, shared answers
    "chat.postEphemeral": frozenset({"chat:write"}),  # refusals, thanks, --private answers
    "chat.update": frozenset({"chat:write"}),  # a streamed answer replaced by the checked one
    "chat.startStream": frozenset({"chat:write"}),  # streaming a model writer's answer
    "chat.appendStream": frozenset({"chat:write"}),
    "chat.stopStream": frozenset({"chat:write"}),
    "files.getUploadURLExternal": frozenset({"files:write"}),  # "Export to Word"
    "files.completeUploadExternal": frozenset({"files:write"}),
    "reactions.add": frozenset({"reactions:write"}),  # the ⏳ progress marker
    "reactions.remove": frozenset({"reactions:write"}),
    "conversations.replies": _HISTORY,  # follow-ups in threads
    "conversations.history": frozenset({"im:history"}),  # follow-ups in DMs
    "views.open": frozenset(),  # the 👎 reason dialog
    "views.publish": frozenset(),  # the App Home tab
    "users.info": frozenset({"users:read"}),  # is the user of `/reggi config` an admin?
    "assistant.threads.setStatus": _ASSISTANT,  # "Reading European Union Art. 33…"
    "assistant.threads.setTitle": _ASSISTANT,
    "assistant.threads.setSuggestedPrompts": _ASSISTANT,
}
# Events the app subscribes to, and the scope each needs ("" = none beyond the app itself).
SCOPES_BY_EVENT: dict[str, str] = {
    "app_mention": "app_mentions:read",
    "message.im": "im:history",
    "app_home_opened": "",
    "assistant_thread_started": "assistant:write",
    "assistant_thread_context_changed": "assistant:write",
}
COMMAND_SCOPE = "commands"  # `/reggi` and the message shortcut


def required_bot_scopes() -> frozenset[str]:
    """The bot scopes the app's features use (the manifest must list exactly these)."""
    scopes = set().union(*SCOPES_BY_METHOD.values())
    events = {scope for scope in SCOPES_BY_EVENT.values() if scope}
    return frozenset(scopes | events | {COMMAND_SCOPE})
