"""deploy/slack-manifest*.yml: shaped like Slack's app manifest schema, and in step with the code."""

import re
from pathlib import Path

import pytest
import yaml

from bot.channels.slack.commands import COMMAND
from bot.channels.slack.http import EVENTS_PATH
from bot.channels.slack.listeners import SHORTCUT
from bot.channels.slack.scopes import COMMAND_SCOPE, SCOPES_BY_EVENT, required_bot_scopes

DEPLOY = Path(__file__).resolve().parents[4] / "deploy"
SOCKET = DEPLOY / "slack-manifest.yml"
HTTP = DEPLOY / "slack-manifest-http.yml"

# (path, type) pairs from Slack's app manifest schema that every manifest Reggi ships has.
SCHEMA = [
    ("_metadata.major_version", int),
    ("display_information.name", str),
    ("display_information.description", str),
    ("features.bot_user.display_name", str),
    ("features.bot_user.always_online", bool),
    ("features.app_home.home_tab_enabled", bool),
    ("features.app_home.messages_tab_enabled", bool),
    ("features.app_home.messages_tab_read_only_enabled", bool),
    ("features.assistant_view.assistant_description", str),
    ("features.shortcuts", list),
    ("features.slash_commands", list),
    ("oauth_config.scopes.bot", list),
    ("settings.event_subscriptions.bot_events", list),
    ("settings.interactivity.is_enabled", bool),
    ("settings.socket_mode_enabled", bool),
    ("settings.org_deploy_enabled", bool),
    ("settings.token_rotation_enabled", bool),
]
HTTP_ONLY = [
    ("settings.event_subscriptions.request_url", str),
    ("settings.interactivity.request_url", str),
]
# Keys Slack's schema allows at each level (a typo here makes Slack reject the manifest).
ALLOWED = {
    "": {"_metadata", "display_information", "features", "oauth_config", "settings", "functions"},
    "features": {
        "app_home",
        "assistant_view",
        "bot_user",
        "shortcuts",
        "slash_commands",
        "unfurl_domains",
        "workflow_steps",
    },
    "features.assistant_view": {"assistant_description", "suggested_prompts"},
    "settings": {
        "allowed_ip_address_ranges",
        "event_subscriptions",
        "interactivity",
        "org_deploy_enabled",
        "socket_mode_enabled",
        "token_rotation_enabled",
        "function_runtime",
    },
}


def _load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=[SOCKET, HTTP], ids=["socket", "http"])
def manifest(request):
    return _load(request.param)


def _get(data, path):
    for key in path.split("."):
        assert isinstance(data, dict) and key in data, f"missing {path}"
        data = data[key]
    return data


@pytest.mark.parametrize(("path", "kind"), SCHEMA)
def test_manifest_has_the_schema_fields(manifest, path, kind):
    assert isinstance(_get(manifest, path), kind)


@pytest.mark.parametrize(("level", "allowed"), ALLOWED.items())
def test_only_keys_slacks_schema_knows(manifest, level, allowed):
    data = _get(manifest, level) if level else manifest
    assert set(data) <= allowed


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
    for shortcut in manifest["features"]["shortcuts"]:
        assert shortcut["type"] in ("message", "global")
        assert len(shortcut["name"]) <= 80 and len(shortcut["description"]) <= 150
        assert re.fullmatch(r"[a-z0-9_\-.]{1,255}", shortcut["callback_id"])
    assert len(manifest["features"]["assistant_view"]["assistant_description"]) <= 300


def test_scopes_match_the_features_used(manifest):
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == required_bot_scopes()


def test_events_command_shortcut_and_interactivity_match_the_code(manifest):
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == set(SCOPES_BY_EVENT)
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == COMMAND
    [shortcut] = manifest["features"]["shortcuts"]
    assert (shortcut["type"], shortcut["callback_id"]) == ("message", SHORTCUT)
    assert COMMAND_SCOPE in manifest["oauth_config"]["scopes"]["bot"]
    assert manifest["settings"]["interactivity"]["is_enabled"] is True  # buttons and dialogs
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True  # DMs to Reggi
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True  # the Home tab


def test_socket_mode_first_without_urls():
    manifest = _load(SOCKET)
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in manifest["settings"]["event_subscriptions"]
    assert "url" not in manifest["features"]["slash_commands"][0]


@pytest.mark.parametrize(("path", "kind"), HTTP_ONLY)
def test_http_manifest_points_every_url_at_the_events_path(path, kind):
    manifest = _load(HTTP)
    assert manifest["settings"]["socket_mode_enabled"] is False
    assert isinstance(_get(manifest, path), kind)
    urls = [
        manifest["features"]["slash_commands"][0]["url"],
        manifest["settings"]["event_subscriptions"]["request_url"],
        manifest["settings"]["interactivity"]["request_url"],
    ]
    assert all(u.startswith("https://") and u.endswith(EVENTS_PATH) for u in urls)


def test_the_two_manifests_differ_only_in_transport():
    socket, http = _load(SOCKET), _load(HTTP)
    assert socket["oauth_config"] == http["oauth_config"]
    assert socket["features"]["shortcuts"] == http["features"]["shortcuts"]
    assert (
        socket["settings"]["event_subscriptions"]["bot_events"]
        == http["settings"]["event_subscriptions"]["bot_events"]
    )
