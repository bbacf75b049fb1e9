"""Member accounts: created or adopted (`id`), placed in their OU, tagged, protected.

The management account (key account `master`) is not an `organizations.Account`: it already
exists, owns the organization and cannot leave it, so it is adopted by lookup (its id comes
from the organization) and reached with the management provider.

Replacing an account means a new AWS account. In pulumi-aws 7.x `email`, `name`,
`role_name` and `iam_user_access_to_billing` force replacement (the bridged Terraform schema
marks them ForceNew; pulumi/pulumi-aws#6242 shows a rename planned as a replace), so:
- every managed account is `protect`ed: the engine refuses to replace or delete it and the
  operator sees why (`./lz plan` warns about it too);
- `role_name` is set only when creating, and its later changes are ignored (AWS cannot read it
  back, and a new `account_access.role_name` must not replace every account);
- `iam_user_access_to_billing` is never set.

Releasing an account (`action`) in Pulumi terms. On deletion the engine acts on the flags it
recorded in the state, not on the program, so a release takes two `pulumi up` runs:
1. with the action set, the account stays registered with `protect=False` and the flags of its
   fate, and everything inside it (provider, log bucket, policies) is dropped from the program;
2. once the entry is deleted from the config, the engine deletes the account resource:
   - `remove`: `retain_on_delete` - the account stays in the organization, unmanaged;
   - `destroy`: the provider removes it from the organization (a standalone account);
   - `close`: `close_on_deletion` - the provider closes it (explicit opt-in).
`detach` is not a release: the account stays managed, only its SSO assignments go.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from config.model import AccountAction, LandingZoneConfig
from config.topology import is_managed, member_accounts

TYPE = "landing-zone:accounts:Accounts"


@dataclass(frozen=True)
class AccountsArgs:
    config: LandingZoneConfig
    root_id: pulumi.Input[str]
    ou_ids: dict[str, pulumi.Input[str]]
    """Every registered OU, those being released included."""
    management_account_id: pulumi.Input[str]
    management_account_arn: pulumi.Input[str]


class Accounts(pulumi.ComponentResource):
    """Give it the management provider through `opts`."""

    accounts: dict[str, aws.organizations.Account]
    """Managed member accounts (the management account is not a resource)."""
    account_ids: dict[str, pulumi.Output[str]]
    """Every managed account, the management account included."""
    summary: dict[str, dict]
    """The `accounts` stack output: key -> {id, arn, name, email, ou, adopted}."""

    def __init__(self, name: str, args: AccountsArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        config = args.config
        master = config.management_account
        registered = {key: self._account(name, key, args) for key in member_accounts(config)}
        self.accounts = {k: a for k, a in registered.items() if is_managed(config, k)}
        self.account_ids = {master: pulumi.Output.from_input(args.management_account_id),
                            **{k: a.id for k, a in self.accounts.items()}}
        arns = {master: args.management_account_arn,
                **{k: a.arn for k, a in self.accounts.items()}}
        self.summary = {
            key: {"id": self.account_ids[key], "arn": arns[key],
                  "name": config.accounts[key].name, "email": config.accounts[key].email,
                  "ou": config.accounts[key].organizational_unit,
                  "adopted": key == master or config.accounts[key].id is not None}
            for key in sorted(self.account_ids)}
        self.register_outputs({"account_ids": self.account_ids, "summary": self.summary})

    def _account(self, name: str, key: str, args: AccountsArgs) -> aws.organizations.Account:
        account = args.config.accounts[key]
        released = not is_managed(args.config, key)
        ou = account.organizational_unit
        return aws.organizations.Account(
            f"{name}-{key}", name=account.name, email=account.email,
            parent_id=args.ou_ids[ou] if ou else args.root_id,
            tags=account.tags or None,
            role_name=args.config.account_access.role_name if account.id is None else None,
            close_on_deletion=True if account.action is AccountAction.CLOSE else None,
            opts=pulumi.ResourceOptions(
                parent=self, import_=account.id, protect=not released,
                retain_on_delete=True if account.action is AccountAction.REMOVE else None,
                ignore_changes=["role_name"]))
