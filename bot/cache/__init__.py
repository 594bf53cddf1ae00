"""The answer cache and the shared de-duplication / rate-limit store."""

from .answers import CachedAnswers, cache_clear, cache_stats
from .backends import Backend, MemoryBackend, RedisBackend, build_backend
from .store import SharedStore, build_store

__all__ = [
    "Backend",
    "CachedAnswers",
    "MemoryBackend",
    "RedisBackend",
    "SharedStore",
    "build_backend",
    "build_store",
    "cache_clear",
    "cache_stats",
]
