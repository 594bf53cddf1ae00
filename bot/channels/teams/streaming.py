"""Streaming a model writer's answer into a Teams 1:1 chat (the SDK's `HttpStream`; Teams
streams only in personal chats).

The draft is emitted as the model writes it, without `[n]` markers (they are checked only when
the model has finished); when the stream is closed its message is updated in place with the
checked answer, whose markers match its citation entities.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import Any

from bot.channels.text import hide_markers

log = logging.getLogger(__name__)


class TeamsDraft:
    """Feeds draft text from the answering thread into the conversation's `HttpStream`."""

    def __init__(self, *, stream: Any, loop: asyncio.AbstractEventLoop) -> None:
        self._stream = stream
        self._loop = loop
        self._held = ""
        self._lock = threading.Lock()
        self.started = False

    def feed(self, text: str) -> None:
        """Called from the answering thread with each new piece of the draft (never raises)."""
        with self._lock:
            shown, self._held = hide_markers(self._held + text)
            if not shown:
                return
            self.started = True
        try:
            self._loop.call_soon_threadsafe(self._stream.emit, shown)
        except RuntimeError:  # the loop is closing
            log.warning("Teams: could not stream a draft piece", exc_info=True)

    async def finish(self, update: Callable[[str, Any], Awaitable[Any]], final: Any) -> str | None:
        """Close the stream and replace its message by `final`; the message id, or None when
        the stream could not be finished (the caller then sends `final` normally)."""
        try:
            sent = await self._stream.close()
            if sent is None or not sent.id:
                return None
            await update(sent.id, final)
        except Exception:  # noqa: BLE001 — the answer is then sent as a new message
            log.warning("Teams: could not finish the stream", exc_info=True)
            return None
        return str(sent.id)
