"""Environment that keeps every library from reaching for the network at run time."""

from __future__ import annotations

import os
from pathlib import Path


def configure_offline_environment() -> None:
    """Point tiktoken at llama-index's bundled files and make model hubs fail fast.

    Call once, before importing llama-index's OpenAI integrations. Values already set by
    the operator are kept.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    if "TIKTOKEN_CACHE_DIR" not in os.environ:
        # Located without importing llama-index (that costs a second of start-up).
        import importlib.util

        spec = importlib.util.find_spec("llama_index.core")
        if spec is not None and spec.origin:
            cache = Path(spec.origin).parent / "_static" / "tiktoken_cache"
            if cache.is_dir():
                os.environ["TIKTOKEN_CACHE_DIR"] = str(cache)
