"""`./lz sso-config`: profiles from the stack outputs, printed or merged into the AWS CLI config
without touching anyone else's profiles; the result is a config botocore itself accepts."""

from __future__ import annotations

import json

import botocore.session
import pytest

from cli.main import main
from config.assignments import assignments

IDS = {"master": "111111111111", "log_archive": "222222222222", "shared_services": "333333333333",
       "dev": "444444444444", "prod": "555555555555"}
OTHER_PROFILES = """\
# my own settings
[default]
region = eu-west-1

[profile personal]
aws_access_key_id = AKIDEXAMPLE
; keep this comment
region = eu-central-1
"""


@pytest.fixture
def outputs(config) -> dict:
    """The bootstrap stack's outputs (docs/dev/contracts.md) for the test organization."""
    return {
        "organization_id": "o-exampleorg1",
        "accounts": {k: {"id": v, "name": config.accounts[k].name} for k, v in IDS.items()},
        "sso": {"start_url": "https://acme.awsapps.com/start",
                "assignments": [{"principal_type": a.principal_type, "principal": a.principal,
                                 "account": a.account, "permission_set": a.permission_set}
                                for a in assignments(config)]},
    }


@pytest.fixture
def outputs_file(tmp_path, outputs):
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps(outputs))
    return path


@pytest.fixture
def aws_config(tmp_path):
    return tmp_path / "aws-config"  # AWS_CONFIG_FILE (conftest)


def sso_config(config_path, *argv: str) -> int:
    return main(["sso-config", str(config_path), *argv])


def test_prints_one_profile_per_account_and_permission_set(config_path, outputs_file, capsys):
    assert sso_config(config_path, "--outputs", str(outputs_file)) == 0
    out = capsys.readouterr()
    assert out.out.startswith(
        "[sso-session acme]\n"
        "# managed by landing-zone `./lz sso-config`: changes here are overwritten\n"
        "sso_start_url = https://acme.awsapps.com/start\n"
        "sso_region = us-east-1\n"
        "sso_registration_scopes = sso:account:access\n")
    assert ("[profile acme-shared-services-admin]\n"
            "# managed by landing-zone `./lz sso-config`: changes here are overwritten\n"
            "sso_session = acme\n"
            "sso_account_id = 333333333333\n"
            "sso_role_name = Admin\n"
            "region = us-east-1\n") in out.out
    names = [line for line in out.out.splitlines() if line.startswith("[profile ")]
    assert names == ["[profile acme-dev-admin]", "[profile acme-dev-developer]",
                     "[profile acme-log-archive-admin]", "[profile acme-master-admin]",
                     "[profile acme-prod-admin]", "[profile acme-prod-developer]",
                     "[profile acme-shared-services-admin]"]
    assert "7 profiles for sso-session acme; --write merges them into" in out.err


def test_write_merges_and_keeps_other_profiles(config_path, outputs_file, aws_config, capsys):
    aws_config.write_text(OTHER_PROFILES)
    assert sso_config(config_path, "--outputs", str(outputs_file), "--write") == 0
    out = capsys.readouterr().out
    assert f"{aws_config}: 8 added (previous file: {aws_config}.bak)." in out
    assert "aws sso login --sso-session acme" in out
    text = aws_config.read_text()
    assert text.startswith(OTHER_PROFILES + "\n[sso-session acme]\n")
    assert (aws_config.stat().st_mode & 0o777) == 0o600
    assert (aws_config.with_name("aws-config.bak")).read_text() == OTHER_PROFILES
    # botocore reads what was written: the profile resolves to its SSO session
    core = botocore.session.Session(profile="acme-dev-developer")
    scoped = core.get_scoped_config()
    assert scoped["sso_session"] == "acme"
    assert scoped["sso_account_id"] == "444444444444"
    assert scoped["sso_role_name"] == "Developer"
    assert core.full_config["sso_sessions"]["acme"]["sso_start_url"] == \
        "https://acme.awsapps.com/start"
    assert core.full_config["profiles"]["personal"]["region"] == "eu-central-1"


def test_second_write_changes_nothing(config_path, outputs_file, aws_config, capsys):
    aws_config.write_text(OTHER_PROFILES)
    assert sso_config(config_path, "--outputs", str(outputs_file), "--write") == 0
    first = aws_config.read_text()
    capsys.readouterr()
    assert sso_config(config_path, "--outputs", str(outputs_file), "--write") == 0
    assert f"{aws_config}: 8 unchanged." in capsys.readouterr().out
    assert aws_config.read_text() == first


def test_profiles_no_longer_assigned_are_removed(config_path, outputs, outputs_file, aws_config,
                                                 capsys, tmp_path):
    aws_config.write_text(OTHER_PROFILES)
    assert sso_config(config_path, "--outputs", str(outputs_file), "--write") == 0
    capsys.readouterr()
    outputs["sso"]["assignments"] = [a for a in outputs["sso"]["assignments"]
                                     if a["account"] != "prod"]
    smaller = tmp_path / "smaller.json"
    smaller.write_text(json.dumps(outputs))
    assert sso_config(config_path, "--outputs", str(smaller), "--write") == 0
    out = capsys.readouterr().out
    assert "6 unchanged, 2 removed" in out
    assert "  removed [profile acme-prod-developer]: no longer assigned" in out
    text = aws_config.read_text()
    assert "acme-prod-" not in text and text.startswith(OTHER_PROFILES)


def test_a_hand_made_profile_of_the_same_name_is_left_alone(config_path, outputs_file, aws_config,
                                                            capsys):
    mine = "[profile acme-dev-admin]\nsso_session = mine\n"
    aws_config.write_text(mine)
    assert sso_config(config_path, "--outputs", str(outputs_file), "--write") == 1
    err = capsys.readouterr().err
    assert "left alone (not written by ./lz sso-config): [profile acme-dev-admin]" in err
    assert aws_config.read_text().startswith(mine)
    assert sso_config(config_path, "--outputs", str(outputs_file), "--write", "--force") == 0
    assert "sso_session = mine" not in aws_config.read_text()


def test_outputs_come_from_the_pulumi_cli(config_path, fake_pulumi, stack_deployment, outputs,
                                          capsys):
    fake_pulumi.seed(stack_deployment(outputs))
    assert sso_config(config_path, "--cwd", str(fake_pulumi.project)) == 0
    assert "[profile acme-prod-developer]" in capsys.readouterr().out
    [call] = fake_pulumi.calls()
    assert call["argv"] == ["stack", "output", "--json", "--stack", "bootstrap"]
    assert call["cwd"] == str(fake_pulumi.project)


def test_without_pulumi_cli_or_outputs_file_exit_4(config_path, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert sso_config(config_path) == 4
    err = capsys.readouterr().err
    assert "error: the pulumi CLI is not installed" in err
    assert "Or pass --outputs FILE" in err


def test_outputs_file_that_is_not_json_exit_2(config_path, tmp_path, capsys):
    bad = tmp_path / "outputs.json"
    bad.write_text("Current stack outputs (2):")
    assert sso_config(config_path, "--outputs", str(bad)) == 2
    assert "is not JSON" in capsys.readouterr().err


def test_account_not_yet_in_outputs_is_skipped_with_a_warning(config_path, outputs, tmp_path,
                                                              capsys):
    del outputs["accounts"]["prod"]
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps(outputs))
    assert sso_config(config_path, "--outputs", str(path)) == 0
    out = capsys.readouterr()
    assert "warning: account prod is not in the stack outputs yet: no profile" in out.err
    assert "acme-prod-" not in out.out
