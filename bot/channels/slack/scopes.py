"""Every Web API method and event the Slack app uses, and the bot scopes each needs.

`tests/bot/channels/slack/test_manifest.py` checks `deploy/slack-manifest.yml` against these,
and the end-to-end tests check that every method the app calls is listed here.
"""

from __future__ import annotations

SCOPES_BY_METHOD: dict[str, frozenset[str]] = {
    "auth.test": frozenset(),
    "chat.postMessage": frozenset({"chat:write"}),
    "chat.postEphemeral": frozenset({"chat:write"}),
    "reactions.add": frozenset({"reactions:write"}),
    "reactions.remove": frozenset({"reactions:write"}),
    "conversations.replies": frozenset(
        {"channels:history", "groups:history", "im:history", "mpim:history"}
    ),
    "conversations.history": frozenset({"im:history"}),
    "views.open": frozenset(),
}
# Events the app subscribes to, and the scope each needs.
SCOPES_BY_EVENT: dict[str, str] = {
    "app_mention": "app_mentions:read",
    "message.im": "im:history",
}
COMMAND_SCOPE = "commands"


def required_bot_scopes() -> frozenset[str]:
    """The bot scopes the app's features use (the manifest must list exactly these)."""
    scopes = set().union(*SCOPES_BY_METHOD.values())
    return frozenset(scopes | set(SCOPES_BY_EVENT.values()) | {COMMAND_SCOPE})
