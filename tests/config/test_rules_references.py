"""LZ2xx: every key that names another key must name one that exists.

One minimal failing YAML per rule; each case is appended to the minimal org (its first line
is line 7) or replaces a piece of it, and asserts the exact rendered problems.
"""

from __future__ import annotations

import pytest

from config.rules import references

CASES = [
    pytest.param("ou_parents", """\
organizational_units:
  workloads: {name: Workloads}
  dev: {name: Dev, parent: workload}
""", ["organization.yaml:9: error LZ201: organizational_units.dev.parent: unknown parent "
      "organizational unit 'workload'. Did you mean 'workloads'?"], id="LZ201-unknown-parent"),
    pytest.param("ou_parents", """\
organizational_units:
  a: {name: A, parent: c}
  b: {name: B, parent: a}
  c: {name: C, parent: b}
""", ["organization.yaml:8: error LZ202: organizational_units.a.parent: organizational units form "
      "a cycle: a -> c -> b -> a. Make one of them a top-level OU (remove its parent)."],
        id="LZ202-cycle-reported-once"),
    pytest.param("account_ous", """\
  dev: {name: Dev, email: dev@example.com, organizational_unit: workload}
organizational_units:
  workloads: {name: Workloads}
""", ["organization.yaml:7: error LZ203: accounts.dev.organizational_unit: unknown organizational "
      "unit 'workload'. Did you mean 'workloads'?"], id="LZ203-account-ou"),
    pytest.param("key_accounts", ("{master: master}", "{log_archive: master}"), [
        "organization.yaml:3: error LZ204: organization.key_accounts: key account 'master' is not "
        "set. Add 'master: <account key>' naming the management account."],
        id="LZ204-no-master"),
    pytest.param("key_accounts", ("{master: master}", "{master: master, log_archive: logs}"), [
        "organization.yaml:3: error LZ204: organization.key_accounts.log_archive: key account "
        "'log_archive' names unknown account 'logs'. Use one of 'master'."],
        id="LZ204-unknown-account"),
    pytest.param("key_accounts", ("{master: master}", "{master: master, security_tooling: "
                                  "master}"), [
        "organization.yaml:3: error LZ215: organization.key_accounts.security_tooling: the "
        "security tooling account cannot be the management account: the security services need "
        "a member account as their delegated administrator. Name a member account (e.g. an "
        "'Audit' or 'Security Tooling' account in the security OU)."],
        id="LZ215-security-tooling-is-management"),
    pytest.param("key_accounts", ("{master: master}", "{master: master, log_archiv: master, "
                                  "billing: master}"), [
        "organization.yaml:3: error LZ213: organization.key_accounts.log_archiv: key account role "
        "'log_archiv' is not one landing-zone knows, and looks like a typo. Did you mean "
        "'log_archive'? Roles the program uses: master, log_archive, security_tooling, "
        "terraform_state; other names are only exported."], id="LZ213-role-typo"),
    pytest.param("assignment_targets", """\
sso:
  groups:
    admins: {name: Admins, account_permission_sets: admn}
  permission_sets:
    admin: {name: Admin}
""", ["organization.yaml:9: error LZ205: sso.groups.admins.account_permission_sets.*: unknown "
      "permission set 'admn'. Did you mean 'admin'?"], id="LZ205-shorthand"),
    pytest.param("assignment_targets", """\
sso:
  users:
    jane:
      email: jane@example.com
      name: {given_name: Jane, family_name: Doe}
      account_permission_sets: {master: [admin, audit]}
  permission_sets:
    admin: {name: Admin}
""", ["organization.yaml:12: error LZ205: sso.users.jane.account_permission_sets.master: unknown "
      "permission set 'audit'. Did you mean 'admin'?"], id="LZ205-user-map"),
    pytest.param("assignment_targets", """\
sso:
  groups:
    admins:
      name: Admins
      account_permission_sets: {mastr: admin, 'ou:nowhere': admin}
  permission_sets:
    admin: {name: Admin}
""", ["organization.yaml:11: error LZ206: sso.groups.admins.account_permission_sets.mastr: unknown "
      "account 'mastr'. Did you mean 'master'? Targets are account keys, 'ou:<OU key>' or '*'.",
      "organization.yaml:11: error LZ206: sso.groups.admins.account_permission_sets.ou:nowhere: "
      "unknown organizational unit 'nowhere' in target 'ou:nowhere'. There is nothing to refer to "
      "yet: define it first."], id="LZ206-targets"),
    pytest.param("permission_set_policies", """\
sso:
  permission_sets:
    admin: {name: Admin, policies: [AdministratorAccess, state_writr]}
  policies:
    state_writer: {name: StateWriter, document: {Version: '2012-10-17', Statement: []}}
""", ["organization.yaml:9: error LZ207: sso.permission_sets.admin.policies[1]: unknown customer "
      "policy 'state_writr'. Did you mean 'state_writer'? AWS-managed policies are named as AWS "
      "spells them."], id="LZ207-customer-policy"),
    pytest.param("permission_set_policies", """\
sso:
  permission_sets:
    admin: {name: Admin, permissions_boundary: boundry}
  policies:
    boundary: {name: Boundary, document: {Version: '2012-10-17', Statement: []}}
""", ["organization.yaml:9: error LZ210: sso.permission_sets.admin.permissions_boundary: unknown "
      "customer policy 'boundry'. Did you mean 'boundary'?"], id="LZ210-boundary"),
    pytest.param("permission_set_policies", """\
sso:
  permission_sets:
    admin: {name: Admin, permissions_boundary: boundary}
  policies:
    boundary: {name: Boundary, document: {Version: '2012-10-17', Statement: []}}
""", ["organization.yaml:9: error LZ214: sso.permission_sets.admin.permissions_boundary: customer "
      "policy 'boundary' cannot be a permissions boundary: its statements go into the permission "
      "set's inline policy, and a boundary must be an IAM policy in every account. Set "
      "'customer_managed: true' on sso.policies.boundary (an IAM policy deployed to every "
      "account), or use an AWS-managed policy as the boundary."], id="LZ214-customer-boundary"),
    pytest.param("customer_managed_policies", """\
sso:
  permission_sets:
    admin: {name: Admin, policies: sso_terraform_state_writer}
  policies:
    sso_terraform_state_writer: {name: StateWriter, customer_managed: true}
""", ["organization.yaml:11: error LZ216: sso.policies.sso_terraform_state_writer.customer_managed: "
      "customer policy 'sso_terraform_state_writer' is customer_managed and has no document: only "
      "a document of the config is deployed as an IAM policy (built-in documents name this "
      "stack's resources and are provisioned inline). Remove 'customer_managed', or give the "
      "policy a 'document:' or 'document_file:'."], id="LZ216-built-in-customer-managed"),
    pytest.param("customer_policy_documents", """\
sso:
  permission_sets:
    admin: {name: Admin, policies: writer}
  policies:
    writer: {name: Writer}
""", ["organization.yaml:11: error LZ211: sso.policies.writer: customer policy 'writer' has no "
      "document. Add 'document:' (a policy mapping) or 'document_file:' (a JSON file next to the "
      "config)."], id="LZ211-no-document"),
    pytest.param("user_groups", """\
sso:
  groups:
    admins: {name: Admins}
  users:
    jane:
      email: jane@example.com
      name: {given_name: Jane, family_name: Doe}
      groups: [admins, admin]
""", ["organization.yaml:14: error LZ208: sso.users.jane.groups[1]: unknown group 'admin'. Did you "
      "mean 'admins'?"], id="LZ208-user-group"),
    pytest.param("adoption_references", """\
sso:
  groups:
    admins: {name: Admins}
    auditors: {name: Auditors}
  users:
    jane:
      email: jane@example.com
      name: {given_name: Jane, family_name: Doe}
      groups: [admins]
      group_membership_ids:
        admins: 11111111-1111-1111-1111-111111111111
        admin: 22222222-2222-2222-2222-222222222222
        auditors: 33333333-3333-3333-3333-333333333333
""", ["organization.yaml:18: error LZ212: sso.users.jane.group_membership_ids.admin: membership id "
      "for unknown group 'admin'. Did you mean 'admins'?",
      "organization.yaml:19: error LZ212: sso.users.jane.group_membership_ids.auditors: membership "
      "id for group 'auditors', which the user does not join. Add 'auditors' to the user's "
      "groups, or drop the id."], id="LZ212-adoption-records"),
    pytest.param("application_accounts", """\
applications:
  api:
    environments:
      dev: {account: dev}
""", ["organization.yaml:10: error LZ209: applications.api.environments.dev.account: unknown "
      "account 'dev'. Use one of 'master'."], id="LZ209-application-account"),
]


