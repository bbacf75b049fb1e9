"""AWS names derived from the config, in one place so `./lz show`, the program and the operator
commands always agree."""

from __future__ import annotations

from config.guardrails import Scp, audit_logging_on, target_slug
from config.model import LandingZoneConfig


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


def access_log_bucket_name(config: LandingZoneConfig, account: str) -> str:
    name = config.access_logs.bucket_name_format.format_map(
        _KeepUnknown(namespace=config.namespace or "", account=dashed(account)))
    return name.strip("-")


def backend_url(config: LandingZoneConfig) -> str:
    """Pulumi's self-managed S3 backend URL (https://www.pulumi.com/docs/iac/concepts/state-and-backends/)."""
    return f"s3://{state_bucket_name(config)}?region={config.organization.aws_region}&awssdk=v2"


def secrets_provider(config: LandingZoneConfig) -> str:
    return f"awskms://{state_kms_alias(config)}?region={config.organization.aws_region}"


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


def guardrail_policy_name(config: LandingZoneConfig, scp: Scp) -> str:
    """The SCP's name in AWS: `<namespace>-guardrails-<target>` for the built-ins shared on a
    target, a custom guardrail's `name`, else `<namespace>-<key with _ as ->`."""
    if scp.shared:
        return prefixed(config, f"guardrails-{target_slug(scp.targets[0])}")
    custom = config.guardrails.custom.get(scp.key) if scp.custom else None
    return (custom and custom.name) or prefixed(config, dashed(scp.key))


def s3_policy_name(config: LandingZoneConfig) -> str:
    """The Organizations S3 policy that turns on S3 Block Public Access everywhere."""
    return prefixed(config, "s3-block-public-access")


def protected_bucket_arns(config: LandingZoneConfig) -> list[str]:
    """The buckets deployers must not reconfigure: the state bucket, the log archive and every
    account's access-log bucket (one wildcard ARN for all of those, so the policy that names
    them stays the same size however many accounts there are)."""
    names = [access_log_bucket_name(config, "*")]
    if config.state_backend.enabled:
        names.append(state_bucket_name(config))
    if audit_logging_on(config):
        names.append(audit_bucket_name(config))
    return sorted(f"arn:aws:s3:::{name}" for name in names)
