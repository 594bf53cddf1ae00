"""Bounded in-process memories: conversation history and message → answer ids."""

from __future__ import annotations

import pytest

from bot.answer import Turn
from bot.channels.teams.memory import BoundedMap, ConversationHistory


def test_bounded_map_drops_least_recently_used() -> None:
    memory: BoundedMap[str, int] = BoundedMap(max_entries=2)
    memory.put("a", 1)
    memory.put("b", 2)
    assert memory.get("a") == 1  # "a" is now the most recent
    memory.put("c", 3)
    assert ("a" in memory, "b" in memory, "c" in memory) == (True, False, True)
    assert len(memory) == 2
    assert memory.get("b") is None


def test_bounded_map_needs_room() -> None:
    with pytest.raises(ValueError):
        BoundedMap(max_entries=0)


@pytest.mark.parametrize(
    ("max_turns", "asked", "kept"),
    [
        (5, ["q1", "q2"], ["q1", "q2"]),
        (2, ["q1", "q2", "q3"], ["q2", "q3"]),
        (0, ["q1"], []),
    ],
)
def test_history_keeps_the_last_turns(max_turns: int, asked: list[str], kept: list[str]) -> None:
    history = ConversationHistory(max_turns=max_turns)
    for question in asked:
        history.add("thread-1", Turn(question=question, answer="a", jurisdictions=("EU",)))
    assert [t.question for t in history.turns("thread-1")] == kept
    assert history.turns("thread-2") == ()


def test_history_forgets_old_conversations() -> None:
    history = ConversationHistory(max_conversations=2)
    for thread in ("t1", "t2", "t3"):
        history.add(thread, Turn(question=thread))
    assert history.turns("t1") == ()
    assert [t.question for t in history.turns("t3")] == ["t3"]
    assert len(history) == 2
