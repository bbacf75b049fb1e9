"""Who can do what in the example organization: the policy evaluator over the documents of the
plan (and the hand-made CI roles of docs/ci.md). Each row is (principal, action, resource,
allowed?). The rows marked with an issue-10 finding failed before that finding was fixed; the
table in docs/guardrails.md ("Who can change what") says the same in words.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cli.plan import run_program
from config import DEFAULT_CONFIG, load
from tests.policies.evaluator import Principal
from tests.policies.plan_documents import ADMINISTRATOR_ACCESS, PlanDocuments

STATE_BUCKET = "acme-lz-pulumi-state"
LZ_STACK = ".pulumi/stacks/landing-zone/bootstrap.json"
LZ_HISTORY = ".pulumi/history/landing-zone/bootstrap/bootstrap-1.checkpoint.json"
LZ_LOCK = ".pulumi/locks/organization/landing-zone/bootstrap/1.json"
WORKLOAD_STACK = ".pulumi/stacks/api/dev.json"
AUDIT_BUCKET = "acme-lz-audit-logs"
ACCESS_ROLE = "OrganizationAccountAccessRole"
READ_ONLY_ROLE = "landing-zone-read-only"
CDK_ROLE = "cdk-hnb659fds-deploy-role-{id}-us-east-1"


@pytest.fixture(scope="module")
def org() -> PlanDocuments:
    config = load(DEFAULT_CONFIG, use_local=False).config
    return PlanDocuments(config, run_program(config))


def lz_key(org: PlanDocuments):
    return org.key("state-backend-landing-zone-key",
                   org.inventory.outputs["landing_zone_state"]["kms_key_arn"])


def workload_key(org: PlanDocuments):
    return org.key("state-backend-key", org.inventory.outputs["state_backend"]["kms_key_arn"])


def audit_key(org: PlanDocuments):
    return org.key("audit-key", org.inventory.outputs["audit"]["kms_key_arn"])


def deployer(account: str) -> Callable[[PlanDocuments], object]:
    return lambda org: org.permission_set("deployer", account)


def admin(account: str) -> Callable[[PlanDocuments], object]:
    return lambda org: org.permission_set("admin", account)


def preview(org):
    return org.preview_role()


def deploy(org):
    return org.deploy_role()


def bootstrap(org):
    return org.bootstrap_user()


def access_role(account: str) -> Callable[[PlanDocuments], object]:
    return lambda org: org.access_role(account)


def state(key: str) -> Callable[[PlanDocuments], object]:
    return lambda org: org.object(STATE_BUCKET, key)


def assume(account: str, role: str) -> Callable[[PlanDocuments], object]:
    def resource(org):
        if role == READ_ONLY_ROLE:
            return org.role(account, role)
        return org.trusting_account(account, role.format(id=org.ids[account]))
    return resource


def audit_bucket(org):
    return org.object(AUDIT_BUCKET)


def role_in(account: str, path: str) -> Callable[[PlanDocuments], object]:
    return lambda org: org.no_policy(account, f"arn:aws:iam::{org.ids[account]}:role/{path}")


def anything_in(account: str) -> Callable[[PlanDocuments], object]:
    return lambda org: org.no_policy(account, "*")


def stacksets(account: str) -> Callable[[PlanDocuments], object]:
    """A StackSets execution role (service-managed stack sets create it with administrator
    rights): how AWS Config recorders reach member accounts."""
    return lambda org: org.principal(account, "role/stacksets-exec-0123456789abcdef",
                                     ADMINISTRATOR_ACCESS)


def role_named(account: str, name: str) -> Callable[[PlanDocuments], object]:
    """A role with administrator rights, by name: the AWS Config recorder function's role
    (what StackSets makes) or a workload's role named almost like it."""
    return lambda org: org.principal(account, f"role/{name}", ADMINISTRATOR_ACCESS)


RECORDER_ROLE = "acme-lz-aws-config-recorder-us-east-1"

