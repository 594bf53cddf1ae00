"""Builds Reggi's sideloadable Teams app package (a zip of manifest.json, color.png, outline.png).

    python -m deploy.teams.build --website-url https://intranet.example.com/legal/reggi

The bot id is TEAMS_CLIENT_ID from Reggi's settings (.env or the environment); the Teams app
id defaults to the same GUID. The manifest is checked against the schema's required fields
and limits before the zip is written.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from string import Template
from typing import Any

from PIL import Image

from bot.errors import ConfigError
from bot.settings import load_settings

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "manifest.template.json"
DEFAULT_OUTPUT = HERE / "reggi-teams.zip"
ICON_SIZES = {"color.png": (192, 192), "outline.png": (32, 32)}

REQUIRED = (
    "manifestVersion",
    "version",
    "id",
    "developer",
    "name",
    "description",
    "icons",
    "accentColor",
)
_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
_HTTPS = re.compile(r"^[Hh][Tt][Tt][Pp][Ss]?://")
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_SCOPES = {"team", "personal", "groupChat"}


class _Placeholders(Template):
    """Only `${NAME}` is a placeholder, so `"$schema"` stays as it is."""

    pattern = r"\$\{(?P<braced>[A-Z_]+)\}|(?P<escaped>(?!))|(?P<named>(?!))|(?P<invalid>(?!))"


class PackageError(Exception):
    """The package cannot be built; the message says why, in one sentence."""


def render_manifest(template: str, values: Mapping[str, str]) -> dict[str, Any]:
    """The manifest from its template, each `${NAME}` replaced by its JSON-escaped value."""
    escaped = {k: json.dumps(v)[1:-1] for k, v in values.items()}
    try:
        return json.loads(_Placeholders(template).substitute(escaped))
    except KeyError as exc:
        raise PackageError(f"the manifest template needs a value for {exc.args[0]}") from None


def _length(problems: list[str], where: str, value: Any, limit: int) -> None:
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where} is missing")
    elif len(value) > limit:
        problems.append(f"{where} is longer than {limit} characters")


def manifest_problems(manifest: Mapping[str, Any]) -> list[str]:
    """What keeps `manifest` from validating (required fields and limits of the schema); [] if fine."""
    problems = [f"{key} is missing" for key in REQUIRED if key not in manifest]
    if problems:
        return problems
    if not _GUID.match(str(manifest["id"])):
        problems.append("id must be a GUID")
    if not _SEMVER.match(str(manifest["version"])):
        problems.append("version must look like 1.0.0")
    developer = manifest["developer"] if isinstance(manifest["developer"], Mapping) else {}
    _length(problems, "developer.name", developer.get("name"), 32)
    for key in ("websiteUrl", "privacyUrl", "termsOfUseUrl"):
        if not _HTTPS.match(str(developer.get(key) or "")):
            problems.append(f"developer.{key} must be an https URL")
    name = manifest["name"] if isinstance(manifest["name"], Mapping) else {}
    _length(problems, "name.short", name.get("short"), 30)
    if "full" in name:
        _length(problems, "name.full", name.get("full"), 100)
    description = manifest["description"] if isinstance(manifest["description"], Mapping) else {}
    _length(problems, "description.short", description.get("short"), 80)
    _length(problems, "description.full", description.get("full"), 4000)
    icons = manifest["icons"] if isinstance(manifest["icons"], Mapping) else {}
    for key in ("color", "outline"):
        if not icons.get(key):
            problems.append(f"icons.{key} is missing")
    if not _HEX.match(str(manifest["accentColor"])):
        problems.append("accentColor must look like #1F4E79")
    bots = manifest.get("bots") or []
    if len(bots) != 1:
        problems.append("exactly one bot must be declared")
    for bot in bots[:1]:
        if not _GUID.match(str(bot.get("botId") or "")):
            problems.append("bots[0].botId must be the bot's Entra app id (a GUID)")
        if not bot.get("scopes") or not set(bot["scopes"]) <= _SCOPES:
            problems.append("bots[0].scopes must be among personal, team, groupChat")
        lists = bot.get("commandLists") or []
        if len(lists) > 3:
            problems.append("at most 3 command lists are allowed")
        for i, command_list in enumerate(lists):
            commands = command_list.get("commands") or []
            if not commands or len(commands) > 10:
                problems.append(f"commandLists[{i}] must have 1 to 10 commands")
            for command in commands:
                _length(
                    problems,
                    f"command {command.get('title')!r} title",
                    command.get("title"),
                    32,
                )
                _length(
                    problems,
                    f"command {command.get('title')!r} description",
                    command.get("description"),
                    128,
                )
    return problems


def icon_problems(icons: Mapping[str, bytes]) -> list[str]:
    """Size and transparency checks of the two icons; [] if fine."""
    problems = []
    for name, size in ICON_SIZES.items():
        if name not in icons:
            problems.append(f"{name} is missing")
            continue
        image = Image.open(io.BytesIO(icons[name]))
        if image.format != "PNG" or image.size != size:
            problems.append(f"{name} must be a {size[0]}x{size[1]} PNG")
        if name == "outline.png":
            rgba = image.convert("RGBA")
            if any(a and (r, g, b) != (255, 255, 255) for r, g, b, a in rgba.get_flattened_data()):
                problems.append("outline.png must be white on transparent")
    return problems


def build_package(
    *,
    bot_id: str,
    website_url: str,
    output: Path = DEFAULT_OUTPUT,
    app_id: str | None = None,
    version: str = "1.0.0",
    developer_name: str = "Reggi",
    privacy_url: str | None = None,
    terms_url: str | None = None,
    icon_dir: Path = HERE,
    template: Path = TEMPLATE,
) -> Path:
    """Write the app package zip (files at the archive root) and return its path."""
    manifest = render_manifest(
        template.read_text(encoding="utf-8"),
        {
            "APP_VERSION": version,
            "TEAMS_APP_ID": app_id or bot_id,
            "TEAMS_CLIENT_ID": bot_id,
            "DEVELOPER_NAME": developer_name,
            "WEBSITE_URL": website_url,
            "PRIVACY_URL": privacy_url or website_url,
            "TERMS_URL": terms_url or website_url,
        },
    )
    icons = {
        name: (icon_dir / name).read_bytes() for name in ICON_SIZES if (icon_dir / name).is_file()
    }
    problems = manifest_problems(manifest) + icon_problems(icons)
    if problems:
        raise PackageError("; ".join(problems))
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        for name, data in icons.items():
            archive.writestr(name, data)
    return output


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m deploy.teams.build", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--website-url",
        required=True,
        help="https page about Reggi in your organisation",
    )
    parser.add_argument("--privacy-url", help="privacy statement (default: the website URL)")
    parser.add_argument("--terms-url", help="terms of use (default: the website URL)")
    parser.add_argument(
        "--developer-name",
        default="Reggi",
        help="publisher shown in Teams (≤ 32 chars)",
    )
    parser.add_argument("--app-id", help="Teams app id, a GUID (default: TEAMS_CLIENT_ID)")
    parser.add_argument(
        "--version", default="1.0.0", help="app version; raise it for every new upload"
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help=f"zip to write (default {DEFAULT_OUTPUT})",
    )
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        if not settings.teams_client_id:
            raise PackageError(
                "set TEAMS_CLIENT_ID (the bot's Entra app id) in .env or the environment"
            )
        path = build_package(
            bot_id=settings.teams_client_id,
            app_id=args.app_id,
            website_url=args.website_url,
            privacy_url=args.privacy_url,
            terms_url=args.terms_url,
            developer_name=args.developer_name,
            version=args.version,
            output=args.output,
        )
    except (PackageError, ConfigError) as exc:
        print(f"Cannot build the Teams app package: {exc}", file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
