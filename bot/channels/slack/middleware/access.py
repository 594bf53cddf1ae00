"""Who may ask: workspace, channel and user allowlists, checked before any listener runs.

A refused slash command is acknowledged with the refusal (only its user sees it); a refused
@mention gets an ephemeral note in its thread, a refused DM a reply in the DM. Button clicks,
dialogs and anything Reggi would not answer anyway pass through.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.channels.slack.access import Allowlists, NotAllowed, Requester, check_access
from bot.channels.slack.channel_settings import ChannelPolicies
from bot.channels.slack.commands import answerable, parse_config, plain_text
from bot.channels.slack.poster import Place, post_notice, post_private
from bot.channels.slack.render import render_text
from bot.conversation import Asker, Conversation

log = logging.getLogger(__name__)


class AccessCheck(Middleware):
    """Refuses requesters outside the allowlists (empty allowlists = everyone)."""

    def __init__(
        self,
        *,
        conversation: Conversation,
        allowlists: Allowlists,
        policies: ChannelPolicies,
        work: Executor,
    ) -> None:
        self._conversation = conversation
        self._allowlists = allowlists
        self._policies = policies
        self._work = work

    def process(
        self,
        *,
        req: BoltRequest,
        resp: BoltResponse,
        next: Callable[[], BoltResponse],
    ) -> BoltResponse | None:
        body = req.body
        requester = requester_of(body, req.context.bot_user_id)
        if requester is None:
            return next()
        configuring = bool(body.get("command")) and parse_config(
            plain_text(str(body.get("text") or ""))
        )

        def check(_: Asker) -> None:
            check_access(
                requester,
                teams=self._allowlists.teams,
                channels=self._allowlists.channels,
                users=self._allowlists.users,
            )
            if not configuring and self._policies.get(requester.team, requester.channel).refused:
                raise NotAllowed(f"channel {requester.channel} refused by an admin")

        refusal = self._conversation.not_allowed(
            Asker(user=requester.user, team=requester.team), check
        )
        if refusal is None:
            return next()
        if body.get("command"):
            return BoltResponse(status=200, body=render_text(refusal).as_kwargs())
        if body.get("type") == "message_action":
            self._work.submit(_respond, body.get("response_url") or "", refusal)
            return BoltResponse(status=200, body="")
        event = body["event"]
        client = req.context.client
        assert client is not None
        self._work.submit(_tell, client, event, requester.user, refusal)
        return BoltResponse(status=200, body="")


def requester_of(body: dict[str, Any], bot_user_id: str | None) -> Requester | None:
    """Who is asking, for a slash command, an @mention or a DM Reggi would answer; else None."""
    if body.get("type") == "message_action":  # the "Ask Reggi about this message" shortcut
        return Requester(
            team=(body.get("team") or {}).get("id", ""),
            channel=(body.get("channel") or {}).get("id", ""),
            user=(body.get("user") or {}).get("id", ""),
            enterprise=(body.get("enterprise") or {}).get("id", "") or "",
        )
    if body.get("command"):
        return Requester(
            team=body.get("team_id", ""),
            channel=body.get("channel_id", ""),
            user=body.get("user_id", ""),
            enterprise=body.get("enterprise_id") or "",
        )
    event = body.get("event") if body.get("type") == "event_callback" else None
    if not isinstance(event, dict) or not answerable(event, bot_user_id):
        return None
    is_dm = event.get("type") == "message" and event.get("channel_type") == "im"
    if event.get("type") != "app_mention" and not is_dm:
        return None
    return Requester(
        team=body.get("team_id") or event.get("team", ""),
        channel=event.get("channel", ""),
        user=event.get("user", ""),
        enterprise=body.get("enterprise_id") or "",
    )


def _tell(client: WebClient, event: dict[str, Any], user: str, text: str) -> None:
    if event.get("type") == "app_mention":  # in a channel: only the asker sees it
        thread = event.get("thread_ts") or event.get("ts")
        post_private(client, Place(event["channel"], thread_ts=thread), user, text)
    else:  # their own DM with Reggi
        post_notice(client, Place(event["channel"], thread_ts=event.get("thread_ts")), text)


def _respond(response_url: str, text: str) -> None:
    """Tell a shortcut's user privately through its `response_url` (best effort)."""
    if not response_url:
        return
    try:
        WebhookClient(response_url).send(response_type="ephemeral", **render_text(text).as_kwargs())
    except Exception:  # noqa: BLE001
        log.warning("could not tell a shortcut user they are not allowed", exc_info=True)
