"""Every command reads the stack's settings as `pulumi up -s NAME` does (issue 11, item 6):
`--stack NAME` (default bootstrap) selects Pulumi.NAME.yaml, whose `landing-zone:config` and
`landing-zone:overrides` the offline checks then see."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cli.main import main

REPO = Path(__file__).resolve().parents[2]
STAGING = """\
config:
  landing-zone:config: config/organization.yaml
  landing-zone:overrides:
    organization:
      tokens:
        namespace: acme-staging
"""
BROKEN = STAGING + "      aws_region: nowhere\n"


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    shutil.copy(REPO / "Pulumi.yaml", tmp_path / "Pulumi.yaml")
    (tmp_path / "config").mkdir()
    shutil.copy(REPO / "config" / "organization.yaml", tmp_path / "config" / "organization.yaml")
    (tmp_path / "Pulumi.staging.yaml").write_text(STAGING)
    (tmp_path / "Pulumi.broken.yaml").write_text(BROKEN)
    monkeypatch.setattr("cli.commands.common.PROJECT_DIR", tmp_path)
    return tmp_path


# Every command that loads the config; those that also run pulumi name its project by --cwd.
COMMANDS = [["show"], ["validate"], ["plan"], ["preflight"], ["verify"], ["bootstrap-policy"],
            ["sso-config", "--cwd", "{project}"], ["migrate-state", "--cwd", "{project}"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_every_command_applies_the_stack_overrides(project, capsys, command):
    argv = [arg.format(project=project) for arg in command]
    assert main([*argv, "--stack", "broken"]) == 2
    err = capsys.readouterr().err
    assert "Pulumi stack config landing-zone:overrides: error LZ319: organization.aws_region: " \
           "'nowhere' is not an AWS region" in err


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_misspelt_stack_is_an_error(project, capsys, command):
    argv = [arg.format(project=project) for arg in command]
    assert main([*argv, "--stack", "stagign"]) == 2
    assert "error LZ130: no stack settings for stack 'stagign'" in capsys.readouterr().err


def test_show_and_plan_check_the_names_pulumi_up_builds(project, capsys):
    assert main(["show", "--format", "json", "--stack", "staging"]) == 0
    derived = json.loads(capsys.readouterr().out)["derived"]
    assert derived["state_backend"]["bucket"] == "acme-staging-pulumi-state"
    assert main(["plan", "--json", "--stack", "staging"]) == 0
    buckets = {r["inputs"].get("bucket") for r in json.loads(capsys.readouterr().out)["resources"]
               if r["type"] == "aws:s3/bucket:Bucket"}
    assert "acme-staging-pulumi-state" in buckets
    assert not any(b.startswith("acme-lz-") for b in buckets)


def test_the_default_stack_is_bootstrap(project, capsys):
    (project / "Pulumi.bootstrap.yaml").write_text(STAGING)
    assert main(["show", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["derived"]["state_backend"]["bucket"] == \
        "acme-staging-pulumi-state"
