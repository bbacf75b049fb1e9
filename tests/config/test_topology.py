"""OU order, depth and subtrees, and account states: pure functions of the model."""

from __future__ import annotations

import pytest

from config.model import LandingZoneConfig
from config.topology import (
    accounts_under,
    is_assignable,
    is_managed,
    managed_accounts,
    member_accounts,
    ou_chain,
    ou_has_cycle,
    ou_order,
    ou_subtree,
)


def org(ous: dict[str, str | None], accounts: dict[str, str | None] | None = None,
        actions: dict[str, str] | None = None) -> LandingZoneConfig:
    """A validated config from {ou: parent} and {account: ou}."""
    accounts = accounts or {}
    actions = actions or {}
    return LandingZoneConfig.model_validate({
        "organization": {"aws_region": "us-east-1", "key_accounts": {"master": "master"}},
        "organizational_units": {k: {"name": k.upper(), "parent": p} for k, p in ous.items()},
        "accounts": {"master": {"name": "M", "email": "m@example.com"},
                     **{k: {"name": k, "email": f"{k}@example.com", "organizational_unit": ou,
                            "action": actions.get(k),
                            "id": "123456789012" if k in actions else None}
                        for k, ou in accounts.items()}},
    })


TREE = {"workloads": None, "prod": "workloads", "dev": "workloads", "team": "dev",
        "security": None, "infra": None}


def test_parents_come_before_children_and_siblings_by_key():
    """The order OUs are created in; it must not depend on the YAML's order."""
    order = ou_order(org(TREE))
    assert order == ["infra", "security", "workloads", "dev", "team", "prod"]
    reversed_tree = dict(reversed(list(TREE.items())))
    assert ou_order(org(reversed_tree)) == order


def test_chain_subtree_and_accounts_under():
    config = org(TREE, {"a": "team", "b": "prod", "c": "security", "d": None})
    assert ou_chain(config, "team") == ["team", "dev", "workloads"]
    assert ou_subtree(config, "workloads") == {"workloads", "prod", "dev", "team"}
    assert ou_subtree(config, "team") == {"team"}
    assert accounts_under(config, "workloads") == ["a", "b"]
    assert accounts_under(config, "infra") == []


def test_cycles_end_the_chain():
    config = org({"a": "b", "b": "a", "c": "a", "d": None})
    assert ou_chain(config, "c") == ["c", "a", "b"]
    assert ou_has_cycle(config, "c")
    assert ou_has_cycle(config, "a")
    assert not ou_has_cycle(config, "d")
    assert ou_order(config) == ["d"]  # nothing in a cycle is reachable from the root


def test_unknown_parent_ends_the_chain():
    config = org({"a": "ghost"})
    assert ou_chain(config, "a") == ["a"]
    assert not ou_has_cycle(config, "a")


@pytest.mark.parametrize(("action", "managed", "assignable"), [
    (None, True, True), ("detach", True, False), ("remove", False, False),
    ("destroy", False, False), ("close", False, False),
])
def test_account_states(action, managed, assignable):
    config = org({}, {"x": None}, {"x": action} if action else None)
    assert (is_managed(config, "x"), is_assignable(config, "x")) == (managed, assignable)
    assert ("x" in managed_accounts(config)) is managed


def test_the_management_account_is_no_member():
    assert member_accounts(org({}, {"b": None, "a": None})) == ["a", "b"]
