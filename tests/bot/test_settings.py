import re
from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.settings import Settings, load_settings

ENV_EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"


def test_every_setting_is_in_env_example_with_a_comment():
    text = ENV_EXAMPLE.read_text()
    lines = text.splitlines()
    documented = {}
    for i, line in enumerate(lines):
        m = re.match(r"^([A-Z][A-Z0-9_]*)=", line)
        if m:
            documented[m.group(1)] = lines[i - 1].startswith("#")
    names = {name.upper() for name in Settings.model_fields}
    assert names == set(documented), names ^ set(documented)
    assert all(documented.values()), [k for k, v in documented.items() if not v]


def test_env_example_values_load():
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        m = re.match(r"^([A-Z][A-Z0-9_]*)=(.*)$", line)
        if m and m.group(2):
            values[m.group(1).lower()] = m.group(2)
    settings = load_settings(**values)
    assert settings.describe()["writer"] == "extractive"


def test_defaults_run_offline():
    s = load_settings()
    assert s.describe() == {
        "index": "Qdrant local data/qdrant",
        "collection": "reggi",
        "embedding": "wordllama",
        "writer": "extractive",
        "cache": "in-process",
    }
    assert not s.slack_enabled and not s.teams_enabled


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"QDRANT_URL": "localhost:6333"}, "QDRANT_URL"),
        ({"REDIS_URL": "127.0.0.1:6379"}, "REDIS_URL"),
        ({"PORT": "eighty"}, "PORT"),
        ({"EMBEDDING_MODEL": "bert"}, "EMBEDDING_MODEL"),
        ({"EMBEDDING_MODEL": "openai"}, "OPENAI_API_KEY"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN"),
        ({"TEAMS_CLIENT_ID": "abc"}, "TEAMS_CLIENT_SECRET"),
        ({"HOST": "0.0.0.0"}, "WEB_API_TOKEN"),
        ({"QDRANT_COLLECTION": "bad name!"}, "QDRANT_COLLECTION"),
        ({"RETRIEVAL_TOP_K": "0"}, "RETRIEVAL_TOP_K"),
    ],
)
def test_invalid_settings_fail_naming_the_key(monkeypatch, env, named):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ConfigError, match=named):
        load_settings()


def test_secrets_are_never_printed(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-very-secret")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-very-secret")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "signing-very-secret")
    s = load_settings()
    shown = repr(s) + str(s.describe())
    assert "very-secret" not in shown
    assert s.describe()["writer"] == "openai:gpt-4o-mini"


def test_empty_values_count_as_unset(monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "")
    monkeypatch.setenv("QDRANT_URL", "")
    s = load_settings()
    assert not s.slack_enabled and s.qdrant_url is None


def test_dotenv_file_is_read(tmp_path, monkeypatch):
    env = tmp_path / ".env"
    env.write_text("QDRANT_COLLECTION=from_dotenv\nRETRIEVAL_TOP_K=7\n")
    s = Settings(_env_file=str(env))
    assert (s.qdrant_collection, s.retrieval_top_k) == ("from_dotenv", 7)


@pytest.mark.parametrize(
    ("host", "token", "expected"),
    [
        ("127.0.0.1", None, None),
        ("127.0.0.1", "", None),
        ("0.0.0.0", "server-token", "server-token"),
        ("0.0.0.0", "  server-token ", "server-token"),
    ],
)
def test_web_token(host, token, expected):
    assert load_settings(_env_file=None, host=host, web_api_token=token).web_token == expected


def test_an_empty_token_beyond_loopback_stops_start_up():
    with pytest.raises(ConfigError, match="WEB_API_TOKEN: must not be empty"):
        load_settings(_env_file=None, host="0.0.0.0", web_api_token="  ")


def test_nothing_is_read_from_the_environment_at_import(tmp_path, monkeypatch):
    env = tmp_path / "late.env"
    env.write_text("QDRANT_COLLECTION=named_later\n")
    monkeypatch.setenv("REGGI_ENV_FILE", str(env))
    assert load_settings().qdrant_collection == "named_later"
    monkeypatch.setenv("REGGI_ENV_FILE", "")
    assert load_settings().qdrant_collection == "reggi"


def test_signing_secret_alone_is_the_slack_set_up_step(monkeypatch):
    """Before the app is installed only the signing secret exists: /slack/events answers
    Slack's URL check, and Slack itself stays off."""
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    settings = load_settings(_env_file=None)
    assert settings.slack_signing_secret is not None and settings.slack_enabled is False
