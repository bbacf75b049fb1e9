"""The typed organization config: one frozen model, the single source of truth."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from config.model.base import Model, Tags
from config.model.metastructure import Application, Terraform, Workspaces
from config.model.organization import (
    Account,
    AccountAction,
    Organization,
    OrganizationalUnit,
    OrganizationalUnitAction,
)
from config.model.platform import AccessLogs, AccountAccess, AuditLogging, Guardrails, StateBackend
from config.model.security import SecurityBaseline
from config.model.sso import (
    EVERY_ACCOUNT,
    OU_TARGET_PREFIX,
    SSO,
    CustomerPolicy,
    Group,
    PermissionSet,
    PrincipalAction,
    User,
)


class LandingZoneConfig(Model):
    """A whole organization: the superset of Metastructure's format plus landing-zone sections.

    ```yaml
    organization: {aws_region: us-east-1, key_accounts: {master: master}, tokens: {...}}
    organizational_units: {...}
    accounts: {...}
    sso: {...}
    ```
    """

    organization: Organization = Field(description="Organization-wide settings and tokens.")
    organizational_units: dict[str, OrganizationalUnit] = Field(
        default_factory=dict, description="Organizational units by key.")
    accounts: dict[str, Account] = Field(description="Accounts by key.")
    sso: SSO = Field(default_factory=SSO, description="IAM Identity Center.")
    applications: dict[str, Application] = Field(
        default_factory=dict, description="Applications and their environments' accounts.")
    tags: Tags = Field(default_factory=dict,
                       description="Default tags on every taggable resource, on top of "
                                   "landing-zone:managed=true.")
    account_access: AccountAccess = Field(default_factory=AccountAccess,
                                          description="How member accounts are reached.")
    state_backend: StateBackend = Field(default_factory=StateBackend,
                                        description="Pulumi state bucket and secrets key.")
    access_logs: AccessLogs = Field(default_factory=AccessLogs,
                                    description="S3 access-log bucket in every account.")
    audit_logging: AuditLogging = Field(default_factory=AuditLogging,
                                        description="Organization CloudTrail and log archive.")
    guardrails: Guardrails = Field(default_factory=Guardrails,
                                   description="Service control policies.")
    security_baseline: SecurityBaseline = Field(
        default_factory=SecurityBaseline,
        description="GuardDuty, Security Hub, AWS Config, IAM Access Analyzer and account "
                    "defaults, organization-wide (docs/security-services.md).")
    terraform: Terraform = Field(default_factory=Terraform,
                                 description="Metastructure: only state.bucket is used.")
    workspaces: Workspaces = Field(default_factory=dict,
                                   description="Metastructure: accepted and ignored.")
    partials: dict[str, Any] = Field(default_factory=dict,
                                     description="Metastructure: accepted and ignored.")
    config_override_path: str | None = Field(
        None, description="Metastructure: path of the local override file, relative to the "
                          "config file's directory or the working directory.")

    def key_account(self, role: str) -> str | None:
        return self.organization.key_accounts.get(role)

    @property
    def governed_regions(self) -> list[str]:
        """The home region first, then the other governed regions by name.

        `guardrails.allowed_regions` is the old name of `organization.governed_regions`: a config
        that only has the old key governs those regions (LZ353 refuses the two disagreeing)."""
        home = self.organization.aws_region
        listed = self.organization.governed_regions or self.guardrails.allowed_regions
        return [home, *sorted(set(listed) - {home})]

    @property
    def management_account(self) -> str:
        return self.organization.key_accounts["master"]

    @property
    def namespace(self) -> str | None:
        value = self.organization.tokens.get("namespace")
        return str(value) if value not in (None, "") else None


__all__ = [
    "EVERY_ACCOUNT", "OU_TARGET_PREFIX", "Account", "AccountAction", "AccessLogs",
    "AccountAccess", "Application", "AuditLogging", "CustomerPolicy", "Group", "Guardrails",
    "LandingZoneConfig", "Organization", "OrganizationalUnit", "OrganizationalUnitAction",
    "PermissionSet", "PrincipalAction", "SSO", "SecurityBaseline", "StateBackend", "Terraform",
    "User",
]
