"""AWS names derived from the config, in one place so `./lz show`, the program and the operator
commands always agree."""

from __future__ import annotations

import fnmatch
from typing import NamedTuple

from config.assignments import customer_managed_policies
from config.guardrails import Scp, audit_logging_on, target_slug
from config.model import LandingZoneConfig
from config.security_baseline import guardduty_export_on, services_on


def dashed(key: str) -> str:
    """Config keys use snake_case; S3 and most AWS names prefer dashes."""
    return key.replace("_", "-")


def prefixed(config: LandingZoneConfig, name: str) -> str:
    """`<namespace>-<name>`, or the bare name when no namespace token is set."""
    return f"{config.namespace}-{name}" if config.namespace else name


def state_bucket_name(config: LandingZoneConfig) -> str:
    return (config.state_backend.bucket or config.terraform.state.bucket
            or prefixed(config, "pulumi-state"))


def state_bucket_source(config: LandingZoneConfig) -> tuple[str, ...]:
    """The key path the state bucket name comes from, for problems about it."""
    if config.state_backend.bucket:
        return ("state_backend", "bucket")
    if config.terraform.state.bucket:
        return ("terraform", "state", "bucket")
    return ("organization", "tokens", "namespace")


def state_kms_alias(config: LandingZoneConfig) -> str:
    return config.state_backend.kms_alias or f"alias/{state_bucket_name(config)}"


class _KeepUnknown(dict):
    """Leaves an unknown {placeholder} in place for the bucket-name rule to report."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


ACCESS_LOG_PLACEHOLDERS = frozenset({"namespace", "account_id", "region"})
REQUIRED_ACCESS_LOG_PLACEHOLDERS = frozenset({"account_id", "region"})
LONGEST_ACCOUNT_ID = "123456789012"


def access_log_bucket_name(config: LandingZoneConfig, account_id: str, region: str) -> str:
    """The access-log bucket of one account in one region. Named by account id, not config
    key: one StackSets template names the bucket of every account, those that join the
    organization later included (CloudFormation fills in `${AWS::AccountId}`)."""
    name = config.access_logs.bucket_name_format.format_map(
        _KeepUnknown(namespace=config.namespace or "", account_id=account_id, region=region))
    return name.strip("-")


def access_log_bucket_template_name(config: LandingZoneConfig) -> str:
    """The same name as a CloudFormation `Fn::Sub` string."""
    return access_log_bucket_name(config, "${AWS::AccountId}", "${AWS::Region}")


def longest_access_log_bucket_name(config: LandingZoneConfig) -> str:
    """The longest name any account gets (for the length and syntax rules)."""
    return access_log_bucket_name(config, LONGEST_ACCOUNT_ID,
                                  max(config.governed_regions, key=len))


def matches_access_log_bucket(config: LandingZoneConfig, bucket: str) -> bool:
    """Whether some account's access-log bucket could bear this name."""
    return fnmatch.fnmatchcase(bucket, access_log_bucket_name(config, "*", "*"))


def access_log_stack_set_name(config: LandingZoneConfig, region: str) -> str:
    """One stack set per governed region (StackSets names: letters, digits, '-', 1-128)."""
    return prefixed(config, f"access-logs-{region}")


def customer_policy_stack_set_name(config: LandingZoneConfig) -> str:
    """The one stack set of the customer-managed policies (IAM is global: home region only)."""
    return prefixed(config, "customer-policies")


class BaselineStackSet(NamedTuple):
    """A stack set each member account gets an instance of."""

    name: str
    region: str
    what: str
    """What it deploys, for messages."""
    label: str
    """How an account's instance is told apart in `./lz verify`: `<account key> <label>`."""


def baseline_stack_sets(config: LandingZoneConfig) -> list[BaselineStackSet]:
    """Every stack set each member account gets an instance of: its access-log bucket in
    every governed region, and the customer-managed policies (home region) when a permission
    set references one. The gates, preflight and verify read these."""
    found = [BaselineStackSet(access_log_stack_set_name(config, region), region,
                              f"the access-log buckets in {region}", f"in {region}")
             for region in config.governed_regions]
    if customer_managed_policies(config):
        found.append(BaselineStackSet(customer_policy_stack_set_name(config),
                                      config.organization.aws_region,
                                      "the customer-managed policies",
                                      "(customer-managed policies)"))
    return found


def backend_url(config: LandingZoneConfig) -> str:
    """Pulumi's self-managed S3 backend URL (https://www.pulumi.com/docs/iac/concepts/state-and-backends/)."""
    return f"s3://{state_bucket_name(config)}?region={config.organization.aws_region}&awssdk=v2"


def secrets_provider(config: LandingZoneConfig) -> str:
    """The `awskms://` secrets provider of workload stacks (the key their deployers may use)."""
    return f"awskms://{state_kms_alias(config)}?region={config.organization.aws_region}"


# The landing zone's own stack, apart from what workload deployers write: Pulumi.yaml's
# project name, its key and the objects the self-managed backend keeps for it.
PROJECT = "landing-zone"


def landing_zone_kms_alias(config: LandingZoneConfig) -> str:
    """The key of the landing zone's own secrets; nobody but the operators may use it."""
    return f"{state_kms_alias(config)}-{PROJECT}"


def landing_zone_secrets_provider(config: LandingZoneConfig) -> str:
    """What `./lz migrate-state` gives the landing-zone stack."""
    return f"awskms://{landing_zone_kms_alias(config)}?region={config.organization.aws_region}"


