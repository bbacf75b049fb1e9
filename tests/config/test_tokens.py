"""Handlebars-like tokens: what expands, and the exact LZ110 problem for what cannot."""

from __future__ import annotations

import pytest

from config.tokens import expand_tokens

HEAD = """\
organization:
  aws_region: us-east-1
  key_accounts: {master: master}
  tokens:
"""
# Appended after the tokens of a case; the account email is on the last line.
TAIL = """\
accounts:
  master: {name: Management, email: root@example.com}
"""


def expanded(data: dict) -> dict:
    result, errors = expand_tokens(data)
    assert errors == []
    return result


def test_a_token_may_use_a_token():
    """Metastructure files build emails from tokens built from tokens."""
    data = {"t": {"owner": "me", "mailbox": "{{t.owner}}+{{t.ns}}", "ns": "{{t.prefix}}-1",
                  "prefix": "acme"},
            "email": "{{t.mailbox}}@example.com"}
    assert expanded(data)["email"] == "me+acme-1@example.com"
    assert expanded(data)["t"]["mailbox"] == "me+acme-1"


@pytest.mark.parametrize(("template", "expected"), [
    ("{{#if t.on}}yes{{else}}no{{/if}}", "yes"),
    ("{{#if t.off}}yes{{else}}no{{/if}}", "no"),
    ("{{#if t.empty}}yes{{else}}no{{/if}}", "no"),
    ("{{#if t.undefined}}yes{{else}}no{{/if}}", "no"),   # Handlebars: undefined is false
    ("{{#if t.on}}yes{{/if}}", "yes"),
    ("{{#if t.off}}yes{{/if}}", ""),
    ("{{#unless t.off}}yes{{else}}no{{/unless}}", "yes"),
    ("{{#unless t.on}}yes{{else}}no{{/unless}}", "no"),
    ("{{#unless t.undefined}}yes{{/unless}}", "yes"),
    ("{{#if t.on}}{{#unless t.off}}in{{/unless}}{{/if}}", "in"),
    ("{{#if t.name}}{{t.name}}-{{/if}}bucket", "acme-bucket"),
    ("{{#if t.flag_token}}yes{{else}}no{{/if}}", "yes"),  # the condition is expanded first
])
def test_blocks(template, expected):
    data = {"t": {"on": True, "off": False, "empty": "", "name": "acme",
                  "flag_token": "{{t.name}}"}, "v": template}
    assert expanded(data)["v"] == expected


@pytest.mark.parametrize(("template", "expected"), [
    ("{{{t.name}}}", "acme"),                  # triple braces: Handlebars' unescaped form
    ("{{ t.name }}", "acme"),                  # inner spaces
    ("{{t.flag}}/{{t.count}}", "true/3"),      # scalars render as YAML would write them
    ("<{{t.nothing}}>", "<>"),                 # a null token renders empty
    ("{{t.list.1}}", "b"),                     # list index
    ("{{t.2024}}", "digits"),                  # a numeric mapping key is a key, not an index
])
def test_references(template, expected):
    data = {"t": {"name": "acme", "flag": True, "count": 3, "nothing": None,
                  "list": ["a", "b"], "2024": "digits"}, "v": template}
    assert expanded(data)["v"] == expected


def test_values_without_tokens_keep_their_type():
    data = {"n": 3, "b": False, "s": "plain", "l": [1, "{{s}}"]}
    assert expanded(data) == {"n": 3, "b": False, "s": "plain", "l": [1, "plain"]}


def test_undefined_token_names_the_key_and_its_line(problems):
    text = HEAD + "    owner: me\n" + TAIL.replace("root@example.com",
                                                   "'{{organization.tokens.ownr}}@example.com'")
    assert problems(text) == [
        "organization.yaml:7: error LZ110: accounts.master.email: undefined token "
        "'{{organization.tokens.ownr}}'. Define organization.tokens.ownr in the config (for "
        "example under organization.tokens) or fix the spelling."]


