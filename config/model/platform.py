"""landing-zone's own sections: what Metastructure never had (all optional, safe defaults)."""

from __future__ import annotations

from enum import Enum

from pydantic import Field

from config.model.base import Model


class AccountAccess(Model):
    """How the management session reaches member accounts.

    ```yaml
    account_access:
      role_name: OrganizationAccountAccessRole
      readiness_timeout_seconds: 900
    ```
    """

    role_name: str = Field("OrganizationAccountAccessRole",
                           description="Role that Organizations creates in new accounts and "
                                       "that the program assumes.")
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
    """The S3 server access-log bucket in every managed account.

    ```yaml
    access_logs:
      bucket_name_format: '{namespace}-{account}-s3-access-logs'
      expiration_days: 365
    ```
    """

    bucket_name_format: str = Field(
        "{namespace}-{account}-s3-access-logs",
        description="Bucket name; {namespace} is the namespace token, {account} the account key "
                    "with _ as -.")
    expiration_days: int = Field(365, ge=1, description="Days to keep access logs.")


class ObjectLockMode(str, Enum):
    GOVERNANCE = "GOVERNANCE"
    COMPLIANCE = "COMPLIANCE"


class AuditLogging(Model):
    """The organization CloudTrail and its log archive bucket in the log_archive account."""

    enabled: bool = Field(True, description="Build the organization trail and log archive.")


class Guardrails(Model):
    """Service control policies attached to the root, OUs or accounts."""

    enabled: bool = Field(True, description="Enable the default guardrails.")

