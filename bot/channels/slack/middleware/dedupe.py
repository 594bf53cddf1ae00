"""Slack redelivers events it thinks failed (after ~0 s, 1 min, 5 min): answer each
`event_id` once. The rule for a failing store is the lifecycle's (`Conversation.is_duplicate`)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot.conversation import Conversation

log = logging.getLogger(__name__)

DEDUPE_KEY = "slack:event:{event_id}"


class Deduplication(Middleware):
    """Acknowledges a redelivered `event_callback` without running any listener."""

    def __init__(self, *, conversation: Conversation) -> None:
        self._conversation = conversation

    def process(
        self,
        *,
        req: BoltRequest,
        resp: BoltResponse,
        next: Callable[[], BoltResponse],
    ) -> BoltResponse | None:
        body = req.body
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and self._conversation.is_duplicate(DEDUPE_KEY.format(event_id=event_id)):
            retry = req.headers.get("x-slack-retry-num", [""])
            log.info(
                "ignoring duplicate Slack event %s (retry %s)",
                event_id,
                retry[0] if retry else "",
            )
            return BoltResponse(status=200, body="")
        return next()
