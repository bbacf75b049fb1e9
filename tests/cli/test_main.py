"""`./lz` itself: the launcher, help, a reader that stops early, and the import notes a new
user reads first."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import build_parser

REPO = Path(__file__).resolve().parents[2]


def test_help_names_the_test_command(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    assert "`./lz test [PYTEST ARGS]`" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [
    pytest.param(["plan", "--no-local"], id="plan"),
    pytest.param(["plan", "--no-local", "--json"], id="plan --json"),
    pytest.param(["show", "--no-local"], id="show"),
])
def test_a_reader_that_stops_early_leaves_the_exit_code_alone(argv):
    """`./lz plan | head -1` exited 1 (a BrokenPipeError traceback)."""
    process = subprocess.Popen([sys.executable, "-P", "-m", "cli", *argv], cwd=REPO,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "PYTHONPATH": str(REPO)})
    process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait() == 0, stderr
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr


@pytest.fixture
def launcher(tmp_path) -> Path:
    """A copy of `lz` whose venv python is a stand-in that reports where and how it ran."""
    root = tmp_path / "repo"
    (root / "venv" / "bin").mkdir(parents=True)
    shutil.copy(REPO / "lz", root / "lz")
    requirements = (REPO / "requirements.txt").read_bytes()
    (root / "requirements.txt").write_bytes(requirements)
    (root / "venv" / ".installed-requirements").write_text(
        hashlib.sha256(requirements * 2).hexdigest() + "\n")
    fake = root / "venv" / "bin" / "python"
    fake.write_text('#!/bin/sh\nprintf "%s\\n" "$PWD" "$PYTHONPATH" "$*"\n')
    fake.chmod(0o755)
    return root


@pytest.mark.skipif(shutil.which("bash") is None, reason="the launcher is a bash script")
def test_the_launcher_runs_commands_where_the_user_stands(launcher, tmp_path):
    """Relative paths are the user's: `cd ~/work && ./lz plan org.yaml --diagram org.md`."""
    here = tmp_path / "elsewhere"
    here.mkdir()
    result = subprocess.run([str(launcher / "lz"), "validate", "org.yaml"], cwd=here,
                            capture_output=True, text=True, check=True)
    cwd, pythonpath, args = result.stdout.splitlines()
    assert (cwd, pythonpath.split(":")[0], args) == (str(here), str(launcher),
                                                     "-P -m cli validate org.yaml")
