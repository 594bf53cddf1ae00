"""Opening the index the settings name: the backend (a Qdrant server at QDRANT_URL, or the
embedded folder QDRANT_PATH) and the embedding model. Used by `bot.compose` (the bot's
composition root) and by `python -m ingestion` (the ingestion process's), so that ingestion
depends on `bot.index` alone."""

from __future__ import annotations

from bot.errors import ReggiError, user_message
from bot.index.embeddings import build_embedding
from bot.index.store import RegulationIndex
from bot.settings import Settings, load_settings

__all__ = ["ReggiError", "load_settings", "open_backend", "open_index", "user_message"]


def open_backend(settings: Settings):  # noqa: ANN201 — a Backend
    """The backend the settings name."""
    from qdrant_client import QdrantClient

    from bot.index.backends.server import ServerBackend

    if settings.qdrant_url:
        api_key = settings.qdrant_api_key.get_secret_value() if settings.qdrant_api_key else None
        client = QdrantClient(url=settings.qdrant_url, api_key=api_key, timeout=10)
        description = f"Qdrant server at {settings.qdrant_url}"
    else:
        settings.qdrant_path.mkdir(parents=True, exist_ok=True)
        client = QdrantClient(path=str(settings.qdrant_path))
        description = f"the index folder {settings.qdrant_path}"
    return ServerBackend(
        client=client, collection=settings.qdrant_collection, description=description
    )


def open_index(settings: Settings) -> RegulationIndex:
    """The configured index with the configured embedding model."""
    return RegulationIndex(backend=open_backend(settings), embedding=build_embedding(settings))
