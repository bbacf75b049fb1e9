"""Override layers: the local file (template mode) and Pulumi stack overrides, merged before
tokens expand, with every error pointing at the layer that holds the bad value."""

from __future__ import annotations

import pytest

from config import load
from config.loader import STACK_OVERRIDES
from config.merge import deep_merge
from config.source import parse_yaml

BASE = """\
config_override_path: private/override.yaml
organization:
  aws_region: us-east-1
  key_accounts: {master: master}
  tokens: {owner: me, domain: example.com, namespace: acme}
accounts:
  master:
    name: Management
    email: '{{organization.tokens.owner}}+master@{{organization.tokens.domain}}'
    tags: {team: platform, cost: shared}
  dev:
    name: Dev
    email: '{{organization.tokens.owner}}+dev@{{organization.tokens.domain}}'
sso:
  users:
    jane:
      email: jane@example.com
      name: {given_name: Jane, family_name: Doe}
      groups: [a, b]
  groups: {a: {name: A}, b: {name: B}, c: {name: C}}
"""


def test_mappings_merge_and_other_values_replace():
    base = parse_yaml("a:\n  b: 1\n  c: [1, 2]\n  d: {e: 1}\n", "base.yaml")
    over = parse_yaml("a:\n  c: [3]\n  d: 5\n  f: new\n", "over.yaml")
    merged = deep_merge(base, over)
    assert merged.data == {"a": {"b": 1, "c": [3], "d": 5, "f": "new"}}
    assert merged.lines[("a", "b")] == ("base.yaml", 2)
    assert merged.lines[("a",)] == ("base.yaml", 1)
    assert merged.lines[("a", "c")] == ("over.yaml", 2)
    assert merged.lines[("a", "c", 0)] == ("over.yaml", 2)
    assert ("a", "c", 1) not in merged.lines  # the base list's second item is gone
    assert ("a", "d", "e") not in merged.lines
    assert merged.lines[("a", "f")] == ("over.yaml", 4)


def test_merge_leaves_its_inputs_alone():
    base = parse_yaml("a: {b: 1}\n", "base.yaml")
    deep_merge(base, parse_yaml("a: {b: 2}\n", "over.yaml"))
    assert base.data == {"a": {"b": 1}}


def test_local_file_beside_the_config_is_merged_before_tokens(write):
    """Template mode: a private owner/domain changes every email built from them."""
    path = write(BASE)
    write("organization:\n  tokens: {owner: jane, domain: corp.example}\n",
          "organization.local.yaml")
    loaded = load(path)
    accounts = loaded.config.accounts
    assert accounts["master"].email == "jane+master@corp.example"
    assert accounts["dev"].email == "jane+dev@corp.example"
    assert loaded.config.organization.tokens["namespace"] == "acme"
    assert loaded.files == (str(path), str(path.with_name("organization.local.yaml")))


def test_use_local_false_ignores_the_local_file(write):
    path = write(BASE)
    write("organization:\n  tokens: {owner: jane}\n", "organization.local.yaml")
    loaded = load(path, use_local=False)
    assert loaded.config.accounts["dev"].email == "me+dev@example.com"
    assert loaded.files == (str(path),)


def test_config_override_path_names_the_local_file(write):
    """Metastructure's `config_override_path`, relative to the config file."""
    path = write(BASE)
    write("accounts:\n  master:\n    tags: {cost: central}\n", "private/override.yaml")
    loaded = load(path)
    assert loaded.config.accounts["master"].tags == {"team": "platform", "cost": "central"}
    assert loaded.files[-1] == str(path.parent / "private" / "override.yaml")


def test_config_override_path_relative_to_the_working_directory(write, tmp_path, monkeypatch):
    """Metastructure resolved the path from the project root, where the CLI ran."""
    path = write(BASE, "src/organization.yaml")
    write("organization:\n  tokens: {owner: cwd}\n", "private/override.yaml")
    monkeypatch.chdir(tmp_path)
    assert load(path).config.accounts["dev"].email == "cwd+dev@example.com"


def test_local_file_beside_wins_over_config_override_path(write):
    path = write(BASE)
    write("organization:\n  tokens: {owner: beside}\n", "organization.local.yaml")
    write("organization:\n  tokens: {owner: named}\n", "private/override.yaml")
    assert load(path).config.accounts["dev"].email == "beside+dev@example.com"


def test_lists_in_the_override_replace_the_base_list(write):
    path = write(BASE)
    write("sso:\n  users:\n    jane:\n      groups: [c]\n", "organization.local.yaml")
    assert load(path).config.sso.users["jane"].groups == ["c"]


def test_errors_in_the_local_file_point_at_its_lines(write, problems):
    write("# private values\norganization:\n  tokens:\n    owner: 'bad address'\n"
          "accounts:\n  dev:\n    organizational_unit: nowhere\n", "organization.local.yaml")
    assert problems(BASE) == [
        "organization.local.yaml:7: error LZ203: accounts.dev.organizational_unit: unknown "
        "organizational unit 'nowhere'. There is nothing to refer to yet: define it first.",
        # The token lives in the override, the email that uses it in the base file.
        "organization.yaml:9: error LZ311: accounts.master.email: 'bad address+master@example.com' "
        "is not an email address AWS accepts (6-64 characters, name@domain.tld). Fix the address "
        "or the tokens that build it.",
        "organization.yaml:13: error LZ311: accounts.dev.email: 'bad address+dev@example.com' is "
        "not an email address AWS accepts (6-64 characters, name@domain.tld). Fix the address or "
        "the tokens that build it.",
    ]


def test_syntax_errors_in_the_local_file_name_it(write, problems):
    write("organization:\n  tokens: {owner: x\n", "organization.local.yaml")
    assert problems(BASE) == [
        "organization.local.yaml:3: error LZ101: YAML syntax error: while parsing a flow mapping "
        "(line 2), did not find expected ',' or '}'. Check indentation and quoting on that line "
        "(strings holding ': ' or '{{' need quotes)."]


def test_stack_overrides_merge_over_the_local_file(write):
    path = write(BASE)
    write("organization:\n  tokens: {owner: local, domain: local.example}\n",
          "organization.local.yaml")
    loaded = load(path, overrides={"organization": {"tokens": {"owner": "stack"}}})
    assert loaded.config.accounts["dev"].email == "stack+dev@local.example"
    assert loaded.files[-1] == STACK_OVERRIDES


def test_errors_in_stack_overrides_name_the_stack_config(problems):
    """The bad value lives in Pulumi.<stack>.yaml, not on the base file's line."""
    overrides = {"accounts": {"dev": {"name": "x" * 51}, "new": {"name": "New", "emial": "a@b.c"}}}
    assert problems(BASE, overrides=overrides) == [
        f"{STACK_OVERRIDES}: error LZ120: accounts.new.emial: unknown key 'emial'. Did you mean "
        "'email'? Unknown keys are rejected so typos never pass silently.",
        f"{STACK_OVERRIDES}: error LZ121: accounts.new.email: required key 'email' is missing. "
        "Add it (see docs/configuration.md).",
    ]
    assert problems(BASE, overrides={"accounts": {"dev": {"name": "x" * 51}}}) == [
        f"{STACK_OVERRIDES}: error LZ310: accounts.dev.name: account name '{'x' * 51}' must be "
        "1-50 printable ASCII characters. Shorten or simplify the name."]


@pytest.mark.parametrize("empty", ["", "# nothing yet\n"])
def test_an_empty_local_file_changes_nothing(write, empty):
    path = write(BASE)
    write(empty, "organization.local.yaml")
    assert load(path).config == load(path, use_local=False).config

