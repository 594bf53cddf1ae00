"""Per-channel defaults set by workspace admins with `/reggi config`: the jurisdictions a
channel asks about unless a question names another place, and whether Reggi answers there.

Stored as small JSON values in a key-value store: Redis when `REDIS_URL` is set (kept across
restarts and shared by every replica), else in process (lost on restart).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from bot.channels.kept import KeyValue, MemoryKeyValue

log = logging.getLogger(__name__)

__all__ = ["ChannelPolicies", "ChannelPolicy", "KeyValue", "MemoryKeyValue"]

KEY = "reggi:slack:channel:{team}:{channel}"
TTL_SECONDS = 10 * 365 * 24 * 3600  # kept until changed


@dataclass(frozen=True)
class ChannelPolicy:
    """What an admin set for one channel."""

    jurisdictions: tuple[str, ...] = ()  # default jurisdictions; () = let the question decide
    refused: bool = False  # Reggi does not answer in this channel

    def to_json(self) -> bytes:
        return json.dumps(
            {"jurisdictions": list(self.jurisdictions), "refused": self.refused}
        ).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> ChannelPolicy:
        data = json.loads(raw)
        return cls(
            jurisdictions=tuple(str(c) for c in data.get("jurisdictions") or ()),
            refused=bool(data.get("refused")),
        )


class ChannelPolicies:
    """Reads and writes `ChannelPolicy` values; a store failure reads as "no policy"."""

    def __init__(self, *, store: KeyValue) -> None:
        self._store = store

    def get(self, team: str, channel: str) -> ChannelPolicy:
        try:
            raw = self._store.get(KEY.format(team=team, channel=channel))
            return ChannelPolicy.from_json(raw) if raw else ChannelPolicy()
        except Exception:  # noqa: BLE001 — unreadable settings: answer as if none were set
            log.warning("could not read the settings of channel %s", channel, exc_info=True)
            return ChannelPolicy()

    def put(self, team: str, channel: str, policy: ChannelPolicy) -> bool:
        """Store `policy`; True when it reads back as stored."""
        key = KEY.format(team=team, channel=channel)
        try:
            self._store.put(key, policy.to_json(), TTL_SECONDS)
            return self._store.get(key) == policy.to_json()
        except Exception:  # noqa: BLE001 — reported to the admin as not saved
            log.warning("could not save the settings of channel %s", channel, exc_info=True)
            return False
