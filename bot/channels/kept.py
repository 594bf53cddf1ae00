"""Answers kept for a while under a key a button carries, so a later click (share in channel,
export to Word) works on exactly the answer shown, without asking again.

The values live in a small key-value store: the cache backend (Redis when `REDIS_URL` is set,
so every replica sees them; else in process), or a plain dict in tests.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
from typing import Protocol

from bot.answer import Answer

log = logging.getLogger(__name__)

TTL_SECONDS = 24 * 3600  # "kept for a day" (bot.errors.EXPORT_GONE, SHARE_GONE)
_KEY_LIMIT = 64  # characters of a key taken from a click (the rest is not ours)


class KeyValue(Protocol):
    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, value: bytes, ttl_seconds: int) -> None: ...


class MemoryKeyValue:
    """A process-local key-value store (no expiry: values live until replaced)."""

    def __init__(self) -> None:
        self._data: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            return self._data.get(key)

    def put(self, key: str, value: bytes, ttl_seconds: int) -> None:
        with self._lock:
            self._data[key] = value


class KeptAnswers:
    """Answers under `key_format` (e.g. "reggi:slack:share:{key}"), kept `ttl_seconds`."""

    def __init__(self, *, store: KeyValue, key_format: str, ttl_seconds: int = TTL_SECONDS) -> None:
        self._store = store
        self._format = key_format
        self._ttl = ttl_seconds

    def keep(self, answer: Answer, *, full_quotes: bool = False, key: str = "") -> str:
        """Keep `answer` under `key` (a fresh random key when none is given); returns the key.
        A store failure is logged: the later click then finds the answer gone."""
        key = key[:_KEY_LIMIT] or secrets.token_urlsafe(16)
        value = json.dumps({"answer": answer.to_dict(), "full_quotes": full_quotes}).encode()
        try:
            self._store.put(self._format.format(key=key), value, self._ttl)
        except Exception:  # noqa: BLE001 — the click then says the answer is gone
            log.warning("could not keep an answer under %s", key, exc_info=True)
        return key

    def take(self, key: str) -> tuple[Answer, bool] | None:
        """The answer kept under `key` and whether it showed full quotes; None when gone."""
        if not key or len(key) > _KEY_LIMIT:
            return None
        try:
            raw = self._store.get(self._format.format(key=key))
            if not raw:
                return None
            data = json.loads(raw)
            return Answer.from_dict(data["answer"]), bool(data.get("full_quotes"))
        except Exception:  # noqa: BLE001 — unreadable: treated as gone
            log.warning("could not read the answer kept under %s", key, exc_info=True)
            return None
