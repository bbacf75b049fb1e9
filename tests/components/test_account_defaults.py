"""Account defaults under Pulumi's mocks: the EC2 declarative policy on the root, alternate
contacts on every account and budgets, all from the management provider, after the
organization (its policy type and trusted access); and the provider count at 1,000 accounts."""

from __future__ import annotations

import json

import pytest

from cli.offline.mocks import UNKNOWN
from cli.plan import make_plan, run_program
from components.policies.ec2_declarative import ec2_declarative_policy
from config.model.security.account_defaults import Ec2Settings
from config.organization_features import required_trusted_services
from tests.cli.test_plan_providers import BENCHMARK

COMPONENT = "landing-zone:account_defaults:AccountDefaults"
CONTACT = "aws:account/alternativeContact:AlternativeContact"
POLICY = "aws:organizations/policy:Policy"
ATTACHMENT = "aws:organizations/policyAttachment:PolicyAttachment"
BUDGET = "aws:budgets/budget:Budget"
ORGANIZATION = "aws:organizations/organization:Organization"
ACCOUNTS = ["dev", "log_archive", "master", "prod", "security_tooling", "shared_services", "test"]
TYPES = ["billing", "operations", "security"]
BUDGET_SETTINGS = {"monthly_limit_usd": 250, "alert_emails": ["finops@example.invalid"]}


def ec2_policy(inv):
    return [r for r in inv.of_type(POLICY) if r.inputs["type"] == "DECLARATIVE_POLICY_EC2"]


def test_one_ec2_declarative_policy_on_the_root(inventory, find, example_config):
    [policy] = ec2_policy(inventory)
    assert policy.inputs["name"] == "acme-lz-ec2-account-defaults"
    assert json.loads(policy.inputs["content"]) == ec2_declarative_policy(Ec2Settings())
    assert find.provider_of(policy).name == "management"
    [organization] = inventory.of_type(ORGANIZATION)
    assert organization.urn in policy.dependencies  # the policy type is on first
    [attachment] = find.children(policy, ATTACHMENT)
    assert attachment.inputs["targetId"] == inventory.outputs["root_id"]
    assert attachment.provider == policy.provider
    assert organization.urn in attachment.dependencies


def test_contacts_on_every_account_from_the_management_account(inventory, find):
    contacts = {r.name.removeprefix("account-defaults-"): r for r in inventory.of_type(CONTACT)}
    assert sorted(contacts) == [f"{a}-{t}" for a in ACCOUNTS for t in TYPES]
    [organization] = inventory.of_type(ORGANIZATION)
    ids = {key: value["id"] for key, value in inventory.outputs["accounts"].items()}
    for name, contact in contacts.items():
        account, kind = name.rsplit("-", 1)
        assert find.provider_of(contact).name == "management", contact.urn
        assert organization.urn in contact.dependencies, contact.urn  # trusted access first
        assert contact.inputs["alternateContactType"] == kind.upper()
        if account == "master":  # the API takes no AccountId for the caller's own account
            assert "accountId" not in contact.inputs, contact.urn
        elif inventory.outputs["accounts"][account]["id"] != UNKNOWN:
            assert contact.inputs["accountId"] == ids[account], contact.urn
    security = contacts["dev-security"].inputs
    assert (security["name"], security["title"], security["emailAddress"],
            security["phoneNumber"]) == ("Security Team", "Security",
                                         "platform-team+security@example.com", "+1 555 0100")
    assert inventory.outputs["account_defaults"]["alternate_contacts"] == {
        account: TYPES for account in ACCOUNTS}


def test_member_contacts_wait_for_their_new_account(update_inventory):
    inv = update_inventory
    [dev] = [r for r in inv.of_type("aws:organizations/account:Account") if r.name == "account-dev"]
    [contact] = [r for r in inv.of_type(CONTACT) if r.name == "account-defaults-dev-security"]
    assert dev.urn in contact.dependencies


