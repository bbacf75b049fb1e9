"""The organization itself, its organizational units and its member accounts."""

from __future__ import annotations

import re
from enum import Enum
from typing import Any

from pydantic import Field, field_validator

from config.model.base import Model, Tags

KEY_ACCOUNT_ALIASES = {"state": "terraform_state"}
ORGANIZATION_ID = re.compile(r"^o-[a-z0-9]{10,32}$")


class AccountAction(str, Enum):
    """What to do with an account that leaves management (see docs/lifecycle.md)."""

    REMOVE = "remove"    # keep the AWS account, stop managing it
    DETACH = "detach"    # keep managing it, but drop every SSO assignment
    DESTROY = "destroy"  # remove it from the organization (it becomes standalone)
    CLOSE = "close"      # remove it from the organization and close it (explicit opt-in)


class OrganizationalUnitAction(str, Enum):
    REMOVE = "remove"


class Organization(Model):
    """Organization-wide settings.

    ```yaml
    organization:
      aws_region: us-east-1
      key_accounts: {master: master, log_archive: log_archive, terraform_state: shared_services}
      tokens: {owner: jane, domain: example.com, namespace: acme}
    ```
    """

    id: str | None = Field(None, description="Existing organization id (o-...). Optional: the "
                           "organization is discovered from the management account when absent.")
    aws_region: str = Field(description="Home region: Identity Center, the state backend and the "
                            "trail live here.")
    key_accounts: dict[str, str] = Field(
        default_factory=dict,
        description="Role -> account key. Roles: master (required), terraform_state (alias "
                    "state), log_archive; other roles are allowed and exported.")
    governed_regions: list[str] = Field(
        default_factory=list,
        description="Regions the landing zone governs: every account gets its baseline there "
                    "(access-log bucket, GuardDuty, IAM Access Analyzer and the other security "
                    "services) and, with the deny_unapproved_regions guardrail, every other "
                    "region is denied. The home region is always governed; list others here. "
                    "An opt-in region (launched since March 2019) is enabled in every managed "
                    "account first.")
    tokens: dict[str, str | int | float | bool | None] = Field(
        default_factory=dict,
        description="Free values used as {{organization.tokens.NAME}} anywhere in this file.")

    @property
    def known_id(self) -> str | None:
        """The id when it is a real one; Metastructure templates ship a placeholder."""
        return self.id if self.id and ORGANIZATION_ID.match(self.id) else None

    @field_validator("key_accounts", mode="before")
    @classmethod
    def _alias_roles(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {KEY_ACCOUNT_ALIASES.get(role, role): key for role, key in value.items()}
        return value


class OrganizationalUnit(Model):
    """An organizational unit; `parent` names another OU key (none = the root).

    ```yaml
    organizational_units:
      workloads: {name: Workloads}
      dev: {name: Dev, parent: workloads}
    ```
    """

    name: str = Field(description="OU name in AWS (unique among its siblings).")
    parent: str | None = Field(None, description="Key of the parent OU; omitted = under the root.")
    id: str | None = Field(None, description="Existing OU id (ou-...): adopt it instead of "
                           "creating one.")
    action: OrganizationalUnitAction | None = Field(
        None, description="remove: keep the OU in AWS and stop managing it (needs id).")
    tags: Tags = Field(default_factory=dict, description="Tags on the OU.")


class Account(Model):
    """A member account (or the management account, as key account `master`).

    ```yaml
    accounts:
      dev:
        name: Development
        email: '{{organization.tokens.owner}}+{{organization.tokens.namespace}}-dev@{{organization.tokens.domain}}'
        organizational_unit: dev
    ```
    """

    name: str = Field(description="Account name (1-50 characters). Changing it replaces nothing "
                      "silently: accounts are protected.")
    email: str = Field(description="Root user email, unique across AWS.")
    organizational_unit: str | None = Field(None, description="Key of the parent OU; omitted = "
                                            "the root.")
    id: str | None = Field(None, description="Existing 12-digit account id: adopt the account.")
    action: AccountAction | None = Field(
        None, description="Lifecycle: remove, detach, destroy or close (all but detach need id).")
    tags: Tags = Field(default_factory=dict, description="Tags on the account.")