def landing_zone_checkpoint_keys(project: str = PROJECT) -> list[str]:
    """The objects a StackReference to the project reads: its stacks' checkpoints (pulumi/pulumi
    pkg/backend/diy/state.go, getSnapshotStackOutputs, reads only the checkpoint and decrypts only
    secret outputs) and `.pulumi/meta.yaml`, which chooses the project layout (whoever rewrote
    it could make the CLI read stacks from elsewhere). Readable by state writers, writable by
    operators only."""
    return [f".pulumi/stacks/{project}/*", ".pulumi/meta.yaml"]


def landing_zone_private_keys(project: str = PROJECT) -> list[str]:
    """The rest of the project's objects in a self-managed backend: history and backups
    (pkg/backend/diy/store.go: `.pulumi/history|backups/<project>/`) and locks (lock.go:
    `.pulumi/locks/<organization/project/stack>/`). Operators only."""
    return [f".pulumi/{kind}/{project}/*" for kind in ("history", "backups")] + [
        f".pulumi/locks/organization/{project}/*"]


def landing_zone_state_keys(project: str = PROJECT) -> list[str]:
    """Every object of the project in the backend."""
    return landing_zone_checkpoint_keys(project) + landing_zone_private_keys(project)


def principal_arn(account_id: str, path: str) -> str:
    """`user/bootstrap-admin` or `role/<path/name>` of an account as an ARN (patterns stay
    patterns): the operators and the preview role live in the management account."""
    return f"arn:aws:iam::{account_id}:{path}"


def sso_role_pattern(permission_set_name: str) -> str:
    """The IAM role Identity Center makes for a permission set in every account it is assigned
    to: `role/aws-reserved/sso.amazonaws.com[/<region>]/AWSReservedSSO_<name>_<suffix>`
    (https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html)."""
    return f"arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_{permission_set_name}_*"


def audit_trail_name(config: LandingZoneConfig) -> str:
    return config.audit_logging.trail_name or prefixed(config, "organization-trail")


def audit_bucket_name(config: LandingZoneConfig) -> str:
    """`<namespace>-audit-logs`, deliberately not Metastructure's `<namespace>-<log archive
    key>-<audit_log token>`: a new bucket, so it cannot collide with one Metastructure made."""
    return config.audit_logging.bucket or prefixed(config, "audit-logs")


def audit_kms_alias(config: LandingZoneConfig) -> str:
    return config.audit_logging.kms_alias or f"alias/{audit_bucket_name(config)}"


def audit_log_group_name(config: LandingZoneConfig) -> str:
    """The CloudWatch Logs group of the trail, when that delivery is on."""
    return f"/landing-zone/cloudtrail/{audit_trail_name(config)}"


def guardduty_findings_bucket_name(config: LandingZoneConfig) -> str:
    """GuardDuty's exported findings, in the log archive account."""
    return prefixed(config, "guardduty-findings")


def guardduty_findings_kms_alias(config: LandingZoneConfig) -> str:
    return f"alias/{guardduty_findings_bucket_name(config)}"


def guardrail_policy_name(config: LandingZoneConfig, scp: Scp) -> str:
    """The SCP's name in AWS: `<namespace>-guardrails-<target>` for the built-ins shared on a
    target, a custom guardrail's `name`, else `<namespace>-<key with _ as ->`."""
    if scp.shared:
        return prefixed(config, f"guardrails-{target_slug(scp.targets[0])}")
    custom = config.guardrails.custom.get(scp.key) if scp.custom else None
    return (custom and custom.name) or prefixed(config, dashed(scp.key))


def access_role_rcp_name(config: LandingZoneConfig) -> str:
    """The resource control policy that keeps the account access role for the operators."""
    return prefixed(config, "account-access-role")


def s3_policy_name(config: LandingZoneConfig) -> str:
    """The Organizations S3 policy that turns on S3 Block Public Access everywhere."""
    return prefixed(config, "s3-block-public-access")


def protected_bucket_arns(config: LandingZoneConfig) -> list[str]:
    """The buckets deployers must not reconfigure: the state bucket, the log archive, GuardDuty's
    findings, AWS Config's history and every
    account's access-log bucket in every region (one wildcard ARN for all of those, so the policy that names
    them stays the same size however many accounts there are)."""
    names = [access_log_bucket_name(config, "*", "*")]
    if config.state_backend.enabled:
        names.append(state_bucket_name(config))
    if audit_logging_on(config):
        names.append(audit_bucket_name(config))
    if guardduty_export_on(config):
        names.append(guardduty_findings_bucket_name(config))
    if "aws_config" in services_on(config):
        names.append(config_bucket_name(config))
    return sorted(f"arn:aws:s3:::{name}" for name in names)


def config_stack_set_name(config: LandingZoneConfig, region: str) -> str:
    """The AWS Config stack set of a governed region; also the management account's stack."""
    return prefixed(config, f"aws-config-{region}")


def config_bucket_name(config: LandingZoneConfig) -> str:
    """The log archive's bucket of AWS Config history and snapshots."""
    return prefixed(config, "aws-config-history")


def config_aggregator_name(config: LandingZoneConfig) -> str:
    return prefixed(config, "organization")


def config_aggregator_role_name(config: LandingZoneConfig) -> str:
    return prefixed(config, "aws-config-aggregator")


def config_recorder_function_name(config: LandingZoneConfig) -> str:
    """The Lambda function that sets up an account's recorder (one per region: function names
    are regional); the guardrails exempt its roles and keep everyone else off both."""
    return prefixed(config, "aws-config-recorder")


def config_recorder_function_role_name(config: LandingZoneConfig, region: str) -> str:
    """The function's role in `region` (one per region: IAM names are global)."""
    return f"{config_recorder_function_name(config)}-{region}"


def config_recorder_role_path(config: LandingZoneConfig) -> str:
    """The IAM path of the role AWS Config records as. CloudFormation names that role, so the
    guardrails know it by this path (`role/<path>/<any name>`) instead."""
    return f"/{config_recorder_function_name(config)}/"