# One action per service that would switch it off or cut it loose, and the contacts.
SWITCHING_OFF = ["guardduty:DeleteDetector", "guardduty:DisassociateFromAdministratorAccount",
                 "securityhub:DisableSecurityHub", "config:StopConfigurationRecorder",
                 "config:DeleteDeliveryChannel", "access-analyzer:DeleteAnalyzer",
                 "account:PutAlternateContact"]

# (principal, action, resource, allowed, finding of issue 10 it proves or "")
CASES = [
    # The CI preview principal: reads, and nothing else (finding 1).
    (preview, "sts:AssumeRole", assume("dev", ACCESS_ROLE), False, "1"),
    (preview, "sts:AssumeRole", assume("log_archive", ACCESS_ROLE), False, "1"),
    (preview, "sts:AssumeRole", assume("dev", CDK_ROLE), False, ""),
    (preview, "sts:AssumeRole", assume("log_archive", READ_ONLY_ROLE), True, ""),
    (preview, "sts:AssumeRole", assume("shared_services", READ_ONLY_ROLE), True, ""),
    (preview, "s3:GetObject", state(LZ_STACK), True, ""),
    (preview, "s3:GetObject", state(LZ_HISTORY), True, ""),
    (preview, "s3:PutObject", state(LZ_LOCK), False, ""),
    (preview, "s3:PutObject", state(LZ_STACK), False, ""),
    (preview, "s3:DeleteObject", state(LZ_STACK), False, ""),
    (preview, "kms:Decrypt", lz_key, True, ""),
    (preview, "kms:Encrypt", lz_key, False, "1"),
    (preview, "iam:CreateUser", anything_in("master"), False, ""),
    # The read-only role: trusted by the preview only; reads its account.
    (deployer("log_archive"), "sts:AssumeRole", assume("log_archive", READ_ONLY_ROLE), False, "1"),
    (admin("master"), "sts:AssumeRole", assume("shared_services", READ_ONLY_ROLE), False, "1"),
    (lambda org: org.read_only_role_session("dev"), "ec2:RunInstances", anything_in("dev"), False, ""),
    (lambda org: org.read_only_role_session("shared_services"), "s3:GetObject", state(LZ_HISTORY),
     False, "2"),
    (lambda org: org.read_only_role_session("shared_services"), "s3:PutObject", state(LZ_STACK),
     False, "2"),
    # A Deployer in a workload account (findings 2, 5).
    (deployer("dev"), "ec2:RunInstances", anything_in("dev"), True, ""),
    (deployer("dev"), "s3:GetObject", state(WORKLOAD_STACK), True, "3"),
    (deployer("dev"), "s3:PutObject", state(WORKLOAD_STACK), True, "3"),
    (deployer("dev"), "kms:GenerateDataKey", workload_key, True, "3"),
    (deployer("dev"), "kms:Decrypt", workload_key, True, "3"),
    # Its StackReference reads the landing zone's checkpoint; its secrets stay under its key.
    (deployer("dev"), "s3:GetObject", state(LZ_STACK), True, ""),
    (deployer("dev"), "s3:PutObject", state(LZ_STACK), False, ""),
    (deployer("dev"), "s3:DeleteObject", state(LZ_STACK), False, ""),
    (deployer("dev"), "s3:GetObject", state(LZ_HISTORY), False, ""),
    (deployer("dev"), "s3:PutObject", state(LZ_LOCK), False, ""),
    (deployer("dev"), "s3:PutObject", state(".pulumi/meta.yaml"), False, ""),
    (deployer("dev"), "kms:Decrypt", lz_key, False, "2"),
    (deployer("dev"), "sts:AssumeRole", assume("dev", CDK_ROLE), False, "5"),
    (deployer("dev"), "sts:AssumeRole", assume("dev", ACCESS_ROLE), False, ""),
    (deployer("dev"), "iam:PassRole", role_in("dev", "workload/api-lambda"), True, "5"),
    (deployer("dev"), "iam:PassRole", role_in("dev", ACCESS_ROLE), False, ""),
    (deployer("dev"), "iam:CreateRole", role_in("dev", "escape"), False, ""),
    (deployer("dev"), "guardduty:DeleteDetector", anything_in("dev"), False, "5"),
    (deployer("dev"), "config:StopConfigurationRecorder", anything_in("dev"), False, "5"),
    (deployer("dev"), "securityhub:DisableSecurityHub", anything_in("dev"), False, "5"),
    (deployer("dev"), "cloudtrail:StopLogging", anything_in("dev"), False, "5"),
    # A Deployer in the state account: the landing zone's state stays out of reach (finding 2).
    (deployer("shared_services"), "s3:PutObject", state(WORKLOAD_STACK), True, ""),
    (deployer("shared_services"), "s3:GetObject", state(LZ_STACK), True, ""),
    (deployer("shared_services"), "s3:PutObject", state(LZ_STACK), False, "2"),
    (deployer("shared_services"), "s3:GetObject", state(LZ_HISTORY), False, "2"),
    (deployer("shared_services"), "s3:DeleteObject", state(LZ_HISTORY), False, "2"),
    (deployer("shared_services"), "kms:Decrypt", lz_key, False, "2"),
    (deployer("shared_services"), "kms:PutKeyPolicy", lz_key, False, "2"),
    (deployer("shared_services"), "s3:PutBucketPolicy", state(""), False, ""),
    # A Deployer in the log archive (were it assigned there).
    (deployer("log_archive"), "s3:PutLifecycleConfiguration", audit_bucket, False, ""),
    (deployer("log_archive"), "s3:PutBucketPolicy", audit_bucket, False, ""),
    (deployer("log_archive"), "kms:PutKeyPolicy", audit_key, False, ""),
    (deployer("log_archive"), "s3:DeleteObject",
     lambda org: org.object(AUDIT_BUCKET, "AWSLogs/o-x/f.json.gz"), False, ""),
    # An Admin in the management account: no longer the access role (finding 6).
    (admin("master"), "sts:AssumeRole", assume("log_archive", ACCESS_ROLE), False, "6"),
    (admin("master"), "sts:AssumeRole", assume("dev", ACCESS_ROLE), False, "6"),
    (admin("master"), "s3:PutObject", state(LZ_STACK), False, ""),
    (admin("master"), "s3:GetObject", state(LZ_HISTORY), False, ""),
    (admin("master"), "kms:Decrypt", lz_key, False, "6"),
    (admin("master"), "organizations:DetachPolicy", anything_in("master"), True, ""),
    # An Admin of the state account administers it, the landing zone's objects excepted.
    (admin("shared_services"), "s3:PutObject", state(LZ_STACK), False, "2"),
    (admin("shared_services"), "s3:GetObject", state(LZ_HISTORY), False, "2"),
    (admin("shared_services"), "kms:Decrypt", lz_key, False, "2"),
    (admin("shared_services"), "kms:PutKeyPolicy", lz_key, False, ""),
    (admin("shared_services"), "s3:PutBucketPolicy", state(""), False, "2"),
    # The access role: how operators work in member accounts, inside the guardrails' exemptions.
    (access_role("log_archive"), "s3:PutBucketPolicy", audit_bucket, True, ""),
    (access_role("log_archive"), "kms:PutKeyPolicy", audit_key, True, ""),
    (access_role("log_archive"), "s3:DeleteObject",
     lambda org: org.object(AUDIT_BUCKET, "AWSLogs/o-x/f.json.gz"), False, ""),
    (access_role("dev"), "organizations:LeaveOrganization", anything_in("dev"), False, ""),
    (access_role("shared_services"), "kms:Decrypt", lz_key, False, "2"),
    (access_role("shared_services"), "kms:PutKeyPolicy", lz_key, True, ""),
    (access_role("shared_services"), "s3:PutBucketPolicy", state(""), True, ""),
    # The operators: the bootstrap user and the CI deploy role.
    (bootstrap, "sts:AssumeRole", assume("dev", ACCESS_ROLE), True, ""),
    (bootstrap, "sts:AssumeRole", assume("log_archive", ACCESS_ROLE), True, ""),
    (bootstrap, "s3:PutObject", state(LZ_STACK), True, ""),
    (bootstrap, "s3:GetObject", state(LZ_STACK), True, ""),
    (bootstrap, "s3:PutObject", state(LZ_LOCK), True, ""),
    (bootstrap, "s3:DeleteObject", state(LZ_LOCK), True, ""),
    (bootstrap, "kms:Encrypt", lz_key, True, ""),
    (bootstrap, "kms:GenerateDataKey", workload_key, True, ""),
    (deploy, "sts:AssumeRole", assume("prod", ACCESS_ROLE), True, ""),
    (deploy, "s3:PutObject", state(LZ_STACK), True, ""),
    (deploy, "kms:Decrypt", lz_key, True, ""),
    # The security baseline (issue 14): nobody in a member account switches a service off,
    # leaves it, or changes the alternate contacts; the access role and StackSets still run them.
    *[(who, action, anything_in(account), False, "")
      for action in SWITCHING_OFF for who, account in (
          (admin("dev"), "dev"), (deployer("dev"), "dev"),
          (admin("security_tooling"), "security_tooling"))],
    *[(who, action, anything_in(account), True, "")
      for action in SWITCHING_OFF for who, account in (
          (access_role("security_tooling"), "security_tooling"), (stacksets("dev"), "dev"))],
    # AWS Config's recorder function sets up the recorder, and nothing else does.
    (role_named("dev", RECORDER_ROLE), "config:PutConfigurationRecorder", anything_in("dev"),
     True, ""),
    (role_named("dev", RECORDER_ROLE), "config:PutDeliveryChannel", anything_in("dev"), True, ""),
    (role_named("dev", RECORDER_ROLE), "config:StopConfigurationRecorder", anything_in("dev"),
     False, ""),
    (role_named("dev", "acme-lz-aws-config-recorder"), "config:PutConfigurationRecorder",
     anything_in("dev"), False, ""),
    (role_named("dev", "acme-lz-aws-config-recorderx-us-east-1"),
     "config:PutDeliveryChannel", anything_in("dev"), False, ""),
    (admin("dev"), "config:PutConfigurationRecorder", anything_in("dev"), False, ""),
    (admin("dev"), "iam:CreateRole",
     lambda org: org.no_policy("dev", f"arn:aws:iam::{org.ids['dev']}:role/{RECORDER_ROLE}x"),
     False, ""),
    (stacksets("dev"), "iam:CreateRole",
     lambda org: org.no_policy("dev", f"arn:aws:iam::{org.ids['dev']}:role/{RECORDER_ROLE}"),
     True, ""),
    (admin("master"), "guardduty:DeleteDetector", anything_in("master"), True, ""),
    (admin("security_tooling"), "guardduty:ArchiveFindings", anything_in("security_tooling"),
     True, ""),
]


