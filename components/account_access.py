"""How the program reaches accounts: explicit `aws.Provider`s for the management account and the
key accounts it builds in (the state account, the log archive), and for no other account.

The engine starts one provider plugin process per distinct provider configuration and keeps
them all alive for the whole update (pulumi/pulumi#19534), each 170 MB (pulumi-aws#5226) to
300-430 MB (pulumi-aws#5860). So what every account needs is fanned out by CloudFormation
StackSets from the management account (components/access_logs.py) or by Identity Center itself
(inline permission-set policies), and the provider count stays at three whatever the size of
the organization (`./lz plan` prints it).

The management account is reached with the stack's own credentials (`aws:profile`) in the
config's home region (`organization.aws_region`, the one source of the region); an explicit
provider does not read the `aws:` stack config by itself, so `management_provider` passes them
on. A key account is reached by assuming
`account_access.role_name` (OrganizationAccountAccessRole, created by Organizations in every
new account; only the operators may: components/policies/access_role.py) from that same
profile, or in CI previews `account_access.read_only_role_name`, with `allowed_account_ids` as a guard against a role ARN
that lands in the wrong account.

A new account refuses calls for a while after `CreateAccount` returns, so each key-account provider
`depends_on` the account's `AccountReadiness` gate: nothing is created inside an account before
it answers, and one `pulumi up` converges.
"""

from __future__ import annotations

from collections.abc import Mapping
import os
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.account_readiness import AccountReadiness, AccountReadinessArgs
from components.tags import default_tags
from config.model import LandingZoneConfig
from config.guardrails import audit_logging_on
from config.security_baseline import administering_account, guardduty_export_on
from config.topology import is_managed

TYPE = "landing-zone:account_access:AccountAccess"
MANAGEMENT_PROVIDER_NAME = "management"
ROLE_SESSION_NAME = "landing-zone"
READ_ONLY_ENV = "LANDING_ZONE_READ_ONLY"


@dataclass(frozen=True)
class StackAws:
    """The `aws:` settings of the stack, which explicit providers must be given."""

    profile: str | None
    region: str
    read_only: bool = False
    """Member providers assume `account_access.read_only_role_name` (CI previews, docs/ci.md):
    the preview role may assume nothing else (components/read_only_roles.py)."""

    @classmethod
    def from_stack_config(cls, home_region: str) -> StackAws:
        """The region is the config's home region, never the stack's `aws:region`: the
        loader (`config.load_stack`) refuses a stack whose `aws:region` contradicts it."""
        return cls(profile=pulumi.Config("aws").get("profile"), region=home_region,
                   read_only=os.environ.get(READ_ONLY_ENV, "").lower() in ("1", "true", "yes"))


# Provider settings travel to the provider as JSON: a plain dict keeps its snake_case keys
# there ("role_arn", which the provider ignores: pulumi/pulumi-aws#5271), the typed Args
# classes are translated ("roleArn"). So providers get Args classes, never dicts.
def provider_default_tags(config: LandingZoneConfig) -> aws.ProviderDefaultTagsArgs:
    return aws.ProviderDefaultTagsArgs(tags=default_tags(config.tags))


def management_provider(config: LandingZoneConfig, stack: StackAws) -> aws.Provider:
    """The provider of the management account, made before the organization it reads.

    `allowed_account_ids` pins it when the config knows the management account's id.
    """
    known_id = config.accounts[config.management_account].id
    return aws.Provider(
        MANAGEMENT_PROVIDER_NAME, profile=stack.profile, region=stack.region,
        allowed_account_ids=[known_id] if known_id else None,
        default_tags=provider_default_tags(config))


def role_arn(account_id: pulumi.Input[str], role_name: str) -> pulumi.Output[str]:
    return pulumi.Output.concat("arn:aws:iam::", account_id, ":role/", role_name)


def provider_accounts(config: LandingZoneConfig) -> list[str]:
    """The managed accounts the program builds in directly: the management account, the
    state backend's account, the log archive (audit logging, GuardDuty's findings) and the
    security tooling account (when those are built)."""
    keys = {config.management_account}
    if administering := administering_account(config):
        keys.add(administering)
    if config.state_backend.enabled:
        keys.add(config.key_account("terraform_state") or config.management_account)
    if (audit_logging_on(config) or guardduty_export_on(config)) and config.key_account(
            "log_archive"):
        keys.add(config.key_account("log_archive"))
    return sorted(k for k in keys if k in config.accounts and is_managed(config, k))


@dataclass(frozen=True)
class AccountAccessArgs:
    config: LandingZoneConfig
    stack: StackAws
    management_provider: aws.Provider
    account_ids: Mapping[str, pulumi.Input[str]]
    """Managed account key -> id, the management account included."""


class AccountAccess(pulumi.ComponentResource):
    """Providers (and readiness gates) for the accounts of `provider_accounts`."""

    management_provider: aws.Provider
    providers: dict[str, aws.Provider]
    readiness: dict[str, AccountReadiness]

    def __init__(self, name: str, args: AccountAccessArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        config = args.config
        access = config.account_access
        region = config.organization.aws_region
        tags = provider_default_tags(config)
        self.management_provider = args.management_provider
        self.providers = {}
        self.readiness = {}
        for key in provider_accounts(config):
            if key == config.management_account:
                self.providers[key] = args.management_provider
                continue
            account_id = args.account_ids[key]
            # The gate probes with the stack's credentials, as the provider will.
            gate = AccountReadiness(
                f"{name}-{key}-readiness",
                AccountReadinessArgs(account_id=account_id, role_name=access.role_name,
                                     region=region, profile=args.stack.profile,
                                     timeout_seconds=access.readiness_timeout_seconds),
                opts=pulumi.ResourceOptions(parent=self))
            self.readiness[key] = gate
            assumed = access.read_only_role_name if args.stack.read_only else access.role_name
            self.providers[key] = aws.Provider(
                f"{name}-{key}", profile=args.stack.profile, region=region,
                assume_roles=[aws.ProviderAssumeRoleArgs(
                    role_arn=role_arn(account_id, assumed), session_name=ROLE_SESSION_NAME)],
                allowed_account_ids=[account_id], default_tags=tags,
                opts=pulumi.ResourceOptions(parent=self, depends_on=[gate]))
        self.register_outputs({"management_provider": self.management_provider.urn,
                               "providers": {k: p.urn for k, p in self.providers.items()},
                               "readiness": {k: g.urn for k, g in self.readiness.items()}})

    def provider_for(self, key: str) -> aws.Provider:
        try:
            return self.providers[key]
        except KeyError:
            raise KeyError(f"account '{key}' has no provider: only the management account and "
                           "the key accounts the program builds in have one (per-account "
                           "resources go through StackSets, components/access_logs.py)"
                           ) from None
