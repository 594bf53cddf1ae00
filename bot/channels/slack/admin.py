"""`/reggi config`: workspace admins set a channel's default jurisdictions, or refuse / allow
Reggi in it. Whether the user is an admin comes from Slack (`users.info`: `is_admin`,
`is_owner`, `is_primary_owner`), never from what they type."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.channels.slack.channel_settings import ChannelPolicies, ChannelPolicy
from bot.channels.slack.commands import ConfigRequest
from bot.errors import ADMINS_ONLY, SETTING_NOT_SAVED

log = logging.getLogger(__name__)

CONFIG_USAGE = (
    "`/reggi config` shows this channel's settings; "
    "`/reggi config jurisdictions EU,US-CA` sets its default jurisdictions "
    "(used unless a question names another place); `/reggi config refuse` stops Reggi answering "
    "here, `/reggi config allow` lets it answer again; `/reggi config clear` removes every setting."
)


def is_workspace_admin(client: WebClient, user: str) -> bool:
    """Whether Slack says `user` is a workspace admin or owner (False when it cannot tell)."""
    try:
        info = client.users_info(user=user).get("user") or {}
    except (SlackClientError, OSError) as exc:
        log.warning("could not look up whether %s is an admin: %s", user, exc)
        return False
    return bool(info.get("is_admin") or info.get("is_owner") or info.get("is_primary_owner"))


def describe(policy: ChannelPolicy, channel: str) -> str:
    """This channel's settings in one or two sentences."""
    where = "this channel"
    state = "Reggi does *not* answer" if policy.refused else "Reggi answers"
    scope = (
        f"Default jurisdictions: {', '.join(policy.jurisdictions)} "
        "(a question that names another place is answered for that place)."
        if policy.jurisdictions
        else "No default jurisdictions: each question decides."
    )
    return f"{state} in {where}. {scope}"


def apply_config(
    request: ConfigRequest,
    *,
    client: WebClient,
    policies: ChannelPolicies,
    team: str,
    channel: str,
    user: str,
) -> str:
    """Carry out `/reggi config …` and return what to tell the admin (privately)."""
    current = policies.get(team, channel)
    if request.action == "show":
        return f"{describe(current, channel)}\n{CONFIG_USAGE}"
    if request.action == "invalid":
        return CONFIG_USAGE
    if not is_workspace_admin(client, user):
        return ADMINS_ONLY
    if request.action == "jurisdictions":
        new = ChannelPolicy(jurisdictions=request.codes, refused=current.refused)
    elif request.action == "refuse":
        new = ChannelPolicy(jurisdictions=current.jurisdictions, refused=True)
    elif request.action == "allow":
        new = ChannelPolicy(jurisdictions=current.jurisdictions, refused=False)
    else:
        new = ChannelPolicy()
    if not policies.put(team, channel, new):
        return SETTING_NOT_SAVED
    log.info("Slack channel %s settings changed by %s: %s", channel, user, new)
    return f"Saved. {describe(new, channel)}"
