"""Pure questions about the shape of the organization: OU order, depth, subtrees, account states.

Everything is sorted by key, so the YAML's order never changes what is built or shown.
"""

from __future__ import annotations

from config.model import AccountAction, LandingZoneConfig

MAX_OU_DEPTH = 5  # AWS: OUs nest at most five levels below the root.


def ou_chain(config: LandingZoneConfig, key: str) -> list[str]:
    """The OU and its ancestors, nearest first; stops at a cycle or an unknown parent."""
    chain: list[str] = []
    current: str | None = key
    while current is not None and current in config.organizational_units and current not in chain:
        chain.append(current)
        current = config.organizational_units[current].parent
    return chain


def ou_has_cycle(config: LandingZoneConfig, key: str) -> bool:
    chain = ou_chain(config, key)
    last_parent = config.organizational_units[chain[-1]].parent
    return last_parent in chain


def ou_order(config: LandingZoneConfig) -> list[str]:
    """Parents before children, siblings by key: the order to create OUs in."""
    children: dict[str | None, list[str]] = {}
    for key, ou in config.organizational_units.items():
        children.setdefault(ou.parent, []).append(key)
    order: list[str] = []
    pending = sorted(children.get(None, []), reverse=True)
    while pending:
        key = pending.pop()
        order.append(key)
        pending.extend(sorted(children.get(key, []), reverse=True))
    return order


def ou_subtree(config: LandingZoneConfig, key: str) -> set[str]:
    """The OU and every OU below it."""
    return {k for k in config.organizational_units if key in ou_chain(config, k)}


def is_managed(config: LandingZoneConfig, account: str) -> bool:
    """Still under management: gets a provider, a log bucket and its customer policies."""
    return config.accounts[account].action in (None, AccountAction.DETACH)


def is_assignable(config: LandingZoneConfig, account: str) -> bool:
    """Receives SSO assignments (managed and not detached)."""
    return config.accounts[account].action is None


def managed_accounts(config: LandingZoneConfig) -> list[str]:
    return sorted(k for k in config.accounts if is_managed(config, k))


def member_accounts(config: LandingZoneConfig) -> list[str]:
    """Accounts registered as organizations.Account (all but the adopted management account)."""
    master = config.organization.key_accounts.get("master")
    return sorted(k for k in config.accounts if k != master)


def accounts_under(config: LandingZoneConfig, ou_key: str) -> list[str]:
    subtree = ou_subtree(config, ou_key)
    return sorted(k for k, a in config.accounts.items() if a.organizational_unit in subtree)
