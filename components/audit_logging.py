"""Audit logging: one organization CloudTrail and its log archive. See docs/audit-logging.md.

The archive lives in the `log_archive` key account, apart from the management account whose
trail writes into it: a KMS key (rotated, protected) and a bucket made by the one hardened
bucket builder (versioned, SSE-KMS, access-logged, TLS-only, lifecycle, optional Object Lock).
The trail lives in the management account, as AWS requires for an organization trail
(multi-region, global service events, log file validation, KMS), and is created only after
the bucket policy that lets it write and the trusted access for CloudTrail are in place:
CreateTrail checks both and fails otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.hardened_bucket import HardenedBucket, HardenedBucketArgs, policy_json
from components.keys import rotated_key
from components.policies import cloudtrail
from config.guardrails import audit_reader_permission_sets
from config.model import LandingZoneConfig
from config.naming import audit_bucket_name, audit_kms_alias, audit_log_group_name, audit_trail_name

TYPE = "landing-zone:audit:AuditLogging"
S3_OBJECT = "AWS::S3::Object"


@dataclass(frozen=True)
class AuditLoggingArgs:
    config: LandingZoneConfig
    management_provider: aws.Provider
    log_archive_provider: aws.Provider
    organization_id: pulumi.Input[str]
    management_account_id: pulumi.Input[str]
    log_archive_account_id: pulumi.Input[str]
    access_log_bucket_name: pulumi.Input[str]
    """The log archive account's access-log bucket."""
    organization: pulumi.Resource
    """The organization with CloudTrail's trusted access: an organization trail needs it."""
    account_ids: Mapping[str, pulumi.Input[str]]
    """Managed account key -> id, to turn readers named by account key into principals."""


def reader_principal(reader: str, account_ids: Mapping[str, pulumi.Input[str]]) -> pulumi.Input[str]:
    """An account key stands for that account (its IAM policies decide who); an ARN for itself."""
    if reader in account_ids:
        return pulumi.Output.concat("arn:aws:iam::", account_ids[reader], ":root")
    return reader


def event_selectors(types: list[str], bucket: str) -> list[dict] | None:
    """None (every management event, no data events) unless data events are asked for; then
    management events are selected explicitly too, as advanced selectors replace the default.
    S3 object events leave out the log bucket itself, as AWS suggests:
    https://docs.aws.amazon.com/awscloudtrail/latest/userguide/filtering-data-events.html
    """
    if not types:
        return None
    selectors = [{"name": "Management events",
                  "field_selectors": [{"field": "eventCategory", "equals": ["Management"]}]}]
    for resource_type in types:
        fields = [{"field": "eventCategory", "equals": ["Data"]},
                  {"field": "resources.type", "equals": [resource_type]}]
        if resource_type == S3_OBJECT:
            fields.append({"field": "resources.ARN",
                           "not_starts_withs": [f"arn:aws:s3:::{bucket}/"]})
        selectors.append({"name": f"{resource_type} data events", "field_selectors": fields})
    return selectors


