"""Every policy document this project can emit, linted by an independent IAM policy linter.

parliament (Duo Labs, https://github.com/duo-labs/parliament) runs with its community auditors
(privilege escalation, credentials exposure, permissions management, advanced policy elements,
single-value conditions; not sensitive_access, which parliament ships with an empty list of
sensitive resources, so it cannot find anything) on:
- every policy input of full offline plans (update mode, so every ARN is known) of the example
  organization, of the Metastructure fixture, and of the example with every optional feature
  on: bucket policies, KMS key policies, IAM policies, role trust and inline policies, SCPs,
  permission-set inline policies. Documents are found by shape (a JSON input with a
  `Statement`), not by resource type, so documents others add later are linted too;
- every built-in SCP, alone and combined as the program attaches them.

A finding of MEDIUM severity or worse fails the test unless JUSTIFIED says, for that kind of
document and that issue, why it is right. Known false positives and by-design findings:
- a role trust policy has no Resource (IAM refuses one that does); parliament reads it as an
  identity policy and reports MALFORMED;
- in a KMS key policy `"Resource": "*"` means "this key" (AWS requires that form), and
  administering a key is permissions management by definition;
- bucket policies name a Principal, which parliament handles correctly (no finding);
- RESOURCE_STAR and the like are LOW: reported for the record, never blocking.
"""

from __future__ import annotations

import functools
import importlib
import json
from functools import lru_cache
from pathlib import Path

import parliament
import pytest

from cli.offline import Inventory, run_offline
from components import build
from components.policies import scps
from config import DEFAULT_CONFIG, load

METASTRUCTURE = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "metastructure" \
    / "metastructure.yml"
BLOCKING = {"MEDIUM", "HIGH", "CRITICAL"}
TRUST_POLICY = "role trust policy"
KEY_POLICY = "KMS key policy"
DEPLOYER = "unprotected_resource_writer"
AUDIT_READER = "audit_log_reader"
LOG_GROUP_KEY = "CloudWatch Logs group key policy"
CONFIG_DELIVERY = "AWS Config history bucket or key policy"

# (kind of document, parliament issue) -> why the finding is right for this document.
JUSTIFIED = {
    (TRUST_POLICY, "MALFORMED"):
        "A trust policy has no Resource element by design (IAM rejects one); parliament lints "
        "it as an identity policy. Its only statement lets cloudtrail.amazonaws.com assume the "
        "role for our trail (aws:SourceArn).",
    (KEY_POLICY, "PERMISSIONS_MANAGEMENT_ACTIONS"):
        "Administering the key (kms:PutKeyPolicy, kms:CreateGrant) is what the administrator "
        "statement is for, granted to the key's own account root so IAM in that account decides "
        "who; KMS refuses a key policy nobody can change (lockout safety check). The SCP "
        "protect_audit_logging limits the log key's administration to the account access role.",
    (DEPLOYER, "PRIVILEGE_ESCALATION"):
        "The deployment permission set manages workloads, Lambda functions and Glue endpoints "
        "included, so it can run code as the roles admins gave those workloads. It cannot "
        "create, change or pass roles (no IAM writes), cannot assume the account access role, "
        "and landing-zone attaches no role to any function or endpoint.",
    (DEPLOYER, "CREDENTIALS_EXPOSURE"):
        "Workload deployment needs actions that return credentials (ecr:GetAuthorizationToken, "
        "sts:AssumeRole into workload roles). Each target role's trust policy still decides; the "
        "account access role is denied explicitly.",
    (AUDIT_READER, "UNKNOWN_CONDITION_FOR_ACTION"):
        "kms:ResourceAliases (which alias names the key) applies to kms:Decrypt: "
        "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-resource-aliases; "
        "parliament's action table predates the key. The log key is named by its alias because "
        "Identity Center's policies are made before the key.",
    (LOG_GROUP_KEY, "UNKNOWN_CONDITION_FOR_ACTION"):
        "AWS's documented statement for CloudWatch Logs, verbatim "
        "(https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html): "
        "kms:Describe* also matches actions without an encryption context; the condition only "
        "ever narrows the grant.",
    (LOG_GROUP_KEY, "MISMATCHED_TYPE"):
        "ArnEquals on kms:EncryptionContext:aws:logs:arn is AWS's documented form (same page); "
        "the encryption context value is the log group's ARN.",
    (LOG_GROUP_KEY, "PERMISSIONS_MANAGEMENT_ACTIONS"):
        "The management account administers the key (AWS's key-administrator actions, no use "
        "of it); KMS refuses a key policy nobody can change.",
    (CONFIG_DELIVERY, "UNKNOWN_CONDITION_FOR_ACTION"):
        "aws:SourceOrgID is a global condition key, set when a service principal acts for a "
        "resource of an organization member "
        "(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceorgid); "
        "parliament's per-action table predates it. It pins Config's writes to this "
        "organization's accounts, those that join later included.",
    (CONFIG_DELIVERY, "PERMISSIONS_MANAGEMENT_ACTIONS"):
        "The history key's account administers it (AWS's key-administrator actions, no use of "
        "it); KMS refuses a key policy nobody can change.",
    (DEPLOYER, "PERMISSIONS_MANAGEMENT_ACTIONS"):
        "Workloads carry resource policies (bucket, topic, function policies) their deployers "
        "must set. Landing-zone buckets and keys are denied explicitly, IAM writes are not "
        "granted at all.",
}


