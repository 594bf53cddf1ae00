"""Hooks through which the engine, the cache and the channels report what happened.

Metrics and the audit log implement `Events`; code that reports takes an `Events` in its
constructor. `NullEvents` is the default; `RecordingEvents` keeps everything for tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from bot.answer import Answer

CacheOutcome = Literal["hit", "paraphrase_hit", "miss", "error"]
Vote = Literal["up", "down"]


class Events(Protocol):
    def answered(
        self,
        *,
        channel: str,
        user: str,
        team: str,
        question: str,
        answer: Answer,
        latency_ms: float,
    ) -> None: ...

    def feedback(
        self, *, channel: str, user: str, answer_id: str, vote: Vote, reason: str = ""
    ) -> None: ...

    def cache(self, outcome: CacheOutcome) -> None: ...

    def error(self, *, channel: str, kind: str) -> None: ...


class NullEvents:
    """Reports nothing."""

    def answered(self, **_: Any) -> None:
        pass

    def feedback(self, **_: Any) -> None:
        pass

    def cache(self, outcome: CacheOutcome) -> None:
        pass

    def error(self, **_: Any) -> None:
        pass


@dataclass
class RecordingEvents:
    """Keeps every event in memory (tests, and the web page's feedback echo)."""

    log: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def answered(self, **fields: Any) -> None:
        self.log.append(("answered", fields))

    def feedback(self, **fields: Any) -> None:
        self.log.append(("feedback", fields))

    def cache(self, outcome: CacheOutcome) -> None:
        self.log.append(("cache", {"outcome": outcome}))

    def error(self, **fields: Any) -> None:
        self.log.append(("error", fields))

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [f for k, f in self.log if k == kind]


class FanOut:
    """Sends each event to several sinks (metrics and audit log)."""

    def __init__(self, *sinks: Events) -> None:
        self._sinks = sinks

    def answered(self, **fields: Any) -> None:
        for s in self._sinks:
            s.answered(**fields)

    def feedback(self, **fields: Any) -> None:
        for s in self._sinks:
            s.feedback(**fields)

    def cache(self, outcome: CacheOutcome) -> None:
        for s in self._sinks:
            s.cache(outcome)

    def error(self, **fields: Any) -> None:
        for s in self._sinks:
            s.error(**fields)
