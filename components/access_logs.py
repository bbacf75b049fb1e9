"""An S3 server access-log bucket in every managed account.

S3 delivers server access logs as the `logging.s3.amazonaws.com` service principal, and the
target bucket can only use SSE-S3 (SSE-KMS targets are not supported:
https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).
With ACLs disabled (owner-enforced), the bucket policy is the only grant: it lets that principal
put objects, only on behalf of buckets of the same account (`aws:SourceAccount`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.hardened_bucket import HardenedBucket, HardenedBucketArgs, bucket_arn
from config.model import LandingZoneConfig
from config.naming import access_log_bucket_name
from config.topology import managed_accounts

TYPE = "landing-zone:access_logs:AccessLogs"
LOG_DELIVERY_PRINCIPAL = "logging.s3.amazonaws.com"


def log_delivery_statement(bucket: str, account_id: pulumi.Input[str]) -> dict:
    return {
        "Sid": "AllowServerAccessLogDelivery",
        "Effect": "Allow",
        "Principal": {"Service": LOG_DELIVERY_PRINCIPAL},
        "Action": "s3:PutObject",
        "Resource": bucket_arn(bucket, "/*"),
        "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
    }


@dataclass(frozen=True)
class AccessLogsArgs:
    config: LandingZoneConfig
    providers: Mapping[str, aws.Provider]
    account_ids: Mapping[str, pulumi.Input[str]]


class AccessLogs(pulumi.ComponentResource):
    bucket_names: dict[str, pulumi.Output[str]]
    """Managed account key -> its access-log bucket."""

    def __init__(self, name: str, args: AccessLogsArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        config = args.config
        self.bucket_names = {}
        for key in managed_accounts(config):
            bucket = access_log_bucket_name(config, key)
            logs = HardenedBucket(
                f"{name}-{key}",
                HardenedBucketArgs(
                    bucket=bucket, expiration_days=config.access_logs.expiration_days,
                    policy_statements=[log_delivery_statement(bucket, args.account_ids[key])]),
                opts=pulumi.ResourceOptions(parent=self, provider=args.providers[key]))
            # Handed out through its policy: PutBucketLogging refuses a target whose policy
            # does not yet let logging.s3.amazonaws.com write (InvalidTargetBucketForLogging;
            # S3 user guide, "Permissions for log delivery"; moto checks it too,
            # getmoto/moto#7427), so every BucketLogging naming it waits for the policy.
            self.bucket_names[key] = logs.policy.bucket
        self.register_outputs({"bucket_names": self.bucket_names})