def _kind(resource_type: str, key: str, document: dict) -> str:
    sids = {s.get("Sid") for s in document["Statement"] if isinstance(s, dict)}
    if "ManageUnprotectedResources" in sids:
        return DEPLOYER
    if "DecryptLogFilesThroughS3" in sids:
        return AUDIT_READER
    if "AllowCloudWatchLogsForTheTrailLogGroup" in sids:
        return LOG_GROUP_KEY
    if sids & {"AllowConfigOfTheOrganizationToEncrypt", "AWSConfigBucketDelivery"}:
        return CONFIG_DELIVERY
    if key == "assumeRolePolicy":
        return TRUST_POLICY
    if resource_type == "aws:kms/key:Key":
        return KEY_POLICY
    return f"{resource_type} {key}"


def _documents_of(inv: Inventory) -> list[tuple[str, str, dict]]:
    """(where, kind, document) of every input that is a policy document."""
    out = []
    for reg in inv.registrations:
        for key, value in reg.inputs.items():
            if not (isinstance(value, str) and value.lstrip().startswith("{")):
                continue
            try:
                document = json.loads(value)
            except json.JSONDecodeError:
                continue
            if isinstance(document, dict) and "Statement" in document:
                out.append((f"{reg.urn} {key}", _kind(reg.type, key, document), document))
    return out


EVERYTHING_ON = {
    "sso": {"permission_sets": {"deployer": {"inline_policy": {
        "Version": "2012-10-17", "Statement": [{
            "Sid": "ReadCostExplorer", "Effect": "Allow",
            "Action": ["ce:GetCostAndUsage", "ce:GetCostForecast"], "Resource": "*"}]}}}},
    "audit_logging": {
        "cloudwatch_logs": {"enabled": True}, "readers": ["shared_services",
                                                          "arn:aws:iam::123456789012:role/Auditor"],
        "data_events": ["AWS::S3::Object"], "object_lock": {"mode": "GOVERNANCE", "days": 30}},
    "guardrails": {
        "builtin": {"deny_unapproved_regions": "ou:workloads", "deny_root_user": "ou:workloads"},
        "allowed_regions": ["us-east-1", "eu-west-1"],
        "custom": {"deny_large_instances": {"targets": "ou:workloads", "document": {
            "Version": "2012-10-17", "Statement": [{
                "Sid": "DenyLargeInstances", "Effect": "Deny", "Action": "ec2:RunInstances",
                "Resource": "arn:aws:ec2:*:*:instance/*",
                "Condition": {"StringLike": {"ec2:InstanceType": ["*.metal", "*.24xlarge"]}}}]}}}},
}


# The fixture lives beside the repository, never in it: a clone elsewhere lints the others.
SOURCES = ["example", "everything-on", *(["metastructure"] if METASTRUCTURE.is_file() else [])]


@lru_cache(maxsize=None)
def planned(source: str) -> tuple[tuple[str, str, dict], ...]:
    if source == "metastructure":
        config = load(METASTRUCTURE, use_local=False).config
    else:
        overrides = EVERYTHING_ON if source == "everything-on" else None
        config = load(DEFAULT_CONFIG, overrides=overrides, use_local=False).config
    return tuple(_documents_of(run_offline(lambda: build(config))))