class AuditLogging(pulumi.ComponentResource):
    """Providers come in through the args: the archive and the trail live in two accounts."""

    trail_arn: pulumi.Output[str]
    trail_name: pulumi.Output[str]
    bucket_name: pulumi.Output[str]
    bucket_arn: pulumi.Output[str]
    kms_key_arn: pulumi.Output[str]

    def __init__(self, name: str, args: AuditLoggingArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        config = args.config
        audit = config.audit_logging
        region = config.organization.aws_region
        bucket = audit_bucket_name(config)
        trail_arn = cloudtrail.trail_arn(region, args.management_account_id,
                                         audit_trail_name(config))
        readers = [reader_principal(r, args.account_ids) for r in audit.readers]

        in_archive = pulumi.ResourceOptions(parent=self, provider=args.log_archive_provider)
        key = rotated_key(
            f"{name}-key", description=f"CloudTrail log files in {bucket}",
            policy=policy_json(cloudtrail.key_policy(
                region=region, log_archive_account_id=args.log_archive_account_id,
                management_account_id=args.management_account_id, trail=trail_arn,
                readers=readers, reader_permission_sets=audit_reader_permission_sets(config))),
            opts=pulumi.ResourceOptions.merge(in_archive, pulumi.ResourceOptions(protect=True)))
        aws.kms.Alias(f"{name}-key-alias", name=audit_kms_alias(config),
                      target_key_id=key.key_id, opts=in_archive)

        lock = audit.object_lock
        archive = HardenedBucket(
            f"{name}-bucket",
            HardenedBucketArgs(
                bucket=bucket, kms_key_arn=key.arn, versioned=True,
                expiration_days=audit.retention_days,
                noncurrent_expiration_days=audit.noncurrent_version_expiration_days,
                transitions=([(audit.transition_days, audit.transition_storage_class.value)]
                             if audit.transition_days else ()),
                access_log_bucket=args.access_log_bucket_name, access_log_prefix=f"{bucket}/",
                policy_statements=cloudtrail.bucket_policy_statements(
                    bucket=bucket, trail=trail_arn,
                    management_account_id=args.management_account_id,
                    organization_id=args.organization_id, readers=readers),
                object_lock=(lock.mode.value, lock.days) if lock else None,
                protect=True),
            opts=in_archive)

        in_management = pulumi.ResourceOptions(parent=self, provider=args.management_provider)
        delivery, delivery_ready = (
            self._cloudwatch_delivery(name, args, trail_arn, in_management)
            if audit.cloudwatch_logs.enabled else ({}, []))
        trail = aws.cloudtrail.Trail(
            f"{name}-trail", name=audit_trail_name(config), s3_bucket_name=archive.bucket,
            kms_key_id=key.arn, is_organization_trail=True, is_multi_region_trail=True,
            include_global_service_events=True, enable_log_file_validation=True,
            enable_logging=True,
            advanced_event_selectors=event_selectors(audit.data_events, bucket), **delivery,
            opts=pulumi.ResourceOptions.merge(in_management, pulumi.ResourceOptions(
                protect=True,
                depends_on=[archive.policy, args.organization, *delivery_ready])))

        self.trail_arn = trail.arn
        self.trail_name = trail.name
        self.bucket_name = archive.bucket
        self.bucket_arn = archive.arn
        self.kms_key_arn = key.arn
        self.register_outputs({"trail_arn": self.trail_arn, "trail_name": self.trail_name,
                               "bucket_name": self.bucket_name, "bucket_arn": self.bucket_arn,
                               "kms_key_arn": self.kms_key_arn})

    @staticmethod
    def _cloudwatch_delivery(name: str, args: AuditLoggingArgs, trail_arn: pulumi.Output[str],
                             opts: pulumi.ResourceOptions) -> tuple[dict, list[pulumi.Resource]]:
        """The log group (encrypted with a key of its own), and the role CloudTrail delivers to
        it with: the Trail arguments, and what the trail must wait for (CloudTrail checks the
        role can write when it is set). CloudWatch Logs checks the key policy when the group is
        created with the key, so the group takes the key's ARN (after its policy)."""
        config = args.config
        region = config.organization.aws_region
        group_name = audit_log_group_name(config)
        key = rotated_key(
            f"{name}-log-group-key", description=f"CloudWatch Logs group {group_name}",
            policy=policy_json(cloudtrail.log_group_key_policy(
                region=region, account_id=args.management_account_id,
                log_group=cloudtrail.log_group_arn(region, args.management_account_id,
                                                   group_name))),
            opts=opts)
        group = aws.cloudwatch.LogGroup(
            f"{name}-log-group", name=group_name, kms_key_id=key.arn,
            retention_in_days=config.audit_logging.cloudwatch_logs.retention_days, opts=opts)
        role = aws.iam.Role(
            f"{name}-cloudwatch-role",
            assume_role_policy=policy_json(cloudtrail.cloudwatch_trust_policy(trail_arn)),
            opts=opts)
        policy = aws.iam.RolePolicy(
            f"{name}-cloudwatch-delivery", role=role.id,
            policy=policy_json(cloudtrail.cloudwatch_delivery_policy(
                log_group_arn=group.arn, management_account_id=args.management_account_id,
                organization_id=args.organization_id, region=region)),
            opts=opts)
        # CloudTrail wants the group ARN with the log stream wildcard.
        return ({"cloud_watch_logs_group_arn": pulumi.Output.concat(group.arn, ":*"),
                 "cloud_watch_logs_role_arn": role.arn}, [policy])