@pytest.mark.parametrize(("principal", "action", "resource", "allowed", "finding"), CASES,
                         ids=[f"{i:02d}-{c[1]}-{'allow' if c[3] else 'deny'}" for i, c in enumerate(CASES)])
def test_who_can_do_what(org, principal, action, resource, allowed, finding):
    decision = org.decide(principal(org), action, resource(org))
    assert decision.allowed is allowed, decision.why


@pytest.mark.parametrize(("principal", "encrypted", "allowed"), [
    (admin("dev"), "false", False), (deployer("dev"), "false", False),
    (access_role("dev"), "false", False), (stacksets("dev"), "false", False),
    (admin("dev"), "true", True), (deployer("dev"), "true", True),
], ids=lambda v: v if isinstance(v, str) else None)
def test_nobody_in_a_member_account_creates_an_unencrypted_volume(org, principal, encrypted,
                                                                 allowed):
    for action in ("ec2:CreateVolume", "ec2:RunInstances"):
        volume = org.no_policy("dev", f"arn:aws:ec2:us-east-1:{org.ids['dev']}:volume/*")
        decision = org.decide(principal(org), action, volume, **{"ec2:Encrypted": encrypted})
        assert decision.allowed is allowed, decision.why


def test_every_principal_of_the_issue_has_cases():
    principals = {c[0] for c in CASES}
    assert {preview, deploy, bootstrap} <= principals
    findings = {c[4] for c in CASES}
    assert {"1", "2", "3", "5", "6"} <= findings


