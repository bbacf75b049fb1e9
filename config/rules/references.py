"""Every key that names another key must name one that exists."""

from __future__ import annotations

from config.assignments import customer_policy_refs
from config.documents import BUILTIN_POLICY_KEYS
from config.errors import Problem, did_you_mean
from config.model import EVERY_ACCOUNT, OU_TARGET_PREFIX, LandingZoneConfig
from config.topology import ou_chain, ou_has_cycle

REQUIRED_KEY_ROLES = ("master",)
# Roles the program gives a meaning to; others are allowed (and exported) as they are.
KNOWN_KEY_ROLES = ("master", "log_archive", "security_tooling", "terraform_state")


def ou_parents(config: LandingZoneConfig) -> list[Problem]:
    out = []
    ous = config.organizational_units
    for key, ou in ous.items():
        if ou.parent is not None and ou.parent not in ous:
            out.append(Problem("LZ201", ("organizational_units", key, "parent"),
                               f"unknown parent organizational unit '{ou.parent}'.",
                               did_you_mean(ou.parent, ous)))
    reported: set[str] = set()
    for key in sorted(ous):
        if key not in reported and ou_has_cycle(config, key):
            cycle = ou_chain(config, key)
            reported.update(cycle)
            out.append(Problem("LZ202", ("organizational_units", key, "parent"),
                               f"organizational units form a cycle: {' -> '.join([*cycle, key])}.",
                               "Make one of them a top-level OU (remove its parent)."))
    return out


def account_ous(config: LandingZoneConfig) -> list[Problem]:
    return [
        Problem("LZ203", ("accounts", key, "organizational_unit"),
                f"unknown organizational unit '{a.organizational_unit}'.",
                did_you_mean(a.organizational_unit, config.organizational_units))
        for key, a in config.accounts.items()
        if a.organizational_unit is not None
        and a.organizational_unit not in config.organizational_units
    ]


def key_accounts(config: LandingZoneConfig) -> list[Problem]:
    out = []
    roles = config.organization.key_accounts
    for role in REQUIRED_KEY_ROLES:
        if role not in roles:
            out.append(Problem("LZ204", ("organization", "key_accounts"),
                               f"key account '{role}' is not set.",
                               f"Add '{role}: <account key>' naming the management account."))
    for role, key in roles.items():
        hint = did_you_mean(role, KNOWN_KEY_ROLES)
        if role not in KNOWN_KEY_ROLES and hint.startswith("Did you mean"):
            out.append(Problem("LZ213", ("organization", "key_accounts", role),
                               f"key account role '{role}' is not one landing-zone knows, and "
                               "looks like a typo.", f"{hint} Roles the program uses: "
                               f"{', '.join(KNOWN_KEY_ROLES)}; other names are only exported."))
        if key not in config.accounts:
            out.append(Problem("LZ204", ("organization", "key_accounts", role),
                               f"key account '{role}' names unknown account '{key}'.",
                               did_you_mean(key, config.accounts)))
    security = roles.get("security_tooling")
    if security is not None and security == roles.get("master"):
        # Security Hub refuses the management account as its delegated administrator, and AWS
        # advises the same for GuardDuty, Config and Access Analyzer.
        out.append(Problem("LZ215", ("organization", "key_accounts", "security_tooling"),
                           "the security tooling account cannot be the management account: "
                           "the security services need a member account as their delegated "
                           "administrator.", "Name a member account (e.g. an 'Audit' or "
                           "'Security Tooling' account in the security OU)."))
    return out


def _target_problems(config: LandingZoneConfig, base: tuple, targets: dict) -> list[Problem]:
    out = []
    for target, permission_sets in targets.items():
        path = (*base, target)
        if target.startswith(OU_TARGET_PREFIX):
            ou = target[len(OU_TARGET_PREFIX):]
            if ou not in config.organizational_units:
                out.append(Problem("LZ206", path, f"unknown organizational unit '{ou}' in target "
                                   f"'{target}'.", did_you_mean(ou, config.organizational_units)))
        elif target != EVERY_ACCOUNT and target not in config.accounts:
            out.append(Problem("LZ206", path, f"unknown account '{target}'.",
                               did_you_mean(target, config.accounts)
                               + " Targets are account keys, 'ou:<OU key>' or '*'."))
        for ps in permission_sets:
            if ps not in config.sso.permission_sets:
                out.append(Problem("LZ205", path, f"unknown permission set '{ps}'.",
                                   did_you_mean(ps, config.sso.permission_sets)))
    return out


def assignment_targets(config: LandingZoneConfig) -> list[Problem]:
    out = []
    for key, group in config.sso.groups.items():
        out += _target_problems(config, ("sso", "groups", key, "account_permission_sets"),
                                group.account_permission_sets)
    for key, user in config.sso.users.items():
        out += _target_problems(config, ("sso", "users", key, "account_permission_sets"),
                                user.account_permission_sets)
    return out


