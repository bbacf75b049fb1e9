"""The access-log bucket of every account and governed region, fanned out by AWS's own engine.

Member accounts get theirs from CloudFormation StackSets with service-managed permissions, run
by the management provider: one stack set per governed region (log targets must be in their
source's region, and a stack set holds at most 2,000 instances: one per account then), each
with exactly one `cloudformation.StackInstances` targeting the root, so every account, those
that join later included, is covered by auto-deployment. The key accounts' buckets come from
the stack sets too (their providers build none): one owner per bucket. No provider per account:
a `pulumi up` starts the same number of provider processes for 10 or 1,000 accounts.

The stack set and its instances are built as every fan-out is (components/stack_set_fan_out.py
says why those resources and inputs). StackSets never deploys to the management account, so its
buckets are `HardenedBucket`s on the management provider, with the per-resource `region` of
pulumi-aws 7.

New accounts: a `BaselineReadiness` per account created in this run waits until its stack
instances are CURRENT/SUCCEEDED (these and those of `more_fan_outs`, the customer-managed
policies: one gate per account, whatever it waits for); `bucket_names` carry that
dependency (or, for adopted accounts, the dependency on the stack instances, whose creation
waits for every account already in the organization).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.access_log_template import access_log_statements, access_log_template
from components.baseline_readiness import (
    BaselineReadiness,
    StackSetsTrustedAccess,
    gates_for_new_accounts,
)
from components.hardened_bucket import HardenedBucket, HardenedBucketArgs
from components.stack_set_fan_out import FanOut, fan_out
from config.guardrails import audit_logging_on
from config.model import LandingZoneConfig
from config.naming import (
    access_log_bucket_name,
    access_log_stack_set_name,
    audit_bucket_name,
    state_bucket_name,
)
from config.topology import managed_accounts

TYPE = "landing-zone:access_logs:AccessLogs"


def landing_zone_log_sources(config: LandingZoneConfig) -> list[str]:
    """The landing zone's own buckets that deliver access logs (each under `<bucket>/`)."""
    sources = []
    if config.state_backend.enabled:
        sources.append(state_bucket_name(config))
    if audit_logging_on(config):
        sources.append(audit_bucket_name(config))
    return sorted(sources)


@dataclass(frozen=True)
class AccessLogsArgs:
    config: LandingZoneConfig
    management_provider: aws.Provider
    account_ids: Mapping[str, pulumi.Input[str]]
    """Managed account key -> id, the management account included."""
    root_id: pulumi.Input[str]
    trusted_access: StackSetsTrustedAccess
    """The stack sets are service-managed: they need StackSets trusted access first."""
    profile: str | None
    """The stack's `aws:profile`, which the readiness gates use as the provider does."""
    more_fan_outs: Sequence[FanOut] = ()
    """Other stack sets every member account gets (customer-managed policies): an account
    created in the run is ready once these instances are too."""
    regions_ready: Mapping[str, Sequence[pulumi.Resource]] = field(default_factory=dict)
    """Governed opt-in region -> its enablement in every managed account
    (components/region_opt_in.py): the region's buckets come after it."""


class AccessLogs(pulumi.ComponentResource):
    bucket_names: dict[str, pulumi.Output[str]]
    """Managed account key -> its access-log bucket in the home region."""
    stack_sets: dict[str, aws.cloudformation.StackSet]
    """Governed region -> its stack set."""
    baseline: dict[str, BaselineReadiness]
    """Account created in this run -> the gate on its stack instances."""

    def __init__(self, name: str, args: AccessLogsArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        config = args.config
        home = config.organization.aws_region
        management = config.management_account
        on_management = pulumi.ResourceOptions(parent=self, provider=args.management_provider)
        template = access_log_template(config, landing_zone_log_sources(config))

        in_region = {region: pulumi.ResourceOptions.merge(on_management, pulumi.ResourceOptions(
            depends_on=list(args.regions_ready.get(region, ()))))
            for region in config.governed_regions}
        fan_outs = {region: fan_out(
            f"{name}-{region}", name=access_log_stack_set_name(config, region),
            description="landing-zone: the S3 server access-log bucket of every member account",
            template=template, region=region, root_id=args.root_id,
            trusted_access=args.trusted_access, opts=in_region[region])
            for region in config.governed_regions}
        self.stack_sets = {region: f.stack_set for region, f in fan_outs.items()}
        instances = {region: f.instances for region, f in fan_outs.items()}

        management_buckets = {
            region: self._management_bucket(name, region, args, in_region[region])
            for region in config.governed_regions}

        self.baseline = gates_for_new_accounts(
            name, config, args.account_ids, [*fan_outs.values(), *args.more_fan_outs],
            profile=args.profile, parent=self)

        self.bucket_names = {}
        for key in managed_accounts(config):
            if key == management:
                # Handed out through its policy: PutBucketLogging refuses a target whose policy
                # does not yet let logging.s3.amazonaws.com write (InvalidTargetBucketForLogging;
                # S3 user guide, "Permissions for log delivery"; found by the engine suite).
                self.bucket_names[key] = management_buckets[home].policy.bucket
                continue
            # The name is known from the id; its readiness is what the Output carries: the
            # gate's own account_id output (one apply per new account), else the instances'.
            gate = self.baseline.get(key)
            account_id = (gate.account_id if gate is not None else pulumi.Output.all(
                instances[home].id, args.account_ids[key]).apply(lambda values: values[1]))
            self.bucket_names[key] = account_id.apply(
                lambda known: access_log_bucket_name(config, known, home))
        self.register_outputs({"bucket_names": self.bucket_names,
                               "stack_sets": {r: s.name for r, s in self.stack_sets.items()},
                               "baseline": {k: g.urn for k, g in self.baseline.items()}})

    @staticmethod
    def _management_bucket(name: str, region: str, args: AccessLogsArgs,
                           on_management: pulumi.ResourceOptions) -> HardenedBucket:
        config = args.config
        account_id = args.account_ids[config.management_account]
        bucket = pulumi.Output.from_input(account_id).apply(
            lambda known: access_log_bucket_name(config, known, region))
        logs = config.access_logs
        return HardenedBucket(
            f"{name}-{config.management_account}-{region}",
            HardenedBucketArgs(
                bucket=bucket, region=region, versioned=True,
                expiration_days=logs.expiration_days,
                noncurrent_expiration_days=logs.noncurrent_version_expiration_days,
                policy_statements=access_log_statements(
                    bucket, account_id, landing_zone_log_sources(config))),
            opts=on_management)
