"""The built-in `unprotected_resource_writer` customer policy (Metastructure's deployer role).

Metastructure granted `*` on `*`. This grants broad rights and fences off the landing zone:
- everything except administering identities, the organization and the account (IAM, Identity
  Center, Organizations, Account Management), as AWS's PowerUserAccess does, plus IAM reads and
  service-linked roles, which many services create on first use. Without IAM writes a deployer
  cannot mint a role that escapes the denies below;
- no change to anything carrying the landing-zone tag (components.tags.MANAGED_TAG_KEY, which
  every provider stamps on what it creates) where the service authorizes by resource tag: KMS
  keys, CloudTrail trails, CloudWatch log groups;
- no adding, changing or removing that tag anywhere, so nobody can disown a landing-zone
  resource or dress a workload resource up as one;
- no reconfiguring or deleting the protected buckets (S3 does not authorize bucket changes by
  tag, so they are named) nor destroying their history; their objects stay usable, so the state
  writer policy keeps working beside this one;
- no administering the protected keys, named as well in case a key lost its tag;
- no assuming the account access role: it is the management account's administrator role in
  every member account, so a deployer in the management account would otherwise become an
  administrator everywhere. The policy names the role's default name (Organizations' own);
  docs/guardrails.md says what to do after changing `account_access.role_name`.
Denies are explicit, so no other policy attached to the same permission set can undo them.
"""

from __future__ import annotations

from collections.abc import Sequence

from components.policies.scps import BUCKET_SETTINGS, KEY_CHANGES, TRAIL_CHANGES
from components.tags import MANAGED_TAG_KEY, MANAGED_TAG_VALUE
from config.model import AccountAccess

VERSION = "2012-10-17"
ADMINISTRATION = ("account:*", "iam:*", "identitystore:*", "identitystore-auth:*",
                  "organizations:*", "sso:*", "sso-directory:*")
IAM_ALLOWED = ("iam:CreateServiceLinkedRole", "iam:DeleteServiceLinkedRole", "iam:Get*",
               "iam:List*")
# Changes to tagged landing-zone resources of services that authorize by aws:ResourceTag.
TAGGED_RESOURCE_CHANGES = (
    *KEY_CHANGES, *TRAIL_CHANGES,
    "logs:AssociateKmsKey", "logs:DeleteLogGroup", "logs:DeleteRetentionPolicy",
    "logs:DisassociateKmsKey", "logs:PutRetentionPolicy",
)
HISTORY_CHANGES = ("s3:BypassGovernanceRetention", "s3:DeleteObjectVersion")
ACCESS_ROLE = AccountAccess.model_fields["role_name"].default


def unprotected_resource_writer(*, protected_bucket_arns: Sequence[str],
                                protected_key_arns: Sequence[str],
                                access_role_name: str = ACCESS_ROLE) -> dict:
    """Manage workload resources; leave identities, the organization and the landing zone alone."""
    statements: list[dict] = [
        {"Sid": "ManageUnprotectedResources", "Effect": "Allow",
         "NotAction": list(ADMINISTRATION), "Resource": "*"},
        {"Sid": "ReadIamAndCreateServiceLinkedRoles", "Effect": "Allow",
         "Action": list(IAM_ALLOWED), "Resource": "*"},
        {"Sid": "DenyChangingLandingZoneResources", "Effect": "Deny",
         "Action": sorted(set(TAGGED_RESOURCE_CHANGES)), "Resource": "*",
         "Condition": {"StringEquals": {f"aws:ResourceTag/{MANAGED_TAG_KEY}": MANAGED_TAG_VALUE}}},
        {"Sid": "DenyTouchingTheLandingZoneTag", "Effect": "Deny", "Action": "*",
         "Resource": "*",
         "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": [MANAGED_TAG_KEY]}}},
        {"Sid": "DenyAssumingTheAccountAccessRole", "Effect": "Deny", "Action": "sts:AssumeRole",
         "Resource": f"arn:aws:iam::*:role/{access_role_name}"},
    ]
    buckets = sorted(protected_bucket_arns)
    if buckets:
        statements += [
            {"Sid": "DenyReconfiguringProtectedBuckets", "Effect": "Deny",
             "Action": list(BUCKET_SETTINGS), "Resource": buckets},
            {"Sid": "DenyDestroyingProtectedHistory", "Effect": "Deny",
             "Action": list(HISTORY_CHANGES), "Resource": [f"{b}/*" for b in buckets]},
        ]
    if protected_key_arns:
        statements.append({"Sid": "DenyAdministeringProtectedKeys", "Effect": "Deny",
                           "Action": list(KEY_CHANGES), "Resource": sorted(protected_key_arns)})
    return {"Version": VERSION, "Statement": statements}