def _looks_like_customer_key(name: str) -> bool:
    """AWS-managed policy names carry capitals (AdministratorAccess, job-function/ViewOnlyAccess);
    a lowercase snake_case name is a customer policy key, so an unknown one is a typo."""
    return not name.startswith("arn:") and name == name.lower()


def permission_set_policies(config: LandingZoneConfig) -> list[Problem]:
    out = []
    known = config.sso.policies
    for key, ps in config.sso.permission_sets.items():
        for index, name in enumerate(ps.policies):
            if name not in known and _looks_like_customer_key(name):
                out.append(Problem("LZ207", ("sso", "permission_sets", key, "policies", index),
                                   f"unknown customer policy '{name}'.",
                                   did_you_mean(name, known)
                                   + " AWS-managed policies are named as AWS spells them."))
        boundary = ps.permissions_boundary
        if boundary in known and not known[boundary].customer_managed:
            out.append(Problem("LZ214", ("sso", "permission_sets", key, "permissions_boundary"),
                               f"customer policy '{boundary}' cannot be a permissions boundary: "
                               "its statements go into the permission set's inline policy, and a "
                               "boundary must be an IAM policy in every account.",
                               f"Set 'customer_managed: true' on sso.policies.{boundary} (an IAM "
                               "policy deployed to every account), or use an AWS-managed policy "
                               "as the boundary."))
        elif boundary and boundary not in known and _looks_like_customer_key(boundary):
            out.append(Problem("LZ210", ("sso", "permission_sets", key, "permissions_boundary"),
                               f"unknown customer policy '{boundary}'.", did_you_mean(boundary, known)))
    return out


def customer_policy_documents(config: LandingZoneConfig) -> list[Problem]:
    """A used customer policy needs a document, unless landing-zone ships a built-in one."""
    used = {p for ps in config.sso.permission_sets for p in customer_policy_refs(config, ps)}
    return [
        Problem("LZ211", ("sso", "policies", key),
                f"customer policy '{key}' has no document.",
                "Add 'document:' (a policy mapping) or 'document_file:' (a JSON file next to "
                "the config).")
        for key, policy in config.sso.policies.items()
        if key in used and policy.document is None and key not in BUILTIN_POLICY_KEYS
    ]


def customer_managed_policies(config: LandingZoneConfig) -> list[Problem]:
    """`customer_managed` deploys the config's own document into every account; the built-in
    documents name this stack's resources and are the same in every account: they stay inline."""
    return [
        Problem("LZ216", ("sso", "policies", key, "customer_managed"),
                f"customer policy '{key}' is customer_managed and has no document: only a "
                "document of the config is deployed as an IAM policy (built-in documents name "
                "this stack's resources and are provisioned inline).",
                "Remove 'customer_managed', or give the policy a 'document:' or "
                "'document_file:'.")
        for key, policy in config.sso.policies.items()
        if policy.customer_managed and policy.document is None
    ]


def user_groups(config: LandingZoneConfig) -> list[Problem]:
    return [
        Problem("LZ208", ("sso", "users", key, "groups", index), f"unknown group '{group}'.",
                did_you_mean(group, config.sso.groups))
        for key, user in config.sso.users.items()
        for index, group in enumerate(user.groups)
        if group not in config.sso.groups
    ]


def adoption_references(config: LandingZoneConfig) -> list[Problem]:
    """Adoption records written by `./lz import` name groups that must exist, or the
    membership they describe would be created a second time."""
    out = []
    for key, user in config.sso.users.items():
        for group in user.group_membership_ids:
            if group not in config.sso.groups:
                out.append(Problem("LZ212", ("sso", "users", key, "group_membership_ids", group),
                                   f"membership id for unknown group '{group}'.",
                                   did_you_mean(group, config.sso.groups)))
            elif group not in user.groups:
                out.append(Problem("LZ212", ("sso", "users", key, "group_membership_ids", group),
                                   f"membership id for group '{group}', which the user does not "
                                   "join.", f"Add '{group}' to the user's groups, or drop the id."))
    return out


def application_accounts(config: LandingZoneConfig) -> list[Problem]:
    return [
        Problem("LZ209", ("applications", app, "environments", env, "account"),
                f"unknown account '{e.account}'.", did_you_mean(e.account, config.accounts))
        for app, a in config.applications.items()
        for env, e in a.environments.items()
        if e.account not in config.accounts
    ]


RULES = [ou_parents, account_ous, key_accounts, assignment_targets, permission_set_policies,
         customer_policy_documents, customer_managed_policies, user_groups, adoption_references, application_accounts]
