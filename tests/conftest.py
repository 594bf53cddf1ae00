"""Shared fixtures: each lives in a module of tests/fixtures, registered here."""

pytest_plugins = [
    "tests.fixtures.index",
    "tests.fixtures.loaders",
    "tests.fixtures.redis",
    "tests.fixtures.teams",
]
