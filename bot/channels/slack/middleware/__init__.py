"""Bolt middleware of the Slack app, one module per middleware (as bolt-python keeps them)."""

from bot.channels.slack.middleware.access import AccessCheck
from bot.channels.slack.middleware.dedupe import Deduplication

__all__ = ["AccessCheck", "Deduplication"]
