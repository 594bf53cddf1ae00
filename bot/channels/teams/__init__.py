"""Microsoft Teams channel: `build_teams_app(...)` and `mount_teams(fastapi_app, bot)`."""

from bot.channels.teams.app import TeamsBot, build_teams_app
from bot.channels.teams.mount import mount_teams

__all__ = ["TeamsBot", "build_teams_app", "mount_teams"]
