"""The built-in customer policies of Identity Center: least privilege, valid, within IAM's size.

Documents are linted with parliament (the IAM policy linter): unknown actions, malformed
statements or resources that cannot match an action are findings.
"""

from __future__ import annotations

import fnmatch
import inspect
import json

import parliament
import pytest

from components.identity_center import STATE_WRITER_KEY, UNPROTECTED_WRITER_KEY
from components.policies.cloudtrail import log_reader_policy
from components.policies.state_writer import state_writer
from components.policies.unprotected_writer import unprotected_resource_writer
from config.documents import AUDIT_LOG_READER_KEY, BUILTIN_POLICY_KEYS
from config.rules.limits import MANAGED_POLICY_CHARS, policy_size

BUCKET = "arn:aws:s3:::acme-pulumi-state"
KEY = "arn:aws:kms:us-east-1:222222222222:key/0f0e0d0c-0b0a-0908-0706-050403020100"


# "Resource: *" is what a policy of this breadth is about.
LINT_ALLOWED = {"RESOURCE_STAR"}


def findings(document: dict) -> list[tuple[str, object]]:
    return [(f.issue, f.detail) for f in parliament.analyze_policy_string(json.dumps(document)).findings]


def grants(document: dict) -> set[tuple[str, str]]:
    """(action, resource) pairs the Allow statements name."""
    out = set()
    for statement in document["Statement"]:
        assert statement["Effect"] == "Allow"
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        out |= {(a, r) for a in actions for r in resources}
    return out


def test_every_metastructure_key_without_a_document_has_a_builder():
    assert {STATE_WRITER_KEY, UNPROTECTED_WRITER_KEY, AUDIT_LOG_READER_KEY} == set(BUILTIN_POLICY_KEYS)


def test_state_writer_grants_the_four_s3_actions_and_the_key_use_only():
    document = state_writer(bucket_arn=BUCKET, kms_key_arn=KEY)
    assert grants(document) == {
        ("s3:ListBucket", BUCKET),
        ("s3:GetObject", f"{BUCKET}/*"), ("s3:PutObject", f"{BUCKET}/*"),
        ("s3:DeleteObject", f"{BUCKET}/*"),
        # awskms:// secrets provider: Encrypt, Decrypt; SSE-KMS objects: GenerateDataKey, Decrypt.
        ("kms:Encrypt", KEY), ("kms:Decrypt", KEY), ("kms:GenerateDataKey", KEY),
    }
    assert document["Version"] == "2012-10-17"
    assert not any("Condition" in s or "NotAction" in s for s in document["Statement"])


@pytest.mark.parametrize("document", [
    state_writer(bucket_arn=BUCKET, kms_key_arn=KEY),
    unprotected_resource_writer(protected_bucket_arns=[BUCKET], protected_key_arns=[KEY]),
    unprotected_resource_writer(protected_bucket_arns=[], protected_key_arns=[]),
], ids=["state_writer", "unprotected_writer", "unprotected_writer_no_backend"])
def test_documents_are_valid_json_within_the_managed_policy_size(document):
    assert json.loads(json.dumps(document)) == document
    assert policy_size(document) <= MANAGED_POLICY_CHARS
    assert len({s["Sid"] for s in document["Statement"]}) == len(document["Statement"])


def test_state_writer_lints_clean():
    assert findings(state_writer(bucket_arn=BUCKET, kms_key_arn=KEY)) == []


def test_state_writer_of_a_key_known_by_alias_pins_it_with_the_alias():
    keys = "arn:aws:kms:us-east-1:222222222222:key/*"
    document = state_writer(bucket_arn=BUCKET, kms_key_arn=keys, kms_alias="alias/acme-state")
    use_key = document["Statement"][-1]
    assert use_key["Resource"] == keys
    assert use_key["Condition"] == {"ForAnyValue:StringEquals": {"kms:ResourceAliases": "alias/acme-state"}}
    assert {a for a, _ in grants(document)} == {
        "s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject",
        "kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"}
    # parliament's IAM database predates kms:ResourceAliases (2021), which AWS documents for
    # every cryptographic operation: https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html
    assert {detail for _, detail in findings(document)} <= {
        f"Unknown condition kms:ResourceAliases for action {action}"
        for action in ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey")}


def test_unprotected_writer_is_not_star_star_and_fences_the_protected_resources():
    document = unprotected_resource_writer(protected_bucket_arns=[BUCKET], protected_key_arns=[KEY])
    allow = [s for s in document["Statement"] if s["Effect"] == "Allow"]
    assert allow and all(s.get("Action") not in ("*", ["*"]) for s in allow)
    # Identities, Identity Center, the organization and the account stay out of reach.
    broad = next(s for s in allow if "NotAction" in s)
    assert {"iam:*", "organizations:*", "sso:*", "identitystore:*", "account:*"} <= set(broad["NotAction"])
    denied = _denied(document)
    assert ("s3:PutBucketPolicy", BUCKET) in denied and ("s3:DeleteBucket", BUCKET) in denied
    assert ("s3:DeleteObjectVersion", f"{BUCKET}/*") in denied
    assert ("kms:ScheduleKeyDeletion", KEY) in denied and ("kms:PutKeyPolicy", KEY) in denied


def test_unprotected_writer_leaves_the_state_writer_working():
    """Both policies sit on Metastructure's deployment permission set; a deny would win."""
    document = unprotected_resource_writer(protected_bucket_arns=[BUCKET], protected_key_arns=[KEY])
    needed = grants(state_writer(bucket_arn=BUCKET, kms_key_arn=KEY))
    denied = {(a, r) for a, r in _denied(document, conditional=False)}
    assert not {(a, r) for a, r in needed if (a, r) in denied or (a, "*") in denied}


def test_unprotected_writer_names_no_protected_resource_it_was_not_given():
    document = unprotected_resource_writer(protected_bucket_arns=[], protected_key_arns=[])
    assert BUCKET not in json.dumps(document) and KEY not in json.dumps(document)
    assert {issue for issue, _ in findings(document)} <= LINT_ALLOWED


def _denied(document: dict, *, conditional: bool = True) -> set[tuple[str, str]]:
    """(action, resource) pairs of Deny statements (with or without conditioned ones)."""
    out = set()
    for s in document["Statement"]:
        if s["Effect"] != "Deny" or (not conditional and "Condition" in s):
            continue
        actions = s["Action"] if isinstance(s["Action"], list) else [s["Action"]]
        resources = s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]]
        out |= {(a, r) for a in actions for r in resources}
    return out


