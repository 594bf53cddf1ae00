"""Small bounded in-process memories of the Teams bot.

`ConversationHistory` keeps the last questions and answers of each thread or 1:1 chat for
follow-ups; `BoundedMap` remembers which answer each of Reggi's messages carried, so a
feedback click can be tied to the answer id. Both forget the least recently used entries
beyond their bound, and both are lost on restart (a follow-up after a restart is answered
without context; feedback is still recorded, with the message id instead of the answer id).
They are used from the event loop only, so they need no locks.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

from bot.answer import Turn

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedMap(Generic[K, V]):
    """A mapping that keeps at most `max_entries`, dropping the least recently used."""

    def __init__(self, *, max_entries: int) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self._max = max_entries
        self._data: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        if key not in self._data:
            return None
        self._data.move_to_end(key)
        return self._data[key]

    def put(self, key: K, value: V) -> None:
        self._data[key] = value
        self._data.move_to_end(key)
        while len(self._data) > self._max:
            self._data.popitem(last=False)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data


class ConversationHistory:
    """The last `max_turns` turns of each of at most `max_conversations` conversations."""

    def __init__(self, *, max_conversations: int = 1000, max_turns: int = 5) -> None:
        if max_turns < 0:
            raise ValueError("max_turns must not be negative")
        self._max_turns = max_turns
        self._turns: BoundedMap[str, tuple[Turn, ...]] = BoundedMap(max_entries=max_conversations)

    def turns(self, conversation: str) -> tuple[Turn, ...]:
        """Earlier turns of `conversation`, oldest first."""
        return self._turns.get(conversation) or ()

    def add(self, conversation: str, turn: Turn) -> None:
        """Remember one more turn of `conversation`."""
        if self._max_turns == 0:
            return
        kept = (*self.turns(conversation), turn)[-self._max_turns :]
        self._turns.put(conversation, kept)

    def __len__(self) -> int:
        return len(self._turns)
