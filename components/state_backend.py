"""The Pulumi state backend: the state bucket and two KMS keys, one for workload stacks (their
`awskms://` secrets provider and the bucket's encryption) and one for the landing zone's own
secrets.

Everything lives in the `terraform_state` key account (the management account when that role
is not set). Pulumi locks stacks inside the bucket itself, so there is no lock table. Who may
reach what is decided by the bucket and key policies of components/policies/state_access.py:
the landing zone's own stack is the operators' alone, workload stacks are their state writers'.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.hardened_bucket import HardenedBucket, HardenedBucketArgs
from components.keys import rotated_key
from components.policies import state_access
from config.assignments import state_writers
from config.documents import policy_text
from config.model import LandingZoneConfig
from config.naming import (
    landing_zone_kms_alias,
    landing_zone_checkpoint_keys,
    landing_zone_private_keys,
    principal_arn,
    sso_role_pattern,
    state_bucket_name,
    state_kms_alias,
)

TYPE = "landing-zone:state_backend:StateBackend"


def state_account(config: LandingZoneConfig) -> str:
    return config.key_account("terraform_state") or config.management_account


def state_access_values(config: LandingZoneConfig, *, management_account_id: str,
                        state_account_id: str, organization_id: str) -> state_access.StateAccess:
    """The plain values of the backend's policies, once the account ids are known."""
    access = config.account_access
    operators = [principal_arn(management_account_id, o) for o in access.operators]
    preview = (principal_arn(management_account_id, access.preview_role)
               if access.preview_role else None)
    # In a member account the program works as the access role and previews read through the
    # read-only role; in the management account, as the operators and the preview role itself.
    if state_account(config) != config.management_account:
        administrators = [principal_arn(state_account_id, f"role/{access.role_name}")]
        read_only = principal_arn(state_account_id, f"role/{access.read_only_role_name}")
    else:
        administrators, read_only = operators, preview
    return state_access.StateAccess(
        bucket_arn=f"arn:aws:s3:::{state_bucket_name(config)}",
        management_account_id=management_account_id, state_account_id=state_account_id,
        operators=operators, preview=preview, key_administrators=administrators,
        landing_zone_checkpoints=landing_zone_checkpoint_keys(),
        landing_zone_private=landing_zone_private_keys(),
        read_only_role_arn=read_only if preview else None,
        organization_id=organization_id,
        state_writer_roles=[sso_role_pattern(name) for name in state_writers(config)])


@dataclass(frozen=True)
class StateBackendArgs:
    config: LandingZoneConfig
    account_id: pulumi.Input[str]
    access_log_bucket: pulumi.Input[str]
    management_account_id: pulumi.Input[str]
    organization_id: pulumi.Input[str]
    """State writers of every account of the organization are trusted."""


class StateBackend(pulumi.ComponentResource):
    """Give it the state account's provider through `opts`."""

    bucket_name: pulumi.Output[str]
    bucket_arn: pulumi.Output[str]
    kms_key_arn: pulumi.Output[str]
    kms_alias_name: pulumi.Output[str]
    landing_zone_kms_key_arn: pulumi.Output[str]
    landing_zone_kms_alias_name: pulumi.Output[str]

    def __init__(self, name: str, args: StateBackendArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        config = args.config
        bucket = state_bucket_name(config)
        values = pulumi.Output.all(
            args.management_account_id, args.account_id, args.organization_id).apply(
            lambda ids: state_access_values(config, management_account_id=ids[0],
                                            state_account_id=ids[1], organization_id=ids[2]))
        key = self._key(f"{name}-key", f"Pulumi secrets and state of {bucket}",
                        values.apply(lambda v: policy_text(state_access.workload_key_policy(v))),
                        state_kms_alias(config))
        own_key = self._key(f"{name}-landing-zone-key",
                            f"Secrets of the landing zone's own stack in {bucket}",
                            values.apply(lambda v: policy_text(
                                state_access.landing_zone_key_policy(v))),
                            landing_zone_kms_alias(config))
        state = HardenedBucket(
            f"{name}-bucket",
            HardenedBucketArgs(
                bucket=bucket, kms_key_arn=key[0].arn, versioned=True,
                noncurrent_expiration_days=config.state_backend.noncurrent_version_expiration_days,
                access_log_bucket=args.access_log_bucket, access_log_prefix=f"{bucket}/",
                policy_statements=[values.apply(state_access.bucket_statements)],
                protect=True),
            opts=pulumi.ResourceOptions(parent=self))
        self.bucket_name = state.bucket
        self.bucket_arn = state.arn
        self.kms_key_arn = key[0].arn
        self.kms_alias_name = key[1].name
        self.landing_zone_kms_key_arn = own_key[0].arn
        self.landing_zone_kms_alias_name = own_key[1].name
        self.register_outputs({"bucket_name": self.bucket_name, "bucket_arn": self.bucket_arn,
                               "kms_key_arn": self.kms_key_arn,
                               "kms_alias_name": self.kms_alias_name,
                               "landing_zone_kms_key_arn": self.landing_zone_kms_key_arn,
                               "landing_zone_kms_alias_name": self.landing_zone_kms_alias_name})

    def _key(self, name: str, description: str, policy: pulumi.Input[str],
             alias: str) -> tuple[aws.kms.Key, aws.kms.Alias]:
        key = rotated_key(name, description=description, policy=policy,
                          opts=pulumi.ResourceOptions(parent=self, protect=True))
        return key, aws.kms.Alias(f"{name}-alias", name=alias, target_key_id=key.key_id,
                                  opts=pulumi.ResourceOptions(parent=self))
