"""deploy/slack-manifest.yml: shaped like a Slack app manifest, and in step with the code."""

import re
from pathlib import Path

import pytest
import yaml

from bot.channels.slack.commands import COMMAND
from bot.channels.slack.http import EVENTS_PATH
from bot.channels.slack.scopes import COMMAND_SCOPE, SCOPES_BY_EVENT, required_bot_scopes

MANIFEST = Path(__file__).resolve().parents[4] / "deploy" / "slack-manifest.yml"

# (path, type) pairs every manifest Reggi ships must have — the parts of Slack's manifest
# schema this app relies on.
SCHEMA = [
    ("_metadata.major_version", int),
    ("display_information.name", str),
    ("display_information.description", str),
    ("features.bot_user.display_name", str),
    ("features.bot_user.always_online", bool),
    ("features.app_home.messages_tab_enabled", bool),
    ("features.app_home.messages_tab_read_only_enabled", bool),
    ("features.slash_commands", list),
    ("oauth_config.scopes.bot", list),
    ("settings.event_subscriptions.request_url", str),
    ("settings.event_subscriptions.bot_events", list),
    ("settings.interactivity.is_enabled", bool),
    ("settings.interactivity.request_url", str),
    ("settings.socket_mode_enabled", bool),
    ("settings.org_deploy_enabled", bool),
    ("settings.token_rotation_enabled", bool),
]


@pytest.fixture(scope="module")
def manifest():
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))


def _get(data, path):
    for key in path.split("."):
        assert isinstance(data, dict) and key in data, f"missing {path}"
        data = data[key]
    return data


@pytest.mark.parametrize(("path", "kind"), SCHEMA)
def test_manifest_has_the_schema_fields(manifest, path, kind):
    assert isinstance(_get(manifest, path), kind)


def test_limits_from_slacks_schema(manifest):
    info = manifest["display_information"]
    assert 1 <= len(info["name"]) <= 35
    assert len(info["description"]) <= 140
    assert 175 <= len(info["long_description"]) <= 4000
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", info["background_color"])
    assert re.fullmatch(
        r"[a-z0-9][a-z0-9._-]{0,79}",
        manifest["features"]["bot_user"]["display_name"].lower(),
    )
    for command in manifest["features"]["slash_commands"]:
        assert re.fullmatch(r"/[a-z0-9_-]{1,31}", command["command"])
        assert len(command["description"]) <= 2000
        assert len(command.get("usage_hint", "")) <= 1000


def test_scopes_match_the_features_used(manifest):
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == required_bot_scopes()


def test_events_command_and_interactivity_match_the_code(manifest):
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == set(SCOPES_BY_EVENT)
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == COMMAND
    assert COMMAND_SCOPE in manifest["oauth_config"]["scopes"]["bot"]
    assert (
        manifest["settings"]["interactivity"]["is_enabled"] is True
    )  # 👍/👎 buttons and the reason dialog
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True  # DMs to Reggi
    urls = [
        command["url"],
        manifest["settings"]["event_subscriptions"]["request_url"],
        manifest["settings"]["interactivity"]["request_url"],
    ]
    assert all(u.startswith("https://") and u.endswith(EVENTS_PATH) for u in urls)


def test_http_mode_by_default(manifest):
    assert manifest["settings"]["socket_mode_enabled"] is False
