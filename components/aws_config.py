"""AWS Config in every account and governed region, aggregated in the security tooling account.

No organization-level switch creates customer recorders (AWS Config's organization features
aggregate and deploy rules, they record nothing), so:
- member accounts get the recorder template (components/aws_config_template.py) from one
  service-managed stack set per governed region (components/stack_set_fan_out.py: one root
  `StackInstances`, auto-deployment, retained stacks, managed execution; per region because a
  stack set holds at most 2,000 instances);
- the management account, where StackSets never deploys, gets the same template as one
  `cloudformation.Stack` per governed region through the management provider and pulumi-aws 7's
  per-resource `region`, so its recorder is adopted or made exactly as the members' are;
- history and snapshots go to a bucket of their own in the log archive account (apart from the
  CloudTrail archive, whose policy and key stay CloudTrail's alone), SSE-KMS with a key there,
  writable by Config of the organization's accounts only (components/policies/aws_config.py);
- the security tooling account becomes Config's delegated administrator (registered from the
  management account, after the organization has Config's trusted access) and holds the
  organization aggregator, with a role carrying AWS's `AWSConfigRoleForOrganizations`.

Brownfield: existing recorders are adopted by the template's custom resource. A delegated
administrator already registered for the security account is imported, not registered twice,
and one held by another account stops `pulumi up` (components/delegated_admin.py). Deregistering a delegated administrator
(what deleting `DelegatedAdministrator` does, terraform-provider-aws
organizations/delegated_administrator.go) cuts the aggregator off: it is retained on delete.
New accounts: a `BaselineReadiness` gate per account created in this run waits for its stack
instances of these stack sets.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.aws_config_template import config_template
from components.account_access import provider_accounts
from components.baseline_readiness import BaselineReadiness, gates_for_new_accounts
from components.delegated_admin import SecurityTooling, delegated_administrator
from components.hardened_bucket import HardenedBucket, HardenedBucketArgs, policy_json
from components.policies import aws_config as policies
from components.stack_set_fan_out import fan_out
from config.model import LandingZoneConfig
from config.security_baseline import security_account
from config.naming import (
    config_aggregator_name,
    config_aggregator_role_name,
    config_bucket_name,
    config_stack_set_name,
)

TYPE = "landing-zone:aws_config:AwsConfig"
CONFIG = policies.CONFIG
CAPABILITIES = ("CAPABILITY_NAMED_IAM",)  # the function's role has a name
KEY_DELETION_WINDOW_DAYS = 30
# Config rewrites no file, so old versions only come from someone overwriting one: kept a month.
NONCURRENT_VERSION_DAYS = 30
ORGANIZATIONS_AGGREGATOR_POLICY = (
    "arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations")


@dataclass(frozen=True)
class AwsConfigArgs:
    config: LandingZoneConfig
    tooling: SecurityTooling
    """The security tooling account (delegated administrator, aggregator), the management
    provider and the organization with Config's trusted access, which delegation needs."""
    provider_for: Callable[[str], aws.Provider]
    """Account key -> its provider (the history's account is used)."""
    account_ids: Mapping[str, pulumi.Input[str]]
    organization_id: pulumi.Input[str]
    root_id: pulumi.Input[str]
    trusted_access: pulumi.Resource
    """StackSets trusted access: the stack sets are service-managed."""
    access_log_buckets: Mapping[str, pulumi.Input[str]]
    """Account key -> its access-log bucket (the history's account's is used)."""
    profile: str | None
    regions_ready: Mapping[str, Sequence[pulumi.Resource]] = field(default_factory=dict)
    """Governed opt-in region -> its enablement in every managed account: the region's
    stacks come after it."""


def archive_account(config: LandingZoneConfig) -> str:
    """Where the history is kept: the log archive when the program builds in it (audit logging
    or GuardDuty's findings export on), else the security tooling account, so no provider is
    added for Config alone."""
    archive = config.key_account("log_archive")
    return archive if archive in provider_accounts(config) else security_account(config)


