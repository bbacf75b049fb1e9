"""Lifecycle actions must be safe: an action names an existing resource, key accounts stay
active, and nothing active hangs below something being released."""

from __future__ import annotations

from config.errors import Problem, Severity
from config.model import AccountAction, LandingZoneConfig
from config.topology import is_managed

KEY_ROLES_THAT_MUST_STAY = ("master", "terraform_state", "log_archive")


def actions_need_ids(config: LandingZoneConfig) -> list[Problem]:
    out = []
    for key, a in config.accounts.items():
        if a.action not in (None, AccountAction.DETACH) and a.id is None:
            out.append(Problem("LZ401", ("accounts", key, "action"),
                               f"action '{a.action.value}' needs the account's id.",
                               "Add 'id:' with its 12-digit account id (see `pulumi stack output "
                               "accounts`), so the right account is released."))
    for key, ou in config.organizational_units.items():
        if ou.action is not None and ou.id is None:
            out.append(Problem("LZ401", ("organizational_units", key, "action"),
                               f"action '{ou.action.value}' needs the OU's id.",
                               "Add 'id:' with its ou-... id (see `pulumi stack output "
                               "organizational_units`)."))
    # Releasing registers the principal once more; the id makes that an adoption, never a
    # creation, should it not be in the stack.
    for section, items in (("groups", config.sso.groups), ("users", config.sso.users)):
        for key, principal in items.items():
            if principal.action is not None and principal.id is None:
                out.append(Problem("LZ401", ("sso", section, key, "action"),
                                   f"action '{principal.action.value}' needs the identity store "
                                   f"id of the {section[:-1]}.",
                                   f"Add 'id:' with its id (see `pulumi stack output sso`, "
                                   f"{section})."))
    return out


def key_accounts_stay_active(config: LandingZoneConfig) -> list[Problem]:
    out = []
    for role, key in config.organization.key_accounts.items():
        account = config.accounts.get(key)
        if role in KEY_ROLES_THAT_MUST_STAY and account and not is_managed(config, key):
            out.append(Problem("LZ402", ("accounts", key, "action"),
                               f"account '{key}' is the {role} key account and must stay active.",
                               "Remove the action, or make another account the key account first."))
    return out


def management_account_stays_at_root(config: LandingZoneConfig) -> list[Problem]:
    """The management account is adopted by lookup, never registered as a member account."""
    master = config.organization.key_accounts.get("master")
    account = config.accounts.get(master) if master else None
    if account is None or account.organizational_unit is None:
        return []
    return [Problem("LZ405", ("accounts", master, "organizational_unit"),
                    "the management account stays under the root: landing-zone adopts it by "
                    "lookup and does not move it.", "Remove organizational_unit from it.")]


def nothing_active_below_removed(config: LandingZoneConfig) -> list[Problem]:
    ous = config.organizational_units
    removed = {k for k, ou in ous.items() if ou.action is not None}
    out = []
    for key, ou in ous.items():
        if ou.action is None and ou.parent in removed:
            out.append(Problem("LZ404", ("organizational_units", key, "parent"),
                               f"OU '{key}' is managed but its parent '{ou.parent}' is being removed.",
                               "Remove this OU too, or move it under a managed parent."))
    for key, a in config.accounts.items():
        if is_managed(config, key) and a.organizational_unit in removed:
            out.append(Problem("LZ403", ("accounts", key, "organizational_unit"),
                               f"account '{key}' is managed but its OU '{a.organizational_unit}' "
                               "is being removed.", "Move the account to a managed OU first."))
    return out


def users_in_removed_groups(config: LandingZoneConfig) -> list[Problem]:
    groups = config.sso.groups
    return [
        Problem("LZ406", ("sso", "users", key, "groups", index),
                f"group '{group}' is being removed, so this membership is dropped.",
                "Remove the group from the user's list.", severity=Severity.WARNING)
        for key, user in config.sso.users.items() if user.action is None
        for index, group in enumerate(user.groups)
        if group in groups and groups[group].action is not None
    ]


RULES = [actions_need_ids, key_accounts_stay_active, management_account_stays_at_root,
         nothing_active_below_removed, users_in_removed_groups]