def test_without_contacts_none_are_made_and_no_trusted_access_is_asked(example_data, config_from,
                                                                       example_config, tmp_path):
    del example_data["security_baseline"]["account_defaults"]["alternate_contacts"]
    inv = run_program(config_from(example_data, tmp_path))
    assert inv.of_type(CONTACT) == []
    assert inv.outputs["account_defaults"]["alternate_contacts"] == {}
    assert "account.amazonaws.com" in required_trusted_services(example_config)
    [organization] = inv.of_type(ORGANIZATION)
    assert "account.amazonaws.com" not in organization.inputs["awsServiceAccessPrincipals"]


def test_budgets_are_off_by_default_and_one_per_account_when_set(inventory, example_with):
    assert inventory.of_type(BUDGET) == []
    assert inventory.outputs["account_defaults"]["budgets"] == []
    inv = example_with(security_baseline={"account_defaults": {"budget": BUDGET_SETTINGS}})
    budgets = {r.name: r for r in inv.of_type(BUDGET)}
    assert sorted(budgets) == [f"account-defaults-{a}-budget" for a in ACCOUNTS]
    dev = budgets["account-defaults-dev-budget"]
    assert dev.provider.endswith("::management")
    assert dev.inputs["name"] == "acme-lz-dev-monthly"
    assert (dev.inputs["budgetType"], dev.inputs["timeUnit"], dev.inputs["limitAmount"],
            dev.inputs["limitUnit"]) == ("COST", "MONTHLY", "250.00", "USD")
    assert dev.inputs["costFilters"] == [{"name": "LinkedAccount",
                                          "values": [inv.outputs["accounts"]["dev"]["id"]]}]
    assert [n["threshold"] for n in dev.inputs["notifications"]] == [80.0, 100.0]
    assert all(n["subscriberEmailAddresses"] == ["finops@example.invalid"]
               and n["thresholdType"] == "PERCENTAGE" and n["notificationType"] == "ACTUAL"
               for n in dev.inputs["notifications"])
    assert inv.outputs["account_defaults"]["budgets"] == ACCOUNTS


def test_every_ec2_setting_left_to_the_accounts_means_no_policy(example_with):
    ec2 = {"serial_console_access": None, "image_block_public_access": None,
           "snapshot_block_public_access": None, "imds_http_tokens": None, "imds_hop_limit": None}
    inv = example_with(security_baseline={"account_defaults": {"ec2": ec2}})
    assert ec2_policy(inv) == []
    assert inv.outputs["account_defaults"]["ec2_policy_id"] is None


def test_switched_off_there_is_nothing(example_with):
    inv = example_with(security_baseline={"account_defaults": {"enabled": False}})
    assert not [r for r in inv.registrations if r.type == COMPONENT]
    assert ec2_policy(inv) == [] and inv.of_type(CONTACT) == []
    assert inv.outputs["account_defaults"] is None
    [organization] = inv.of_type(ORGANIZATION)
    assert "DECLARATIVE_POLICY_EC2" not in organization.inputs["enabledPolicyTypes"]


@pytest.mark.parametrize("regions", [1, 3])
def test_a_thousand_accounts_with_three_contacts_keep_the_providers(regions, config_from,
                                                                    tmp_path):
    """3,000 contacts, all through the management provider: no provider per account."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("plan_scale", BENCHMARK)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    data = bench.organization(1000)
    data["organization"]["governed_regions"] = ["eu-west-1", "ap-southeast-2"][:regions - 1]
    contact = {"name": "Team", "title": "Team", "email_address": "team@example.invalid",
               "phone_number": "+1 555 0100"}
    data["security_baseline"] = {"account_defaults": {"alternate_contacts": {
        kind: contact for kind in TYPES}}}
    plan = make_plan(config_from(data, tmp_path))
    assert plan.count_by_type()[CONTACT] == 3000
    assert {plan.account_of(r) for r in plan.resources if r.type == CONTACT} == {"master"}
    processes = plan.provider_processes()
    assert (processes.aws, processes.dynamic) == (3, 1)


def test_preview_registers_the_same_resources(inventories):
    assert ({r.urn for r in inventories["preview"].registrations if "account-defaults" in r.urn}
            == {r.urn for r in inventories["update"].registrations if "account-defaults" in r.urn})