# --- GuardDuty's exported findings (issue 14): the security tooling account reads them, through
# S3 with the findings key; nobody else decrypts, and nobody in a member account changes them.
FINDINGS_BUCKET = "acme-lz-guardduty-findings"
FINDING = "AWSLogs/{security}/GuardDuty/us-east-1/2026/12/03/finding.jsonl.gz"
THROUGH_S3 = {"kms:ViaService": "s3.us-east-1.amazonaws.com"}


def findings_key(org: PlanDocuments):
    return org.key("guardduty-findings-key", org.inventory.outputs["guardduty"]["findings_kms_key_arn"])


def finding(org: PlanDocuments):
    return org.object(FINDINGS_BUCKET, FINDING.format(security=org.ids["security_tooling"]))


def findings_bucket(org: PlanDocuments):
    return org.object(FINDINGS_BUCKET)


FINDINGS_CASES = [
    (admin("security_tooling"), "s3:GetObject", finding, THROUGH_S3, True),
    (admin("security_tooling"), "kms:Decrypt", findings_key, THROUGH_S3, True),
    (admin("security_tooling"), "kms:Decrypt", findings_key, {}, False),
    (admin("security_tooling"), "s3:PutBucketPolicy", findings_bucket, {}, False),
    (admin("dev"), "s3:GetObject", finding, {}, False),
    (admin("dev"), "kms:Decrypt", findings_key, THROUGH_S3, False),
    (deployer("dev"), "kms:Decrypt", findings_key, THROUGH_S3, False),
    (admin("master"), "s3:GetObject", finding, {}, False),
    (admin("master"), "kms:Decrypt", findings_key, THROUGH_S3, False),
    (deploy, "kms:Decrypt", findings_key, THROUGH_S3, False),
    # The log archive's administrators hold the objects but cannot decrypt or re-key them.
    (admin("log_archive"), "kms:Decrypt", findings_key, THROUGH_S3, False),
    (admin("log_archive"), "kms:PutKeyPolicy", findings_key, {}, False),
    (admin("log_archive"), "s3:DeleteBucket", findings_bucket, {}, False),
    (admin("log_archive"), "s3:DeleteObject", finding, {}, False),
    (access_role("log_archive"), "kms:PutKeyPolicy", findings_key, {}, True),
    (access_role("log_archive"), "s3:PutBucketPolicy", findings_bucket, {}, True),
    (access_role("log_archive"), "s3:DeleteObject", finding, {}, False),
]


