"""Problem rendering and hints: the one format every command prints."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from config.errors import ConfigError, Problem, Severity, did_you_mean, dotted

CONFIG_DIR = Path(__file__).resolve().parents[2] / "config"


@pytest.mark.parametrize(("problem", "text"), [
    (Problem("LZ201", ("a", "b"), "bad.", "Fix it.", file="f.yaml", line=3),
     "f.yaml:3: error LZ201: a.b: bad. Fix it."),
    (Problem("LZ501", ("a",), "odd.", severity=Severity.WARNING, file="f.yaml", line=1),
     "f.yaml:1: warning LZ501: a: odd."),
    (Problem("LZ100", (), "not found.", "Create it.", file="f.yaml"),
     "f.yaml: error LZ100: not found. Create it."),
    (Problem("LZ110", ("x",), "bad."), "<config>: error LZ110: x: bad."),
])
def test_render(problem, text):
    assert problem.render() == text


@pytest.mark.parametrize(("path", "text"), [
    ((), ""), (("accounts",), "accounts"), (("accounts", "dev", "tags", 0), "accounts.dev.tags[0]"),
    (("sso", "users", "u", "groups", 1, "x"), "sso.users.u.groups[1].x"),
])
def test_dotted(path, text):
    assert dotted(path) == text


def test_did_you_mean():
    assert did_you_mean("workload", ["workloads", "security"]) == "Did you mean 'workloads'?"
    assert did_you_mean("x", []) == "There is nothing to refer to yet: define it first."
    assert did_you_mean("zzz", [f"k{i}" for i in range(10)]) == (
        "Use one of 'k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7' and 2 more.")


def test_config_error_separates_errors_from_warnings():
    error = ConfigError([Problem("LZ501", (), "w.", severity=Severity.WARNING),
                         Problem("LZ201", (), "e.")])
    assert [p.code for p in error.errors] == ["LZ201"]


def test_every_problem_code_is_asserted_by_a_test():
    """Codes are documented and stable: each one needs a test that pins its message."""
    source = "".join(p.read_text(encoding="utf-8") for p in CONFIG_DIR.rglob("*.py"))
    tests = "".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_*.py")
                    if p.name != Path(__file__).name)
    codes = set(re.findall(r"\bLZ\d{3}\b", source))
    assert len(codes) > 40
    assert sorted(c for c in codes if c not in tests) == []
