"""The loader end to end: the example, structural problems (LZ1xx) with exact messages and
lines, every problem of a file reported at once, and policy documents read from files."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from config import DEFAULT_CONFIG, ConfigError, load
from config.assignments import assignments

TYPE_FIX = "Fix the value's type or spelling (see docs/configuration.md)."
UNKNOWN_FIX = "Unknown keys are rejected so typos never pass silently."


def test_the_example_loads_without_warnings(example_path):
    loaded = load(example_path, use_local=False)
    config = loaded.config
    assert loaded.warnings == ()
    assert (len(config.accounts), len(config.organizational_units), len(config.sso.groups),
            len(config.sso.permission_sets), len(config.sso.users)) == (7, 6, 3, 3, 1)
    assert config.accounts["dev"].email == "platform-team+acme-lz-dev@example.com"
    assert config.sso.users["admin"].email == "platform-team@example.com"
    assert config.tags == {"Owner": "platform-team"}


def test_the_default_path_is_the_example(example_path):
    assert DEFAULT_CONFIG == example_path
    assert load(use_local=False).config == load(example_path, use_local=False).config


def test_the_example_assignments(example_path):
    """admins get admin everywhere; deployers get deployer in the workloads subtree and in
    shared_services; auditors read the trail's logs in the log archive."""
    config = load(example_path, use_local=False).config
    granted = {(a.principal, a.account, a.permission_set) for a in assignments(config)}
    assert granted == {
        *{("admins", account, "admin") for account in config.accounts},
        ("deployers", "dev", "deployer"), ("deployers", "test", "deployer"),
        ("deployers", "prod", "deployer"), ("deployers", "shared_services", "deployer"),
        ("auditors", "log_archive", "audit_log_reader"),
    }


def test_a_loaded_config_is_frozen(example_path):
    config = load(example_path, use_local=False).config
    with pytest.raises(ValidationError):
        config.accounts["dev"].name = "Renamed"


@pytest.mark.parametrize(("edit", "expected"), [
    pytest.param(("aws_region: us-east-1", "aws_regoin: us-east-1"), [
        "organization.yaml:1: error LZ121: organization.aws_region: required key 'aws_region' is "
        "missing. Add it (see docs/configuration.md).",
        "organization.yaml:2: error LZ120: organization.aws_regoin: unknown key 'aws_regoin'. "
        f"Did you mean 'aws_region'? {UNKNOWN_FIX}"], id="LZ120-LZ121-typo"),
    pytest.param(("accounts:\n", "acounts:\n"), [
        "organization.yaml:1: error LZ121: accounts: required key 'accounts' is missing. Add it "
        "(see docs/configuration.md).",
        "organization.yaml:5: error LZ120: acounts: unknown key 'acounts'. Did you mean "
        f"'accounts'? {UNKNOWN_FIX}"], id="LZ120-top-level"),
    pytest.param(("{name: Management,", "{name: Management, colour: blue,"), [
        "organization.yaml:6: error LZ120: accounts.master.colour: unknown key 'colour'. Use one "
        "of 'action', 'email', 'id', 'name', 'organizational_unit', 'tags'. " + UNKNOWN_FIX],
        id="LZ120-no-close-match"),
    pytest.param(("email: root@example.com", "email: [root@example.com]"), [
        "organization.yaml:6: error LZ122: accounts.master.email: input should be a valid string "
        f"(got ['root@example.com']). {TYPE_FIX}"], id="LZ122-string"),
    pytest.param(("{namespace: acme}", "{namespace: [acme]}"), [
        "organization.yaml:4: error LZ122: organization.tokens.namespace: input should be a valid "
        f"string, a valid integer, a valid number or a valid boolean (got ['acme']). {TYPE_FIX}"],
        id="LZ122-union-once"),
    pytest.param(("email: root@example.com", "email: root@example.com, action: delete"), [
        "organization.yaml:6: error LZ122: accounts.master.action: input should be 'remove', "
        f"'detach', 'destroy' or 'close' (got 'delete'). {TYPE_FIX}"], id="LZ122-enum"),
    pytest.param(("email: root@example.com", "email: root@example.com, id: 123456789012"), [
        "organization.yaml:6: error LZ317: accounts.master.id: id 123456789012 is not quoted, so "
        "YAML reads a number, not the id's text. Quote it: id: '123456789012'."],
        id="LZ317-unquoted-id-said-once"),
    pytest.param(("accounts:\n  master: {name: Management, email: root@example.com}\n",
                  "accounts: [master]\n"), [
        "organization.yaml:5: error LZ122: accounts: input should be a valid dictionary (got "
        f"['master']). {TYPE_FIX}"], id="LZ122-list-for-mapping"),
])
def test_structure_problems(problems, minimal, edit, expected):
    old, new = edit
    assert old in minimal
    assert problems(minimal.replace(old, new)) == expected


