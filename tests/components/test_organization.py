"""The organization is adopted (never created), protected, and owns trusted access and SCPs."""

from __future__ import annotations

import pytest

from cli.offline import FakeAws, run_offline
from components import build
from components.organization import TYPE

ORGANIZATION = "aws:organizations/organization:Organization"
GET_ORGANIZATION = "aws:organizations/getOrganization:getOrganization"
STACKSETS = "member.org.stacksets.cloudformation.amazonaws.com"
# The landing zone's own, then the security baseline's (docs/security-services.md).
BASE_SERVICES = ["cloudtrail.amazonaws.com", STACKSETS, "sso.amazonaws.com"]
BASELINE_SERVICES = ["access-analyzer.amazonaws.com", "account.amazonaws.com",
                     "config-multiaccountsetup.amazonaws.com", "config.amazonaws.com",
                     "guardduty.amazonaws.com", "malware-protection.guardduty.amazonaws.com",
                     "securityhub.amazonaws.com"]
EXAMPLE_SERVICES = sorted([*BASE_SERVICES, *BASELINE_SERVICES])
BASE_TYPES = ["RESOURCE_CONTROL_POLICY", "S3_POLICY", "SERVICE_CONTROL_POLICY"]
EXAMPLE_TYPES = sorted([*BASE_TYPES, "DECLARATIVE_POLICY_EC2", "SECURITYHUB_POLICY"])


def test_adopts_the_organization_with_all_features_scps_and_trusted_access(inventory, find):
    component = find.one(TYPE, "organization")
    [org] = find.children(component, ORGANIZATION)
    assert org.import_id == inventory.fake.organization_id, org.urn
    assert org.protect and not org.retain_on_delete, org.urn
    assert org.inputs == {
        "featureSet": "ALL", "awsServiceAccessPrincipals": EXAMPLE_SERVICES,
        "enabledPolicyTypes": EXAMPLE_TYPES}, org.urn
    assert find.provider_of(org).name == "management", org.urn
    # StackSets trusted access is turned on from CloudFormation before the organization lists it
    trusted = find.one("pulumi-python:dynamic/landingzone:StackSetsTrustedAccess",
                       "stacksets-trusted-access")
    assert trusted.urn in org.dependencies, org.urn


def test_trusted_access_is_managed_in_one_place_only(inventory):
    """Mixing the Organization's principals with AwsServiceAccess makes a perpetual diff."""
    assert not inventory.of_type("aws:organizations/awsServiceAccess:AwsServiceAccess")


def test_discovered_through_the_management_provider_when_the_config_has_no_id(inventory):
    tokens = [token for token, _ in inventory.fake.invokes]
    assert GET_ORGANIZATION in tokens


def test_outputs_are_known_in_both_modes_as_the_import_reads_the_live_organization(inventory):
    fake = inventory.fake
    assert inventory.outputs["organization_id"] == fake.organization_id
    assert inventory.outputs["root_id"] == fake.root_id
    assert inventory.outputs["management_account_id"] == fake.management_account_id


def test_an_organization_id_in_the_config_is_adopted(example_data, config_from, tmp_path):
    example_data["organization"]["id"] = "o-configured01"
    config = config_from(example_data, tmp_path)
    inventory = run_offline(lambda: build(config), fake=FakeAws(organization_id="o-configured01"))
    [org] = inventory.of_type(ORGANIZATION)
    assert org.import_id == "o-configured01", org.urn


@pytest.mark.parametrize("section, key, value, message", [
    ("organization", "id", "o-configured01",
     "config organization.id is o-configured01, but the stack's credentials reach organization "
     "o-exampleorg1"),
    ("accounts", "master", "999999999999",
     "the config's management account id is 999999999999, but organization o-exampleorg1 is "
     "managed by account 111111111111"),
])
def test_refuses_an_organization_other_than_the_configured_one(
        example_data, config_from, tmp_path, section, key, value, message):
    if section == "organization":
        example_data["organization"]["id"] = value
    else:
        example_data["accounts"][key]["id"] = value
    config = config_from(example_data, tmp_path)
    with pytest.raises(Exception, match=message):
        run_offline(lambda: build(config))


BROWNFIELD_SERVICES = ("config.amazonaws.com", "guardduty.amazonaws.com",
                       "member.org.stacksets.cloudformation.amazonaws.com", "ram.amazonaws.com",
                       "sso.amazonaws.com")
BROWNFIELD_TYPES = ("BACKUP_POLICY", "RESOURCE_CONTROL_POLICY", "TAG_POLICY")


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
@pytest.mark.parametrize(("services", "types", "expected_services", "expected_types"), [
    # greenfield: what enabling Identity Center leaves, plus what the landing zone requires
    (("sso.amazonaws.com",), (), EXAMPLE_SERVICES, EXAMPLE_TYPES),
    # brownfield: everything found on stays on (issue 11, item 2)
    (BROWNFIELD_SERVICES, BROWNFIELD_TYPES, sorted({*BROWNFIELD_SERVICES, *EXAMPLE_SERVICES}),
     sorted({*BROWNFIELD_TYPES, *EXAMPLE_TYPES})),
    # already complete: the lists are the live ones, so the import needs no update
    (tuple(EXAMPLE_SERVICES), tuple(EXAMPLE_TYPES), EXAMPLE_SERVICES, EXAMPLE_TYPES),
])
def test_never_turns_off_what_the_organization_has_on(example_config, services, types,
                                                       expected_services, expected_types,
                                                       preview):
    """Both inputs are complete lists: whatever they omit, pulumi-aws disables."""
    fake = FakeAws(trusted_services=services, enabled_policy_types=types)
    inventory = run_offline(lambda: build(example_config), fake=fake, preview=preview)
    [org] = inventory.of_type(ORGANIZATION)
    assert org.inputs["awsServiceAccessPrincipals"] == expected_services, org.urn
    assert org.inputs["enabledPolicyTypes"] == expected_types, org.urn
