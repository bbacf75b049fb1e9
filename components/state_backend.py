"""The Pulumi state backend: a KMS key for the `awskms://` secrets provider and a state bucket.

Both live in the `terraform_state` key account (the management account when that role is not
set). Pulumi locks stacks inside the bucket itself, so there is no lock table. The key policy is
AWS's default one: the account's root principal administers the key, which delegates every use
to IAM policies in that account (the SSO permission sets' state-writer policy); nothing outside
the account is trusted.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.hardened_bucket import HardenedBucket, HardenedBucketArgs, policy_json
from config.model import LandingZoneConfig
from config.naming import state_bucket_name, state_kms_alias

TYPE = "landing-zone:state_backend:StateBackend"
KEY_DELETION_WINDOW_DAYS = 30  # the longest AWS allows: time to notice a mistaken deletion


def state_account(config: LandingZoneConfig) -> str:
    return config.key_account("terraform_state") or config.management_account


def key_policy(account_id: pulumi.Input[str]) -> pulumi.Input[str]:
    """https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html"""
    return policy_json({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "EnableIamPoliciesOfThisAccount",
            "Effect": "Allow",
            "Principal": {"AWS": pulumi.Output.concat("arn:aws:iam::", account_id, ":root")},
            "Action": "kms:*",
            "Resource": "*",  # in a key policy, "*" means this key
        }],
    })


@dataclass(frozen=True)
class StateBackendArgs:
    config: LandingZoneConfig
    account_id: pulumi.Input[str]
    access_log_bucket: pulumi.Input[str]


class StateBackend(pulumi.ComponentResource):
    """Give it the state account's provider through `opts`."""

    bucket_name: pulumi.Output[str]
    bucket_arn: pulumi.Output[str]
    kms_key_arn: pulumi.Output[str]
    kms_alias_name: pulumi.Output[str]

    def __init__(self, name: str, args: StateBackendArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        config = args.config
        bucket = state_bucket_name(config)
        key = aws.kms.Key(
            f"{name}-key", description=f"Pulumi secrets and state of {bucket}",
            enable_key_rotation=True, deletion_window_in_days=KEY_DELETION_WINDOW_DAYS,
            policy=key_policy(args.account_id),
            opts=pulumi.ResourceOptions(parent=self, protect=True))
        alias = aws.kms.Alias(
            f"{name}-key-alias", name=state_kms_alias(config), target_key_id=key.key_id,
            opts=pulumi.ResourceOptions(parent=self))
        state = HardenedBucket(
            f"{name}-bucket",
            HardenedBucketArgs(
                bucket=bucket, kms_key_arn=key.arn, versioned=True,
                noncurrent_expiration_days=config.state_backend.noncurrent_version_expiration_days,
                access_log_bucket=args.access_log_bucket, access_log_prefix=f"{bucket}/",
                protect=True),
            opts=pulumi.ResourceOptions(parent=self))
        self.bucket_name = state.bucket
        self.bucket_arn = state.arn
        self.kms_key_arn = key.arn
        self.kms_alias_name = alias.name
        self.register_outputs({"bucket_name": self.bucket_name, "bucket_arn": self.bucket_arn,
                               "kms_key_arn": self.kms_key_arn,
                               "kms_alias_name": self.kms_alias_name})
