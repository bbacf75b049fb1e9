"""landing-zone's own sections: what Metastructure never had (all optional, safe defaults)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, WithJsonSchema

from config.model.base import Model, StrList, str_or_list_schema


# `user/<name>` or `role/<path/><name>` in the management account; `*` matches any part, as
# in the ArnLike conditions these become (IAM names: [\w+=,.@-], paths add `/`).
PrincipalPath = Annotated[str, Field(pattern=r"^(user|role)/[\w+=,.@/*-]+$", max_length=512)]
DEFAULT_OPERATORS = ("user/bootstrap-admin", "role/landing-zone-ci-deploy")


class AccountAccess(Model):
    """How the management session reaches member accounts.

    ```yaml
    account_access:
      role_name: OrganizationAccountAccessRole
      readiness_timeout_seconds: 900
      operators:
        - user/bootstrap-admin
        - role/landing-zone-ci-deploy
        - role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Admin_*
      preview_role: role/landing-zone-ci-preview
    ```
    """

    role_name: str = Field("OrganizationAccountAccessRole",
                           description="Role that Organizations creates in new accounts and "
                                       "that the program assumes.")
    operators: list[PrincipalPath] = Field(
        default_factory=lambda: list(DEFAULT_OPERATORS), min_length=1,
        description="The principals of the management account that run the landing zone "
                    "(`user/<name>` or `role/<path/name>`, `*` allowed): only they may assume "
                    "role_name in member accounts (a resource control policy), touch the "
                    "landing zone's own state and secrets key, and they are what the "
                    "guardrails exempt. To run it from your SSO session, add "
                    "`role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_<permission set "
                    "name>_*`.")
    preview_role: PrincipalPath | None = Field(
        "role/landing-zone-ci-preview",
        description="The management-account role of CI previews (docs/ci.md): it may read the "
                    "landing zone's state and assume read_only_role_name in member accounts, "
                    "nothing else. null: no preview principal.")
    read_only_role_name: str = Field(
        "landing-zone-read-only", pattern=r"^[\w+=,.@-]{1,64}$",
        description="Role the program creates in member accounts it reaches, with "
                    "ReadOnlyAccess, trusted by preview_role only; previews "
                    "(LANDING_ZONE_READ_ONLY=true) reach member accounts through it.")
    readiness_timeout_seconds: int = Field(
        900, ge=60, le=3600,
        description="How long to wait for a new account to accept calls before failing.")


class StateBackend(Model):
    """The Pulumi state bucket and the KMS key of the `awskms://` secrets provider.

    ```yaml
    state_backend:
      bucket: acme-pulumi-state
      noncurrent_version_expiration_days: 90
    ```
    """

    enabled: bool = Field(True, description="Build the state backend in the terraform_state "
                          "key account.")
    bucket: str | None = Field(None, description="Bucket name. Default: terraform.state.bucket "
                               "of a Metastructure file, else <namespace>-pulumi-state.")
    kms_alias: str | None = Field(None, description="KMS alias (alias/...). Default: "
                                  "alias/<bucket>.")
    noncurrent_version_expiration_days: int = Field(
        90, ge=1, description="Days to keep old state versions.")


class AccessLogs(Model):
    """The S3 server access-log bucket in every account and governed region (versioned).

    ```yaml
    access_logs:
      bucket_name_format: '{namespace}-s3-access-logs-{account_id}-{region}'
      expiration_days: 365
      noncurrent_version_expiration_days: 30
    ```
    """

    bucket_name_format: str = Field(
        "{namespace}-s3-access-logs-{account_id}-{region}",
        description="Bucket name; {namespace} is the namespace token, {account_id} the 12-digit "
                    "account id and {region} the region (both required: one template names the "
                    "bucket of every account, those that join later included).")
    expiration_days: int = Field(365, ge=1, description="Days to keep access logs.")
    noncurrent_version_expiration_days: int = Field(
        30, ge=1, description="Days a deleted or overwritten log file version is kept before "
                              "it expires.")


class ObjectLockMode(str, Enum):
    GOVERNANCE = "GOVERNANCE"   # users with s3:BypassGovernanceRetention may still delete
    COMPLIANCE = "COMPLIANCE"   # nobody, the root user included, deletes before the end


class StorageClass(str, Enum):
    """S3 storage classes a lifecycle rule may move objects to."""

    STANDARD_IA = "STANDARD_IA"
    ONEZONE_IA = "ONEZONE_IA"
    INTELLIGENT_TIERING = "INTELLIGENT_TIERING"
    GLACIER_IR = "GLACIER_IR"
    GLACIER = "GLACIER"
    DEEP_ARCHIVE = "DEEP_ARCHIVE"


class ObjectLock(Model):
    """Write-once retention of every new log file (S3 Object Lock).

    ```yaml
    object_lock: {mode: COMPLIANCE, days: 365}
    ```
    """

    mode: ObjectLockMode = Field(ObjectLockMode.GOVERNANCE,
                                 description="GOVERNANCE: privileged users may still delete; "
                                             "COMPLIANCE: nobody can, not even the root user.")
    days: int = Field(365, ge=1, description="Days each log file version is locked.")


class CloudWatchLogsDelivery(Model):
    """Also deliver the trail's events to a CloudWatch Logs group in the management account.

    ```yaml
    cloudwatch_logs: {enabled: true, retention_days: 90}
    ```
    """

    enabled: bool = Field(False, description="Create the log group and the role CloudTrail "
                          "writes to it with.")
    retention_days: int = Field(90, description="Days CloudWatch Logs keeps events (a value "
                                "CloudWatch accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, "
                                "365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653).")


class AuditLogging(Model):
    """The organization CloudTrail (in the management account) and its log archive: a KMS key
    and a bucket in the `log_archive` key account. See docs/audit-logging.md.

    ```yaml
    audit_logging:
      retention_days: 730
      transition_days: 90
      transition_storage_class: GLACIER_IR
      object_lock: {mode: GOVERNANCE, days: 365}
      readers: [security_tooling]
      data_events: ['AWS::S3::Object']
    ```
    """

    enabled: bool | None = Field(
        None, description="Build the organization trail and log archive. Default: on whenever "
                          "organization.key_accounts names a log_archive account to hold them.")
    trail_name: str | None = Field(None, description="CloudTrail trail name. Default: "
                                   "<namespace>-organization-trail.")
    bucket: str | None = Field(None, description="Log archive bucket name. Default: "
                               "<namespace>-audit-logs.")
    kms_alias: str | None = Field(None, description="Alias of the log key (alias/...). "
                                  "Default: alias/<bucket>.")
    retention_days: int = Field(365, ge=1, description="Days after which log files expire.")
    transition_days: int | None = Field(
        90, ge=1, description="Days after which log files move to transition_storage_class; "
                              "null keeps them in S3 Standard.")
    transition_storage_class: StorageClass = Field(
        StorageClass.GLACIER_IR, description="Where log files go after transition_days.")
    noncurrent_version_expiration_days: int = Field(
        30, ge=1, description="Days to keep a log file version once it is no longer current "
                              "(after expiry or an overwrite).")
    object_lock: ObjectLock | None = Field(
        None, description="Lock every new log file; only takes effect on a new bucket.")
    readers: StrList = Field(
        default_factory=list,
        description="Who may read and decrypt the logs: account keys (every principal of that "
                    "account its IAM policies allow) or IAM principal ARNs.")
    cloudwatch_logs: CloudWatchLogsDelivery = Field(
        default_factory=CloudWatchLogsDelivery,
        description="Optional delivery to CloudWatch Logs (off by default).")
    data_events: StrList = Field(
        default_factory=list,
        description="Resource types whose data events are logged, e.g. AWS::S3::Object, "
                    "AWS::Lambda::Function (off by default: data events cost extra).")


ROOT_TARGET = "root"

# Built-in guardrail -> where it is attached unless the config says otherwise. The documents
# live in components/policies/scps.py under the same names; docs/guardrails.md explains each.
BUILTIN_GUARDRAILS: dict[str, tuple[str, ...]] = {
    "deny_leaving_organization": (ROOT_TARGET,),
    "protect_audit_logging": (ROOT_TARGET,),
    "protect_state_backend": (ROOT_TARGET,),
    "deny_root_user": (ROOT_TARGET,),
    "protect_account_access_role": (ROOT_TARGET,),
    "deny_unapproved_regions": (),  # off: attach it to deny every region that is not governed
    # Left out while no security service (security_baseline) is on (config/guardrails.py).
    "protect_security_services": (ROOT_TARGET,),
    "deny_unencrypted_volumes": (ROOT_TARGET,),
}
# Built-ins that existed once -> what to do instead (LZ250 says it).
RETIRED_BUILTINS: dict[str, str] = {
    "protect_s3_public_access_block": (
        "The organization's S3 policy (guardrails.s3_block_public_access) now sets every "
        "account's S3 public access block, and AWS refuses account-level changes while it is in "
        "force, so this SCP is gone: delete the key."),
}
# Built-ins whose document grows with the config (the list of regions; the services on) get an
# SCP of their own; the others attached to one target share a single SCP there
# (config/guardrails.py).
OWN_SCP_BUILTINS = ("deny_unapproved_regions", "protect_security_services")


def _over_builtin_defaults(value: Any) -> Any:
    """Naming one guardrail changes that one; the others keep their default targets."""
    if isinstance(value, dict):
        return {**{k: list(v) for k, v in BUILTIN_GUARDRAILS.items()}, **value}
    return value


# Editors flag an unknown built-in name; the loader reports it with a suggestion.
BuiltinTargets = Annotated[
    dict[str, StrList], BeforeValidator(_over_builtin_defaults),
    WithJsonSchema({"type": "object", "propertyNames": {"enum": list(BUILTIN_GUARDRAILS)},
                    "additionalProperties": str_or_list_schema()})]


class CustomGuardrail(Model):
    """A service control policy of your own, usually a JSON file next to the config.

    ```yaml
    custom:
      deny_large_instances:
        description: No instances above 4xlarge in workloads.
        document_file: scps/deny-large-instances.json
        targets: ['ou:workloads']
    ```
    """

    name: str | None = Field(None, description="SCP name in AWS (unique in the organization). "
                             "Default: <namespace>-<key with _ as ->.")
    description: str | None = Field(None, description="SCP description.")
    document: dict[str, Any] | None = Field(None, description="The SCP document, inline.")
    document_file: str | None = Field(None, description="The SCP document as a JSON file path "
                                      "relative to the config file.")
    targets: StrList = Field(default_factory=list,
                             description="Where to attach it: root, ou:<OU key> or account keys.")


class Guardrails(Model):
    """Service control policies (SCPs): built-ins chosen by name, plus your own. See
    docs/guardrails.md for what each built-in denies and how to switch it off.

    ```yaml
    guardrails:
      builtin:
        deny_root_user: ['ou:workloads']     # instead of the default, root
        deny_unapproved_regions: root        # off by default: denies ungoverned regions
      custom:
        deny_large_instances: {document_file: scps/deny-large-instances.json, targets: root}
    ```
    """

    enabled: bool = Field(True, description="false: attach no guardrails at all (no SCP, no "
                          "S3 policy).")
    builtin: BuiltinTargets = Field(
        default_factory=lambda: _over_builtin_defaults({}),
        description="Built-in guardrail name -> targets (root, ou:<OU key>, account keys); [] "
                    "switches it off. Unnamed built-ins keep their defaults.")
    allowed_regions: StrList = Field(
        default_factory=list,
        description="Deprecated: the old name of organization.governed_regions, which "
                    "deny_unapproved_regions leaves open. Used as the governed regions when "
                    "organization.governed_regions is not set; otherwise it must list the same "
                    "regions. Delete it and list the regions under "
                    "organization.governed_regions.")
    s3_block_public_access: bool = Field(
        True, description="Turn on all four S3 Block Public Access settings in every account, "
                          "those that join later included, with an Organizations S3 policy "
                          "attached to the root; while it is in force nobody can change them "
                          "in an account.")
    custom: dict[str, CustomGuardrail] = Field(default_factory=dict,
                                               description="Your own SCPs by key.")
