"""Account defaults set from the management account for every member: EC2 settings,
encrypted volumes, alternate contacts, budgets."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from config.model.base import Model
from config.model.security.base import SecurityService

class Ec2Settings(Model):
    """What the EC2 declarative policy fixes in every account and region (docs/security-services.md,
    "Account defaults"). A setting left empty (`null`) stays out of the policy: each account
    keeps managing it itself.

    ```yaml
    ec2:
      vpc_block_public_access: block_ingress
      snapshot_block_public_access: block_new_sharing
    ```
    """

    serial_console_access: Literal["enabled", "disabled"] | None = Field(
        "disabled", description="EC2 serial console access. Default disabled (AWS's own "
        "default for an account): nobody gets a console onto instances outside IAM and SSM.")
    image_block_public_access: Literal["block_new_sharing", "unblocked"] | None = Field(
        "block_new_sharing", description="Block new public sharing of AMIs (AMIs already "
        "public stay public). Default block_new_sharing.")
    snapshot_block_public_access: Literal[
        "block_all_sharing", "block_new_sharing", "unblocked"] | None = Field(
        "block_all_sharing", description="Block public sharing of EBS snapshots. Default "
        "block_all_sharing: snapshots already public become private.")
    vpc_block_public_access: Literal["off", "block_ingress", "block_bidirectional"] | None = Field(
        None, description="VPC Block Public Access mode. Default null (left to each account): "
        "block_ingress cuts every internet-facing workload (public load balancers included) "
        "in accounts without exclusions.")
    vpc_block_public_access_exclusions: bool = Field(
        True, description="Whether accounts may exclude a VPC or subnet from VPC Block Public "
        "Access (only used when vpc_block_public_access is set).")
    imds_http_tokens: Literal["required", "optional", "no_preference"] | None = Field(
        "required", description="IMDS default for new instances: required = IMDSv2 only. "
        "Default required.")
    imds_http_tokens_enforced: bool = Field(
        True, description="Refuse launching instances with IMDSv1 and turning IMDSv1 on for "
        "IMDSv2-only instances (only used when imds_http_tokens is required).")
    imds_hop_limit: int | None = Field(
        2, ge=-1, le=64, description="IMDS default PUT response hop limit for new instances "
        "(-1: no preference). Default 2, AWS's advice with IMDSv2 required (containers).")


class AlternateContact(Model):
    """One alternate contact, as AWS stores it on every account."""

    name: str = Field(min_length=1, max_length=64, description="Contact name.")
    title: str = Field(min_length=1, max_length=50, description="Contact title.")
    email_address: str = Field(min_length=1, max_length=254, description="Contact email.")
    phone_number: str = Field(min_length=1, max_length=25, pattern=r"^[\s0-9()+-]+$",
                              description="Contact phone number (digits, spaces, +, -, ( and ), "
                              "as AWS Account Management accepts it).")


class Budget(Model):
    """A monthly cost budget per account, with email alerts (off unless set)."""

    monthly_limit_usd: float = Field(gt=0, description="Monthly cost limit in USD, per account.")
    alert_thresholds_percent: list[float] = Field(
        default_factory=lambda: [80.0, 100.0],
        description="Alert when actual cost passes these percentages of the limit.")
    alert_emails: list[str] = Field(min_length=1, max_length=10,
                                    description="Who gets the alerts (AWS allows 10 per alert).")


class AccountDefaults(SecurityService):
    """Defaults every account gets, those that join later included.

    ```yaml
    security_baseline:
      account_defaults:
        enabled: true
        ec2: {serial_console_access: disabled, imds_http_tokens: required}
        alternate_contacts:
          security: {name: Security Team, title: Security, email_address: sec@example.com,
                     phone_number: '+1 555 0100'}
        budget: {monthly_limit_usd: 500, alert_emails: [finops@example.com]}
    ```
    """

    TITLE: ClassVar[str] = "Account defaults"
    NEEDS_SECURITY_ACCOUNT: ClassVar[bool] = False
    TRUSTED_SERVICES: ClassVar[tuple[str, ...]] = ("account.amazonaws.com",)
    POLICY_TYPES: ClassVar[tuple[str, ...]] = ("DECLARATIVE_POLICY_EC2",)

    ec2: Ec2Settings = Field(default_factory=Ec2Settings,
                             description="The EC2 declarative policy's settings.")
    require_encrypted_volumes: bool = Field(
        True, description="An SCP denies creating unencrypted EBS volumes (CreateVolume and "
        "RunInstances) in member accounts: the declarative policy cannot set EBS encryption "
        "by default.")
    alternate_contacts: dict[Literal["billing", "operations", "security"], AlternateContact] = Field(
        default_factory=dict, description="Alternate contacts (billing, operations, security) "
        "set on every account from the management account. None by default.")
    budget: Budget | None = Field(None, description="A monthly cost budget per account with "
                                  "email alerts, kept in the management account. Off by default.")

    def trusted_services(self) -> tuple[str, ...]:
        """Setting another account's contacts needs the Account Management trusted access."""
        return self.TRUSTED_SERVICES if self.alternate_contacts else ()
