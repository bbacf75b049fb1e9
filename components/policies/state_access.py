"""Who reaches the Pulumi state backend: its bucket policy and its two key policies.

One bucket holds every stack; two things keep the landing zone's own stack out of workload
deployers' reach, each enforced by AWS on the resource side:
- the bucket policy denies every write to the landing zone's objects (naming.
  landing_zone_state_keys) to anyone but the operators, and every request on its history,
  backups and locks to anyone but the operators and the preview role, which may only read.
  Its stack checkpoints stay readable to state writers, as a workload stack's StackReference
  reads them (their secrets stay encrypted under the landing zone's key);
- the landing zone's secrets key is used by the operators (and decrypted by the preview role)
  and by nobody else: its policy administers through the account access role only and denies
  every use to anyone else, so no IAM policy in the state account can grant it.
Workload stacks keep the other key and the rest of the bucket. Their state writers (the
permission sets holding the state-writer policy) are trusted across accounts by the bucket and
the workload key, as a cross-account request needs both its identity policy and the resource's
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html).

Principals are named by the fixed account (the management account's operators and preview
role) or, for state writers of any account, by a fixed organization id (`aws:PrincipalOrgID`,
which S3 Block Public Access treats as non-public: awsdocs/amazon-s3-developer-guide#42; a
policy naming accounts one by one would change with every new account), and narrowed by
`aws:PrincipalArn`, which for a role session is the role's ARN.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from components.policies.cloudtrail import KEY_ADMIN_ACTIONS

VERSION = "2012-10-17"
STATE_OBJECT_ACTIONS = ("s3:GetObject", "s3:PutObject", "s3:DeleteObject")
READ_OBJECT_ACTIONS = ("s3:GetObject", "s3:GetObjectVersion")
KEY_USE = ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey")
KEY_SETTINGS_READS = ("kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus",
                      "kms:ListResourceTags")
ALL_KEY_USE = ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*")


@dataclass(frozen=True)
class StateAccess:
    """Plain values (ARNs and ids) the three documents are made of."""

    bucket_arn: str
    management_account_id: str
    state_account_id: str
    operators: Sequence[str]
    """ARNs (patterns) of the principals that run the landing zone."""
    preview: str | None
    """ARN of the CI preview role, or None."""
    key_administrators: Sequence[str]
    """Who administers the keys: the account access role of the state account (the program
    works through it), or the operators when the state lives in the management account."""
    landing_zone_checkpoints: Sequence[str]
    """Object key patterns a StackReference to the landing zone reads (naming)."""
    landing_zone_private: Sequence[str]
    """The landing zone's other objects: history, backups, locks."""
    read_only_role_arn: str | None = None
    """The read-only role in the state account (previews read the key's settings through it)."""
    organization_id: str = ""
    state_writer_roles: Sequence[str] = ()
    """ARN patterns of those permission sets' roles (naming.sso_role_pattern)."""

    @property
    def landing_zone_object_arns(self) -> list[str]:
        return [f"{self.bucket_arn}/{key}"
                for key in (*self.landing_zone_checkpoints, *self.landing_zone_private)]

    @property
    def landing_zone_private_arns(self) -> list[str]:
        return [f"{self.bucket_arn}/{key}" for key in self.landing_zone_private]

    @property
    def readers(self) -> list[str]:
        """Who may read the landing zone's state: the operators and the preview role."""
        return [*self.operators, *([self.preview] if self.preview else [])]


def _root(account_id: str) -> str:
    return f"arn:aws:iam::{account_id}:root"


def _from(account_ids: Sequence[str], principal_arns: Sequence[str]) -> dict:
    """A fixed-account principal narrowed to some principals of those accounts."""
    return {"Principal": {"AWS": [_root(a) for a in sorted(set(account_ids))]},
            "Condition": {"ArnLike": {"aws:PrincipalArn": list(principal_arns)}}}


def _in_organization(access: StateAccess) -> dict:
    """The state writers' roles, in any account of the organization."""
    return {"Principal": {"AWS": "*"},
            "Condition": {"StringEquals": {"aws:PrincipalOrgID": access.organization_id},
                          "ArnLike": {"aws:PrincipalArn": list(access.state_writer_roles)}}}


def _unless(principal_arns: Sequence[str]) -> dict:
    """Deny everyone else (the key is missing for AWS services: they are denied too)."""
    return {"Principal": "*", "Condition": {"ArnNotLike": {"aws:PrincipalArn": list(principal_arns)}}}


