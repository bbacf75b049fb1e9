"""Providers for the management account and the key accounts only, each key-account provider
behind its readiness gate: the provider count does not grow with the organization."""

from __future__ import annotations

import pulumi
import pytest

from cli.offline import run_offline
from cli.plan import fake_aws_for
from components import build
from components.account_access import TYPE, AccountAccess, AccountAccessArgs, StackAws
from components.tags import MANAGED_TAG_KEY

PROVIDER = "pulumi:providers:aws"
READINESS = "pulumi-python:dynamic/landingzone:AccountReadiness"
# The key accounts the program builds in (state backend, log archive); other members have none.
MEMBERS = ("log_archive", "security_tooling", "shared_services")
STACK_CONFIG = {"aws:profile": "bootstrap-admin", "aws:region": "us-east-1"}
EXPECTED_TAGS = {"tags": {"Owner": "platform-team", MANAGED_TAG_KEY: "true"}}


@pytest.fixture(scope="module", params=["update", "preview"])
def with_stack_config(request, example_config):
    """The example org run with the bootstrap stack's `aws:` settings."""
    return run_offline(lambda: build(example_config), preview=request.param == "preview",
                       fake=fake_aws_for(example_config), config=STACK_CONFIG)


def test_providers_only_for_the_key_accounts(inventory, find):
    component = find.one(TYPE, "account-access")
    providers = find.children(component, PROVIDER)
    assert sorted(p.name for p in providers) == [f"account-access-{k}" for k in MEMBERS]
    gates = find.children(component, READINESS)
    assert sorted(g.name for g in gates) == [f"account-access-{k}-readiness" for k in MEMBERS]


def test_member_providers_assume_the_access_role_into_their_account_only(inventory, find):
    for key in MEMBERS:
        provider = find.one(PROVIDER, f"account-access-{key}")
        account = find.one("aws:organizations/account:Account", f"account-{key}")
        assert provider.inputs["region"] == "us-east-1", provider.urn
        assert find.setting(provider, "defaultTags") == EXPECTED_TAGS, provider.urn
        if inventory.preview:  # the new account's id is unknown until it exists
            assert provider.inputs["assumeRoles"] == "<unknown>", provider.urn
            continue
        assert find.setting(provider, "assumeRoles") == [{
            "roleArn": f"arn:aws:iam::{account.id}:role/OrganizationAccountAccessRole",
            "sessionName": "landing-zone"}], provider.urn
        assert find.setting(provider, "allowedAccountIds") == [account.id], provider.urn


def test_readiness_gates_every_member_provider(inventory, find):
    for key in MEMBERS:
        provider = find.one(PROVIDER, f"account-access-{key}")
        gate = find.one(READINESS, f"account-access-{key}-readiness")
        account = find.one("aws:organizations/account:Account", f"account-{key}")
        assert gate.urn in provider.dependencies, provider.urn
        assert account.urn in gate.dependencies, gate.urn
        expected_id = "<unknown>" if inventory.preview else account.id
        assert gate.inputs["account_id"] == expected_id, gate.urn
        assert gate.inputs["role_name"] == "OrganizationAccountAccessRole", gate.urn
        assert gate.inputs["timeout_seconds"] == 900, gate.urn
        assert gate.inputs["region"] == "us-east-1", gate.urn


def test_every_resource_inside_a_member_account_waits_for_its_readiness(inventory, find):
    gates = {find.one(PROVIDER, f"account-access-{k}").urn: find.one(
        READINESS, f"account-access-{k}-readiness") for k in MEMBERS}
    inside = [r for r in inventory.registrations if r.provider in gates]
    assert len(inside) >= 6 * len(MEMBERS)  # at least each key account's bucket
    for reg in inside:
        assert inventory.depends_on(reg, gates[reg.provider]), reg.urn


def test_the_management_account_uses_the_stack_credentials(with_stack_config):
    management = with_stack_config.named("management")
    assert management.type == PROVIDER, management.urn
    assert management.inputs["profile"] == "bootstrap-admin", management.urn
    assert management.inputs["region"] == "us-east-1", management.urn
    assert "assumeRoles" not in management.inputs, management.urn
    # The management account's id is not in the example config: nothing to pin it to.
    assert "allowedAccountIds" not in management.inputs, management.urn
    for key in MEMBERS:
        member = with_stack_config.named(f"account-access-{key}")
        # Members assume their role from the same profile (explicit providers ignore aws:*).
        assert member.inputs["profile"] == "bootstrap-admin", member.urn
        gate = with_stack_config.named(f"account-access-{key}-readiness")
        assert gate.inputs["profile"] == "bootstrap-admin", gate.urn


def test_the_management_provider_is_pinned_to_a_known_management_account(
        example_data, config_from, tmp_path, finder):
    example_data["accounts"]["master"]["id"] = "123456789012"
    config = config_from(example_data, tmp_path)
    inventory = run_offline(lambda: build(config), fake=fake_aws_for(config))
    management = finder(inventory).one(PROVIDER, "management")
    assert finder.setting(management, "allowedAccountIds") == ["123456789012"], management.urn


def test_provider_for_names_what_is_missing(example_config):
    checked = []

    def program():
        management = pulumi.ProviderResource("aws", "management", {})
        account_ids = {key: f"2222222222{index:02d}"
                       for index, key in enumerate(sorted(example_config.accounts))}
        access = AccountAccess("access", AccountAccessArgs(
            config=example_config, stack=StackAws(profile=None, region="us-east-1"),
            management_provider=management, account_ids=account_ids))
        assert access.provider_for("master") is management
        assert access.provider_for("log_archive") is access.providers["log_archive"]
        assert access.provider_for("log_archive") is not management
        with pytest.raises(KeyError, match="account 'dev' has no provider: only the "
                                           "management account and the key accounts"):
            access.provider_for("dev")
        checked.append(True)

    run_offline(program)
    assert checked


def test_read_only_sessions_for_ci_previews(example_config, finder, monkeypatch):
    """LANDING_ZONE_READ_ONLY=true (the CI preview job) reaches every key account (the only member accounts it has providers for) through the
    read-only role the program made there, never through the access role."""
    monkeypatch.setenv("LANDING_ZONE_READ_ONLY", "true")
    find = finder(run_offline(lambda: build(example_config), fake=fake_aws_for(example_config),
                              config=STACK_CONFIG))
    for key in MEMBERS:
        provider = find.one(PROVIDER, f"account-access-{key}")
        [assume_role] = find.setting(provider, "assumeRoles")
        assert assume_role["roleArn"].endswith(":role/landing-zone-read-only"), provider.urn
        assert "policyArns" not in assume_role, provider.urn
