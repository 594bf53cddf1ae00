"""Who may ask Reggi on Slack: workspace, channel and user allowlists (empty = everyone)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import NotAllowed


@dataclass(frozen=True)
class Allowlists:
    """Who may ask (each empty set = everyone)."""

    teams: frozenset[str] = frozenset()  # team ids or Enterprise Grid org ids
    channels: frozenset[str] = frozenset()
    users: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Requester:
    """Where a request came from."""

    team: str
    channel: str
    user: str
    enterprise: str = ""

    @property
    def rate_key(self) -> str:
        return f"slack:{self.team}:{self.user}"


def check_access(
    requester: Requester,
    *,
    teams: frozenset[str],
    channels: frozenset[str],
    users: frozenset[str],
) -> None:
    """Raise NotAllowed unless every non-empty allowlist contains the requester.

    A workspace allowlist matches the team id or the Enterprise Grid org id.
    """
    if (
        teams
        and requester.team not in teams
        and (not requester.enterprise or requester.enterprise not in teams)
    ):
        raise NotAllowed(f"team {requester.team} not allowed")
    if channels and requester.channel not in channels:
        raise NotAllowed(f"channel {requester.channel} not allowed")
    if users and requester.user not in users:
        raise NotAllowed(f"user {requester.user} not allowed")
