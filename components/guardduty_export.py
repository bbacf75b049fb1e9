"""GuardDuty's findings exported to the log archive: one bucket and one KMS key in the log
archive account's home region, one publishing destination per governed region on the
administrator's detector in the security tooling account.

Why this shape (GuardDuty user guide, "Exporting generated GuardDuty findings to Amazon S3
buckets", Considerations): export settings are per region, so each governed region gets its
destination; the bucket and the key must be in the same region as each other, but findings
of any commercial region may go to a bucket in another commercial region, so one bucket in the
home region serves them all (config rule LZ217 refuses an opt-in home region with other
governed regions, whose findings GuardDuty would not export there). The administrator's
destination exports the findings of every member account too.

A bucket of its own rather than a prefix of the CloudTrail archive: GuardDuty encrypts with a
key whose policy admits GuardDuty, and the archive's key admits CloudTrail alone; readers and
retention differ too.

Order: GuardDuty checks that it can write when the destination is created (pulumi-aws:
"in case of missing permissions (S3 Bucket Policy or KMS Key permissions) the resource will
fail to create"), so each destination waits for the bucket policy and the key (with its
policy). terraform-provider-aws (internal/service/guardduty/publishing_destination.go):
`detector_id` forces replacement, `destination_arn` and `kms_key_arn` update in place
(UpdatePublishingDestination), delete calls DeletePublishingDestination (export stops; the
objects stay), import id `<detector id>:<destination id>`.

The bucket and the key are protected and kept in AWS when dropped from the program: turning the
export off deletes the destinations and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.hardened_bucket import HardenedBucket, HardenedBucketArgs, bucket_arn, policy_json
from components.keys import rotated_key
from components.policies import guardduty_findings

TYPE = "landing-zone:guardduty:FindingsExport"
S3 = "S3"


@dataclass(frozen=True)
class FindingsExportArgs:
    bucket: str
    """The findings bucket's AWS name (config.naming.guardduty_findings_bucket_name)."""
    kms_alias: str
    regions: Sequence[str]
    """The governed regions, home first."""
    detector_ids: Mapping[str, pulumi.Input[str]]
    """Governed region -> the administrator's detector (components/guardduty.py)."""
    log_archive_provider: aws.Provider
    security_provider: aws.Provider
    log_archive_account_id: pulumi.Input[str]
    security_account_id: pulumi.Input[str]
    access_log_bucket_name: pulumi.Input[str]
    """The log archive account's access-log bucket (home region)."""


class FindingsExport(pulumi.ComponentResource):
    bucket_name: pulumi.Output[str]
    kms_key_arn: pulumi.Output[str]
    destination_ids: dict[str, pulumi.Output[str]]
    """Governed region -> its publishing destination."""

    def __init__(self, name: str, args: FindingsExportArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        home = args.regions[0]
        in_archive = pulumi.ResourceOptions(parent=self, provider=args.log_archive_provider)
        key = rotated_key(
            f"{name}-key", description=f"GuardDuty findings in {args.bucket}",
            policy=policy_json(guardduty_findings.key_policy(
                home_region=home, log_archive_account_id=args.log_archive_account_id,
                security_account_id=args.security_account_id, regions=args.regions)),
            opts=pulumi.ResourceOptions.merge(in_archive, pulumi.ResourceOptions(
                protect=True, retain_on_delete=True)))
        aws.kms.Alias(f"{name}-key-alias", name=args.kms_alias, target_key_id=key.key_id,
                      opts=in_archive)
        bucket = HardenedBucket(
            f"{name}-bucket",
            HardenedBucketArgs(
                bucket=args.bucket, kms_key_arn=key.arn, versioned=True,
                access_log_bucket=args.access_log_bucket_name,
                access_log_prefix=f"{args.bucket}/",
                policy_statements=guardduty_findings.bucket_policy_statements(
                    bucket=args.bucket, key_arn=key.arn,
                    security_account_id=args.security_account_id, regions=args.regions),
                protect=True),
            opts=in_archive)

        self.destination_ids = {}
        for region in args.regions:
            destination = aws.guardduty.PublishingDestination(
                f"{name}-{region}", detector_id=args.detector_ids[region], region=region,
                destination_type=S3, destination_arn=bucket_arn(args.bucket),
                kms_key_arn=key.arn,
                opts=pulumi.ResourceOptions(parent=self, provider=args.security_provider,
                                            depends_on=[bucket.policy, key]))
            self.destination_ids[region] = destination.id

        self.bucket_name = bucket.bucket
        self.kms_key_arn = key.arn
        self.register_outputs({"bucket_name": self.bucket_name, "kms_key_arn": self.kms_key_arn,
                               "destination_ids": self.destination_ids})
