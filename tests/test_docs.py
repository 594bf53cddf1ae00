"""The README is a short front door, docs/ holds the rest, and both stay true to the code.

Checked here: the README's two commands are what CI runs; every setting is in `.env.example`
and in the configuration table with its real default; every relative link resolves (file and
heading); every documented `python -m` command exists; every benchmark is documented.
"""

import contextlib
import importlib.util
import io
import re
from pathlib import Path

import pytest

from bot.__main__ import main as bot_main
from bot.channels.cli import render_text
from bot.settings import Settings

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
DOCS = sorted((REPO / "docs").glob("*.md"))
PAGES = [README, *DOCS]
MAX_README_LINES = 220


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _prose(text: str) -> str:
    """The text without fenced code blocks (links and headings inside them are not markdown)."""
    return re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    headings = re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", _prose(_text(path)), re.M)
    return {_slug(h) for h in headings}


def _links(path: Path) -> list[str]:
    return re.findall(r"\]\(([^)\s]+)\)", _prose(_text(path)))


def _settings_table() -> dict[str, tuple[str, str]]:
    rows = {}
    for line in _text(REPO / "docs" / "configuration.md").splitlines():
        m = re.match(r"^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|([^|]*)\|(.*)\|\s*$", line)
        if m:
            rows[m.group(1)] = (m.group(2).strip().strip("`"), m.group(3).strip())
    return rows


def _documented_default(value: object) -> str:
    if value is None or value == "":
        return "unset"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Path) and not value.is_absolute():
        return f"./{value}"
    return str(value)


def test_readme_is_a_short_front_door():
    lines = _text(README).count("\n")
    assert lines <= MAX_README_LINES, f"README.md has {lines} lines (at most {MAX_README_LINES})"


def test_readme_has_the_two_commands_and_ci_runs_the_test_one():
    block = re.search(r"## Two commands.*?```bash\n(.*?)```", _text(README), re.S)
    assert block, "README.md has no '## Two commands' section with a bash block"
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]
    assert commands == ["./deploy/run.sh", "./tests/run.sh"]
    ci = _text(REPO / ".ci" / "run")
    ci_commands = [
        line.strip()
        for line in ci.splitlines()
        if line.strip() and not line.lstrip().startswith(("#", "set ", "cd "))
    ]
    assert ci_commands == ["./tests/run.sh"], ci_commands
    for script in ("deploy/run.sh", "tests/run.sh", ".ci/run"):
        assert (REPO / script).stat().st_mode & 0o111, f"{script} is not executable"
    # What the two commands promise: the tests run ruff and pytest, the run script serves.
    tests_sh = _text(REPO / "tests" / "run.sh")
    assert "ruff check" in tests_sh and "-m pytest" in tests_sh
    assert re.search(r"-m bot serve\s*$", _text(REPO / "deploy" / "run.sh"), re.M)


def test_every_setting_is_in_env_example():
    documented = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", _text(REPO / ".env.example"), re.M))
    missing = {name.upper() for name in Settings.model_fields} - documented
    assert not missing, f"not in .env.example: {sorted(missing)}"


def test_every_setting_is_in_the_configuration_table_with_its_default():
    table = _settings_table()
    names = {name.upper() for name in Settings.model_fields}
    assert names - set(table) == set(), f"not in docs/configuration.md: {names - set(table)}"
    assert set(table) - names == set(), f"documented but not a setting: {set(table) - names}"
    for name, field in Settings.model_fields.items():
        default, meaning = table[name.upper()]
        assert meaning, f"{name.upper()} has no meaning in docs/configuration.md"
        assert default == _documented_default(field.default), (
            f"{name.upper()}: docs/configuration.md says {default!r}, bot/settings.py has "
            f"{field.default!r}"
        )


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_relative_link_resolves(page: Path):
    broken = []
    for link in _links(page):
        if re.match(r"^[a-z][a-z0-9+.-]*:", link):  # https:, mailto:
            continue
        target, _, anchor = link.partition("#")
        path = (page.parent / target).resolve() if target else page
        if not path.exists():
            broken.append(f"{link}: no such file")
        elif anchor and path.suffix == ".md" and anchor not in _anchors(path):
            broken.append(f"{link}: no heading '#{anchor}' in {path.name}")
    assert not broken, broken


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_named_repository_path_exists(page: Path):
    named = re.findall(
        r"`((?:bot|ingestion|tests|deploy|benchmarks|data|docs)/[^`\s]*)`", _text(page)
    )
    paths = {name.split("::")[0] for name in named if not re.search(r"[<*{]", name)}
    missing = sorted(path for path in paths if not (REPO / path).exists())
    assert not missing, f"{page.name} names paths that do not exist: {missing}"


