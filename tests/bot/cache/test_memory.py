from __future__ import annotations

from bot.cache.memory import MemoryBackend


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_memory_entries_expire() -> None:
    clock = Clock()
    backend = MemoryBackend(max_entries=10, clock=clock)
    backend.put("k", b"v", 5)
    assert backend.get("k") == b"v" and backend.entries() == 1
    clock.now += 5
    assert backend.get("k") is None and backend.entries() == 0


def test_memory_eviction_drops_vectors() -> None:
    backend = MemoryBackend(max_entries=2)
    for key in ("a", "b", "c"):
        backend.put(key, b"answer", 60)
        backend.add_vector("scope", key, key.encode(), 60, cap=10)
    assert backend.get("a") is None
    assert backend.vectors("scope") == {"b": b"b", "c": b"c"}


def test_memory_vector_cap_per_scope() -> None:
    backend = MemoryBackend(max_entries=10)
    for key in ("a", "b", "c"):
        backend.put(key, b"answer", 60)
        backend.add_vector("scope", key, b"r", 60, cap=2)
    assert set(backend.vectors("scope")) == {"b", "c"}
