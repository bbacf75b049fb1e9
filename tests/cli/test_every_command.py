"""Every `./lz` command, given what a new user types by mistake: an output path it cannot
write, an input that is missing or binary, an unknown flag. Each ends with its documented
exit code (2: bad usage or config) and a one-line reason on stderr, never a traceback, and an
output is checked before the command reads anything from AWS."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cli.commands import COMMANDS
from cli.main import main

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "organization.yaml"
# Commands with a config PATH argument: every one but import (which reads AWS, not a file).
WITH_CONFIG = [c.NAME for c in COMMANDS if c.NAME != "import"]


@pytest.fixture
def unwritable(tmp_path) -> Path:
    """A folder nobody may create files in: permission bits where they bind, else /sys
    (read-only even for root, who ignores permission bits)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        (folder / "probe").touch()
    except PermissionError:
        yield folder
    else:
        (folder / "probe").unlink()
        if not Path("/sys").is_dir() or _can_create("/sys"):
            pytest.skip("no unwritable folder on this machine")
        yield Path("/sys")
    folder.chmod(0o700)


def _can_create(folder: str) -> bool:
    try:
        (Path(folder) / "lz-probe").touch()
    except OSError:
        return False
    (Path(folder) / "lz-probe").unlink()
    return True


def run(capsys, argv: list[str]) -> tuple[int, str]:
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse's own errors
        code = exit_.code
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return code, captured.err


OUTPUTS = [
    pytest.param(["plan", "--no-local", "--json", "{dir}/plan.json"], id="plan --json"),
    pytest.param(["plan", "--no-local", "--diagram", "{dir}/org.md"], id="plan --diagram"),
    pytest.param(["import", "--output", "{dir}/organization.yaml"], id="import --output"),
    pytest.param(["sso-config", "--no-local", "--write"], id="sso-config --write"),
]


@pytest.mark.parametrize("argv", OUTPUTS)
def test_an_unwritable_output_is_a_usage_error_before_any_work(capsys, monkeypatch, unwritable,
                                                              argv):
    """migrate-state writes only inside the Pulumi project (--cwd), after the pulumi CLI is
    found; the other commands write nothing."""
    monkeypatch.setenv("AWS_CONFIG_FILE", str(unwritable / "config"))
    code, err = run(capsys, [a.format(dir=unwritable) for a in argv])
    assert code == 2
    assert err.startswith("error: ") and "cannot write there" in err, err
    assert "reading" not in err  # no AWS progress: nothing was read first


@pytest.mark.parametrize("name", WITH_CONFIG)
def test_a_missing_config_is_exit_2(capsys, tmp_path, name):
    path = tmp_path / "nope.yaml"
    code, err = run(capsys, [name, str(path)])
    assert code == 2
    assert err.startswith(f"{path}: error LZ100: configuration file not found.")


@pytest.mark.parametrize("name", WITH_CONFIG)
def test_a_binary_config_is_exit_2(capsys, tmp_path, name):
    path = tmp_path / "organization.yaml"
    path.write_bytes(bytes(range(256)) * 8)
    code, err = run(capsys, [name, str(path), "--no-local"])
    assert code == 2
    assert err.startswith(f"{path}: error LZ100: cannot read the file: 'utf-8' codec")


@pytest.mark.parametrize(("argv", "message"), [
    pytest.param(["sso-config", "--no-local", "--outputs", "{dir}/missing.json"],
                 "error: --outputs {dir}/missing.json: cannot read it: No such file or directory.",
                 id="sso-config --outputs missing"),
    pytest.param(["sso-config", "--no-local", "--outputs", "{dir}/binary.json"],
                 "error: --outputs {dir}/binary.json: cannot read it: not UTF-8 text.",
                 id="sso-config --outputs binary"),
])
def test_other_inputs_missing_or_binary_are_exit_2(capsys, tmp_path, argv, message):
    (tmp_path / "binary.json").write_bytes(b"\xff\xfe\x00" * 100)
    code, err = run(capsys, [a.format(dir=tmp_path) for a in argv])
    assert code == 2
    assert err.startswith(message.format(dir=tmp_path))


@pytest.mark.parametrize("name", [c.NAME for c in COMMANDS])
def test_an_unknown_flag_shows_the_commands_usage(capsys, name):
    code, err = run(capsys, [name, "--no-such-flag"])
    assert code == 2
    assert err.startswith(f"usage: lz {name} ")
    assert err.endswith(f"lz {name}: error: unrecognized arguments: --no-such-flag\n")


@pytest.mark.parametrize("argv", OUTPUTS)
def test_an_output_under_a_file_is_a_usage_error(capsys, monkeypatch, tmp_path, argv):
    (tmp_path / "file").write_text("x")
    under = tmp_path / "file"
    monkeypatch.setenv("AWS_CONFIG_FILE", str(under / "config"))
    code, err = run(capsys, [a.format(dir=under) for a in argv])
    assert code == 2
    assert err.startswith("error: ") and str(under) in err, err