@pytest.mark.parametrize(("added", "expected"), [
    pytest.param("account_access: {readiness_timeout_seconds: 5}\n", [
        "organization.yaml:7: error LZ122: account_access.readiness_timeout_seconds: input should "
        f"be greater than or equal to 60 (got 5). {TYPE_FIX}"], id="LZ122-bound"),
    pytest.param("sso:\n  permission_sets:\n    p: {name: P, inline_policy: 5}\n", [
        "organization.yaml:9: error LZ122: sso.permission_sets.p.inline_policy: input should be "
        f"a valid dictionary or a valid string (got 5). {TYPE_FIX}"], id="LZ122-union-member-tags"),
    pytest.param("sso:\n  users:\n    u:\n      email: u@example.com\n      name: {given_name: U}\n", [
        "organization.yaml:11: error LZ121: sso.users.u.name.family_name: required key "
        "'family_name' is missing. Add it (see docs/configuration.md)."], id="LZ121-nested"),
    pytest.param("account_access: {operators: []}\n", [
        "organization.yaml:7: error LZ122: account_access.operators: list should have at least 1 "
        f"item after validation, not 0 (got []). {TYPE_FIX}"], id="LZ122-no-operators"),
    pytest.param("account_access: {operators: ['arn:aws:iam::111111111111:user/me']}\n", [
        "organization.yaml:7: error LZ122: account_access.operators[0]: string should match "
        "pattern '^(user|role)/[\\w+=,.@/*-]+$' (got 'arn:aws:iam::111111111111:user/me'). "
        f"{TYPE_FIX}"], id="LZ122-operator-arn"),
])
def test_structure_problems_of_added_sections(problems, minimal, added, expected):
    assert problems(minimal + added) == expected


def test_the_file_must_be_a_mapping(problems):
    assert problems("- organization\n- accounts\n") == [
        "organization.yaml:1: error LZ104: the file must be a YAML mapping of sections. Start "
        "from config/organization.yaml."]


def test_three_different_errors_are_reported_together(problems, minimal):
    """The operator fixes a file in one pass, not one error per run."""
    text = minimal.replace("aws_region: us-east-1", "aws_region: us-east-1\n  colour: blue")
    text = text.replace("email: root@example.com", "email: root@example.com, tags: [a]")
    text += "sso:\n  users:\n    u: {email: u@x.io}\n"
    assert problems(text) == [
        "organization.yaml:3: error LZ120: organization.colour: unknown key 'colour'. Use one of "
        f"'aws_region', 'governed_regions', 'id', 'key_accounts', 'tokens'. {UNKNOWN_FIX}",
        "organization.yaml:7: error LZ122: accounts.master.tags: input should be a valid "
        f"dictionary (got ['a']). {TYPE_FIX}",
        "organization.yaml:10: error LZ121: sso.users.u.name: required key 'name' is missing. "
        "Add it (see docs/configuration.md).",
    ]


def test_three_rule_errors_are_reported_together(problems, minimal):
    text = minimal + "  dev: {name: Management, email: ROOT@example.com, organizational_unit: nowhere}\n"
    assert problems(text) == [
        "organization.yaml:6: error LZ301: accounts.master.email: email 'root@example.com' is "
        "already used by accounts.dev.email. Every AWS account needs its own email: use a "
        "plus-alias (owner+key@domain).",
        "organization.yaml:6: error LZ302: accounts.master.name: account name 'Management' is "
        "already used by accounts.dev.name. Give each account a distinct name so people can tell "
        "them apart.",
        "organization.yaml:7: error LZ203: accounts.dev.organizational_unit: unknown "
        "organizational unit 'nowhere'. There is nothing to refer to yet: define it first.",
    ]


def test_config_error_keeps_the_problems_and_renders_one_per_line(write, minimal):
    path = write(minimal + "  a: {name: A, email: a@example.com, organizational_unit: x}\n"
                           "  b: {name: B, email: b@example.com, organizational_unit: y}\n")
    with pytest.raises(ConfigError) as caught:
        load(path)
    error = caught.value
    assert [(p.code, p.line, p.path) for p in error.errors] == [
        ("LZ203", 7, "accounts.a.organizational_unit"), ("LZ203", 8, "accounts.b.organizational_unit")]
    assert str(error).splitlines() == [p.render() for p in error.problems]


