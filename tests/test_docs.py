"""The README documents what a newcomer needs, and CI runs exactly its test command."""

import re
from pathlib import Path

from bot.settings import Settings

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text()


def test_readme_has_the_two_commands_and_ci_runs_the_test_one():
    block = re.search(r"## Two commands.*?```bash\n(.*?)```", README, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["./deploy/run.sh", "./tests/run.sh"]
    ci = (REPO / ".ci" / "run").read_text()
    assert re.search(r"^\./tests/run\.sh\s*$", ci, re.M)
    for script in ("deploy/run.sh", "tests/run.sh", ".ci/run"):
        assert (REPO / script).stat().st_mode & 0o111, f"{script} is not executable"


def test_every_setting_is_in_the_readme_configuration_table():
    table = README.split("## Configuration", 1)[1].split("## Architecture", 1)[0]
    for name in Settings.model_fields:
        assert f"`{name.upper()}`" in table, name


def test_every_command_is_documented():
    for command in (
        "python -m bot serve",
        "python -m bot ask",
        "python -m ingestion",
        "python -m bot.eval",
        "python -m bot cache stats",
        "python -m bot audit export",
    ):
        assert command in README, command
