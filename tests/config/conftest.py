"""Shared helpers of the config tests: write YAML into a temp dir, load it, render problems.

Problems are rendered with the temp dir stripped, so a test reads like the operator's terminal:
`organization.yaml:7: error LZ201: organizational_units.dev.parent: ...`.
Helpers are fixtures (pytest runs with --import-mode=importlib, where test modules cannot
import this file).
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Callable

import pytest

from config import ConfigError, Loaded, Problem, load

REPO = Path(__file__).resolve().parents[2]
METASTRUCTURE = REPO.parent / "shared" / "fixtures" / "metastructure" / "metastructure.yml"
EXAMPLE = REPO / "config" / "organization.yaml"

# The smallest valid organization (six lines): rule cases append to it, so their first line
# is line 7.
MINIMAL = """\
organization:
  aws_region: us-east-1
  key_accounts: {master: master}
  tokens: {namespace: acme}
accounts:
  master: {name: Management, email: root@example.com}
"""


def rendered(problems: list[Problem], directory: Path) -> list[str]:
    """Each problem as the operator sees it, with file paths relative to `directory`."""
    return [p.render().replace(f"{directory}/", "") for p in problems]


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write dedented YAML text to tmp_path/<name> and return the path."""

    def _write(text: str, name: str = "organization.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def load_text(write) -> Callable[..., Loaded]:
    """Load YAML text as organization.yaml (no local override unless the test writes one)."""

    def _load(text: str, **kwargs) -> Loaded:
        return load(write(text), **kwargs)

    return _load


@pytest.fixture
def problems(write, tmp_path: Path) -> Callable[..., list[str]]:
    """The rendered problems of YAML text: the errors when it fails, else the warnings."""

    def _problems(text: str, **kwargs) -> list[str]:
        try:
            loaded = load(write(text), **kwargs)
        except ConfigError as exc:
            return rendered(exc.problems, tmp_path)
        return rendered(list(loaded.warnings), tmp_path)

    return _problems


@pytest.fixture
def minimal() -> str:
    return MINIMAL


@pytest.fixture(scope="session")
def example_path() -> Path:
    return EXAMPLE


@pytest.fixture(scope="session")
def metastructure_path() -> Path:
    if not METASTRUCTURE.is_file():
        pytest.skip(f"Metastructure fixture not found at {METASTRUCTURE} (it lives in the shared "
                    "fixtures beside the repo, never in it)")
    return METASTRUCTURE


@pytest.fixture
def minimal_problems(problems) -> Callable[[str | tuple[str, str]], list[str]]:
    """Problems of MINIMAL with YAML appended (its first line is line 7), or with one
    `(old, new)` replacement for cases that change the organization section."""

    def _run(change: str | tuple[str, str]) -> list[str]:
        if isinstance(change, tuple):
            old, new = change
            assert old in MINIMAL, f"{old!r} is not in MINIMAL"
            return problems(MINIMAL.replace(old, new))
        return problems(MINIMAL + change)

    return _run
