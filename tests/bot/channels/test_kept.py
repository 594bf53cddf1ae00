"""Answers kept under a key for a later click: the round trip, and what reads as "gone"."""

from __future__ import annotations

import pytest

from bot.channels.kept import KeptAnswers, MemoryKeyValue
from tests.fixtures.teams import sample_answer


class Failing:
    """A store whose every call fails (Redis down)."""

    def get(self, key: str) -> bytes | None:
        raise ConnectionError("redis down")

    def put(self, key: str, value: bytes, ttl_seconds: int) -> None:
        raise ConnectionError("redis down")


def test_kept_answer_comes_back_whole_under_its_key() -> None:
    store = MemoryKeyValue()
    kept = KeptAnswers(store=store, key_format="reggi:test:{key}")
    answer = sample_answer()
    assert kept.keep(answer, full_quotes=True, key=answer.id) == "ans-123"
    assert store.get("reggi:test:ans-123") is not None
    assert kept.take("ans-123") == (answer, True)


def test_without_a_key_a_fresh_random_one_is_used() -> None:
    kept = KeptAnswers(store=MemoryKeyValue(), key_format="{key}")
    one, two = kept.keep(sample_answer()), kept.keep(sample_answer())
    assert one != two and len(one) >= 20
    assert kept.take(one) is not None


@pytest.mark.parametrize(
    ("stored", "key"),
    [
        ({}, "ans-123"),  # never kept, or expired
        ({"k:ans-123": b"not json"}, "ans-123"),  # unreadable
        ({"k:ans-123": b'{"answer": {"question": 3}}'}, "ans-123"),  # not an answer
        ({}, ""),  # a click without a key
        ({}, "x" * 65),  # longer than any key Reggi hands out
    ],
)
def test_what_reads_as_gone(stored: dict[str, bytes], key: str) -> None:
    store = MemoryKeyValue()
    for k, v in stored.items():
        store.put(k, v, 60)
    assert KeptAnswers(store=store, key_format="k:{key}").take(key) is None


def test_a_failing_store_keeps_nothing_and_reads_as_gone() -> None:
    kept = KeptAnswers(store=Failing(), key_format="{key}")
    assert kept.keep(sample_answer(), key="ans-123") == "ans-123"
    assert kept.take("ans-123") is None