def built_in_documents() -> list[tuple[str, str, dict]]:
    context = scps.GuardrailContext(
        access_role_name="OrganizationAccountAccessRole", allowed_regions=("us-east-1",),
        trail_arn="arn:aws:cloudtrail:us-east-1:111111111111:trail/acme-organization-trail",
        audit_bucket_arn="arn:aws:s3:::acme-audit-logs",
        audit_key_arn="arn:aws:kms:us-east-1:222222222222:key/0f0e0d0c-0b0a-0908-0706-050403020100",
        state_bucket_arn="arn:aws:s3:::acme-pulumi-state",
        state_key_arns=("arn:aws:kms:us-east-1:333333333333:key/1f0e0d0c-0b0a-0908-0706-050403020100",),
        security_services=tuple(scps.SECURITY_SERVICE_CHANGES))
    alone = [(f"built-in SCP {name}", "SCP", build_(context))
             for name, build_ in scps.BUILDERS.items()]
    return [*alone, ("built-in SCPs combined", "SCP", scps.combined(list(scps.BUILDERS), context))]


COMMUNITY_AUDITORS = ("advanced_policy_elements", "credentials_exposure",
                      "permissions_management", "privilege_escalation",
                      "single_value_condition_too_permissive")


@pytest.fixture(scope="session", autouse=True)
def community_finding_types():
    """parliament's CLI loads the community auditors' finding types this way."""
    parliament.override_config(str(Path(parliament.__file__).parent / "community_auditors"
                                   / "config_override.yaml"))


def lint(document: dict) -> list[tuple[str, str, object]]:
    return _lint(json.dumps(document, sort_keys=True))


@lru_cache(maxsize=None)
def _lint(text: str) -> list[tuple[str, str, object]]:
    """The built-in auditors, then the community ones as parliament runs them. Each community
    auditor asks for the allowed actions, which a `"Action": "*"` (our tag deny) expands to
    every action AWS has; asking once per document keeps this test in seconds, not minutes."""
    policy = parliament.analyze_policy_string(text)
    policy.get_allowed_actions = functools.cache(policy.get_allowed_actions)
    for name in COMMUNITY_AUDITORS:
        importlib.import_module(f"parliament.community_auditors.{name}").audit(policy)
    return [(f.issue, f.severity, f.detail)
            for f in map(parliament.enhance_finding, policy.findings)]


def blocking_findings(documents) -> tuple[list[str], set[tuple[str, str]]]:
    """Unjustified blocking findings (readable), and the justifications that were needed."""
    unjustified, used = [], set()
    for where, kind, document in documents:
        for issue, severity, detail in lint(document):
            if severity not in BLOCKING:
                continue
            if (kind, issue) in JUSTIFIED:
                used.add((kind, issue))
            else:
                unjustified.append(f"{where} ({kind}): {severity} {issue}: {str(detail)[:300]}")
    return unjustified, used


@pytest.mark.parametrize("source", SOURCES)
def test_every_planned_document_lints_clean_or_justified(source):
    documents = planned(source)
    unjustified, _ = blocking_findings(documents)
    assert unjustified == []


def test_every_built_in_scp_lints_clean():
    unjustified, used = blocking_findings(built_in_documents())
    assert unjustified == [] and used == set()


def test_the_plans_emit_every_kind_of_document_the_brief_names():
    """The collection finds what it must; a later type with a policy is found by shape."""
    kinds = {kind for source in ("example", "everything-on") for _, kind, _ in planned(source)}
    # (Customer policies are inline statements now: no aws:iam/policy:Policy. The access-log
    # stack set's template carries the statements the management account's bucket policy
    # shows here: components/access_log_template.py builds both.)
    assert {KEY_POLICY, TRUST_POLICY, DEPLOYER, "aws:s3/bucketPolicy:BucketPolicy policy",
            "aws:iam/rolePolicy:RolePolicy policy",
            "aws:organizations/policy:Policy content",
            "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy inlinePolicy"} <= kinds
    assert len(planned("example")) >= 8  # per kind, no longer per account


def test_every_justification_is_still_needed():
    """A justification nobody needs any more is deleted, so the list stays honest."""
    used = set()
    for source in SOURCES:
        used |= blocking_findings(planned(source))[1]
    assert set(JUSTIFIED) == used