def bucket_statements(access: StateAccess) -> list[dict]:
    """The state bucket's statements (the hardened bucket adds its deny of non-TLS requests)."""
    bucket, objects = access.bucket_arn, access.landing_zone_object_arns
    statements = [
        {"Sid": "DenyWritingLandingZoneStateToAllButOperators", "Effect": "Deny",
         "NotAction": list(READ_OBJECT_ACTIONS), "Resource": objects,
         **_unless(access.operators)},
        {"Sid": "DenyLandingZoneHistoryToAllButOperators", "Effect": "Deny", "Action": "s3:*",
         "Resource": access.landing_zone_private_arns, **_unless(access.readers)},
        {"Sid": "AllowOperatorsTheLandingZoneState", "Effect": "Allow",
         "Action": ["s3:ListBucket", *STATE_OBJECT_ACTIONS], "Resource": [bucket, *objects],
         **_from([access.management_account_id], access.operators)},
    ]
    if access.preview:
        statements += [
            {"Sid": "DenyPreviewAllButReading", "Effect": "Deny", "Principal": "*",
             "NotAction": ["s3:ListBucket", *READ_OBJECT_ACTIONS], "Resource": [bucket, f"{bucket}/*"],
             "Condition": {"ArnLike": {"aws:PrincipalArn": access.preview}}},
            {"Sid": "AllowPreviewToReadTheLandingZoneState", "Effect": "Allow",
             "Action": ["s3:ListBucket", *READ_OBJECT_ACTIONS], "Resource": [bucket, *objects],
             **_from([access.management_account_id], [access.preview])},
        ]
    if access.state_writer_roles:
        statements.append(
            {"Sid": "AllowStateWritersOfTheOrganization", "Effect": "Allow",
             "Action": ["s3:ListBucket", *STATE_OBJECT_ACTIONS], "Resource": [bucket, f"{bucket}/*"],
             **_in_organization(access)})
    return statements


def _administer(access: StateAccess) -> dict:
    """AWS's key-administrators statement (no use of the key), for the principals the program
    runs as. KMS refuses a key policy that would not let its creator put the next one
    (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#prevent-unmanageable-key),
    and the program is that creator."""
    return {"Sid": "AllowTheProgramToAdministerKey", "Effect": "Allow",
            "Action": list(KEY_ADMIN_ACTIONS), "Resource": "*",
            **_from([access.state_account_id], access.key_administrators)}


def workload_key_policy(access: StateAccess) -> dict:
    """The key of workload stacks and of the bucket's objects: IAM policies of the state account
    (AWS's default statement), the state writers of other accounts, and the landing zone's own
    readers (its objects are encrypted with it too). In a key policy, Resource "*" is this key."""
    statements = [
        {"Sid": "EnableIamPoliciesOfThisAccount", "Effect": "Allow",
         "Principal": {"AWS": _root(access.state_account_id)}, "Action": "kms:*", "Resource": "*"},
        {"Sid": "AllowOperatorsToUseKey", "Effect": "Allow", "Action": list(KEY_USE),
         "Resource": "*", **_from([access.management_account_id], access.operators)},
    ]
    if access.preview:
        statements.append({"Sid": "AllowPreviewToDecrypt", "Effect": "Allow",
                           "Action": "kms:Decrypt", "Resource": "*",
                           **_from([access.management_account_id], [access.preview])})
    if access.state_writer_roles:
        statements.append({"Sid": "AllowStateWritersOfTheOrganization", "Effect": "Allow",
                           "Action": list(KEY_USE), "Resource": "*", **_in_organization(access)})
    return {"Version": VERSION, "Statement": statements}


def landing_zone_key_policy(access: StateAccess) -> dict:
    """The landing zone's secrets key: no statement delegates to the state account's IAM
    policies, and an explicit deny stops every other use, whatever any policy grants."""
    statements = [
        _administer(access),
        {"Sid": "AllowOperatorsToUseKey", "Effect": "Allow", "Action": list(KEY_USE),
         "Resource": "*", **_from([access.management_account_id], access.operators)},
        {"Sid": "DenyUseToAllButOperators", "Effect": "Deny", "Action": list(ALL_KEY_USE),
         "Resource": "*", **_unless(access.readers)},
    ]
    if access.read_only_role_arn:
        statements.append({"Sid": "AllowReadOnlyRoleToReadSettings", "Effect": "Allow",
                           "Action": list(KEY_SETTINGS_READS), "Resource": "*",
                           **_from([access.state_account_id], [access.read_only_role_arn])})
    if access.preview:
        statements += [
            {"Sid": "AllowPreviewToDecrypt", "Effect": "Allow", "Action": "kms:Decrypt",
             "Resource": "*", **_from([access.management_account_id], [access.preview])},
            {"Sid": "DenyPreviewAllButDecrypt", "Effect": "Deny", "Principal": "*",
             "NotAction": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*",
             "Condition": {"ArnLike": {"aws:PrincipalArn": access.preview}}},
        ]
    return {"Version": VERSION, "Statement": statements}