class AwsConfig(pulumi.ComponentResource):
    bucket_name: pulumi.Output[str]
    kms_key_arn: pulumi.Output[str]
    aggregator_arn: pulumi.Output[str]
    stack_sets: dict[str, aws.cloudformation.StackSet]
    """Governed region -> its stack set."""
    baseline: dict[str, BaselineReadiness]

    def __init__(self, name: str, args: AwsConfigArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        config = args.config
        archive = archive_account(config)
        in_archive = pulumi.ResourceOptions(parent=self, provider=args.provider_for(archive))
        on_management = pulumi.ResourceOptions(parent=self,
                                               provider=args.tooling.management_provider)

        key = aws.kms.Key(
            f"{name}-key", description=f"AWS Config history in {config_bucket_name(config)}",
            enable_key_rotation=True, deletion_window_in_days=KEY_DELETION_WINDOW_DAYS,
            policy=policy_json(policies.key_policy(
                archive_account_id=args.account_ids[archive],
                organization_id=args.organization_id)),
            opts=pulumi.ResourceOptions.merge(in_archive, pulumi.ResourceOptions(protect=True)))
        aws.kms.Alias(f"{name}-key-alias", name=f"alias/{config_bucket_name(config)}",
                      target_key_id=key.key_id, opts=in_archive)
        retention = config.security_baseline.aws_config.retention_days
        bucket = HardenedBucket(
            f"{name}-bucket",
            HardenedBucketArgs(
                bucket=config_bucket_name(config), kms_key_arn=key.arn, versioned=True,
                expiration_days=retention, noncurrent_expiration_days=NONCURRENT_VERSION_DAYS,
                access_log_bucket=args.access_log_buckets[archive],
                access_log_prefix=f"{config_bucket_name(config)}/",
                policy_statements=policies.bucket_policy_statements(
                    config_bucket_name(config), args.organization_id),
                protect=True),
            opts=in_archive)
        # Config checks the bucket policy when a delivery channel is put.
        ready_to_deliver = [bucket.policy, key]

        fan_outs = []
        for region in config.governed_regions:
            template = config_template(config, region, bucket.bucket, key.arn)
            after = [*ready_to_deliver, *args.regions_ready.get(region, ())]
            fan_outs.append(fan_out(
                f"{name}-{region}", name=config_stack_set_name(config, region),
                description="landing-zone: the AWS Config recorder of every member account",
                template=template, region=region, root_id=args.root_id,
                trusted_access=args.trusted_access, capabilities=CAPABILITIES, after=after,
                opts=on_management))
            aws.cloudformation.Stack(
                f"{name}-{config.management_account}-{region}",
                name=config_stack_set_name(config, region), region=region,
                template_body=template, capabilities=list(CAPABILITIES),
                opts=pulumi.ResourceOptions.merge(on_management, pulumi.ResourceOptions(
                    depends_on=after, retain_on_delete=True)))
        self.stack_sets = {f.region: f.stack_set for f in fan_outs}

        self.baseline = gates_for_new_accounts(name, config, args.account_ids, fan_outs,
                                               profile=args.profile, parent=self)

        self.aggregator_arn = self._aggregator(name, args).arn
        self.bucket_name = bucket.bucket
        self.kms_key_arn = key.arn
        self.register_outputs({"bucket_name": self.bucket_name, "kms_key_arn": self.kms_key_arn,
                               "aggregator_arn": self.aggregator_arn,
                               "stack_sets": {r: s.name for r, s in self.stack_sets.items()},
                               "baseline": {k: g.urn for k, g in self.baseline.items()}})

    def _aggregator(self, name: str, args: AwsConfigArgs) -> aws.cfg.ConfigurationAggregator:
        """Delegation (after trusted access), then the aggregator in the security account."""
        config, tooling = args.config, args.tooling
        delegation = delegated_administrator(name, CONFIG, tooling, self)
        in_security = pulumi.ResourceOptions(parent=self, provider=tooling.provider)
        role = aws.iam.Role(
            f"{name}-aggregator-role", name=config_aggregator_role_name(config),
            assume_role_policy=policy_json(policies.config_trust(tooling.account_id)),
            description="AWS Config: the organization aggregator reads every account",
            opts=in_security)
        attachment = aws.iam.RolePolicyAttachment(
            f"{name}-aggregator-role-policy", role=role.name,
            policy_arn=ORGANIZATIONS_AGGREGATOR_POLICY, opts=in_security)
        every_region = config.security_baseline.aws_config.aggregate_all_regions
        return aws.cfg.ConfigurationAggregator(
            f"{name}-aggregator", name=config_aggregator_name(config),
            organization_aggregation_source=(
                aws.cfg.ConfigurationAggregatorOrganizationAggregationSourceArgs(
                    role_arn=role.arn, all_regions=True if every_region else None,
                    regions=None if every_region else config.governed_regions)),
            opts=pulumi.ResourceOptions.merge(in_security, pulumi.ResourceOptions(
                depends_on=[delegation, attachment])))