@pytest.mark.parametrize(("source_account", "region", "allowed"), [
    ("security_tooling", "us-east-1", True), ("dev", "us-east-1", False),
    ("security_tooling", "eu-central-1", False)])
def test_only_the_administrators_detectors_write_findings(org, source_account, region, allowed):
    """GuardDuty writes for the administrator's detector in a governed region, and for no
    other account's (the confused-deputy guard)."""
    archive = org.ids["log_archive"]
    guardduty = Principal("guardduty.amazonaws.com", archive)
    source = {"aws:SourceAccount": org.ids[source_account],
              "aws:SourceArn": f"arn:aws:guardduty:{region}:{org.ids[source_account]}:detector/d1"}
    for action, resource in (("s3:PutObject", finding), ("kms:GenerateDataKey", findings_key)):
        context = {**source, "s3:x-amz-server-side-encryption": "aws:kms",
                   "s3:x-amz-server-side-encryption-aws-kms-key-id":
                       org.inventory.outputs["guardduty"]["findings_kms_key_arn"]}
        decision = org.decide(guardduty, action, resource(org), **context)
        assert decision.allowed is allowed, (action, decision.why)


# --- AWS Config's history (issue 14): Config of the organization's accounts writes it; nobody
# reads or decrypts it through S3, and nobody in a member account changes it.
HISTORY_BUCKET = "acme-lz-aws-config-history"
HISTORY = "AWSLogs/{account}/Config/us-east-1/2026/12/3/ConfigHistory/item.json.gz"
OWNER_FULL_CONTROL = {"s3:x-amz-acl": "bucket-owner-full-control"}


