"""The answer cache and the shared de-duplication / rate-limit store.

The Redis backend is `bot.cache.redis.RedisBackend`, imported from there by whoever uses it
(the composition root when REDIS_URL is set), so a process without Redis never imports the
redis client."""

from .answers import CachedAnswers, cache_clear, cache_stats
from .memory import MemoryBackend
from .protocols import AnswerStore, Backend, CacheAdmin, TokenStore
from .store import SharedStore

__all__ = [
    "AnswerStore",
    "Backend",
    "CacheAdmin",
    "CachedAnswers",
    "MemoryBackend",
    "SharedStore",
    "TokenStore",
    "cache_clear",
    "cache_stats",
]
