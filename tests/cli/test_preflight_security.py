"""`./lz preflight` of the security baseline against moto (and the `service_gaps` fixture for
the Access Analyzer listing moto lacks): a delegated administrator held by another account
fails PF012 with both fixes (Security Hub's seat is PF030's, tests/cli/test_preflight.py);
what already runs in the management and security accounts is reported as adopted (PF013)."""

from __future__ import annotations

import json

from cli.main import main
from config import load


def run_json(capsys, path) -> tuple[int, dict]:
    code = main(["preflight", str(path), "--json"])
    return code, {c["id"]: c for c in json.loads(capsys.readouterr().out)["checks"]}


def test_fresh_organization_registers_the_security_account(org_factory, security_config,
                                                           security_path, capsys):
    org_factory(security_config, build=False)
    code, checks = run_json(capsys, security_path)
    assert code == 0, checks
    assert checks["PF012"]["status"] == "pass"
    assert checks["PF012"]["message"] == (
        "`pulumi up` registers security_tooling (not created yet) for GuardDuty, AWS Config, "
        "IAM Access Analyzer")
    assert checks["PF013"]["message"] == \
        "none found in master: `pulumi up` creates them"


def test_built_baseline_is_adopted(org_factory, security_config, security_path, capsys):
    org = org_factory(security_config)
    admin = org.account_ids["security_tooling"]
    code, checks = run_json(capsys, security_path)
    assert code == 0, checks
    assert checks["PF012"]["message"] == (
        f"security_tooling ({admin}) is already the delegated administrator of GuardDuty, "
        "AWS Config, IAM Access Analyzer (adopted)")
    found = checks["PF013"]["message"]
    assert found.startswith("found, and adopted rather than duplicated: ")
    detector = org.client("guardduty", "security_tooling").list_detectors()["DetectorIds"][0]
    for fact in ("master in us-east-1: AWS Config recorder default (recording)",
                 f"security_tooling in us-east-1: GuardDuty detector {detector}",
                 "security_tooling in us-east-1: Security Hub enabled",
                 "security_tooling in us-east-1: ORGANIZATION analyzer acme-organization (ACTIVE)"):
        assert fact in found
    assert "master in us-east-1: GuardDuty" not in found  # the management account has none


def test_another_delegated_administrator_fails_with_both_fixes(org_factory, security_config,
                                                               security_path, capsys):
    org = org_factory(security_config)
    other = org.account_ids["log_archive"]
    orgs = org.client("organizations")
    for principal in ("guardduty.amazonaws.com", "config.amazonaws.com"):
        orgs.deregister_delegated_administrator(
            AccountId=org.account_ids["security_tooling"], ServicePrincipal=principal)
        orgs.register_delegated_administrator(AccountId=other, ServicePrincipal=principal)
    code, checks = run_json(capsys, security_path)
    assert code == 1
    admin = org.account_ids["security_tooling"]
    assert checks["PF012"]["status"] == "fail"
    assert checks["PF012"]["message"] == (
        f"GuardDuty's delegated administrator is {other} (Log Archive), not security_tooling "
        f"({admin}); AWS Config's delegated administrator is {other} (Log Archive), not "
        f"security_tooling ({admin}).")
    assert checks["PF012"]["fix"] == (
        "Name that account as organization.key_accounts.security_tooling, or deregister it: "
        f"`aws organizations deregister-delegated-administrator --account-id {other} "
        "--service-principal guardduty.amazonaws.com`; `aws organizations "
        f"deregister-delegated-administrator --account-id {other} --service-principal "
        "config.amazonaws.com`.")
    assert checks["PF030"]["status"] == "pass"  # Security Hub's administrator is untouched


def audit_administrator(org, principal: str) -> None:
    """A new account outside the config, registered as `principal`'s delegated administrator."""
    org.client("organizations").register_delegated_administrator(
        AccountId=org.create_account("Audit", "audit@example.invalid"), ServicePrincipal=principal)


def test_security_hub_is_left_to_pf030(org_factory, security_config, security_path, capsys):
    audit_administrator(org_factory(security_config, build=False), "securityhub.amazonaws.com")
    code, checks = run_json(capsys, security_path)
    assert code == 1
    assert checks["PF012"]["status"] == "pass"
    assert checks["PF030"]["status"] == "fail"


def test_another_access_analyzer_administrator_fails(org_factory, security_config,
                                                     security_path, capsys):
    audit_administrator(org_factory(security_config, build=False),
                        "access-analyzer.amazonaws.com")
    code, checks = run_json(capsys, security_path)
    assert code == 1
    assert checks["PF012"]["message"].startswith("IAM Access Analyzer's delegated administrator is ")


def test_turned_off_services_are_not_checked(org_factory, write_config, security_yaml,
                                            capsys):
    """A service turned off in the config is none of preflight's business: its delegated
    administrator, whoever it is, stays."""
    path = write_config(security_yaml + "security_baseline:\n  guardduty: {enabled: false}\n",
                        "off.yaml")
    audit_administrator(org_factory(build=False), "guardduty.amazonaws.com")
    code, checks = run_json(capsys, path)
    assert code == 0, checks
    assert "GuardDuty" not in checks["PF012"]["message"]


def test_unreadable_service_warns_and_names_it(org_factory, security_config, security_path,
                                               capsys, faults):
    org_factory(security_config)
    faults.add("accessanalyzer", "ListAnalyzers", "AccessDeniedException", times=None,
               status=403)
    code, checks = run_json(capsys, security_path)
    assert code == 0
    assert checks["PF013"]["status"] == "warn"
    assert "could not read: master in us-east-1: IAM Access Analyzer (" in \
        checks["PF013"]["message"]
    assert "SecurityAudit" in checks["PF013"]["fix"]


def test_findings_export_with_no_other_destination_passes(org_factory, security_config,
                                                          security_path, capsys):
    org_factory(security_config)
    code, checks = run_json(capsys, security_path)
    assert code == 0, checks
    assert checks["PF014"]["status"] == "pass"
    assert checks["PF014"]["message"] == (
        "no other publishing destination: `pulumi up` exports to "
        "arn:aws:s3:::acme-guardduty-findings in every governed region")


def test_a_destination_made_elsewhere_is_named_and_the_landing_zones_own_is_not(
        org_factory, security_config, security_path, capsys):
    org = org_factory(security_config)
    admin = org.account_ids["security_tooling"]
    detector = org.client("guardduty", "security_tooling").list_detectors()["DetectorIds"][0]
    org.gaps.publishing_destination(admin, "us-east-1", "d-theirs",
                                    "arn:aws:s3:::their-findings/guardduty")
    org.gaps.publishing_destination(admin, "us-east-1", "d-ours",
                                    "arn:aws:s3:::acme-guardduty-findings")
    code, checks = run_json(capsys, security_path)
    assert code == 0, checks  # a warning: `pulumi up` still works
    assert checks["PF014"]["status"] == "warn"
    assert checks["PF014"]["message"] == (
        f"GuardDuty already exports findings elsewhere: us-east-1: detector {detector} "
        "destination d-theirs -> arn:aws:s3:::their-findings/guardduty.")
    assert "delete-publishing-destination" in checks["PF014"]["fix"]
    assert "export_findings: false" in checks["PF014"]["fix"]


def test_findings_export_off_skips_the_check(org_factory, security_yaml, write_config, capsys):
    path = write_config(security_yaml + "security_baseline:\n  guardduty: {export_findings: false}\n",
                        "security.yaml")
    org_factory(load(path).config)
    _, checks = run_json(capsys, path)
    assert checks["PF014"]["status"] == "skip"
    assert "export is off" in checks["PF014"]["message"]
