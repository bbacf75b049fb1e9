"""The built-in guardrails: every document within the SCP quota at its largest, the statements
that matter pinned, and the policy evaluator (tests/policies/evaluator.py) proving two things
for each built-in: it denies
what docs/guardrails.md says it denies, and it never denies what the bootstrap run does in a
member account (as the account access role) or anything the management account does (SCPs
never apply to it, so it is not simulated).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

import pytest

from components.policies import scps
from config.model.platform import BUILTIN_GUARDRAILS, OWN_SCP_BUILTINS
from config.rules.guardrails import MAX_SCP_CHARS
from config.rules.limits import policy_size
from tests.policies.evaluator import statement_applies

ROLE = "OrganizationAccountAccessRole"
HOME = "eu-west-1"
MEMBER = "222222222222"
TRAIL = "arn:aws:cloudtrail:eu-west-1:111111111111:trail/acme-organization-trail"
BUCKET = "arn:aws:s3:::acme-audit-logs"
KEY = "arn:aws:kms:eu-west-1:222222222222:key/0f0e0d0c-0b0a-0908-0706-050403020100"
STATE = "arn:aws:s3:::acme-pulumi-state"
STATE_KEYS = ("arn:aws:kms:eu-west-1:333333333333:key/1f0e0d0c-0b0a-0908-0706-050403020100",
              "arn:aws:kms:eu-west-1:333333333333:key/2f0e0d0c-0b0a-0908-0706-050403020100")
SERVICES = tuple(scps.SECURITY_SERVICE_CHANGES)
FINDINGS = "arn:aws:s3:::acme-guardduty-findings"
FINDINGS_KEY = "arn:aws:kms:eu-west-1:222222222222:key/3f0e0d0c-0b0a-0908-0706-050403020100"
HISTORY = "arn:aws:s3:::acme-aws-config-history"
HISTORY_KEY = "arn:aws:kms:eu-west-1:222222222222:key/4f0e0d0c-0b0a-0908-0706-050403020100"
RECORDER_FUNCTION = "acme-aws-config-recorder"
CONTEXT = scps.GuardrailContext(access_role_name=ROLE, allowed_regions=(HOME, "eu-central-1"),
                                trail_arn=TRAIL, audit_bucket_arn=BUCKET, audit_key_arn=KEY,
                                state_bucket_arn=STATE, state_key_arns=STATE_KEYS,
                                security_services=SERVICES,
                                security_archive_bucket_arns=(FINDINGS, HISTORY),
                                security_archive_key_arns=(FINDINGS_KEY, HISTORY_KEY),
                                config_recorder_function=RECORDER_FUNCTION)
# Every commercial and GovCloud region AWS lists today, for the largest region deny.
ALL_REGIONS = (
    "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
    "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1",
    "ca-west-1", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2",
    "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1",
    "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-gov-east-1", "us-gov-west-1",
    "us-west-1", "us-west-2")
LARGEST = scps.GuardrailContext(
    access_role_name="R" * 64,  # IAM's longest role name
    allowed_regions=ALL_REGIONS,
    trail_arn=f"arn:aws:cloudtrail:ap-southeast-1:111111111111:trail/{'t' * 128}",
    audit_bucket_arn=f"arn:aws:s3:::{'b' * 63}",
    audit_key_arn="arn:aws:kms:ap-southeast-1:222222222222:key/0f0e0d0c-0b0a-0908-0706-050403020100",
    state_bucket_arn=f"arn:aws:s3:::{'s' * 63}",
    state_key_arns=tuple(f"arn:aws:kms:ap-southeast-1:333333333333:key/{i}f0e0d0c-0b0a-0908-0706-050403020100"
                         for i in range(2)),
    security_services=SERVICES,
    security_archive_bucket_arns=(f"arn:aws:s3:::{'g' * 63}", f"arn:aws:s3:::{'h' * 63}"),
    security_archive_key_arns=tuple(
        f"arn:aws:kms:ap-southeast-1:222222222222:key/{i}f0e0d0c-0b0a-0908-0706-050403020100"
        for i in (3, 4)),
    # Its role in ap-southeast-7 at IAM's longest role name (64 characters).
    config_recorder_function="n" * 29 + "-aws-config-recorder")


def test_the_library_and_the_config_name_the_same_built_ins():
    assert list(scps.BUILDERS) == list(BUILTIN_GUARDRAILS)
    assert set(OWN_SCP_BUILTINS) <= set(BUILTIN_GUARDRAILS)


def test_every_built_in_at_its_largest_fits_the_quota():
    """The shared SCP holds every built-in but OWN_SCP_BUILTINS: together, at their largest."""
    shared = [name for name in scps.BUILDERS if name not in OWN_SCP_BUILTINS]
    assert policy_size(scps.combined(shared, LARGEST)) <= MAX_SCP_CHARS
    for name in OWN_SCP_BUILTINS:
        assert policy_size(scps.BUILDERS[name](LARGEST)) <= MAX_SCP_CHARS, name


def test_statement_ids_are_unique_so_built_ins_combine():
    sids = [s["Sid"] for name in scps.BUILDERS for s in scps.BUILDERS[name](CONTEXT)["Statement"]]
    assert len(sids) == len(set(sids))
    assert all(sid.isalnum() for sid in sids)  # IAM allows only [A-Za-z0-9] in a Sid


def test_every_document_is_an_scp():
    for name, build in scps.BUILDERS.items():
        document = build(CONTEXT)
        assert json.loads(json.dumps(document)) == document
        assert document["Version"] == "2012-10-17", name
        for statement in document["Statement"]:
            assert statement["Effect"] == "Deny", name  # FullAWSAccess stays the only allow
            assert not {"Principal", "NotPrincipal"} & set(statement), name


def test_descriptions_fit_organizations():
    for name in scps.BUILDERS:
        assert 0 < len(scps.description(name)) <= 512 and scps.description(name).endswith(".")


def test_documents_that_need_their_inputs_say_so():
    with pytest.raises(ValueError, match="trail, bucket and key"):
        scps.protect_audit_logging(scps.GuardrailContext(access_role_name=ROLE))
    with pytest.raises(ValueError, match="state bucket and key"):
        scps.protect_state_backend(scps.GuardrailContext(access_role_name=ROLE))
    with pytest.raises(ValueError, match="allowed regions"):
        scps.deny_unapproved_regions(scps.GuardrailContext(access_role_name=ROLE))
    with pytest.raises(ValueError, match="at least one security service"):
        scps.protect_security_services(scps.GuardrailContext(access_role_name=ROLE))


def test_the_small_built_ins_exactly():
    unless_role = {"ArnNotLike": {"aws:PrincipalArn": f"arn:aws:iam::*:role/{ROLE}"}}
    assert scps.deny_leaving_organization(CONTEXT)["Statement"] == [
        {"Sid": "DenyLeavingOrganization", "Effect": "Deny",
         "Action": "organizations:LeaveOrganization", "Resource": "*"}]
    assert scps.deny_root_user(CONTEXT)["Statement"] == [
        {"Sid": "DenyRootUser", "Effect": "Deny", "Action": "*", "Resource": "*",
         "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}}}]
    [statement] = scps.protect_account_access_role(CONTEXT)["Statement"]
    assert statement["Resource"] == [f"arn:aws:iam::*:role/{ROLE}",
                                     "arn:aws:iam::*:role/stacksets-exec-*"]
    assert statement["Condition"] == unless_role
    assert {"iam:UpdateAssumeRolePolicy", "iam:DeleteRole", "iam:AttachRolePolicy",
            "iam:PutRolePolicy"} <= set(statement["Action"])


def test_protect_audit_logging_names_exactly_our_trail_bucket_and_key():
    statements = {s["Sid"]: s for s in scps.protect_audit_logging(CONTEXT)["Statement"]}
    assert sorted(statements) == ["DenyLogBucketChanges", "DenyLogFileChanges",
                                  "DenyLogKeyChanges", "DenyTrailChanges"]
    assert statements["DenyTrailChanges"]["Resource"] == TRAIL
    assert statements["DenyLogBucketChanges"]["Resource"] == BUCKET
    assert statements["DenyLogFileChanges"]["Resource"] == f"{BUCKET}/*"
    assert statements["DenyLogKeyChanges"]["Resource"] == KEY
    # Nobody rewrites log files, not even the program; bucket and key stay the program's.
    assert "Condition" not in statements["DenyLogFileChanges"]
    assert "Condition" in statements["DenyLogBucketChanges"]


# --- the built-ins through the shared evaluator (tests/policies/evaluator.py) ---------------


@dataclass(frozen=True)
class Request:
    action: str
    resource: str = "*"
    principal: str = f"arn:aws:iam::{MEMBER}:role/{ROLE}"
    region: str = HOME
    encrypted: str | None = None
    """`ec2:Encrypted` of the request, when it creates a volume."""

    def context(self) -> dict[str, str]:
        keys = {"aws:PrincipalArn": self.principal, "aws:RequestedRegion": self.region}
        return keys if self.encrypted is None else {**keys, "ec2:Encrypted": self.encrypted}


def denied_by(document: dict, request: Request) -> list[str]:
    """Sids of the Deny statements that match the request."""
    return [s["Sid"] for s in document["Statement"] if s["Effect"] == "Deny"
            and statement_applies(s, request.action, request.resource, request.context())]


EVERYTHING = scps.combined(list(scps.BUILDERS), CONTEXT)
WORKLOAD = f"arn:aws:iam::{MEMBER}:role/Deployer"

# What the program does in member accounts, as the access role (components: hardened bucket,
# state backend, audit logging, identity center's customer policies).
PROGRAM = [
    Request("s3:CreateBucket", BUCKET), Request("s3:PutBucketPolicy", BUCKET),
    Request("s3:PutBucketVersioning", BUCKET), Request("s3:PutEncryptionConfiguration", BUCKET),
    Request("s3:PutLifecycleConfiguration", BUCKET), Request("s3:PutBucketLogging", BUCKET),
    Request("s3:PutBucketPublicAccessBlock", BUCKET),
    Request("s3:PutBucketOwnershipControls", BUCKET),
    Request("s3:PutBucketObjectLockConfiguration", BUCKET),
    Request("kms:CreateKey"), Request("kms:PutKeyPolicy", KEY),
    Request("kms:EnableKeyRotation", KEY), Request("kms:CreateAlias", KEY),
    Request("kms:TagResource", KEY), Request("kms:UpdateAlias", KEY),
    Request("s3:PutBucketPolicy", STATE), Request("kms:PutKeyPolicy", STATE_KEYS[1]),
    Request("iam:CreatePolicy", f"arn:aws:iam::{MEMBER}:policy/PulumiStateWriter"),
    Request("iam:CreatePolicyVersion", f"arn:aws:iam::{MEMBER}:policy/PulumiStateWriter"),
    Request("iam:UpdateAssumeRolePolicy", f"arn:aws:iam::{MEMBER}:role/{ROLE}"),
    Request("sts:GetCallerIdentity", region="us-east-1"),
    Request("iam:CreatePolicy", f"arn:aws:iam::{MEMBER}:policy/X", region="us-east-1"),
    Request("s3:CreateBucket", "arn:aws:s3:::elsewhere", region="ap-south-1"),
]


STACKSETS_ROLE = "stacksets-exec-0123456789abcdef0123456789abcdef"
LOG_BUCKET = f"arn:aws:s3:::acme-s3-access-logs-{MEMBER}-us-east-1"
# What StackSets does in every member account for the access-log stack set.
STACKSETS = [Request(action, LOG_BUCKET, principal=f"arn:aws:iam::{MEMBER}:role/{STACKSETS_ROLE}")
             for action in ("s3:CreateBucket", "s3:PutBucketPolicy", "s3:PutBucketVersioning",
                            "s3:PutLifecycleConfiguration", "s3:PutEncryptionConfiguration",
                            "s3:PutBucketPublicAccessBlock", "s3:PutBucketOwnershipControls",
                            "s3:PutBucketTagging")]


@pytest.mark.parametrize("request_", STACKSETS, ids=lambda r: r.action)
def test_no_built_in_denies_the_stacksets_baseline(request_):
    assert not denied_by(EVERYTHING, request_)


@pytest.mark.parametrize("request_", PROGRAM, ids=lambda r: f"{r.action}@{r.region}")
def test_no_built_in_denies_the_bootstrap_run(request_):
    assert denied_by(EVERYTHING, request_) == []


@pytest.mark.parametrize(("request_", "sid"), [
    (Request("organizations:LeaveOrganization", principal=WORKLOAD), "DenyLeavingOrganization"),
    (Request("organizations:LeaveOrganization"), "DenyLeavingOrganization"),
    (Request("cloudtrail:StopLogging", TRAIL, principal=WORKLOAD), "DenyTrailChanges"),
    (Request("cloudtrail:DeleteTrail", TRAIL), "DenyTrailChanges"),
    (Request("s3:DeleteBucketPolicy", BUCKET, principal=WORKLOAD), "DenyLogBucketChanges"),
    (Request("s3:PutLifecycleConfiguration", BUCKET, principal=WORKLOAD), "DenyLogBucketChanges"),
    (Request("s3:DeleteObjectVersion", f"{BUCKET}/AWSLogs/o-x/f.json.gz"), "DenyLogFileChanges"),
    (Request("s3:PutObject", f"{BUCKET}/AWSLogs/o-x/f.json.gz", principal=WORKLOAD),
     "DenyLogFileChanges"),
    (Request("kms:ScheduleKeyDeletion", KEY, principal=WORKLOAD), "DenyLogKeyChanges"),
    (Request("kms:DisableKey", KEY, principal=WORKLOAD), "DenyLogKeyChanges"),
    (Request("s3:PutBucketPolicy", STATE, principal=WORKLOAD), "DenyStateBucketChanges"),
    (Request("s3:DeleteObjectVersion", f"{STATE}/.pulumi/stacks/landing-zone/b.json",
             principal=WORKLOAD), "DenyStateHistoryDeletion"),
    (Request("kms:PutKeyPolicy", STATE_KEYS[1], principal=WORKLOAD), "DenyStateKeyChanges"),
    (Request("ec2:RunInstances", principal=f"arn:aws:iam::{MEMBER}:root"), "DenyRootUser"),
    (Request("iam:UpdateAssumeRolePolicy", f"arn:aws:iam::{MEMBER}:role/{ROLE}",
             principal=WORKLOAD), "ProtectAccountAccessRole"),
    (Request("iam:DeleteRole", f"arn:aws:iam::{MEMBER}:role/{ROLE}", principal=WORKLOAD),
     "ProtectAccountAccessRole"),
    (Request("iam:PutRolePolicy", f"arn:aws:iam::{MEMBER}:role/{STACKSETS_ROLE}",
             principal=WORKLOAD), "ProtectAccountAccessRole"),
    (Request("ec2:RunInstances", principal=WORKLOAD, region="ap-south-1"),
     "DenyUnapprovedRegions"),
], ids=lambda v: v if isinstance(v, str) else f"{v.action}")
def test_each_built_in_denies_what_it_promises(request_, sid):
    assert sid in denied_by(EVERYTHING, request_)


@pytest.mark.parametrize("request_", [
    Request("ec2:RunInstances", principal=WORKLOAD),
    Request("iam:ListRoles", principal=WORKLOAD, region="ap-south-1"),  # global: exempt
    Request("s3:PutBucketPolicy", "arn:aws:s3:::workload-bucket", principal=WORKLOAD),
    Request("s3:GetObject", f"{BUCKET}/AWSLogs/o-x/f.json.gz", principal=WORKLOAD),
    Request("kms:Decrypt", KEY, principal=WORKLOAD),
    Request("s3:PutObject", f"{STATE}/.pulumi/stacks/api/dev.json", principal=WORKLOAD),
    Request("kms:GenerateDataKey", STATE_KEYS[0], principal=WORKLOAD),
    Request("iam:UpdateAssumeRolePolicy", f"arn:aws:iam::{MEMBER}:role/Workload",
            principal=WORKLOAD),
], ids=lambda r: r.action)
def test_workloads_keep_working(request_):
    assert denied_by(EVERYTHING, request_) == []


# --- the security baseline's guardrails ------------------------------------------------------

MEMBER_ADMIN = (f"arn:aws:iam::{MEMBER}:role/aws-reserved/sso.amazonaws.com/us-east-1/"
                "AWSReservedSSO_Admin_0123456789abcdef")
STACKSETS_PRINCIPAL = f"arn:aws:iam::{MEMBER}:role/{STACKSETS_ROLE}"
SERVICE_ACTIONS = [(service, action) for service, actions in scps.SECURITY_SERVICE_CHANGES.items()
                   for action in actions]


@pytest.mark.parametrize(("service", "action"), SERVICE_ACTIONS, ids=lambda v: v)
def test_members_cannot_switch_a_security_service_off(service, action):
    protecting = {"ProtectSecurityServices", "ConfigRecorderSetUpByItsFunctionOnly"}
    for principal in (WORKLOAD, MEMBER_ADMIN, f"arn:aws:iam::{MEMBER}:root"):
        assert protecting & set(denied_by(EVERYTHING, Request(action, principal=principal))), \
            principal


@pytest.mark.parametrize(("service", "action"), SERVICE_ACTIONS, ids=lambda v: v)
def test_the_program_and_stacksets_still_run_the_security_services(service, action):
    """The access role (delegated administrator work, `pulumi up`) and the StackSets execution
    roles (AWS Config recorders) are exempt; the root user is not (deny_root_user)."""
    for principal in (f"arn:aws:iam::{MEMBER}:role/{ROLE}", STACKSETS_PRINCIPAL):
        assert denied_by(EVERYTHING, Request(action, principal=principal)) == [], principal


RECORDER_ROLE = f"arn:aws:iam::{MEMBER}:role/{RECORDER_FUNCTION}-{HOME}"
FUNCTION = f"arn:aws:lambda:{HOME}:{MEMBER}:function:{RECORDER_FUNCTION}"
# Workload roles named almost like the recorder function's role.
LOOKALIKES = [f"arn:aws:iam::{MEMBER}:role/{name}" for name in (
    RECORDER_FUNCTION, f"{RECORDER_FUNCTION}x-{HOME}", f"x{RECORDER_FUNCTION}-{HOME}",
    f"{RECORDER_FUNCTION.replace('recorder', 'recorders')}-{HOME}")]


def test_the_recorder_function_sets_up_the_recorder_and_nothing_else():
    """It puts the recorder and delivery channel (it adopts or makes them); stopping or
    deleting them stays denied to it as to everyone in the account."""
    for action in scps.CONFIG_RECORDER_SETUP:
        assert denied_by(EVERYTHING, Request(action, principal=RECORDER_ROLE)) == [], action
        for lookalike in (*LOOKALIKES, WORKLOAD, MEMBER_ADMIN):
            assert denied_by(EVERYTHING, Request(action, principal=lookalike)) == [
                "ConfigRecorderSetUpByItsFunctionOnly"], lookalike
    for action in set(scps.SECURITY_SERVICE_CHANGES["aws_config"]) - set(
            scps.CONFIG_RECORDER_SETUP):
        assert denied_by(EVERYTHING, Request(action, principal=RECORDER_ROLE)) == [
            "ProtectSecurityServices"], action


def test_the_function_what_it_runs_as_and_its_name_stay_stacksets():
    """Nobody else makes a role of the exempt name, changes or passes one, or changes,
    opens or invokes the function (a forged event could point delivery elsewhere); StackSets
    and the access role build them."""
    taken = f"arn:aws:iam::{MEMBER}:role/{RECORDER_FUNCTION}-us-west-2"
    for action, resource in [
            ("iam:CreateRole", taken), ("iam:UpdateAssumeRolePolicy", RECORDER_ROLE),
            ("iam:PutRolePolicy", RECORDER_ROLE),
            ("lambda:UpdateFunctionCode", FUNCTION), ("lambda:InvokeFunction", FUNCTION),
            ("lambda:AddPermission", FUNCTION), ("lambda:CreateFunctionUrlConfig", FUNCTION)]:
        for principal in (WORKLOAD, MEMBER_ADMIN, RECORDER_ROLE):
            assert denied_by(EVERYTHING, Request(action, resource, principal)) == [
                "ProtectConfigRecorderFunction"], (action, principal)
    for principal in (WORKLOAD, MEMBER_ADMIN):
        assert denied_by(EVERYTHING, Request("iam:PassRole", RECORDER_ROLE, principal)) == [
            "ConfigRecorderRolesPassedByTheFunctionOnly"], principal
        for principal in (STACKSETS_PRINCIPAL, f"arn:aws:iam::{MEMBER}:role/{ROLE}"):
            assert denied_by(EVERYTHING, Request(action, resource, principal)) == [], action
    # The workloads' own roles and functions are theirs.
    for action, resource in [("iam:CreateRole", LOOKALIKES[1]), ("iam:PassRole", LOOKALIKES[0]),
                             ("lambda:UpdateFunctionCode", f"{FUNCTION}-mine")]:
        assert denied_by(EVERYTHING, Request(action, resource, WORKLOAD)) == [], action


def test_the_role_config_records_as_is_stacksets_and_passed_by_the_function_only():
    """CloudFormation names it, so its path marks it: nobody else makes a role there, changes
    it (detaching AWS_ConfigRole would stop recording) or passes it to a recorder of their
    own; the function passes it to the recorder it sets up."""
    config_role = f"arn:aws:iam::{MEMBER}:role/{RECORDER_FUNCTION}/StackSet-abc-RecorderRole-X1"
    for action in ("iam:CreateRole", "iam:DetachRolePolicy", "iam:UpdateAssumeRolePolicy",
                   "iam:PutRolePolicy", "iam:DeleteRole"):
        for principal in (WORKLOAD, MEMBER_ADMIN, RECORDER_ROLE, *LOOKALIKES):
            assert denied_by(EVERYTHING, Request(action, config_role, principal)) == [
                "ProtectConfigRecorderFunction"], (action, principal)
        for principal in (STACKSETS_PRINCIPAL, f"arn:aws:iam::{MEMBER}:role/{ROLE}"):
            assert denied_by(EVERYTHING, Request(action, config_role, principal)) == [], action
    for principal in (WORKLOAD, MEMBER_ADMIN, *LOOKALIKES):
        assert denied_by(EVERYTHING, Request("iam:PassRole", config_role, principal)) == [
            "ConfigRecorderRolesPassedByTheFunctionOnly"], principal
    for principal in (RECORDER_ROLE, STACKSETS_PRINCIPAL, f"arn:aws:iam::{MEMBER}:role/{ROLE}"):
        assert denied_by(EVERYTHING, Request("iam:PassRole", config_role, principal)) == [], \
            principal
    # A workload's role under a path of its own, or named like the path, stays its own.
    for mine in (f"arn:aws:iam::{MEMBER}:role/{RECORDER_FUNCTION}x/Recorder",
                 f"arn:aws:iam::{MEMBER}:role/{RECORDER_FUNCTION}"):
        assert denied_by(EVERYTHING, Request("iam:PassRole", mine, WORKLOAD)) == [], mine


def test_the_recorder_exemption_needs_aws_config_on():
    document = scps.protect_security_services(scps.GuardrailContext(
        access_role_name=ROLE, security_services=("guardduty",),
        config_recorder_function=RECORDER_FUNCTION))
    assert [s["Sid"] for s in document["Statement"]] == ["ProtectSecurityServices"]


def test_both_security_hubs_are_protected():
    for action in ("securityhub:DisableSecurityHub", "securityhub:DisableSecurityHubV2",
                   "securityhub:DisableSecurityHubFeatureV2"):
        assert denied_by(EVERYTHING, Request(action, principal=MEMBER_ADMIN)) == [
            "ProtectSecurityServices"], action


def test_only_the_services_that_are_on_are_protected():
    document = scps.protect_security_services(
        scps.GuardrailContext(access_role_name=ROLE, security_services=("guardduty",)))
    [statement] = document["Statement"]
    assert statement["Action"] == sorted(scps.SECURITY_SERVICE_CHANGES["guardduty"])
    assert statement["Condition"] == {"ArnNotLike": {"aws:PrincipalArn": [
        f"arn:aws:iam::*:role/{ROLE}", "arn:aws:iam::*:role/stacksets-exec-*"]}}
    assert not denied_by(document, Request("config:StopConfigurationRecorder", principal=WORKLOAD))


def test_the_security_services_can_still_be_worked_with():
    """Findings stay workable and readable by the security team: only switching off is denied."""
    for action in ("guardduty:ArchiveFindings", "guardduty:GetFindings",
                   "securityhub:BatchUpdateFindings", "config:DescribeConfigurationRecorders",
                   "access-analyzer:ArchiveFindings", "account:GetAlternateContact"):
        assert denied_by(EVERYTHING, Request(action, principal=MEMBER_ADMIN)) == [], action


ARCHIVE_CHANGES = [
    *[Request(action, bucket) for bucket in (FINDINGS, HISTORY)
      for action in ("s3:DeleteBucket", "s3:PutBucketPolicy", "s3:PutLifecycleConfiguration",
                     "s3:PutEncryptionConfiguration")],
    *[Request(action, key) for key in (FINDINGS_KEY, HISTORY_KEY)
      for action in ("kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey",
                     "kms:DeleteAlias")],
]


@pytest.mark.parametrize("change", ARCHIVE_CHANGES, ids=lambda r: f"{r.action}-{r.resource}")
def test_members_cannot_touch_the_security_archives_buckets_or_keys(change):
    """GuardDuty's findings and AWS Config's history: a member administrator (the log
    archive's included) is denied; the access role, as the program, is not."""
    for principal in (WORKLOAD, MEMBER_ADMIN, STACKSETS_PRINCIPAL):
        denied = denied_by(EVERYTHING, replace(change, principal=principal))
        assert {"DenySecurityArchiveBucketChanges", "DenySecurityArchiveKeyChanges"} & set(
            denied), principal
    assert denied_by(EVERYTHING, change) == []


def test_security_archive_files_are_unchangeable_for_everyone():
    for principal in (MEMBER_ADMIN, f"arn:aws:iam::{MEMBER}:role/{ROLE}"):
        for action in ("s3:DeleteObject", "s3:PutObject", "s3:DeleteObjectVersion"):
            for item in (f"{FINDINGS}/AWSLogs/x/GuardDuty/f.jsonl.gz",
                         f"{HISTORY}/AWSLogs/x/Config/us-east-1/item.json.gz"):
                request = Request(action, item, principal)
                assert denied_by(EVERYTHING, request) == ["DenySecurityArchiveFileChanges"], \
                    (action, item)


def test_other_keys_and_buckets_stay_the_members():
    for request in (Request("kms:ScheduleKeyDeletion", KEY.replace("0f", "9f"),
                            principal=MEMBER_ADMIN),
                    Request("s3:PutBucketPolicy", "arn:aws:s3:::team-bucket", MEMBER_ADMIN)):
        assert denied_by(EVERYTHING, request) == [], request.action


def test_no_findings_statements_without_the_export():
    document = scps.protect_security_services(
        scps.GuardrailContext(access_role_name=ROLE, security_services=("guardduty",)))
    assert [s["Sid"] for s in document["Statement"]] == ["ProtectSecurityServices"]


VOLUME = f"arn:aws:ec2:{HOME}:{MEMBER}:volume/*"


@pytest.mark.parametrize("action", ["ec2:CreateVolume", "ec2:RunInstances"])
def test_nobody_creates_an_unencrypted_volume(action):
    for principal in (WORKLOAD, MEMBER_ADMIN, f"arn:aws:iam::{MEMBER}:role/{ROLE}",
                      STACKSETS_PRINCIPAL):
        assert denied_by(EVERYTHING, Request(action, VOLUME, principal, encrypted="false")) == [
            "DenyUnencryptedVolumes"], principal
        assert denied_by(EVERYTHING, Request(action, VOLUME, principal, encrypted="true")) == []


def test_launching_an_instance_is_judged_by_its_volumes_only():
    instance = f"arn:aws:ec2:{HOME}:{MEMBER}:instance/*"
    assert denied_by(EVERYTHING, Request("ec2:RunInstances", instance, WORKLOAD)) == []