def test_unprotected_writer_signature_is_the_one_guardrails_will_keep():
    parameters = inspect.signature(unprotected_resource_writer).parameters
    assert list(parameters) == ["protected_bucket_arns", "protected_key_arns", "access_role_name",
                                "landing_zone_state_arns", "landing_zone_checkpoint_arns"]
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters.values())


# The built-in audit_log_reader, and the key policy statement that lets its roles decrypt.

ARCHIVE_ACCOUNT = "222222222222"
ARCHIVE = "arn:aws:s3:::acme-audit-logs"


def test_log_reader_lists_gets_and_decrypts_through_s3_only():
    document = log_reader_policy(bucket="acme-audit-logs", region="eu-west-1",
                                 log_archive_account_id=ARCHIVE_ACCOUNT,
                                 kms_alias="alias/acme-audit-logs")
    keys = f"arn:aws:kms:eu-west-1:{ARCHIVE_ACCOUNT}:key/*"
    assert grants(document) == {("s3:ListBucket", ARCHIVE), ("s3:GetObject", f"{ARCHIVE}/*"),
                                ("kms:Decrypt", keys)}
    [decrypt] = [s for s in document["Statement"] if s["Action"] == "kms:Decrypt"]
    # Of the account's keys, only the one behind the log key's alias, and only through S3.
    assert decrypt["Condition"] == {
        "ForAnyValue:StringEquals": {"kms:ResourceAliases": "alias/acme-audit-logs"},
        "StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}}
    assert policy_size(document) < MANAGED_POLICY_CHARS


def sso_role(account: str, permission_set: str, region_path: str = "") -> str:
    return (f"arn:aws:iam::{account}:role/aws-reserved/sso.amazonaws.com/{region_path}"
            f"AWSReservedSSO_{permission_set}_0123456789abcdef")


READER_CASES = [  # (principal in account "archive" or "other", allowed)
    (("archive", "AuditLogReader", ""), True),               # us-east-1: no region in the path
    (("archive", "AuditLogReader", "eu-west-1/"), True),     # elsewhere: the region in the path
    (("archive", "Admin", ""), False),                       # administrators of the archive
    (("archive", "Deployer", ""), False),
    (("other", "AuditLogReader", ""), False),                # the same set in another account
]


@pytest.mark.parametrize(("principal", "allowed"), READER_CASES,
                         ids=lambda v: "-".join(filter(None, v)) if isinstance(v, tuple) else None)
def test_the_log_key_lets_only_reader_roles_of_the_archive_decrypt(update_inventory, finder,
                                                                    principal, allowed):
    """The planned log key's statement for audit_log_reader permission sets, evaluated as IAM
    does: the principal must be of the archive account (Principal: its root) and match an
    aws:PrincipalArn pattern (ArnLike: * and ? wildcards over the whole ARN)."""
    find = finder(update_inventory)
    policy = find.policy(find.one("aws:kms/key:Key", "audit-key"))
    accounts = update_inventory.outputs["accounts"]
    account = {"archive": accounts["log_archive"]["id"], "other": accounts["dev"]["id"]}
    arn = sso_role(account[principal[0]], *principal[1:])
    [statement] = [s for s in policy["Statement"]
                   if s["Sid"] == "AllowLogReaderPermissionSetsToDecryptThroughS3"]
    assert statement["Action"] == "kms:Decrypt"
    assert statement["Condition"]["StringEquals"] == {
        "kms:ViaService": "s3.us-east-1.amazonaws.com"}
    same_account = arn.split(":")[4] == statement["Principal"]["AWS"].split(":")[4]
    matches = any(fnmatch.fnmatchcase(arn, pattern)
                  for pattern in statement["Condition"]["ArnLike"]["aws:PrincipalArn"])
    assert (same_account and matches) is allowed
    # A look-alike role a user could name, outside the path Identity Center reserves.
    look_alike = f"arn:aws:iam::{account['archive']}:role/AWSReservedSSO_AuditLogReader_x"
    assert not any(fnmatch.fnmatchcase(look_alike, p)
                   for p in statement["Condition"]["ArnLike"]["aws:PrincipalArn"])
