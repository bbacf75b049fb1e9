"""LZ5xx: Metastructure keys without a Pulumi meaning load, with one warning each kind."""

from __future__ import annotations

import pytest

from config.rules import compatibility

CASES = [
    pytest.param("ignored_terraform_settings", """\
terraform:
  state: {bucket: acme-state, lock_table: locks}
workspaces:
  bootstrap: {path: src}
""", ["organization.yaml:7: warning LZ501: terraform: ignored (Terraform-only, no meaning for "
      "Pulumi): terraform.state.lock_table, workspaces. Pulumi locks state inside the S3 bucket "
      "and keeps its own stacks; you may delete these keys."], id="LZ501-terraform-settings"),
    pytest.param("ignored_terraform_settings", "partials:\n  header: src/header.hbs\n", [
        "organization.yaml:7: warning LZ501: partials: ignored (Terraform-only, no meaning for "
        "Pulumi): partials. Pulumi locks state inside the S3 bucket and keeps its own stacks; you "
        "may delete these keys."], id="LZ501-partials-only"),
    pytest.param("organization_id", ("  aws_region", "  id: my-organization-id\n  aws_region"), [
        "organization.yaml:2: warning LZ502: organization.id: 'my-organization-id' is not an "
        "organization id (o-...); it is treated as unset and the organization is discovered from "
        "the management account. Set the real id from the Organizations console, or remove the "
        "key."], id="LZ502-placeholder-id"),
]


@pytest.mark.parametrize(("rule", "change", "expected"), CASES)
def test_rule(minimal_problems, rule, change, expected):
    assert minimal_problems(change) == expected


def test_every_rule_has_a_case():
    assert {case.values[0] for case in CASES} == {rule.__name__ for rule in compatibility.RULES}


def test_warnings_do_not_stop_the_load(load_text, minimal):
    loaded = load_text(minimal.replace("  aws_region", "  id: placeholder\n  aws_region"))
    assert [w.code for w in loaded.warnings] == ["LZ502"]
    assert loaded.config.organization.known_id is None


def test_a_real_organization_id_is_kept(load_text, minimal):
    loaded = load_text(minimal.replace("  aws_region", "  id: o-abcd123456\n  aws_region"))
    assert loaded.warnings == ()
    assert loaded.config.organization.known_id == "o-abcd123456"


def test_the_state_bucket_alone_is_no_warning(load_text, minimal):
    """terraform.state.bucket has a Pulumi meaning: it names the state bucket."""
    assert load_text(minimal + "terraform: {state: {bucket: acme-state}}\n").warnings == ()
