"""Streaming a model writer's answer into a Slack thread as it is written.

`chat.startStream` / `appendStream` / `stopStream` (slack_sdk's `ChatStream`, which bolt's
`say_stream` returns in assistant threads) show the draft while the model writes. The draft
never shows `[n]` markers: they are only checked after the model has finished (markers that
point at no retrieved source are dropped and the rest renumbered), so the finished message is
replaced (`chat.update`) by the checked answer with its linked markers and footnotes. When
no text arrives (the extractive writer, a cached answer) nothing is streamed and the caller
posts the answer at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from slack_sdk.web.chat_stream import ChatStream

from bot.channels.slack.render import SlackMessage, render_text
from bot.channels.text import hide_markers

log = logging.getLogger(__name__)

BUFFER_CHARS = 200  # draft characters per appendStream call (keeps within Slack's rate limits)
StartStream = Callable[[], ChatStream]


class DraftStream:
    """Feeds model text into a Slack stream lazily, then swaps in the checked answer."""

    def __init__(self, *, start: StartStream, client: Any, channel: str) -> None:
        self._start = start
        self._client = client
        self._channel = channel
        self._stream: ChatStream | None = None
        self._held = ""
        self._lock = threading.Lock()
        self.failed = False

    @property
    def started(self) -> bool:
        return self._stream is not None

    def feed(self, text: str) -> None:
        """Called by the writer with each new piece of the draft (never raises)."""
        if self.failed or not text:
            return
        with self._lock:
            shown, self._held = hide_markers(self._held + text)
            if not shown:
                return
            try:
                if self._stream is None:
                    self._stream = self._start()
                self._stream.append(markdown_text=shown)
            except Exception:  # noqa: BLE001 — the answer is then posted normally
                log.warning("streaming to Slack failed; the answer will be posted", exc_info=True)
                self.failed = True

    def finish(
        self, messages: Sequence[SlackMessage], *, metadata: Mapping[str, Any] | None
    ) -> list[SlackMessage]:
        """Stop the stream and replace the draft by the first message; returns the rest to
        post (all of them when nothing could be streamed)."""
        stream = self._stream
        if stream is None or not messages:
            return list(messages)
        try:
            stream.stop()
            first = messages[0]
            self._client.chat_update(
                channel=self._channel,
                ts=stream.ts,
                metadata=dict(metadata) if metadata else None,
                **first.as_kwargs(),
            )
        except Exception:  # noqa: BLE001 — fall back to posting the whole answer
            log.warning("could not finish the Slack stream; posting the answer", exc_info=True)
            return list(messages)
        return list(messages[1:])

    def abandon(self, text: str) -> bool:
        """Replace a started draft by `text` (an apology); False when nothing was streamed."""
        stream = self._stream
        if stream is None:
            return False
        try:
            stream.stop()
            self._client.chat_update(
                channel=self._channel, ts=stream.ts, **render_text(text).as_kwargs()
            )
        except Exception:  # noqa: BLE001
            log.warning("could not replace the Slack draft by the apology", exc_info=True)
            return False
        return True


def thread_draft(
    client: Any,
    *,
    channel: str,
    thread_ts: str,
    team: str,
    user: str,
    say_stream: Callable[..., ChatStream] | None = None,
) -> DraftStream:
    """A lazily started stream into a thread: bolt's `say_stream` in assistant threads,
    `WebClient.chat_stream` (to the asker) elsewhere."""
    if say_stream is not None:
        stream_with = say_stream

        def start() -> ChatStream:
            return stream_with(buffer_size=BUFFER_CHARS)

    else:

        def start() -> ChatStream:
            return client.chat_stream(
                channel=channel,
                thread_ts=thread_ts,
                recipient_team_id=team or None,
                recipient_user_id=user or None,
                buffer_size=BUFFER_CHARS,
            )

    return DraftStream(start=start, client=client, channel=channel)