POLICIES = """\
sso:
  permission_sets:
    p: {name: P, policies: [doc], inline_policy: policies/inline.json}
  policies:
    doc: {name: Doc, document_file: policies/doc.json}
"""
DOCUMENT = {"Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}


def test_policy_documents_are_read_from_files_beside_the_config(write, minimal):
    write(json.dumps(DOCUMENT), "policies/doc.json")
    write(json.dumps({**DOCUMENT, "Statement": []}), "policies/inline.json")
    sso = load(write(minimal + POLICIES)).config.sso
    assert sso.policies["doc"].document == DOCUMENT
    assert sso.permission_sets["p"].inline_policy == {**DOCUMENT, "Statement": []}


@pytest.mark.parametrize(("content", "message", "fix"), [
    pytest.param(None, "policy file 'policies/doc.json' not found (looked in {dir}/policies).",
                 "Paths are relative to the config file's directory.", id="missing"),
    pytest.param('{"Version": "2012-10-17",\n "Statement": [}',
                 "policy file 'policies/doc.json' is not valid JSON: Expecting value at line 2.",
                 "Fix the JSON (a linter or `python -m json.tool`).", id="bad-json"),
    pytest.param('["not", "a", "policy"]', "policy file 'policies/doc.json' is not a policy document.",
                 "It must be a JSON object with 'Version' and 'Statement'.", id="not-a-policy"),
    pytest.param(b"\xff\xfe\x00{", "policy file 'policies/doc.json' cannot be read: it is not "
                 "UTF-8 text.", "Point it at a JSON policy document.", id="binary"),
    pytest.param("folder", "policy file 'policies/doc.json' cannot be read: Is a directory.",
                 "Point it at a JSON policy document.", id="a-folder"),
])
def test_bad_policy_files(write, tmp_path, minimal, content, message, fix):
    write(json.dumps(DOCUMENT), "policies/inline.json")
    if content == "folder":
        (tmp_path / "policies" / "doc.json").mkdir()
    elif isinstance(content, bytes):
        (tmp_path / "policies" / "doc.json").write_bytes(content)
    elif content is not None:
        write(content, "policies/doc.json")
    with pytest.raises(ConfigError) as caught:
        load(write(minimal + POLICIES))
    [problem] = caught.value.problems
    assert (problem.code, problem.line, problem.path, problem.message, problem.fix) == (
        "LZ211", 11, "sso.policies.doc.document_file", message.format(dir=tmp_path), fix)


def test_syntax_and_duplicate_key_errors_name_the_file_and_line(problems, minimal):
    assert problems(minimal + "tags: {Owner: [me}\n") == [
        "organization.yaml:7: error LZ101: YAML syntax error: while parsing a flow sequence, did "
        "not find expected ',' or ']'. Check indentation and quoting on that line (strings "
        "holding ': ' or '{{' need quotes)."]
    assert problems(minimal + "  master: {name: Again, email: again@example.com}\n") == [
        "organization.yaml:7: error LZ103: accounts.master: duplicate key 'master' (first defined "
        "on line 6). Remove one of them: YAML keeps only the last, which hides mistakes."]


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load(tmp_path / "organization.yaml")
    assert [(p.code, p.file) for p in caught.value.problems] == [
        ("LZ100", str(tmp_path / "organization.yaml"))]


@pytest.mark.parametrize(("written", "expected"), [
    pytest.param("123456789012", ["123456789012"], id="twelve-digits-an-integer"),
    pytest.param("012345670123", ["012345670123"], id="leading-zero-octal-to-pyyaml"),
    pytest.param("012345678901", ["012345678901"], id="leading-zero-text-to-pyyaml-only"),
    pytest.param("'012345678901'", [], id="quoted"),
    pytest.param('"012345678901"', [], id="double-quoted"),
])
def test_unquoted_ids_are_told_to_be_quoted(problems, minimal, written, expected):
    """YAML 1.1 (PyYAML) and YAML 1.2 (editors' JSON Schema checks) disagree on unquoted
    numbers; only a quoted id means the same to both."""
    text = minimal + f"  dev: {{name: Dev, email: dev@example.com, id: {written}}}\n"
    assert problems(text) == [
        f"organization.yaml:7: error LZ317: accounts.dev.id: id {raw} is not quoted, so YAML "
        f"reads a number, not the id's text. Quote it: id: '{raw}'." for raw in expected]


def test_unquoted_ids_in_the_local_override_are_found_there(write, tmp_path, minimal):
    base = write(minimal + "  dev: {name: Dev, email: dev@example.com}\n")
    write("accounts:\n  dev:\n    id: 098765432109\n", "organization.local.yaml")
    with pytest.raises(ConfigError) as caught:
        load(base)
    [problem] = caught.value.problems
    assert (problem.code, problem.file, problem.line, problem.fix) == (
        "LZ317", str(tmp_path / "organization.local.yaml"), 3, "Quote it: id: '098765432109'.")
