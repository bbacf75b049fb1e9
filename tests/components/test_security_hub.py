"""Security Hub: the Organizations policy turns on the new Security Hub per governed region;
Security Hub CSPM runs through central configuration from the security tooling account, in
the order trusted access -> delegation -> aggregator -> organization configuration ->
configuration policy -> its root association."""

from __future__ import annotations

import dataclasses
import json

import pytest

from cli.offline import run_offline
from cli.plan import run_program
from cli.plan.model import fake_aws_for
from components.landing_zone import build
from components.security_hub import TYPE

POLICY = "aws:organizations/policy:Policy"
ATTACHMENT = "aws:organizations/policyAttachment:PolicyAttachment"
ORGANIZATION = "aws:organizations/organization:Organization"
ADMIN = "aws:securityhub/organizationAdminAccount:OrganizationAdminAccount"
AGGREGATOR = "aws:securityhub/findingAggregator:FindingAggregator"
ORG_CONFIGURATION = "aws:securityhub/organizationConfiguration:OrganizationConfiguration"
CONFIGURATION_POLICY = "aws:securityhub/configurationPolicy:ConfigurationPolicy"
ASSOCIATION = "aws:securityhub/configurationPolicyAssociation:ConfigurationPolicyAssociation"
SECURITY_HUB_TYPES = (ADMIN, AGGREGATOR, ORG_CONFIGURATION, CONFIGURATION_POLICY, ASSOCIATION)
HOME = "us-east-1"
SECURITY_PROVIDER = "account-access-security_tooling"
PRINCIPAL = "securityhub.amazonaws.com"
ADOPTED_ID = "333333333333"


def security_hub_resources(inventory) -> list:
    [component] = inventory.of_type(TYPE)
    return [r for r in inventory.registrations if component in inventory.ancestors(r)]


def test_the_security_hub_policy_turns_it_on_in_the_governed_regions_at_the_root(inventory, find):
    policy = find.one(POLICY, "security-hub-policy")
    assert find.provider_of(policy).name == "management", policy.urn
    assert (policy.inputs["type"], policy.inputs["name"]) == ("SECURITYHUB_POLICY",
                                                              "acme-lz-security-hub")
    assert json.loads(policy.inputs["content"]) == {"securityhub": {
        "enable_in_regions": {"@@assign": [HOME],
                              "@@operators_allowed_for_child_policies": ["@@append"]},
        "disable_in_regions": {"@@assign": [],
                               "@@operators_allowed_for_child_policies": ["@@none"]}}}
    # The policy type is enabled by the organization: the policy waits for it.
    assert find.one(ORGANIZATION, "organization").urn in policy.dependencies
    attachment = find.one(ATTACHMENT, "security-hub-policy-root")
    assert attachment.inputs["targetId"] == "r-ex01"
    assert find.provider_of(attachment).name == "management", attachment.urn
    assert find.one(ADMIN, "security-hub-admin").urn in attachment.dependencies


def test_the_management_account_designates_the_security_account_after_trusted_access(
        inventory, find, example_config):
    admin = find.one(ADMIN, "security-hub-admin")
    assert find.provider_of(admin).name == "management", admin.urn
    # Trusted access for securityhub.amazonaws.com is on the Organization resource.
    organization = find.one(ORGANIZATION, "organization")
    assert PRINCIPAL in organization.inputs["awsServiceAccessPrincipals"]
    assert "SECURITYHUB_POLICY" in organization.inputs["enabledPolicyTypes"]
    assert organization.urn in admin.dependencies
    # ... and after the security account answers (its provider waits for the account).
    assert find.provider_of(find.one(AGGREGATOR, "security-hub-aggregator")).urn in admin.dependencies
    # Never the management account; the security tooling account's id.
    account = find.one("aws:organizations/account:Account", "account-security_tooling")
    if account.id is not None:
        assert admin.inputs["adminAccountId"] == account.id
    # Replacing or deleting it deletes the configuration policies: protected, nothing adopted.
    assert admin.protect and admin.import_id is None
    # No securityhub.Account anywhere: designation enables Security Hub CSPM in the admin.
    assert not inventory.of_type("aws:securityhub/account:Account")


def test_central_configuration_runs_from_the_security_account_in_order(inventory, find):
    admin = find.one(ADMIN, "security-hub-admin")
    aggregator = find.one(AGGREGATOR, "security-hub-aggregator")
    configuration = find.one(ORG_CONFIGURATION, "security-hub-organization-configuration")
    policy = find.one(CONFIGURATION_POLICY, "security-hub-configuration-policy")
    association = find.one(ASSOCIATION, "security-hub-configuration-policy-root")
    for resource in (aggregator, configuration, policy, association):
        assert find.provider_of(resource).name == SECURITY_PROVIDER, resource.urn
        assert "region" not in resource.inputs, resource.urn  # the home region's provider
    assert admin.urn in aggregator.dependencies
    assert aggregator.urn in configuration.dependencies
    assert configuration.urn in policy.dependencies
    assert aggregator.inputs == {"linkingMode": "NO_REGIONS"}
    assert configuration.inputs == {"autoEnable": False, "autoEnableStandards": "NONE",
                                    "organizationConfiguration": {"configurationType": "CENTRAL"}}
    assert policy.inputs["name"] == "acme-lz-security-hub-cspm-baseline"
    assert policy.inputs["configurationPolicy"] == {
        "serviceEnabled": True,
        "enabledStandardArns": [
            f"arn:aws:securityhub:{HOME}::standards/aws-foundational-security-best-practices/v/1.0.0",
            f"arn:aws:securityhub:{HOME}::standards/cis-aws-foundations-benchmark/v/3.0.0"],
        "securityControlsConfiguration": {"disabledControlIdentifiers": []}}
    assert association.inputs["targetId"] == "r-ex01"
    if policy.id is not None:
        assert association.inputs["policyId"] == policy.id


