"""The Teams app package: manifest from the template, icons, the zip, and the command."""

from __future__ import annotations

import copy
import io
import json
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from deploy.teams.build import (
    HERE,
    PackageError,
    build_package,
    icon_problems,
    main,
    manifest_problems,
    render_manifest,
)
from deploy.teams.icons import color_icon, outline_icon, write_icons

BOT_ID = "0b1e8d56-5c1f-4a5e-9d6a-2f0c7f3f9a11"
SITE = "https://intranet.example.com/legal/reggi"


@pytest.fixture
def package(tmp_path: Path) -> Path:
    return build_package(bot_id=BOT_ID, website_url=SITE, output=tmp_path / "reggi.zip")


def test_package_has_the_three_files_at_the_root(package: Path) -> None:
    with zipfile.ZipFile(package) as archive:
        assert sorted(archive.namelist()) == [
            "color.png",
            "manifest.json",
            "outline.png",
        ]
        assert Image.open(io.BytesIO(archive.read("color.png"))).size == (192, 192)
        assert Image.open(io.BytesIO(archive.read("outline.png"))).size == (32, 32)


def test_manifest_validates_and_carries_the_bot_id(package: Path) -> None:
    with zipfile.ZipFile(package) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest_problems(manifest) == []
    assert manifest["manifestVersion"] == "1.29"
    assert manifest["$schema"].endswith("/v1.29/MicrosoftTeams.schema.json")
    assert manifest["id"] == BOT_ID
    (bot,) = manifest["bots"]
    assert bot["botId"] == BOT_ID
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    assert bot["supportsFiles"] is True  # "Export as Word": the file consent flow in 1:1 chats
    assert "help" in [c["title"] for c in bot["commandLists"][0]["commands"]]


def _broken(path: str, value: object) -> dict:
    manifest = copy.deepcopy(_valid())
    target = manifest
    keys = path.split(".")
    for key in keys[:-1]:
        target = target[int(key)] if key.isdigit() else target[key]
    if value is None:
        del target[keys[-1]]
    else:
        target[keys[-1]] = value
    return manifest


def _valid() -> dict:
    return render_manifest(
        (HERE / "manifest.template.json").read_text(),
        {
            "APP_VERSION": "1.0.0",
            "TEAMS_APP_ID": BOT_ID,
            "TEAMS_CLIENT_ID": BOT_ID,
            "DEVELOPER_NAME": "Reggi",
            "WEBSITE_URL": SITE,
            "PRIVACY_URL": SITE,
            "TERMS_URL": SITE,
        },
    )


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        ("accentColor", None, "accentColor is missing"),
        ("developer", None, "developer is missing"),
        ("id", "not-a-guid", "id must be a GUID"),
        ("version", "1.0", "version must look like 1.0.0"),
        (
            "developer.privacyUrl",
            "ftp://x",
            "developer.privacyUrl must be an https URL",
        ),
        ("name.short", "R" * 31, "name.short is longer than 30 characters"),
        (
            "description.short",
            "d" * 81,
            "description.short is longer than 80 characters",
        ),
        ("icons.outline", "", "icons.outline is missing"),
        ("bots.0.botId", "", "bots[0].botId must be the bot's Entra app id (a GUID)"),
        (
            "bots.0.scopes",
            ["personal", "everywhere"],
            "bots[0].scopes must be among personal, team, groupChat",
        ),
    ],
)
def test_manifest_problems_name_what_is_wrong(path: str, value: object, problem: str) -> None:
    assert manifest_problems(_valid()) == []
    assert problem in manifest_problems(_broken(path, value))


def test_manifest_values_are_json_escaped() -> None:
    manifest = render_manifest(
        '{"name": "${DEVELOPER_NAME}", "$schema": "x"}',
        {"DEVELOPER_NAME": 'A "quoted" name'},
    )
    assert manifest == {"name": 'A "quoted" name', "$schema": "x"}


def test_missing_template_value_is_a_package_error() -> None:
    with pytest.raises(PackageError, match="APP_VERSION"):
        render_manifest('{"version": "${APP_VERSION}"}', {})


def test_bad_bot_id_stops_the_build(tmp_path: Path) -> None:
    with pytest.raises(PackageError, match="GUID"):
        build_package(bot_id="my-bot", website_url=SITE, output=tmp_path / "x.zip")
    assert not (tmp_path / "x.zip").exists()


def test_committed_icons_are_what_the_generator_draws(tmp_path: Path) -> None:
    color, outline = write_icons(tmp_path)
    for generated, committed in (
        (color, HERE / "color.png"),
        (outline, HERE / "outline.png"),
    ):
        assert (
            Image.open(generated).convert("RGBA").tobytes()
            == Image.open(committed).convert("RGBA").tobytes()
        )


def test_icon_problems() -> None:
    def png(image: Image.Image) -> bytes:
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return buffer.getvalue()

    good = {"color.png": png(color_icon()), "outline.png": png(outline_icon())}
    assert icon_problems(good) == []
    assert icon_problems({"color.png": good["color.png"]}) == ["outline.png is missing"]
    red_outline = png(Image.new("RGBA", (32, 32), (255, 0, 0, 255)))
    assert icon_problems({**good, "outline.png": red_outline}) == [
        "outline.png must be white on transparent"
    ]
    small_color = png(Image.new("RGBA", (96, 96), (0, 0, 0, 255)))
    assert icon_problems({**good, "color.png": small_color}) == ["color.png must be a 192x192 PNG"]


def test_command_builds_the_zip_with_the_bot_id_from_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setenv("TEAMS_CLIENT_ID", BOT_ID)
    monkeypatch.setenv("TEAMS_CLIENT_SECRET", "s")
    output = tmp_path / "out" / "reggi.zip"
    assert main(["--website-url", SITE, "--version", "1.2.3", "--output", str(output)]) == 0
    with zipfile.ZipFile(output) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert (manifest["bots"][0]["botId"], manifest["version"]) == (BOT_ID, "1.2.3")
    assert capsys.readouterr().out.strip() == str(output)


def test_command_without_bot_id_says_what_to_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TEAMS_CLIENT_ID", raising=False)
    assert main(["--website-url", SITE, "--output", str(tmp_path / "x.zip")]) == 1
    assert "TEAMS_CLIENT_ID" in capsys.readouterr().err


def test_prompt_starters_are_real_questions_in_personal_chats() -> None:
    import json as _json

    template = _json.loads(
        (
            Path(__file__).resolve().parents[3] / "deploy" / "teams" / "manifest.template.json"
        ).read_text(encoding="utf-8")
    )
    [personal] = [c for c in template["bots"][0]["commandLists"] if c["scopes"] == ["personal"]]
    prompts = [c["title"] for c in personal["commands"] if c["title"] != "help"]
    assert len(prompts) >= 3
    assert all(p.endswith("?") and not p.startswith("-") and len(p) <= 32 for p in prompts)
