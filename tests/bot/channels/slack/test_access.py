import pytest

from bot.channels.slack.access import NotAllowed, Requester, check_access
from bot.errors import user_message

ANN = Requester(team="T1", channel="C1", user="U1", enterprise="E1")
NONE: frozenset[str] = frozenset()


@pytest.mark.parametrize(
    ("teams", "channels", "users", "allowed"),
    [
        (NONE, NONE, NONE, True),
        ({"T1"}, NONE, NONE, True),
        ({"E1"}, NONE, NONE, True),
        ({"T2"}, NONE, NONE, False),
        (NONE, {"C1", "C2"}, NONE, True),
        (NONE, {"C2"}, NONE, False),
        (NONE, NONE, {"U1"}, True),
        (NONE, NONE, {"U2"}, False),
        ({"T1"}, {"C1"}, {"U2"}, False),
        ({"T1"}, {"C1"}, {"U1"}, True),
    ],
)
def test_check_access(teams, channels, users, allowed):
    kwargs = {
        "teams": frozenset(teams),
        "channels": frozenset(channels),
        "users": frozenset(users),
    }
    if allowed:
        check_access(ANN, **kwargs)
    else:
        with pytest.raises(NotAllowed) as info:
            check_access(ANN, **kwargs)
        assert "isn't enabled" in user_message(info.value)
        assert "C1" not in user_message(info.value)


def test_enterprise_allowlist_needs_an_enterprise():
    with pytest.raises(NotAllowed):
        check_access(
            Requester("T1", "C1", "U1"),
            teams=frozenset({""}),
            channels=NONE,
            users=NONE,
        )


def test_rate_key_is_per_workspace_and_user():
    assert ANN.rate_key == "slack:T1:U1"