def test_the_stack_output_names_admin_and_regions(update_inventory):
    summary = update_inventory.outputs["security_hub"]
    assert summary["home_region"] == HOME and summary["linked_regions"] == []
    assert summary["admin_account_id"] == update_inventory.outputs["accounts"][
        "security_tooling"]["id"]


@pytest.mark.parametrize("regions, aggregate, linking", [
    ([], True, {"linkingMode": "NO_REGIONS"}),
    (["eu-west-1", "ap-southeast-2"], True,
     {"linkingMode": "SPECIFIED_REGIONS", "specifiedRegions": ["ap-southeast-2", "eu-west-1"]}),
    (["eu-west-1", "ap-southeast-2"], False, {"linkingMode": "NO_REGIONS"}),
])
def test_governed_regions_are_linked_to_the_home_region(example_with, finder, regions, aggregate,
                                                        linking):
    found = finder(example_with(
        organization={"governed_regions": regions},
        security_baseline={"security_hub": {"aggregate_regions": aggregate}}))
    assert found.one(AGGREGATOR, "security-hub-aggregator").inputs == linking
    policy = found.one(POLICY, "security-hub-policy")
    enabled = json.loads(policy.inputs["content"])["securityhub"]["enable_in_regions"]
    assert enabled["@@assign"] == [HOME, *sorted(regions)]
    # The same seven resources and one attachment whatever the number of regions: no provider, no resource per
    # region (the configuration policy reaches the linked regions by itself).
    assert sorted(r.type for r in security_hub_resources(found.inventory)) == sorted(
        (*SECURITY_HUB_TYPES, POLICY, ATTACHMENT))


def test_standards_and_disabled_controls_come_from_the_config(example_with, finder):
    found = finder(example_with(security_baseline={"security_hub": {
        "standards": ["aws-foundational-security-best-practices/v/1.0.0"],
        "disabled_controls": ["IAM.6", "EC2.10", "IAM.6"]}}))
    policy = found.one(CONFIGURATION_POLICY, "security-hub-configuration-policy")
    assert policy.inputs["configurationPolicy"]["enabledStandardArns"] == [
        f"arn:aws:securityhub:{HOME}::standards/aws-foundational-security-best-practices/v/1.0.0"]
    assert policy.inputs["configurationPolicy"]["securityControlsConfiguration"] == {
        "disabledControlIdentifiers": ["EC2.10", "IAM.6"]}


def test_turned_off_it_builds_nothing(example_with):
    inventory = example_with(security_baseline={"security_hub": {"enabled": False}})
    assert not inventory.of_type(TYPE)
    assert not [r for r in inventory.registrations if r.type.startswith("aws:securityhub/")]
    assert inventory.outputs["security_hub"] is None
    assert not [p for p in inventory.of_type(POLICY) if p.inputs["type"] == "SECURITYHUB_POLICY"]


def test_without_a_security_account_it_stays_off(example_data, config_from, tmp_path):
    del example_data["organization"]["key_accounts"]["security_tooling"]
    inventory = run_program(config_from(example_data, tmp_path))
    assert not inventory.of_type(TYPE)
    assert inventory.outputs["security_hub"] is None


def brownfield(example_data, config_from, tmp_path, admins: tuple[str, ...],
               known_id: str | None = ADOPTED_ID):
    if known_id:
        example_data["accounts"]["security_tooling"]["id"] = known_id
    config = config_from(example_data, tmp_path)
    fake = dataclasses.replace(fake_aws_for(config), delegated_administrators={PRINCIPAL: admins})
    return run_offline(lambda: build(config), fake=fake)


def test_an_existing_designation_of_the_security_account_is_adopted(example_data, config_from,
                                                                     tmp_path, finder):
    found = finder(brownfield(example_data, config_from, tmp_path, (ADOPTED_ID,)))
    admin = found.one(ADMIN, "security-hub-admin")
    assert admin.import_id == ADOPTED_ID
    assert admin.inputs["adminAccountId"] == ADOPTED_ID
    assert len(found.inventory.of_type(ADMIN)) == 1


def test_another_delegated_administrator_is_never_replaced(example_data, config_from, tmp_path):
    with pytest.raises(Exception, match="Security Hub's delegated administrator is account "
                       "444444444444, not the security tooling account"):
        brownfield(example_data, config_from, tmp_path, ("444444444444",))


def test_a_new_security_account_is_designated_whoever_holds_the_seat(example_data, config_from,
                                                                     tmp_path, finder):
    """A new account cannot be the administrator yet; on later runs it is, through this very
    resource in the state: no lookup can tell, so nothing is imported and nothing refused."""
    found = finder(brownfield(example_data, config_from, tmp_path, ("444444444444",),
                              known_id=None))
    assert found.one(ADMIN, "security-hub-admin").import_id is None
