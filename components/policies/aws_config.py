"""The policies AWS Config delivery needs: the log archive bucket's and its key's, and the trust
of the roles Config assumes. Values may be Outputs (render with `policy_json`).

Recorders deliver cross-account: Config first tries the recorder's role, then writes as the
`config.amazonaws.com` service principal, which the bucket policy must allow
(https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html). The AWS
example pins the writer with `aws:SourceAccount`; one bucket serves every account of the
organization, those that join later included, so the grants are pinned with the global
`aws:SourceOrgID` instead (set when a service principal acts for a resource of an organization
member: IAM user guide, "AWS global condition context keys"). The key grants mirror "Permissions
for the KMS key" of the same guide.
"""

from __future__ import annotations

import pulumi

from components.hardened_bucket import bucket_arn
from components.policies.cloudtrail import key_administrator

CONFIG = "config.amazonaws.com"
# The object key Config writes: AWSLogs/<account id>/Config/<region>/...
DELIVERY_KEYS = "/AWSLogs/*/Config/*"


def _from_organization(organization_id: pulumi.Input[str]) -> dict:
    return {"StringEquals": {"aws:SourceOrgID": organization_id}}


def bucket_policy_statements(bucket: pulumi.Input[str],
                             organization_id: pulumi.Input[str]) -> list[dict]:
    """Config of any account of the organization may check the bucket and write under
    AWSLogs/*/Config/; nobody else is granted anything."""
    from_organization = _from_organization(organization_id)
    return [
        {"Sid": "AWSConfigBucketPermissionsCheck", "Effect": "Allow",
         "Principal": {"Service": CONFIG}, "Action": "s3:GetBucketAcl",
         "Resource": bucket_arn(bucket), "Condition": from_organization},
        {"Sid": "AWSConfigBucketExistenceCheck", "Effect": "Allow",
         "Principal": {"Service": CONFIG}, "Action": "s3:ListBucket",
         "Resource": bucket_arn(bucket), "Condition": from_organization},
        {"Sid": "AWSConfigBucketDelivery", "Effect": "Allow",
         "Principal": {"Service": CONFIG}, "Action": "s3:PutObject",
         "Resource": bucket_arn(bucket, DELIVERY_KEYS),
         "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control",
                                        "aws:SourceOrgID": organization_id}}},
    ]


def key_policy(*, archive_account_id: pulumi.Input[str],
               organization_id: pulumi.Input[str]) -> dict:
    """The log archive administers the key (no use of it); Config of the organization's
    accounts encrypts with it. In a key policy, Resource "*" means this key."""
    return {"Version": "2012-10-17", "Statement": [
        key_administrator("AllowArchiveAccountToAdministerKey", archive_account_id),
        {"Sid": "AllowConfigOfTheOrganizationToEncrypt", "Effect": "Allow",
         "Principal": {"Service": CONFIG},
         "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*",
         "Condition": _from_organization(organization_id)},
    ]}


def config_trust(account_id: pulumi.Input[str]) -> dict:
    """Config of this very account may assume the role (the confused-deputy guard)."""
    return {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": CONFIG}, "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"aws:SourceAccount": account_id}}}]}
