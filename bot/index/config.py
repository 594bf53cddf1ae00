"""Opening the index the settings name: the backend (a Qdrant server at QDRANT_URL, or the
embedded Qdrant Edge folder QDRANT_PATH) and the embedding model. Used by `bot.compose` (the
bot's composition root) and by `python -m ingestion` (the ingestion process's), so that
ingestion depends on `bot.index` alone."""

from __future__ import annotations

import logging
import shutil
import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.errors import (
    ConfigError,
    HeldByServer,
    IndexBusy,
    ReggiError,
    ServiceUnavailable,
    user_message,
)
from bot.index import owner
from bot.index.embeddings import build_embedding
from bot.index.store import RegulationIndex
from bot.settings import Settings, load_settings

__all__ = [
    "HeldByServer",
    "IndexBusy",
    "ReggiError",
    "load_settings",
    "open_backend",
    "open_index",
    "user_message",
]

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 3.0
LOCAL_MODE_FILES = ("collection", "meta.json", ".lock")


def open_index(settings: Settings) -> RegulationIndex:
    """The configured index with the configured embedding model."""
    return RegulationIndex(backend=open_backend(settings), embedding=build_embedding(settings))


def open_backend(settings: Settings) -> Any:
    """The backend the settings name: a server at QDRANT_URL, else the Edge folder."""
    if settings.qdrant_url:
        return open_server(settings)
    return open_edge(settings.qdrant_path, settings.qdrant_collection)


def open_server(settings: Settings) -> Any:
    from qdrant_client import QdrantClient

    from bot.index.backends.server import ServerBackend

    assert settings.qdrant_url is not None
    check_reachable(settings.qdrant_url)
    api_key = settings.qdrant_api_key.get_secret_value() if settings.qdrant_api_key else None
    client = QdrantClient(url=settings.qdrant_url, api_key=api_key, timeout=10)
    return ServerBackend(
        client=client,
        collection=settings.qdrant_collection,
        description=f"Qdrant server at {settings.qdrant_url}",
    )


def check_reachable(url: str, timeout: float = CONNECT_TIMEOUT_S) -> None:
    """Fail within `timeout` seconds, naming QDRANT_URL and the address, when nothing accepts
    connections there (qdrant-client would otherwise retry for many seconds)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 6333)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return
    except OSError as exc:
        reason = "timed out" if isinstance(exc, TimeoutError) else (exc.strerror or str(exc))
        raise ConfigError(
            f"QDRANT_URL is {url} but no Qdrant server answers at {host}:{port} ({reason}). "
            "Start the server, correct QDRANT_URL, or unset it to use the embedded index folder."
        ) from exc


def open_edge(folder: Path, collection: str) -> Any:
    """The Edge backend over the folder; an index left by qdrant-client's local mode (Reggi
    before Qdrant Edge) is removed so the index is rebuilt, and the backend says so."""
    from bot.index.backends.edge import EdgeBackend, is_locked_error

    folder.mkdir(parents=True, exist_ok=True)
    notice = ""
    if any((folder / name).exists() for name in LOCAL_MODE_FILES):
        notice = (
            f"The index folder {folder} held an index in an older format (qdrant-client local "
            "mode); it was removed and the index is being rebuilt with Qdrant Edge. Run "
            "`python -m ingestion PATH` again for any files you had ingested besides the "
            "bundled corpus."
        )
        log.info(notice)
        for name in LOCAL_MODE_FILES:
            path = folder / name
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
    try:
        backend = EdgeBackend(folder=folder, collection=collection)
    except Exception as exc:  # noqa: BLE001 — Edge raises plain Exception
        if is_locked_error(exc):
            holder = owner.read(folder)
            raise IndexBusy(str(folder), holder.describe() if holder else "") from exc
        raise ServiceUnavailable("qdrant", f"cannot open {folder}: {exc}") from exc
    backend.notice = notice
    return backend
