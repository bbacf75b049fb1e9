"""`./lz preflight` against moto: a healthy organization passes, each way a real one is not ready
is reported under its id with the fix, and the exit code says whether to run `pulumi up`."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from moto.organizations import models as org_models
from moto.ssoadmin.models import ssoadmin_backends

from cli.main import main
from config import load

REGION = "us-east-1"


def run_json(capsys, *argv: str) -> tuple[int, dict]:
    code = main(["preflight", *argv, "--json"])
    out = capsys.readouterr().out
    return code, {c["id"]: c for c in json.loads(out)["checks"]}


def test_fresh_organization_is_ready(org_factory, config_path, capsys):
    org_factory(build=False)
    code = main(["preflight", str(config_path)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "PASS  PF001  AWS credentials resolve: arn:aws:sts::123456789012:user/moto" in out
    assert "PASS  PF003  the organization exists with all features" in out
    assert "PASS  PF008  the account quota has room for the new accounts: 1 accounts in the " \
           "organization + 4 to create = 5 of a quota of 10" in out
    assert "WARN  PF005" in out and "cloudtrail.amazonaws.com is not yet" in out
    assert "SKIP  PF006" in out  # no member account to assume a role into yet
    # state, audit and the management account's access-log bucket: the members' accounts do
    # not exist yet, and their buckets are named by their ids
    assert "PASS  PF010  bucket names are free: 3 bucket names are free" in out
    assert out.strip().splitlines()[-1].endswith("ready for `pulumi up`.")


def test_built_landing_zone_passes_again(org_factory, config_path, capsys):
    """After `pulumi up` the accounts and buckets exist: they are recognised as ours."""
    org = org_factory()
    code, checks = run_json(capsys, str(config_path))
    assert code == 0, checks
    # The test organization names no security tooling account: PF012 to PF014 have nothing
    # to check.
    assert {i: c["status"] for i, c in checks.items() if c["status"] != "pass"} == \
        {"PF012": "skip", "PF013": "skip", "PF014": "skip"}
    assert checks["PF006"]["message"].startswith(
        f"assumed arn:aws:iam::{org.account_ids['dev']}:role/OrganizationAccountAccessRole") or \
        "assumed arn:aws:iam::" in checks["PF006"]["message"]
    assert "already created by landing-zone: acme-pulumi-state (account shared_services)" in \
        checks["PF010"]["message"]
    assert "0 to create" in checks["PF008"]["message"]


def test_no_organization(moto_aws, config_path, capsys):
    code, checks = run_json(capsys, str(config_path))
    assert code == 1
    assert checks["PF003"]["status"] == "fail"
    assert checks["PF003"]["message"] == "account 123456789012 belongs to no AWS Organization."
    assert "create-organization --feature-set ALL" in checks["PF003"]["fix"]
    assert checks["PF002"]["status"] == "skip"
    assert checks["PF007"]["status"] == "skip"


def test_consolidated_billing_only(org_factory, config_path, capsys):
    org_factory(build=False, feature_set="CONSOLIDATED_BILLING")
    code, checks = run_json(capsys, str(config_path))
    assert code == 1
    assert checks["PF003"]["status"] == "fail"
    assert "has only CONSOLIDATED_BILLING features" in checks["PF003"]["message"]
    assert "Enable all features" in checks["PF003"]["fix"]


def test_caller_in_member_account(org_factory, config_path, capsys, monkeypatch):
    org = org_factory()
    credentials = org.credentials_of("dev")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", credentials["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", credentials["SecretAccessKey"])
    monkeypatch.setenv("AWS_SESSION_TOKEN", credentials["SessionToken"])
    code, checks = run_json(capsys, str(config_path))
    assert code == 1
    assert checks["PF002"]["message"] == (
        f"account {org.account_ids['dev']} is a member of {org.org_id}, whose management "
        f"account is {org.management_id}.")
    assert "--profile bootstrap-admin" in checks["PF002"]["fix"]
    assert checks["PF005"]["status"] == "skip"


def test_no_identity_center_instance(org_factory, config_path, capsys):
    org = org_factory(build=False)
    # moto gap: IAM Identity Center has no API to delete (or create) an organization instance,
    # and moto starts every account with one; empty its list as a disabled console would.
    ssoadmin_backends[org.management_id][REGION].instances.clear()
    code, checks = run_json(capsys, str(config_path))
    assert code == 1
    assert checks["PF004"]["message"] == \
        "no organization instance of IAM Identity Center in us-east-1."
    assert "https://us-east-1.console.aws.amazon.com/singlesignon/home?region=us-east-1" in \
        checks["PF004"]["fix"]
    assert "choose Enable" in checks["PF004"]["fix"]


def test_missing_start_url_warns(org_factory, write_config, org_yaml, capsys):
    org = org_factory(build=False)
    path = write_config(org_yaml.replace("  start_url: https://acme.awsapps.com/start\n", ""))
    code, checks = run_json(capsys, str(path))
    assert code == 0
    assert checks["PF004"]["status"] == "warn"
    assert checks["PF004"]["message"].endswith("sso.start_url is not set.")
    assert f"https://{org.identity_store_id}.awsapps.com/start" in checks["PF004"]["fix"]


def test_no_trusted_access_for_sso(org_factory, config_path, capsys):
    org_factory(build=False, trusted=())
    code, checks = run_json(capsys, str(config_path))
    assert code == 1
    assert checks["PF005"]["status"] == "fail"
    assert "enable-aws-service-access --service-principal sso.amazonaws.com" in \
        checks["PF005"]["fix"]


def test_role_cannot_be_assumed(org_factory, config_path, capsys, faults):
    org_factory()
    faults.add("sts", "AssumeRole", "AccessDenied", times=None,
               message="User is not authorized to perform: sts:AssumeRole")
    code, checks = run_json(capsys, str(config_path))
    assert code == 1
    assert checks["PF006"]["status"] == "fail"
    assert "may not assume arn:aws:iam::" in checks["PF006"]["message"]
    assert "./lz bootstrap-policy" in checks["PF006"]["fix"]


def test_email_already_used_by_an_unmanaged_account(org_factory, config_path, capsys):
    org = org_factory(build=False)
    existing = org.create_account("Old Dev", "dev@example.invalid")
    code, checks = run_json(capsys, str(config_path))
    assert code == 1
    assert checks["PF007"]["message"] == (
        f"accounts.dev.email dev@example.invalid already belongs to account {existing} (Old Dev): "
        f"add `id: '{existing}'` to accounts.dev to adopt it, or choose another email.")


def test_account_quota_exhausted(org_factory, config_path, capsys):
    org = org_factory(build=False)
    for n in range(6):
        org.create_account(f"Other {n}", f"other{n}@example.invalid")
    code, checks = run_json(capsys, str(config_path))
    assert code == 1
    assert checks["PF008"]["status"] == "fail"
    assert checks["PF008"]["message"].startswith(
        "7 accounts in the organization + 4 to create = 11 of a quota of 10 (Service Quotas "
        "did not answer, NoSuchResourceException: assuming the default of 10).")
    assert "--quota-code L-29A0C5DF" in checks["PF008"]["fix"]


def test_configured_ids_must_exist(org_factory, write_config, org_yaml, capsys):
    org = org_factory(build=False)
    path = write_config(org_yaml
                        .replace("organizational_unit: dev}", "organizational_unit: dev, id: '999999999999'}")
                        .replace("dev: {name: Dev, parent: workloads}",
                                 "dev: {name: Dev, parent: workloads, id: ou-abcd-12345678}"))
    code, checks = run_json(capsys, str(path))
    assert code == 1
    message = checks["PF009"]["message"]
    assert "accounts.dev.id 999999999999 is not in " + org.org_id in message
    assert "organizational_units.dev.id ou-abcd-12345678 is not in " + org.org_id in message


def test_bucket_name_taken_by_another_account(org_factory, config_path, capsys):
    org_factory(build=False)
    stranger = boto3.client("sts").assume_role(
        RoleArn="arn:aws:iam::111122223333:role/anyone", RoleSessionName="stranger")["Credentials"]
    boto3.Session(aws_access_key_id=stranger["AccessKeyId"],
                  aws_secret_access_key=stranger["SecretAccessKey"],
                  aws_session_token=stranger["SessionToken"],
                  region_name=REGION).client("s3").create_bucket(Bucket="acme-pulumi-state")
    code, checks = run_json(capsys, str(config_path))
    assert code == 1
    assert checks["PF010"]["message"] == \
        "bucket name(s) taken by another AWS account: acme-pulumi-state."
    assert "change state_backend.bucket" in checks["PF010"]["fix"]


def test_expired_credentials_fail_pf001_with_login_hint(org_factory, config_path, capsys, faults):
    org_factory(build=False)
    faults.add("sts", "GetCallerIdentity", "ExpiredToken", times=None,
               message="The security token included in the request is expired")
    code, checks = run_json(capsys, str(config_path))
    assert code == 1
    assert checks["PF001"]["status"] == "fail"
    assert checks["PF001"]["message"].startswith("the AWS credentials have expired (ExpiredToken")
    assert "AWS_SESSION_TOKEN have expired" in checks["PF001"]["fix"]
    assert all(checks[f"PF{n:03}"]["status"] == "skip" for n in (2, 3, 5, 6, 7, 8, 9))


def test_throttled_organizations_calls_are_retried(org_factory, config_path, capsys, faults):
    org_factory()
    faults.add("organizations", "ListAccountsForParent", "TooManyRequestsException", times=2)
    faults.add("organizations", "DescribeOrganization", "TooManyRequestsException", times=1)
    code, checks = run_json(capsys, str(config_path))
    assert code == 0, checks
    assert faults.served["organizations.ListAccountsForParent"] == 2
    assert faults.served["organizations.DescribeOrganization"] == 1


def test_adopted_account_must_keep_its_name_and_email(org_factory, write_config, org_yaml, capsys):
    """Renaming an account or changing its email replaces it: an adopted account's config must
    say what AWS has."""
    org = org_factory(build=False)
    dev = org.create_account("Dev Team", "dev@example.invalid")
    prod = org.create_account("Production", "old-prod@example.invalid")
    path = write_config(org_yaml
                        .replace("organizational_unit: dev}", f"organizational_unit: dev, id: '{dev}'}}")
                        .replace("organizational_unit: prod}", f"organizational_unit: prod, id: '{prod}'}}"))
    code, checks = run_json(capsys, str(path))
    assert code == 1
    assert checks["PF009"]["message"] == (
        f"accounts.dev.name is 'Development' but account {dev} is named 'Dev Team': renaming an "
        "account replaces it; set the name AWS has.")
    assert checks["PF007"]["message"] == (
        f"accounts.prod: the email of account {prod} is old-prod@example.invalid, the config "
        "says prod@example.invalid: changing an account's email replaces the account; set the "
        "email AWS has.")


EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "organization.yaml"
ALIAS = "https://my-alias.awsapps.com/start"


@pytest.mark.parametrize(("alias", "status"), [(None, "warn"), (ALIAS, "pass")])
def test_the_example_leaves_the_portal_url_derived(org_factory, write_config, capsys, alias,
                                                   status):
    """Issue 11, item 7: the shipped example carries no stranger's portal URL; preflight warns
    (as docs/getting-started.md says) and names the derived one, which the program uses."""
    org = org_factory(build=False)
    text = EXAMPLE.read_text()
    if alias:
        text = text.replace("\nsso:\n", f"\nsso:\n  start_url: {alias}\n", 1)
    code, checks = run_json(capsys, str(write_config(text)), "--no-local")
    assert checks["PF004"]["status"] == status
    if alias is None:
        assert f"use https://{org.identity_store_id}.awsapps.com/start." in checks["PF004"]["fix"]


@pytest.mark.parametrize(("trusted", "types", "message"), [
    (("sso.amazonaws.com",), (),
     "on: trusted access for sso.amazonaws.com; policy types none. `pulumi up` keeps them all "
     "and adds: trusted access for cloudtrail.amazonaws.com, "
     "member.org.stacksets.cloudformation.amazonaws.com; policy types DECLARATIVE_POLICY_EC2, "
     "RESOURCE_CONTROL_POLICY, S3_POLICY, SERVICE_CONTROL_POLICY."),
    (("guardduty.amazonaws.com", "sso.amazonaws.com"), ("TAG_POLICY",),
     "on: trusted access for guardduty.amazonaws.com, sso.amazonaws.com; policy types TAG_POLICY. "
     "`pulumi up` keeps them all and adds: trusted access for "
     "cloudtrail.amazonaws.com, member.org.stacksets.cloudformation.amazonaws.com; policy types "
     "DECLARATIVE_POLICY_EC2, RESOURCE_CONTROL_POLICY, S3_POLICY, SERVICE_CONTROL_POLICY."),
])
def test_names_what_is_on_and_what_pulumi_up_adds(org_factory, config_path, capsys, trusted,
                                                 types, message):
    """Issue 11, item 2: adopting an organization keeps what it has on, and preflight says so."""
    org = org_factory(build=False, trusted=trusted)
    for policy_type in types:
        org.client("organizations").enable_policy_type(RootId=org.root_id, PolicyType=policy_type)
    _, checks = run_json(capsys, str(config_path))
    assert message in checks["PF005"]["message"]


def test_stacksets_trusted_access_and_quotas_on_a_fresh_organization(org_factory, config_path,
                                                                     capsys, stacksets_access):
    org_factory(build=False)
    stacksets_access.status = "DISABLED"
    code, checks = run_json(capsys, str(config_path))
    assert code == 0  # a warning: `pulumi up` activates it itself
    assert checks["PF011"]["status"] == "warn"
    assert checks["PF011"]["message"] == (
        "StackSets trusted access is DISABLED; 4 member accounts: 4 stack instances in each of "
        "1 stack set(s) (one per governed region; quota 2000), 1 stack sets (quota 1000).")
    assert "`pulumi up` activates it from CloudFormation" in checks["PF011"]["fix"]


def test_stacksets_on_a_built_landing_zone_count_its_stack_set_once(org_factory, config_path,
                                                                   capsys):
    org_factory()
    _, checks = run_json(capsys, str(config_path))
    assert checks["PF011"]["status"] == "pass"
    assert checks["PF011"]["message"] == (
        "StackSets trusted access is ENABLED; 4 member accounts: 4 stack instances in each of "
        "1 stack set(s) (one per governed region; quota 2000), 1 stack sets (quota 1000)")


def test_stacksets_count_the_customer_managed_policies_stack_set(org_factory,
                                                                 boundary_config_path, capsys):
    org_factory(load(boundary_config_path).config)
    _, checks = run_json(capsys, str(boundary_config_path))
    assert checks["PF011"]["message"] == (
        "StackSets trusted access is ENABLED; 4 member accounts: 4 stack instances in each of "
        "2 stack set(s) (one per governed region and one of the customer-managed policies; "
        "quota 2000), 2 stack sets (quota 1000)")


def test_more_member_accounts_than_a_stack_set_holds_fail(org_factory, config_path, capsys,
                                                          monkeypatch):
    monkeypatch.setattr("cli.checks.preflight.STACK_INSTANCES_PER_STACK_SET", 3)
    org_factory(build=False)
    code, checks = run_json(capsys, str(config_path))
    assert code == 1
    assert checks["PF011"]["status"] == "fail"
    assert checks["PF011"]["message"].endswith(": over a default CloudFormation quota.")


SECURITY_HUB = "securityhub.amazonaws.com"


@pytest.fixture
def security_hub_org(org_factory, write_config, org_yaml, monkeypatch):
    """The test organization with a security tooling account, Security Hub on, and moto
    taught that Security Hub has a delegated administrator (AWS's list says so; moto 5.2's
    does not)."""
    delegable = org_models.FakeDelegatedAdministrator
    monkeypatch.setattr(delegable, "SUPPORTED_SERVICES",
                        [*delegable.SUPPORTED_SERVICES, SECURITY_HUB])
    path = write_config(org_yaml.replace(
        "terraform_state: shared_services}",
        "terraform_state: shared_services, security_tooling: security_tooling}").replace(
        "  dev: {name: Development,",
        "  security_tooling: {name: Security Tooling, email: 'security@example.invalid', "
        "organizational_unit: security}\n  dev: {name: Development,"))
    org = org_factory(load(path).config, build=False)
    organizations = org.client("organizations")

    def account(name: str, email: str) -> str:
        return organizations.create_account(AccountName=name, Email=email)[
            "CreateAccountStatus"]["AccountId"]

    return path, organizations, account


@pytest.mark.parametrize("seat, status, message", [
    (None, "pass", "no delegated administrator yet: `pulumi up` designates 'security_tooling'"),
    ("security", "pass", "'security_tooling' ({security}) already is: `pulumi up` keeps it"),
    ("other", "fail", "Security Hub's delegated administrator is account {other}, not "
     "'security_tooling' ({security}). Changing it deletes every Security Hub CSPM "
     "configuration policy and association of the organization; `pulumi up` will not do it."),
])
def test_security_hub_administrator_is_never_changed(security_hub_org, capsys, seat, status,
                                                      message):
    path, organizations, account = security_hub_org
    ids = {"security": account("Security Tooling", "security@example.invalid"),
           "other": account("Audit", "audit@example.invalid")}
    if seat:
        organizations.register_delegated_administrator(AccountId=ids[seat],
                                                       ServicePrincipal=SECURITY_HUB)
    code, checks = run_json(capsys, str(path))
    assert checks["PF030"]["status"] == status
    assert checks["PF030"]["message"] == message.format(**ids)
    if status == "fail":
        assert code == 1
        assert "deregister-delegated-administrator" in checks["PF030"]["fix"]


def test_security_hub_administrator_taken_before_the_security_account_exists(security_hub_org,
                                                                             capsys):
    path, organizations, account = security_hub_org
    other = account("Audit", "audit@example.invalid")
    organizations.register_delegated_administrator(AccountId=other, ServicePrincipal=SECURITY_HUB)
    _, checks = run_json(capsys, str(path))
    assert checks["PF030"]["status"] == "fail"
    assert f"is account {other}, not 'security_tooling' (to be created)" in checks["PF030"]["message"]


def test_security_hub_off_has_nothing_to_check(org_factory, config_path, capsys):
    org_factory(build=False)
    _, checks = run_json(capsys, str(config_path))
    assert checks["PF030"] == {**checks["PF030"], "status": "pass",
                               "message": "Security Hub is off: nothing to check"}
