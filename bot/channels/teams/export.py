"""Teams' "Export as Word": the memo saved to the user's OneDrive with Teams' file consent flow.

Teams lets a bot send a file only in a 1:1 chat, and only with the user's consent:

1. each answer card carries "Export as Word", whose data names the key the answer is kept
   under (the answer's id, in the same kept-answer store as Slack's export, kept a day);
2. the click comes back as a message; the bot replies with a file consent card naming the
   memo and its size, the key in its accept and decline contexts;
3. Teams sends `fileConsent/invoke`. On accept it carries an upload session URL: the memo's
   bytes are PUT there (one request with `Content-Range`, as OneDrive's upload sessions take
   them) and the bot posts a file info card that opens the file. On decline nothing is saved.

In channels and group chats the click is answered with a sentence pointing to the 1:1 chat and
the web page's download. The memo is rebuilt from the kept answer (`bot.channels.export`);
nothing is asked again. The methods return the activity to post; the bot sends it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Protocol

import httpx

from bot.answer import Answer
from bot.channels.export import filename, memo_docx
from bot.channels.kept import KeptAnswers, KeyValue
from bot.channels.teams import render
from bot.channels.teams.parse import Consent
from bot.errors import EXPORT_DECLINED, EXPORT_GONE, EXPORT_PERSONAL_ONLY, EXPORT_UPLOAD_FAILED

log = logging.getLogger(__name__)

KEY = "reggi:teams:export:{key}"
UPLOAD_TIMEOUT_SECONDS = 10.0  # Teams waits about 15 s for the invoke's answer


def upload_headers(size: int) -> dict[str, str]:
    """The headers of the one PUT that sends all `size` bytes to an upload session."""
    return {"Content-Length": str(size), "Content-Range": f"bytes 0-{size - 1}/{size}"}


class Uploader(Protocol):
    async def put(self, url: str, content: bytes) -> None:
        """Send `content` to `url`; raise when it was not stored."""
        ...


class SessionUploader:
    """PUTs a file to a OneDrive upload session URL (pre-authorised: no token is sent)."""

    def __init__(self, *, timeout_seconds: float = UPLOAD_TIMEOUT_SECONDS) -> None:
        self._timeout = timeout_seconds

    async def put(self, url: str, content: bytes) -> None:
        async with httpx.AsyncClient(timeout=self._timeout, follow_redirects=False) as client:
            response = await client.put(url, content=content, headers=upload_headers(len(content)))
            response.raise_for_status()


class TeamsExport:
    """Keeps answers for "Export as Word" and turns the clicks and consents into messages."""

    def __init__(
        self,
        *,
        store: KeyValue,
        uploader: Uploader | None = None,
        report_error: Callable[[str], None] = lambda kind: None,
    ) -> None:
        self._kept = KeptAnswers(store=store, key_format=KEY)
        self._uploader = uploader or SessionUploader()
        self._report = report_error

    async def keep(self, answer: Answer) -> str:
        """Keep `answer` for export; the key its "Export as Word" action carries."""
        return await asyncio.to_thread(self._kept.keep, answer, key=answer.id)

    async def offer(self, key: str, *, personal: bool) -> render.Activity:
        """A click on "Export as Word": the file consent card, or why there is none."""
        if not personal:
            return render.render_text(EXPORT_PERSONAL_ONLY)
        answer = await self._answer(key)
        if answer is None:
            return render.render_text(EXPORT_GONE)
        memo = await asyncio.to_thread(memo_docx, answer)
        return render.file_consent(
            key=key, name=filename(answer), size=len(memo), question=answer.question
        )

    async def deliver(self, consent: Consent) -> render.Activity:
        """The user's answer to the consent card: upload the memo and show it, or say that
        nothing was done."""
        if not consent.accepted:
            log.info("Teams: the memo of answer %s was declined", consent.key)
            return render.render_text(EXPORT_DECLINED)
        answer = await self._answer(consent.key)
        if answer is None:
            return render.render_text(EXPORT_GONE)
        url = render.safe_url(consent.upload_url)
        if url is None:
            log.warning("Teams: file consent for answer %s without an upload URL", consent.key)
            self._report("export_upload")
            return render.render_text(EXPORT_UPLOAD_FAILED)
        memo = await asyncio.to_thread(memo_docx, answer)
        try:
            await self._uploader.put(url, memo)
        except Exception as exc:  # noqa: BLE001 — told to the user; the detail is logged
            log.warning(
                "Teams: could not upload the memo of answer %s (%d bytes): %s",
                consent.key,
                len(memo),
                _describe(exc),
            )
            self._report("export_upload")
            return render.render_text(EXPORT_UPLOAD_FAILED)
        log.info("Teams: uploaded the memo of answer %s (%d bytes)", consent.key, len(memo))
        return render.file_info(
            name=consent.name or filename(answer),
            content_url=consent.content_url,
            unique_id=consent.unique_id,
            file_type=consent.file_type or "docx",
        )

    async def _answer(self, key: str) -> Answer | None:
        kept = await asyncio.to_thread(self._kept.take, key)
        if kept is None:
            log.warning("Teams: export of answer %r, which is no longer kept", key[:64])
            self._report("export_gone")
            return None
        return kept[0]


def _describe(exc: BaseException) -> str:
    """The operator's detail of a failed upload (the URL is a secret of the session: left out)."""
    if isinstance(exc, httpx.HTTPStatusError):
        return f"HTTP {exc.response.status_code} {exc.response.text[:300]!r}"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({type(exc).__name__})"
    return f"{type(exc).__name__}: {exc}"
