"""LZ3xx uniqueness: names and emails AWS requires to be unique, compared after tokens expand.

Each case is appended to the minimal org (first line 7) and asserts the exact problems.
"""

from __future__ import annotations

import pytest

from config.rules import uniqueness

CASES = [
    pytest.param("account_emails", "  dev: {name: Dev, email: Root@Example.com}\n", [
        "organization.yaml:6: error LZ301: accounts.master.email: email 'root@example.com' is "
        "already used by accounts.dev.email. Every AWS account needs its own email: use a "
        "plus-alias (owner+key@domain)."], id="LZ301-email-any-case"),
    pytest.param("account_names", "  dev: {name: Management, email: dev@example.com}\n", [
        "organization.yaml:6: error LZ302: accounts.master.name: account name 'Management' is "
        "already used by accounts.dev.name. Give each account a distinct name so people can tell "
        "them apart."], id="LZ302-account-name"),
    pytest.param("account_ids", """\
  dev: {name: Dev, email: dev@example.com, id: '111111111111'}
  prod: {name: Prod, email: prod@example.com, id: '111111111111'}
""", ["organization.yaml:8: error LZ306: accounts.prod.id: account id '111111111111' is already "
      "used by accounts.dev.id. Each account id belongs to one account key: remove the "
      "duplicate."], id="LZ306-account-ids"),
    pytest.param("identity_store_users", """\
sso:
  users:
    Jane: {email: jane@example.com, name: {given_name: Jane, family_name: Doe}}
    jane: {email: other@example.com, name: {given_name: Jane, family_name: Roe}}
    joe: {email: JANE@example.com, name: {given_name: Joe, family_name: Doe}}
""", ["organization.yaml:10: error LZ307: sso.users.jane: user name 'jane' is already used by "
      "sso.users.Jane. Identity Center user names are unique regardless of case: rename one.",
      "organization.yaml:11: error LZ307: sso.users.joe.email: user email 'JANE@example.com' is "
      "already used by sso.users.Jane.email. Every Identity Center user needs an email of its "
      "own."], id="LZ307-user-names-and-emails"),
    pytest.param("identity_store_users", """\
sso:
  users:
    jane: {email: jane@example.com, name: {given_name: Jane, family_name: Doe}}
    jane_doe: {user_name: JANE, email: other@example.com, name: {given_name: Jane, family_name: Roe}}
""", ["organization.yaml:10: error LZ307: sso.users.jane_doe: user name 'JANE' is already used "
      "by sso.users.jane. Identity Center user names are unique regardless of case: rename one."],
        id="LZ307-user_name-field"),
    pytest.param("ou_sibling_names", """\
organizational_units:
  a: {name: Apps}
  b: {name: Apps}
  c: {name: Apps, parent: a}
""", ["organization.yaml:9: error LZ303: organizational_units.b.name: organizational unit name "
      "'Apps' is already used by organizational_units.a.name. Rename one: OU names must differ "
      "under the same parent."], id="LZ303-siblings-only"),
    pytest.param("sso_names", """\
sso:
  groups:
    a: {name: Admins}
    b: {name: Admins}
  permission_sets:
    a: {name: Admin}
    b: {name: Admin}
  policies:
    a: {name: Writer, document: {Statement: []}}
    b: {name: Writer, document: {Statement: []}}
""", ["organization.yaml:10: error LZ304: sso.groups.b.name: group name 'Admins' is already used "
      "by sso.groups.a.name. Identity Center group names must be unique.",
      "organization.yaml:13: error LZ304: sso.permission_sets.b.name: permission set name 'Admin' "
      "is already used by sso.permission_sets.a.name. Permission set names must be unique in the "
      "Identity Center instance.",
      "organization.yaml:16: error LZ304: sso.policies.b.name: policy name 'Writer' is already "
      "used by sso.policies.a.name. Customer policy names must be unique: they become IAM policy "
      "names."], id="LZ304-sso-names"),
    pytest.param("bucket_names", """\
  state: {name: State, email: state@example.com}
terraform: {state: {bucket: acme-s3-access-logs-123456789012-us-east-1}}
""", ["organization.yaml:8: error LZ305: terraform.state.bucket: bucket name "
      "'acme-s3-access-logs-123456789012-us-east-1' has the shape of an access-log bucket name "
      "(access_logs.bucket_name_format). S3 bucket names are global: make each one distinct."],
        id="LZ305-state-bucket"),
]


@pytest.mark.parametrize(("rule", "change", "expected"), CASES)
def test_rule(minimal_problems, rule, change, expected):
    assert minimal_problems(change) == expected


def test_every_rule_has_a_case():
    assert {case.values[0] for case in CASES} == {rule.__name__ for rule in uniqueness.RULES}


def test_duplicate_emails_from_tokens(problems):
    """Metastructure validated before expanding tokens and so missed exactly this."""
    text = """\
organization:
  aws_region: us-east-1
  key_accounts: {master: master}
  tokens: {namespace: acme, mail: ops@example.com}
accounts:
  master: {name: Management, email: root@example.com}
  dev: {name: Dev, email: '{{organization.tokens.mail}}'}
  prod: {name: Prod, email: '{{organization.tokens.mail}}'}
"""
    assert problems(text) == [
        "organization.yaml:8: error LZ301: accounts.prod.email: email 'ops@example.com' is already "
        "used by accounts.dev.email. Every AWS account needs its own email: use a plus-alias "
        "(owner+key@domain)."]


def test_released_accounts_free_their_bucket_name(minimal_problems):
    """A removed account keeps no landing-zone bucket, so its name may be reused."""
    text = ("  a_b: {name: AB1, email: ab1@example.com, id: '123456789012', action: remove}\n"
            "  a-b: {name: AB2, email: ab2@example.com}\n")
    assert minimal_problems(text) == []
