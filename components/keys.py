"""The one KMS key builder: every key of the landing zone is symmetric, rotated yearly and
deleted only after the longest waiting period AWS allows."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

KEY_DELETION_WINDOW_DAYS = 30  # the longest AWS allows: time to notice a mistaken deletion


def rotated_key(name: str, *, description: pulumi.Input[str], policy: pulumi.Input[str],
                opts: pulumi.ResourceOptions) -> aws.kms.Key:
    return aws.kms.Key(name, description=description, enable_key_rotation=True,
                       deletion_window_in_days=KEY_DELETION_WINDOW_DAYS, policy=policy, opts=opts)
