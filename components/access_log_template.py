"""The access-log bucket: its policy, and the CloudFormation template StackSets deploys it with.

One bucket per account and region receives S3 server access logs. S3 delivers them as the
`logging.s3.amazonaws.com` service principal, and the target bucket can only use SSE-S3
(https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).
With ACLs disabled (owner-enforced) the bucket policy is the only grant:
- delivery only on behalf of buckets of the same account (`aws:SourceAccount`);
- the prefixes of the landing zone's own buckets (state, log archive) only from that very
  bucket (`aws:SourceArn`, as AWS's example pins it), so no other bucket of the account can
  write forged lines where an auditor reads who touched the state;
- nobody deletes a log file or a version of one: the bucket is versioned, and only its
  lifecycle (which bucket policies do not govern) expires current files after
  `access_logs.expiration_days` and old versions after `noncurrent_version_expiration_days`.

The same statements serve the management account's bucket (a `HardenedBucket`, since StackSets
never deploys to the management account) and the template, rendered by
`components.stack_set_fan_out.render_template`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi

from components.hardened_bucket import (
    ABORT_INCOMPLETE_UPLOADS_DAYS,
    bucket_arn,
    deny_insecure_transport,
)
from components.stack_set_fan_out import render_template
from config.model import LandingZoneConfig
from config.naming import access_log_bucket_template_name

LOG_DELIVERY_PRINCIPAL = "logging.s3.amazonaws.com"
LOG_OBJECT_DELETES = ("s3:DeleteObject", "s3:DeleteObjectVersion")
BUCKET_RESOURCE = "AccessLogBucket"


def access_log_statements(bucket: pulumi.Input[str], account_id: pulumi.Input[str],
                          sources: Sequence[str]) -> list[dict]:
    """What may write into the access-log bucket and what nobody may do to it.

    `sources` are the landing zone's own buckets that log here, each under the prefix
    `<source>/` (state backend, log archive); their names are global, so the same list is
    right in every account."""
    statements: list[dict] = [{
        "Sid": "AllowServerAccessLogDelivery",
        "Effect": "Allow",
        "Principal": {"Service": LOG_DELIVERY_PRINCIPAL},
        "Action": "s3:PutObject",
        "Resource": bucket_arn(bucket, "/*"),
        "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
    }]
    for index, source in enumerate(sorted(sources)):
        statements.append({
            "Sid": f"OnlyLandingZoneBucket{index}WritesItsPrefix",
            "Effect": "Deny",
            "Principal": {"Service": LOG_DELIVERY_PRINCIPAL},
            "Action": "s3:PutObject",
            "Resource": bucket_arn(bucket, f"/{source}/*"),
            # A negated operator matches when the key is absent: no source, no delivery.
            "Condition": {"ArnNotEquals": {"aws:SourceArn": f"arn:aws:s3:::{source}"}},
        })
    statements.append({
        "Sid": "DenyDeletingAccessLogs",
        "Effect": "Deny",
        "Principal": "*",
        "Action": list(LOG_OBJECT_DELETES),
        "Resource": bucket_arn(bucket, "/*"),
    })
    return statements


def access_log_template(config: LandingZoneConfig, sources: Sequence[str]) -> str:
    """The stack set's template body: the bucket and its policy, both kept when the stack goes
    (`DeletionPolicy`/`UpdateReplacePolicy: Retain`: logs outlive the program, as the
    `retain_on_delete` of `HardenedBucket` does)."""
    bucket = access_log_bucket_template_name(config)
    logs = config.access_logs
    retain = {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "landing-zone: the S3 server access-log bucket of this account and region",
        "Resources": {
            BUCKET_RESOURCE: {"Type": "AWS::S3::Bucket", **retain, "Properties": {
                "BucketName": bucket,
                "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
                "PublicAccessBlockConfiguration": {
                    "BlockPublicAcls": True, "BlockPublicPolicy": True,
                    "IgnorePublicAcls": True, "RestrictPublicBuckets": True},
                "BucketEncryption": {"ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
                "VersioningConfiguration": {"Status": "Enabled"},
                "LifecycleConfiguration": {"Rules": [{
                    "Id": "retention", "Status": "Enabled",
                    "ExpirationInDays": logs.expiration_days,
                    "NoncurrentVersionExpiration": {
                        "NoncurrentDays": logs.noncurrent_version_expiration_days},
                    "AbortIncompleteMultipartUpload": {
                        "DaysAfterInitiation": ABORT_INCOMPLETE_UPLOADS_DAYS},
                }]},
            }},
            f"{BUCKET_RESOURCE}Policy": {"Type": "AWS::S3::BucketPolicy", **retain,
                                         "Properties": {
                "Bucket": {"Ref": BUCKET_RESOURCE},
                "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                    *access_log_statements(bucket, "${AWS::AccountId}", sources),
                    deny_insecure_transport(bucket)]},
            }},
        },
        "Outputs": {"BucketName": {"Value": {"Ref": BUCKET_RESOURCE}}},
    }
    return render_template(template, "access-log")
