"""The answer cache and the shared de-duplication / rate-limit store."""

from .answers import CachedAnswers, cache_clear, cache_stats
from .memory import MemoryBackend
from .protocols import AnswerStore, Backend, CacheAdmin, TokenStore
from .redis import RedisBackend
from .store import SharedStore

__all__ = [
    "AnswerStore",
    "Backend",
    "CacheAdmin",
    "CachedAnswers",
    "MemoryBackend",
    "RedisBackend",
    "SharedStore",
    "TokenStore",
    "cache_clear",
    "cache_stats",
]