def test_the_readme_architecture_tree_matches_the_packages():
    section = _text(README).split("## Architecture", 1)[1]
    tree = re.search(r"```\n(.*?)```", section, re.S)
    assert tree, "README.md's architecture section has no tree"
    parent, named = "", []
    for line in tree.group(1).splitlines():
        m = re.match(r"^( {0,2})(\S+)", line)
        if not m or not m.group(2).endswith(("/", ".py")):
            continue
        if m.group(1):
            named.append(parent + m.group(2))
        else:
            parent = m.group(2)
            named.append(parent)
    assert "bot/" in named and "bot/compose.py" in named, named
    missing = [name for name in named if not (REPO / name).exists()]
    assert not missing, f"the README's tree names what does not exist: {missing}"


def test_the_readme_links_every_docs_page():
    linked = {(README.parent / link.partition("#")[0]).resolve() for link in _links(README)}
    unlinked = [doc.name for doc in DOCS if doc.resolve() not in linked]
    assert not unlinked, f"README.md does not link {unlinked}"


def _documented_modules() -> set[str]:
    """Every `python -m X` module named in the README and docs (`a.{b,c}` expands to a.b, a.c)."""
    modules = set()
    for page in PAGES:
        for m in re.finditer(r"python -m ([\w.]+)(?:\{([\w,]+)\})?", _text(page)):
            base, alternatives = m.group(1), m.group(2)
            if alternatives:
                modules |= {base + name for name in alternatives.split(",")}
            else:
                modules.add(base.rstrip("."))
    return modules


def test_every_documented_module_exists():
    modules = _documented_modules()
    assert {"bot", "ingestion", "bot.eval"} <= modules
    missing = [m for m in sorted(modules) if importlib.util.find_spec(m) is None]
    assert not missing, f"documented but not importable: {missing}"


def _bot_subcommands() -> set[str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        bot_main(["--help"])
    choices = re.search(r"\{([\w,-]+)\}", out.getvalue())
    assert choices, out.getvalue()
    return set(choices.group(1).split(","))


def test_every_bot_command_is_documented_and_every_documented_one_exists():
    subcommands = _bot_subcommands()
    operations = _text(REPO / "docs" / "operations.md")
    for name in subcommands:
        assert f"python -m bot {name}" in operations, f"`python -m bot {name}` not documented"
    used = {m for page in PAGES for m in re.findall(r"python -m bot ([a-z][\w-]*)", _text(page))}
    assert used <= subcommands, f"documented but no such command: {used - subcommands}"
    for command in ("python -m bot cache stats", "python -m bot cache clear"):
        assert command in operations, command
    assert "python -m bot audit export" in operations


def test_every_benchmark_is_documented():
    scripts = {p.stem for p in (REPO / "benchmarks").glob("*.py") if p.stem != "__init__"}
    text = _text(REPO / "docs" / "benchmarks.md")
    missing = [s for s in sorted(scripts) if f"python -m benchmarks.{s}" not in text]
    assert not missing, f"benchmarks not in docs/benchmarks.md: {missing}"


def test_the_readme_answer_is_what_reggi_answers(corpus_engine):
    """The README's example answer is an excerpt of the real offline answer: every piece between
    the "…" elisions is, up to line wrapping, in what `python -m bot ask` prints."""
    block = re.search(r"```text\n\$ (.*?)\n(.*?)```", _text(README), re.S)
    assert block, "README.md has no ```text block starting with a `$ … python -m bot ask` line"
    question = re.search(r'python -m bot ask "([^"]+)"\s*$', block.group(1))
    assert question, block.group(1)
    answer = corpus_engine.ask(question.group(1))
    assert answer.writer == "extractive"
    printed = " ".join(render_text(answer).split())
    missing = [
        piece
        for line in block.group(2).splitlines()
        for piece in (" ".join(part.split()) for part in line.split("…"))
        if piece and piece not in printed
    ]
    assert not missing, (
        "README.md's example answer is no longer what Reggi answers; rerun the command in it "
        f"and update the excerpt. Not in the real answer: {missing}"
    )
