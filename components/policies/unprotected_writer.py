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
- no assuming roles at all: a role that trusts the account (CDK's deploy roles, say) would be a
  way around every deny here; the account access role is denied explicitly as well;
- passing roles to services only under `/workload/` (WORKLOAD_ROLE_PATH), so Lambda, ECS or EC2
  deployments work with execution roles an administrator put there, and never with a landing
  zone role or an administrator's;
- no turning off the account's detective controls: GuardDuty, AWS Config, Security Hub, IAM
  Access Analyzer and any CloudTrail trail;
- no writing the landing zone's own stack state, no access to its history, backups, locks and
  secrets key (its bucket and key policies deny the same: components/policies/state_access.py);
  its checkpoints stay readable, as StackReference reads them.
Denies are explicit, so no other policy attached to the same permission set can undo them.
"""

from __future__ import annotations

from collections.abc import Sequence

from components.policies.scps import BUCKET_SETTINGS, KEY_CHANGES, TRAIL_CHANGES
from components.policies.state_writer import landing_zone_state_denies
from components.tags import MANAGED_TAG_KEY, MANAGED_TAG_VALUE
from config.model import AccountAccess

VERSION = "2012-10-17"
ADMINISTRATION = ("account:*", "iam:*", "identitystore:*", "identitystore-auth:*",
                  "organizations:*", "sso:*", "sso-directory:*")
ROLE_ASSUMPTION = ("sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity")
WORKLOAD_ROLE_PATH = "/workload/"
# Turning off what watches the account. Trails: any trail, not only the landing zone's.
DETECTIVE_CONTROL_CHANGES = (
    "access-analyzer:DeleteAnalyzer",
    "cloudtrail:DeleteTrail", "cloudtrail:PutEventSelectors", "cloudtrail:StopLogging",
    "cloudtrail:UpdateTrail",
    "config:DeleteConfigurationRecorder", "config:DeleteDeliveryChannel",
    "config:DeleteRetentionConfiguration", "config:PutConfigurationRecorder",
    "config:PutDeliveryChannel", "config:StopConfigurationRecorder",
    "guardduty:CreateFilter", "guardduty:CreateIPSet", "guardduty:DeleteDetector",
    "guardduty:DeleteMembers", "guardduty:DisassociateFromAdministratorAccount",
    "guardduty:DisassociateFromMasterAccount", "guardduty:StopMonitoringMembers",
    "guardduty:UpdateDetector", "guardduty:UpdateFilter",
    "securityhub:BatchDisableStandards", "securityhub:DeleteMembers",
    "securityhub:DisableImportFindingsForProduct", "securityhub:DisableSecurityHub",
    "securityhub:DisassociateFromAdministratorAccount",
    "securityhub:DisassociateFromMasterAccount", "securityhub:UpdateStandardsControl",
)
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
                                access_role_name: str = ACCESS_ROLE,
                                landing_zone_state_arns: Sequence[str] = (),
                                landing_zone_checkpoint_arns: Sequence[str] = ()) -> dict:
    """Manage workload resources; leave identities, the organization and the landing zone alone.

    `landing_zone_state_arns`: the landing zone's private state objects and secrets key (all
    denied); `landing_zone_checkpoint_arns`: its checkpoints (writes denied).
    """
    statements: list[dict] = [
        {"Sid": "ManageUnprotectedResources", "Effect": "Allow",
         "NotAction": [*ADMINISTRATION, *ROLE_ASSUMPTION], "Resource": "*"},
        {"Sid": "ReadIamAndCreateServiceLinkedRoles", "Effect": "Allow",
         "Action": list(IAM_ALLOWED), "Resource": "*"},
        {"Sid": "PassWorkloadRolesToServices", "Effect": "Allow", "Action": "iam:PassRole",
         "Resource": f"arn:aws:iam::*:role{WORKLOAD_ROLE_PATH}*"},
        {"Sid": "DenyChangingLandingZoneResources", "Effect": "Deny",
         "Action": sorted(set(TAGGED_RESOURCE_CHANGES)), "Resource": "*",
         "Condition": {"StringEquals": {f"aws:ResourceTag/{MANAGED_TAG_KEY}": MANAGED_TAG_VALUE}}},
        {"Sid": "DenyTouchingTheLandingZoneTag", "Effect": "Deny", "Action": "*",
         "Resource": "*",
         "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": [MANAGED_TAG_KEY]}}},
        {"Sid": "DenyTurningOffDetectiveControls", "Effect": "Deny",
         "Action": list(DETECTIVE_CONTROL_CHANGES), "Resource": "*"},
        {"Sid": "DenyAssumingTheAccountAccessRole", "Effect": "Deny", "Action": "sts:AssumeRole",
         "Resource": f"arn:aws:iam::*:role/{access_role_name}"},
    ]
    statements += landing_zone_state_denies(landing_zone_state_arns, landing_zone_checkpoint_arns)
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
