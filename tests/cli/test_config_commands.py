"""`./lz show`, `./lz validate` and `./lz bootstrap-policy`: output, exit codes, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from cli.main import main

FIXTURE = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "metastructure" / "metastructure.yml"

BROKEN = """\
organization:
  aws_region: us-east-1
  key_accounts: {master: master}
accounts:
  master:
    name: Management
    email: a@example.invalid
    organisational_unit: nowhere
  dev:
    name: Dev
    email: A@example.invalid
"""


def test_validate_prints_one_line_summary(capsys):
    assert main(["validate"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    assert out[0].endswith("valid (7 accounts, 6 organizational units, 1 user, 3 groups, "
                           "3 permission sets)")


def test_validate_reports_every_error_with_file_line_and_exit_2(tmp_path, capsys):
    path = tmp_path / "org.yaml"
    path.write_text(BROKEN)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:8: error LZ120: accounts.master.organisational_unit: unknown key " \
           "'organisational_unit'. Did you mean 'organizational_unit'?" in err
    assert "1 error in the config." in err
    assert "Traceback" not in err


def test_validate_reports_cross_reference_errors_together(tmp_path, capsys):
    path = tmp_path / "org.yaml"
    path.write_text(BROKEN.replace("organisational_unit: nowhere", "id: '123'"))
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:7: error LZ301: accounts.master.email: email 'a@example.invalid' is " \
           "already used by accounts.dev.email." in err
    assert f"{path}:8: error LZ317: accounts.master.id: account id '123' must be exactly 12 " \
           "digits." in err
    assert "2 errors in the config." in err


def test_validate_missing_file_exit_2(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "absent.yaml")]) == 2
    assert "configuration file not found" in capsys.readouterr().err


def test_show_yaml_has_resolved_emails_and_derived_names(capsys):
    assert main(["show"]) == 0
    data = yaml.safe_load(capsys.readouterr().out)
    assert data["accounts"]["master"]["email"] == "platform-team+acme-lz-master@example.com"
    assert data["sso"]["groups"]["admins"]["account_permission_sets"] == {"*": ["admin"]}
    assert data["sso"]["users"]["admin"]["groups"] == ["admins", "auditors"]
    derived = data["derived"]
    # named by account id: an account still to be created shows the placeholder
    assert derived["access_log_buckets"]["log_archive"] == [
        "acme-lz-s3-access-logs-{account_id}-us-east-1"]
    assert derived["state_backend"] == {
        "bucket": "acme-lz-pulumi-state",
        "backend_url": "s3://acme-lz-pulumi-state?region=us-east-1&awssdk=v2",
        "secrets_provider": "awskms://alias/acme-lz-pulumi-state?region=us-east-1",
        "landing_zone_secrets_provider":
            "awskms://alias/acme-lz-pulumi-state-landing-zone?region=us-east-1",
    }
    assert derived["audit_logging"] == {"trail": "acme-lz-organization-trail",
                                        "bucket": "acme-lz-audit-logs",
                                        "kms_alias": "alias/acme-lz-audit-logs"}
    root_scp = derived["service_control_policies"]["acme-lz-guardrails-root"]
    assert root_scp["targets"] == ["root"] and "deny_leaving_organization" in root_scp["guardrails"]


def test_show_json_equals_yaml(capsys):
    main(["show", "--format", "json"])
    as_json = json.loads(capsys.readouterr().out)
    main(["show"])
    assert yaml.safe_load(capsys.readouterr().out) == as_json


@pytest.mark.skipif(not FIXTURE.exists(), reason="shared Metastructure fixture not present")
def test_show_metastructure_fixture_warns_once_per_ignored_section(capsys):
    assert main(["show", str(FIXTURE), "--format", "json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["derived"]["state_backend"]["bucket"] == "namespace-000-terraform-state"
    assert captured.err.count("warning LZ501") == 1
    assert captured.err.count("warning LZ502") == 1


def test_local_override_is_ignored_with_no_local(tmp_path, capsys):
    (tmp_path / "org.yaml").write_text(BROKEN.replace("    organisational_unit: nowhere\n", "")
                                       .replace("A@example", "b@example"))
    (tmp_path / "org.local.yaml").write_text("organization:\n  tokens: {namespace: from-local}\n")
    main(["show", str(tmp_path / "org.yaml"), "--format", "json"])
    assert json.loads(capsys.readouterr().out)["organization"]["tokens"] == {"namespace": "from-local"}
    main(["show", str(tmp_path / "org.yaml"), "--format", "json", "--no-local"])
    assert json.loads(capsys.readouterr().out)["organization"]["tokens"] == {}


def test_bootstrap_policy_allows_only_assuming_the_access_role(tmp_path, capsys):
    assert main(["bootstrap-policy"]) == 0
    policy = json.loads(capsys.readouterr().out)
    assert policy == {"Version": "2012-10-17", "Statement": [{
        "Sid": "AssumeOrganizationAccessRole", "Effect": "Allow", "Action": "sts:AssumeRole",
        "Resource": "arn:aws:iam::*:role/OrganizationAccountAccessRole"}]}


def test_bootstrap_policy_follows_configured_role_name(tmp_path, capsys):
    path = tmp_path / "org.yaml"
    path.write_text(BROKEN.replace("    organisational_unit: nowhere\n", "")
                    .replace("A@example", "b@example")
                    + "account_access: {role_name: LandingZoneAccess}\n")
    main(["bootstrap-policy", str(path)])
    assert json.loads(capsys.readouterr().out)["Statement"][0]["Resource"] == \
        "arn:aws:iam::*:role/LandingZoneAccess"


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for command in ("show", "validate", "bootstrap-policy"):
        assert command in out


def test_validate_summary_names_a_merged_local_override(tmp_path, capsys):
    base = tmp_path / "organization.yaml"
    base.write_text(BROKEN.replace("    organisational_unit: nowhere\n", "")
                    .replace("A@example.invalid", "dev@example.invalid"))
    (tmp_path / "organization.local.yaml").write_text("accounts: {dev: {name: Mine}}\n")
    assert main(["validate", str(base)]) == 0
    assert capsys.readouterr().out == (f"{base} + {tmp_path / 'organization.local.yaml'}: valid "
                                       "(2 accounts, 0 organizational units, 0 users, 0 groups, "
                                       "0 permission sets)\n")
    assert main(["validate", str(base), "--no-local"]) == 0
    assert capsys.readouterr().out.startswith(f"{base}: valid (2 accounts,")