def test_cycle_is_reported_once_at_its_first_member(problems):
    """Every value that uses a cycle fails with it; the operator needs one message, not four."""
    text = HEAD + ("    b: '{{organization.tokens.c}}'\n"
                   "    c: 'x{{organization.tokens.a}}'\n"
                   "    a: '{{organization.tokens.b}}'\n") + TAIL.replace(
        "root@example.com", "'{{organization.tokens.a}}@example.com'")
    assert problems(text) == [
        "organization.yaml:7: error LZ110: organization.tokens.a: token cycle: "
        "organization.tokens.a -> organization.tokens.b -> organization.tokens.c -> "
        "organization.tokens.a. Break the cycle: one of these values must not refer back."]


def test_a_value_referring_to_itself(problems):
    text = HEAD + "    a: 'x{{organization.tokens.a}}'\n" + TAIL
    assert problems(text) == [
        "organization.yaml:5: error LZ110: organization.tokens.a: token cycle: "
        "organization.tokens.a -> organization.tokens.a. Break the cycle: one of these values "
        "must not refer back."]


def test_a_broken_token_used_many_times_is_reported_once(problems):
    text = HEAD + "    a: '{{organization.tokens.nope}}'\n" + TAIL.replace(
        "root@example.com", "'{{organization.tokens.a}}@example.com'") + (
        "  dev: {name: Dev, email: '{{organization.tokens.a}}+dev@example.com'}\n")
    assert problems(text) == [
        "organization.yaml:5: error LZ110: organization.tokens.a: undefined token "
        "'{{organization.tokens.nope}}'. Define organization.tokens.nope in the config (for "
        "example under organization.tokens) or fix the spelling."]


@pytest.mark.parametrize(("value", "message"), [
    pytest.param("{{#if organization.tokens.x}}open",
                 "'{{#if}}' is never closed. Add {{/if}}.", id="never-closed"),
    pytest.param("{{#if organization.tokens.x}}a{{#unless organization.tokens.x}}b{{/if}}",
                 "'{{/if}}' closes no open block. Match every {{#if}} with {{/if}} and "
                 "{{#unless}} with {{/unless}}.", id="crossed"),
    pytest.param("text{{/unless}}",
                 "'{{/unless}}' closes no open block. Match every {{#if}} with {{/if}} and "
                 "{{#unless}} with {{/unless}}.", id="close-without-open"),
    pytest.param("a{{else}}b",
                 "'{{else}}' outside an #if or #unless block. Open the block with {{#if path}} "
                 "first.", id="else-outside"),
    pytest.param("{{#if organization.tokens.x}}a{{else}}b{{else}}c{{/if}}",
                 "'{{else}}' outside an #if or #unless block. Open the block with {{#if path}} "
                 "first.", id="second-else"),
    pytest.param("{{#each accounts}}x{{/each}}",
                 "unsupported block '{{#each accounts}}'. Only {{#if path}} and {{#unless path}} "
                 "blocks are supported.", id="each"),
    pytest.param("{{#if}}x{{/if}}",
                 "unsupported block '{{#if}}'. Only {{#if path}} and {{#unless path}} blocks are "
                 "supported.", id="if-without-path"),
    pytest.param("{{organization.key_accounts}}",
                 "token '{{organization.key_accounts}}' is a dict, not a value. Point the token at "
                 "a single value.", id="mapping"),
])
def test_malformed_templates(problems, value, message):
    text = HEAD + "    x: on\n" + f"    bad: '{value}'\n" + TAIL
    assert problems(text) == [f"organization.yaml:6: error LZ110: organization.tokens.bad: {message}"]


def test_expansion_that_never_settles_is_an_error():
    """Each round may build a new tag out of pieces ('{' + '{x}}'); it must stop somewhere."""
    value = "{{x}}"
    for _ in range(10):
        value = value.replace("{", "{{o}}")
    _, [error] = expand_tokens({"o": "{", "x": "done", "v": value})
    assert (error.path, error.message, error.fix) == (
        ("v",), "tokens keep expanding to new tokens.", "Simplify the value: it never settles.")


def test_built_tags_expand_within_the_round_limit():
    value = "{{x}}"
    for _ in range(8):
        value = value.replace("{", "{{o}}")
    assert expanded({"o": "{", "x": "done", "v": value})["v"] == "done"
