"""The policies of GuardDuty's findings export: its bucket's and its key's. Values may be
Outputs; callers render the documents with `components.hardened_bucket.policy_json`.

GuardDuty writes as its service principal for the administrator's detector in each governed
region; every grant is pinned to those detectors with `aws:SourceAccount` and `aws:SourceArn`
(the confused-deputy guard of the GuardDuty user guide, "Exporting generated GuardDuty findings
to Amazon S3 buckets", steps 2 and 3). The detectors are matched as `detector/*` of the
security tooling account in each governed region: the documents are then known before the
designation creates the detectors, and stay right if a detector is ever recreated.
In opt-in regions GuardDuty signs as its regional principal `guardduty.<region>.amazonaws.com`
(same guide, the note under both policies).

Who reads: the security tooling account (its IAM policies decide who there), through S3 only.
Nobody else is named: the log archive account administers the key but cannot use it, and
workload and management account principals get nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi

from components.policies.cloudtrail import KEY_ADMIN_ACTIONS
from config.regions import is_opt_in

VERSION = "2012-10-17"
GUARDDUTY = "guardduty.amazonaws.com"


def service_principals(regions: Sequence[str]) -> list[str]:
    """GuardDuty's principal, and its regional one for each governed opt-in region."""
    return [GUARDDUTY, *(f"guardduty.{r}.amazonaws.com" for r in regions if is_opt_in(r))]


def from_detectors(security_account_id: pulumi.Input[str], regions: Sequence[str]) -> dict:
    """The condition that admits only the administrator's detectors."""
    return {"StringEquals": {"aws:SourceAccount": security_account_id},
            "ArnLike": {"aws:SourceArn": [
                pulumi.Output.concat("arn:aws:guardduty:", r, ":", security_account_id,
                                     ":detector/*") for r in regions]}}


def root(account_id: pulumi.Input[str]) -> pulumi.Output[str]:
    return pulumi.Output.concat("arn:aws:iam::", account_id, ":root")


def bucket_policy_statements(*, bucket: str, key_arn: pulumi.Input[str],
                             security_account_id: pulumi.Input[str],
                             regions: Sequence[str]) -> list[dict]:
    """GuardDuty's documented statements (bucket location, object writes, and the denies of
    objects not encrypted with our key), then the security tooling account's read access. The
    hardened bucket adds its deny of non-TLS requests."""
    arn = f"arn:aws:s3:::{bucket}"
    guardduty = {"Service": service_principals(regions)}
    source = from_detectors(security_account_id, regions)
    return [
        {"Sid": "AllowGuardDutyGetBucketLocation", "Effect": "Allow", "Principal": guardduty,
         "Action": "s3:GetBucketLocation", "Resource": arn, "Condition": source},
        {"Sid": "AllowGuardDutyPutFindings", "Effect": "Allow", "Principal": guardduty,
         "Action": "s3:PutObject", "Resource": f"{arn}/*", "Condition": source},
        {"Sid": "DenyUnencryptedFindings", "Effect": "Deny", "Principal": guardduty,
         "Action": "s3:PutObject", "Resource": f"{arn}/*",
         "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}},
        {"Sid": "DenyFindingsUnderAnotherKey", "Effect": "Deny", "Principal": guardduty,
         "Action": "s3:PutObject", "Resource": f"{arn}/*",
         "Condition": {"StringNotEquals": {
             "s3:x-amz-server-side-encryption-aws-kms-key-id": key_arn}}},
        {"Sid": "AllowSecurityAccountToReadFindings", "Effect": "Allow",
         "Principal": {"AWS": root(security_account_id)},
         "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": [arn, f"{arn}/*"]},
    ]


def key_policy(*, home_region: str, log_archive_account_id: pulumi.Input[str],
               security_account_id: pulumi.Input[str], regions: Sequence[str]) -> dict:
    """The findings key: the log archive account administers it (no use), GuardDuty
    generates data keys for our detectors only (the guide's step 2 names
    kms:GenerateDataKey alone), the security tooling account decrypts through S3 in the
    home region only. In a key policy, Resource "*" means this key."""
    return {"Version": VERSION, "Statement": [
        {"Sid": "AllowLogArchiveAccountToAdministerKey", "Effect": "Allow",
         "Principal": {"AWS": root(log_archive_account_id)},
         "Action": list(KEY_ADMIN_ACTIONS), "Resource": "*"},
        {"Sid": "AllowGuardDutyToEncryptFindings", "Effect": "Allow",
         "Principal": {"Service": service_principals(regions)},
         "Action": "kms:GenerateDataKey", "Resource": "*",
         "Condition": from_detectors(security_account_id, regions)},
        {"Sid": "AllowSecurityAccountToDecryptFindingsThroughS3", "Effect": "Allow",
         "Principal": {"AWS": root(security_account_id)},
         "Action": "kms:Decrypt", "Resource": "*",
         "Condition": {"StringEquals": {"kms:ViaService": f"s3.{home_region}.amazonaws.com"}}},
    ]}