def history_key(org: PlanDocuments):
    return org.key("aws-config-key", org.inventory.outputs["aws_config"]["kms_key_arn"])


def history_of(account: str) -> Callable[[PlanDocuments], object]:
    return lambda org: org.object(HISTORY_BUCKET, HISTORY.format(account=org.ids[account]))


def history_bucket(org: PlanDocuments):
    return org.object(HISTORY_BUCKET)


HISTORY_CASES = [
    (admin("dev"), "s3:GetObject", history_of("dev"), {}, False),
    (admin("dev"), "s3:PutObject", history_of("dev"), OWNER_FULL_CONTROL, False),
    (deployer("dev"), "kms:Decrypt", history_key, THROUGH_S3, False),
    (admin("master"), "s3:GetObject", history_of("master"), {}, False),
    (admin("master"), "kms:Decrypt", history_key, THROUGH_S3, False),
    (deploy, "s3:PutObject", history_of("prod"), OWNER_FULL_CONTROL, False),
    (admin("security_tooling"), "s3:GetObject", history_of("dev"), {}, False),
    # The log archive's administrators hold the objects but cannot decrypt, re-key or delete.
    (admin("log_archive"), "kms:Decrypt", history_key, THROUGH_S3, False),
    (admin("log_archive"), "kms:PutKeyPolicy", history_key, {}, False),
    (admin("log_archive"), "s3:PutBucketPolicy", history_bucket, {}, False),
    (admin("log_archive"), "s3:DeleteObject", history_of("dev"), {}, False),
    (access_role("log_archive"), "kms:PutKeyPolicy", history_key, {}, True),
    (access_role("log_archive"), "s3:PutBucketPolicy", history_bucket, {}, True),
]


ARCHIVE_CASES = [*(("findings", c) for c in FINDINGS_CASES),
                 *(("history", c) for c in HISTORY_CASES)]


@pytest.mark.parametrize(("principal", "action", "resource", "context", "allowed"),
                         [case for _, case in ARCHIVE_CASES],
                         ids=[f"{archive}-{i:02d}-{c[1]}-{'allow' if c[4] else 'deny'}"
                              for i, (archive, c) in enumerate(ARCHIVE_CASES)])
def test_who_can_read_and_change_the_security_archives(org, principal, action, resource,
                                                       context, allowed):
    """GuardDuty's findings and AWS Config's history."""
    decision = org.decide(principal(org), action, resource(org), **context)
    assert decision.allowed is allowed, decision.why


@pytest.mark.parametrize(("source_organization", "allowed"), [("ours", True), ("o-other", False)])
def test_only_config_of_the_organization_writes_history(org, source_organization, allowed):
    """Config writes for any account of this organization, and for no other's (the
    confused-deputy guard, aws:SourceOrgID)."""
    config = Principal("config.amazonaws.com", org.ids["log_archive"])
    source = {"aws:SourceOrgID": org.organization_id if source_organization == "ours"
              else source_organization}
    for action, resource, context in (
            ("s3:PutObject", history_of("dev"), OWNER_FULL_CONTROL),
            ("kms:GenerateDataKey", history_key, {})):
        decision = org.decide(config, action, resource(org), **source, **context)
        assert decision.allowed is allowed, (action, decision.why)
