"""LZ4xx: lifecycle actions must be safe (see docs/lifecycle.md).

Each case is appended to the minimal org (first line 7) or replaces a piece of it.
"""

from __future__ import annotations

import pytest

from config.rules import lifecycle
from config.topology import is_assignable, is_managed, managed_accounts, member_accounts

CASES = [
    pytest.param("actions_need_ids", """\
  dev: {name: Dev, email: dev@example.com, action: remove}
organizational_units:
  old: {name: Old, action: remove}
""", ["organization.yaml:7: error LZ401: accounts.dev.action: action 'remove' needs the account's "
      "id. Add 'id:' with its 12-digit account id (see `pulumi stack output accounts`), so the "
      "right account is released.",
      "organization.yaml:9: error LZ401: organizational_units.old.action: action 'remove' needs "
      "the OU's id. Add 'id:' with its ou-... id (see `pulumi stack output "
      "organizational_units`)."], id="LZ401-action-without-id"),
    pytest.param("actions_need_ids", """\
sso:
  groups:
    old: {name: Old, action: remove}
  users:
    gone:
      email: gone@example.com
      name: {given_name: Gone, family_name: User}
      action: remove
""", ["organization.yaml:9: error LZ401: sso.groups.old.action: action 'remove' needs the "
      "identity store id of the group. Add 'id:' with its id (see `pulumi stack output sso`, "
      "groups).",
      "organization.yaml:14: error LZ401: sso.users.gone.action: action 'remove' needs the "
      "identity store id of the user. Add 'id:' with its id (see `pulumi stack output sso`, "
      "users)."], id="LZ401-principal-without-id"),
    pytest.param("key_accounts_stay_active",
                 ("{master: master}\n  tokens: {namespace: acme}\naccounts:\n",
                  "{master: master, log_archive: logs}\n  tokens: {namespace: acme}\naccounts:\n"
                  "  logs: {name: Logs, email: logs@example.com, id: '123456789012', action: destroy}\n"),
                 ["organization.yaml:6: error LZ402: accounts.logs.action: account 'logs' is the "
                  "log_archive key account and must stay active. Remove the action, or make another "
                  "account the key account first."], id="LZ402-key-account-released"),
    pytest.param("management_account_stays_at_root",
                 ("email: root@example.com}", "email: root@example.com, organizational_unit: core}\n"
                  "organizational_units:\n  core: {name: Core}"),
                 ["organization.yaml:6: error LZ405: accounts.master.organizational_unit: the "
                  "management account stays under the root: landing-zone adopts it by lookup and "
                  "does not move it. Remove organizational_unit from it."], id="LZ405-master-in-ou"),
    pytest.param("nothing_active_below_removed", """\
  dev: {name: Dev, email: dev@example.com, organizational_unit: old}
organizational_units:
  old: {name: Old, id: ou-ab12-abcdefgh, action: remove}
  child: {name: Child, parent: old}
""", ["organization.yaml:7: error LZ403: accounts.dev.organizational_unit: account 'dev' is managed "
      "but its OU 'old' is being removed. Move the account to a managed OU first.",
      "organization.yaml:10: error LZ404: organizational_units.child.parent: OU 'child' is managed "
      "but its parent 'old' is being removed. Remove this OU too, or move it under a managed "
      "parent."], id="LZ403-LZ404-active-below-removed"),
    pytest.param("users_in_removed_groups", """\
sso:
  groups:
    old: {name: Old, id: 9067aa00-1111-2222-3333-444455556666, action: remove}
  users:
    jane:
      email: jane@example.com
      name: {given_name: Jane, family_name: Doe}
      groups: old
""", ["organization.yaml:14: warning LZ406: sso.users.jane.groups[0]: group 'old' is being removed, "
      "so this membership is dropped. Remove the group from the user's list."],
        id="LZ406-membership-of-removed-group"),
]


@pytest.mark.parametrize(("rule", "change", "expected"), CASES)
def test_rule(minimal_problems, rule, change, expected):
    assert minimal_problems(change) == expected


def test_every_rule_has_a_case():
    assert {case.values[0] for case in CASES} == {rule.__name__ for rule in lifecycle.RULES}


def test_detach_needs_no_id(minimal_problems):
    """detach keeps the account managed: nothing is released, so no id is needed."""
    assert minimal_problems("  dev: {name: Dev, email: dev@example.com, action: detach}\n") == []


def test_released_accounts_may_stay_in_a_removed_ou(minimal_problems):
    text = """\
  dev: {name: Dev, email: dev@example.com, organizational_unit: old, id: '123456789012', action: remove}
organizational_units:
  old: {name: Old, id: ou-ab12-abcdefgh, action: remove}
"""
    assert minimal_problems(text) == []


def test_account_states(load_text, minimal):
    """remove/destroy/close release an account; detach keeps it managed without assignments."""
    config = load_text(minimal + """\
  kept: {name: Kept, email: kept@example.com}
  detached: {name: Detached, email: detached@example.com, action: detach}
  removed: {name: Removed, email: removed@example.com, id: '111111111111', action: remove}
  destroyed: {name: Destroyed, email: destroyed@example.com, id: '222222222222', action: destroy}
  closed: {name: Closed, email: closed@example.com, id: '333333333333', action: close}
""").config
    assert managed_accounts(config) == ["detached", "kept", "master"]
    assert [k for k in config.accounts if is_assignable(config, k)] == ["master", "kept"]
    assert not is_managed(config, "closed")
    assert member_accounts(config) == ["closed", "destroyed", "detached", "kept", "removed"]
