"""Expansion of `account_permission_sets` into (principal, account, permission set) triples.

Metastructure could only target accounts; here a target is `*` (every active account), an
account key, or `ou:<key>` (every active account in that OU's subtree, resolved at plan time).
"""

from __future__ import annotations

from dataclasses import dataclass

from config.model import EVERY_ACCOUNT, OU_TARGET_PREFIX, LandingZoneConfig
from config.topology import accounts_under, is_assignable, is_managed

AWS_MANAGED_POLICY_ARN = "arn:aws:iam::aws:policy/"


@dataclass(frozen=True, order=True)
class Assignment:
    principal_type: str  # "GROUP" or "USER", as the SSO Admin API spells it
    principal: str
    account: str
    permission_set: str


def target_accounts(config: LandingZoneConfig, target: str, *, include_detached: bool = False) -> list[str]:
    """Accounts a target names; unknown targets expand to nothing (a rule reports them)."""
    keep = is_managed if include_detached else is_assignable
    if target == EVERY_ACCOUNT:
        candidates = list(config.accounts)
    elif target.startswith(OU_TARGET_PREFIX):
        ou = target[len(OU_TARGET_PREFIX):]
        candidates = accounts_under(config, ou) if ou in config.organizational_units else []
    else:
        candidates = [target] if target in config.accounts else []
    return sorted(a for a in candidates if keep(config, a))


def _principals(config: LandingZoneConfig):
    for key, group in sorted(config.sso.groups.items()):
        if group.action is None:
            yield "GROUP", key, group.account_permission_sets
    for key, user in sorted(config.sso.users.items()):
        if user.action is None:
            yield "USER", key, user.account_permission_sets


def expand(config: LandingZoneConfig, *, include_detached: bool = False) -> list[Assignment]:
    found: set[Assignment] = set()
    for kind, principal, targets in _principals(config):
        for target, permission_sets in targets.items():
            for account in target_accounts(config, target, include_detached=include_detached):
                for ps in permission_sets:
                    if ps in config.sso.permission_sets:
                        found.add(Assignment(kind, principal, account, ps))
    return sorted(found)


def assignments(config: LandingZoneConfig) -> list[Assignment]:
    """What Identity Center grants: detached and released accounts get nothing."""
    return expand(config)


def customer_policy_refs(config: LandingZoneConfig, permission_set: str) -> list[str]:
    """Customer policy keys whose statements join the permission set's inline policy (the
    default; `customer_managed` ones are attached by reference instead)."""
    ps = config.sso.permission_sets[permission_set]
    return sorted({p for p in ps.policies if p in config.sso.policies
                   and not config.sso.policies[p].customer_managed})


def customer_managed_refs(config: LandingZoneConfig, permission_set: str) -> list[str]:
    """Customer policy keys the permission set attaches by reference (`customer_managed`)."""
    ps = config.sso.permission_sets[permission_set]
    return sorted({p for p in ps.policies if p in config.sso.policies
                   and config.sso.policies[p].customer_managed})


def customer_managed_boundary(config: LandingZoneConfig, permission_set: str) -> str | None:
    """The customer policy key of the permission set's boundary, if it is one (rule LZ214
    refuses a boundary that is a customer policy without `customer_managed`)."""
    boundary = config.sso.permission_sets[permission_set].permissions_boundary
    policy = config.sso.policies.get(boundary) if boundary else None
    return boundary if policy is not None and policy.customer_managed else None


def customer_managed_keys(config: LandingZoneConfig, permission_set: str) -> list[str]:
    """Every customer-managed policy the permission set needs in an account: attached or as
    its boundary."""
    boundary = customer_managed_boundary(config, permission_set)
    return sorted({*customer_managed_refs(config, permission_set), *filter(None, [boundary])})


def customer_managed_policies(config: LandingZoneConfig) -> list[str]:
    """Customer-managed policy keys some permission set needs; the others are left out
    (nothing to deploy)."""
    return sorted({policy for key in config.sso.permission_sets
                   for policy in customer_managed_keys(config, key)})


def aws_managed_policy_arns(config: LandingZoneConfig, permission_set: str) -> list[str]:
    """ARNs of the AWS-managed policies a permission set attaches (its boundary aside)."""
    ps = config.sso.permission_sets[permission_set]
    return sorted({aws_managed_policy_arn(p) for p in ps.policies if p not in config.sso.policies})


def aws_managed_policy_arn(name: str) -> str:
    """`AdministratorAccess` -> its ARN; `job-function/ViewOnlyAccess` keeps its path; ARNs pass."""
    return name if name.startswith("arn:") else AWS_MANAGED_POLICY_ARN + name


STATE_WRITER_POLICY = "sso_terraform_state_writer"
"""The built-in customer policy key of Pulumi state writers (Metastructure's name)."""


def state_writers(config: LandingZoneConfig) -> list[str]:
    """Names of the permission sets holding the state-writer policy: the state backend trusts
    their roles in every account of the organization."""
    return sorted(ps.name for ps in config.sso.permission_sets.values()
                  if STATE_WRITER_POLICY in ps.policies)