@pytest.mark.parametrize(("rule", "change", "expected"), CASES)
def test_rule(minimal_problems, rule, change, expected):
    assert minimal_problems(change) == expected


def test_every_rule_has_a_case():
    assert {case.values[0] for case in CASES} == {rule.__name__ for rule in references.RULES}


@pytest.mark.parametrize("name", ["AdministratorAccess", "job-function/ViewOnlyAccess",
                                  "arn:aws:iam::aws:policy/ReadOnlyAccess",
                                  "arn:aws:iam::123456789012:policy/custom_policy"])
def test_aws_managed_policy_names_are_not_customer_keys(minimal_problems, name):
    """Only lowercase names look like customer keys; AWS spells its policies with capitals."""
    assert minimal_problems(f"sso:\n  permission_sets:\n    p: {{name: P, policies: '{name}'}}\n") == []


@pytest.mark.parametrize("key", ["sso_terraform_state_writer", "unprotected_resource_writer"])
def test_metastructure_policies_need_no_document(minimal_problems, key):
    """Metastructure kept these documents in templates; landing-zone ships built-in ones."""
    text = (f"sso:\n  permission_sets:\n    p: {{name: P, policies: {key}}}\n"
            f"  policies:\n    {key}: {{name: Builtin}}\n")
    assert minimal_problems(text) == []


def test_customer_managed_policy_can_be_a_boundary(minimal_problems):
    assert minimal_problems("""\
sso:
  permission_sets:
    admin: {name: Admin, permissions_boundary: boundary}
  policies:
    boundary: {name: Boundary, customer_managed: true, document: {Version: '2012-10-17', Statement: []}}
""") == []


def test_unused_policy_without_a_document_is_fine(minimal_problems):
    """Nothing creates it, so nothing needs its document."""
    assert minimal_problems("sso:\n  policies:\n    later: {name: Later}\n") == []


def test_state_alias_of_key_accounts(load_text, minimal):
    """Metastructure spelled the role `state` in places; it means terraform_state."""
    loaded = load_text(minimal.replace("{master: master}", "{master: master, state: master}"))
    assert loaded.config.organization.key_accounts == {"master": "master",
                                                        "terraform_state": "master"}
