"""A real Metastructure config (the template repo's own file) loads unchanged and resolves to
exactly what Metastructure made of it (see the README beside the fixture)."""

from __future__ import annotations

import pytest

from config import load
from config.assignments import assignments, customer_policy_refs
from config.documents import AUDIT_LOG_READER_KEY, BUILTIN_POLICY_KEYS
from config.naming import access_log_bucket_name, state_bucket_name
from config.topology import member_accounts

ACCOUNT_KEYS = ["dev", "log_archive", "master", "prod", "shared_services", "test"]


@pytest.fixture
def loaded(metastructure_path, tmp_path, monkeypatch):
    # config_override_path is also looked up from the working directory: use an empty one.
    monkeypatch.chdir(tmp_path)
    return load(metastructure_path)


def test_only_compatibility_warnings(loaded, metastructure_path):
    assert [(w.code, w.file, w.line, w.path) for w in loaded.warnings] == [
        ("LZ502", str(metastructure_path), 8, "organization.id"),
        ("LZ501", str(metastructure_path), 113, "terraform"),
    ]
    assert loaded.warnings[1].message == (
        "ignored (Terraform-only, no meaning for Pulumi): terraform.state.lock_table, "
        "terraform.state.key, terraform.aws_version, terraform.terraform_version, terraform.paths, "
        "workspaces, partials.")
    assert loaded.files == (str(metastructure_path),)


def test_account_emails(loaded):
    assert {k: a.email for k, a in loaded.config.accounts.items()} == {
        key: f"my-email+namespace-000-{key}@gmail.com" for key in ACCOUNT_KEYS}


def test_user_email(loaded):
    assert loaded.config.sso.users["test"].email == "my-email@gmail.com"


def test_state_bucket(loaded):
    """Built with `{{#if ...}}` from terraform.state.bucket."""
    assert loaded.config.terraform.state.bucket == "namespace-000-terraform-state"
    assert state_bucket_name(loaded.config) == "namespace-000-terraform-state"


def test_access_log_buckets(loaded):
    """Named by account id and region: one template serves every account."""
    config = loaded.config
    assert access_log_bucket_name(config, "222222222222", config.organization.aws_region) == \
        f"namespace-000-s3-access-logs-222222222222-{config.organization.aws_region}"


def test_master_is_adopted_not_created(loaded):
    config = loaded.config
    assert config.management_account == "master"
    assert "master" not in member_accounts(config)
    assert config.organization.known_id is None  # 'my-organization-id' is a placeholder


def test_every_group_in_every_account(loaded):
    """6 accounts x 2 groups, each group with its own permission set."""
    granted = {(a.principal, a.account, a.permission_set) for a in assignments(loaded.config)}
    assert granted == {(group, account, group) for group in ("terraform_admin", "terraform_deployment")
                       for account in ACCOUNT_KEYS}
    assert len(assignments(loaded.config)) == 12


def test_customer_policies_without_documents_use_builtins(loaded):
    policies = loaded.config.sso.policies
    # Metastructure's two; landing-zone's audit_log_reader is not in a Metastructure file.
    assert sorted(policies) == sorted(set(BUILTIN_POLICY_KEYS) - {AUDIT_LOG_READER_KEY})
    assert all(p.document is None for p in policies.values())
    assert {ps: customer_policy_refs(loaded.config, ps) for ps in loaded.config.sso.permission_sets} == {
        "terraform_admin": ["sso_terraform_state_writer"],
        "terraform_deployment": ["sso_terraform_state_writer", "unprotected_resource_writer"]}


def test_config_override_path_from_the_working_directory(metastructure_path, tmp_path, monkeypatch):
    """The fixture names src/metastructure.local.yml, relative to where Metastructure ran."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "metastructure.local.yml").write_text(
        "organization:\n  tokens:\n    owner: someone-else\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    loaded = load(metastructure_path)
    assert loaded.config.accounts["dev"].email == "someone-else+namespace-000-dev@gmail.com"
    assert loaded.files[-1] == str(tmp_path / "src" / "metastructure.local.yml")
