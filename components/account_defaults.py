"""Account defaults: what every account gets from the management account, whatever its age.

- The **EC2 declarative policy** (Organizations type DECLARATIVE_POLICY_EC2) on the root: serial
  console, AMI and snapshot block public access, IMDS defaults, VPC Block Public Access where
  set (components/policies/ec2_declarative.py). One policy reaches every account and region,
  those that join later too; EC2 then refuses account-level changes to what it sets.
- **Alternate contacts** (billing, operations, security): one `account.AlternativeContact` per
  account and type, all through the management provider. Members are named by `account_id`
  (AWS Account Management through Organizations, trusted access for account.amazonaws.com);
  the management account's own are set without it (the API refuses the management account's
  id as AccountId). Create and update are PutAlternateContact, which overwrites what the
  account had: an existing contact is adopted, never duplicated. Delete calls
  DeleteAlternateContact. `account_id` and the type force a replacement
  (terraform-provider-aws internal/service/account/alternate_contact.go).
- **Budgets** (optional): one monthly cost budget per account, kept in the management account
  and filtered on the account (LinkedAccount), with email alerts.

No provider per account and none per region: everything here goes through the management
provider, so `pulumi up` holds one provider however many accounts there are (1,000 accounts
with three contacts are 3,000 small resources, no more processes).
EBS encryption is not settable by a declarative policy: the built-in guardrail
`deny_unencrypted_volumes` (components/policies/scps.py) refuses unencrypted volumes instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.policies.ec2_declarative import ec2_declarative_policy
from config.documents import policy_text
from config.model import LandingZoneConfig
from config.model.security.account_defaults import AccountDefaults as Settings, Budget
from config.naming import dashed, prefixed
from config.topology import managed_accounts

TYPE = "landing-zone:account_defaults:AccountDefaults"
EC2_POLICY_TYPE = "DECLARATIVE_POLICY_EC2"


@dataclass(frozen=True)
class AccountDefaultsArgs:
    config: LandingZoneConfig
    settings: Settings
    management_provider: aws.Provider
    root_id: pulumi.Input[str]
    account_ids: Mapping[str, pulumi.Input[str]]
    organization: pulumi.Resource
    """The organization with DECLARATIVE_POLICY_EC2 and account.amazonaws.com turned on."""


class AccountDefaults(pulumi.ComponentResource):
    ec2_policy_id: pulumi.Output[str] | None
    """The EC2 declarative policy; None when every EC2 setting is left to the accounts."""
    summary: dict[str, object]
    """The `account_defaults` stack output: the EC2 policy, contacts and budgets by account."""

    def __init__(self, name: str, args: AccountDefaultsArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        self._on_management = pulumi.ResourceOptions(
            parent=self, provider=args.management_provider, depends_on=[args.organization])
        accounts = managed_accounts(args.config)
        self.ec2_policy_id = self._ec2_policy(name, args)
        contacts = {key: self._contacts(name, args, key) for key in accounts}
        budgets = accounts if args.settings.budget else []
        for key in budgets:
            self._budget(name, args, key, args.settings.budget)
        self.summary = {"ec2_policy_id": self.ec2_policy_id,
                        "alternate_contacts": {k: v for k, v in contacts.items() if v},
                        "budgets": budgets}
        self.register_outputs({"ec2_policy_id": self.ec2_policy_id, "summary": self.summary})

    def _ec2_policy(self, name: str, args: AccountDefaultsArgs) -> pulumi.Output[str] | None:
        document = ec2_declarative_policy(args.settings.ec2)
        if document is None:
            return None
        policy = aws.organizations.Policy(
            f"{name}-ec2", name=prefixed(args.config, "ec2-account-defaults"),
            type=EC2_POLICY_TYPE, content=policy_text(document),
            description="landing-zone: EC2 account defaults in every account and region",
            opts=self._on_management)
        aws.organizations.PolicyAttachment(
            f"{name}-ec2-root", policy_id=policy.id, target_id=args.root_id,
            opts=pulumi.ResourceOptions.merge(self._on_management,
                                              pulumi.ResourceOptions(parent=policy)))
        return policy.id

    def _contacts(self, name: str, args: AccountDefaultsArgs, key: str) -> list[str]:
        """The account's contacts; the management account's own carry no account_id."""
        account_id = None if key == args.config.management_account else args.account_ids[key]
        for kind, contact in sorted(args.settings.alternate_contacts.items()):
            aws.account.AlternativeContact(
                f"{name}-{key}-{kind}", account_id=account_id,
                alternate_contact_type=kind.upper(), name=contact.name, title=contact.title,
                email_address=contact.email_address, phone_number=contact.phone_number,
                opts=self._on_management)
        return sorted(args.settings.alternate_contacts)

    def _budget(self, name: str, args: AccountDefaultsArgs, key: str, budget: Budget) -> None:
        aws.budgets.Budget(
            f"{name}-{key}-budget", name=prefixed(args.config, f"{dashed(key)}-monthly"),
            budget_type="COST", time_unit="MONTHLY", limit_unit="USD",
            limit_amount=f"{budget.monthly_limit_usd:.2f}",
            cost_filters=[aws.budgets.BudgetCostFilterArgs(
                name="LinkedAccount", values=[args.account_ids[key]])],
            notifications=[aws.budgets.BudgetNotificationArgs(
                comparison_operator="GREATER_THAN", notification_type="ACTUAL",
                threshold=threshold, threshold_type="PERCENTAGE",
                subscriber_email_addresses=list(budget.alert_emails))
                for threshold in budget.alert_thresholds_percent],
            opts=self._on_management)
