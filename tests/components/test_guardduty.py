"""GuardDuty: designation per governed region from the management account, the
administrator's detector looked up (never created), organization configuration and
protection plans from the security tooling account, brownfield adoption."""

from __future__ import annotations

import pytest

from cli.offline import FakeAws, run_offline
from cli.offline.mocks import UNKNOWN
from components.landing_zone import build
from config.model.security.guardduty import MALWARE_PROTECTION_PRINCIPAL

ADMIN = "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount"
CONFIGURATION = "aws:guardduty/organizationConfiguration:OrganizationConfiguration"
FEATURE = "aws:guardduty/organizationConfigurationFeature:OrganizationConfigurationFeature"
ROLE = "aws:iam/serviceLinkedRole:ServiceLinkedRole"
DETECTOR = "aws:guardduty/getDetector:getDetector"
ORGANIZATION = "aws:organizations/organization:Organization"
DEFAULT_PLANS = ["EBS_MALWARE_PROTECTION", "EKS_AUDIT_LOGS", "LAMBDA_NETWORK_LOGS",
                 "RDS_LOGIN_EVENTS", "S3_DATA_EVENTS"]
THREE_REGIONS = ["us-east-1", "eu-west-1", "us-west-2"]
SECURITY_ID = "222222222222"


def provider_name(find, reg) -> str:
    return find.provider_of(reg).name


def test_designates_the_security_account_per_region_from_the_management_account(inventory, find):
    [admin] = inventory.of_type(ADMIN)
    [account] = [r for r in inventory.of_type("aws:organizations/account:Account")
                 if r.name == "account-security_tooling"]
    assert provider_name(find, admin) == "management", admin.urn
    assert admin.inputs["region"] == "us-east-1", admin.urn
    assert admin.inputs["adminAccountId"] == (account.id or UNKNOWN), admin.urn
    assert admin.retain_on_delete and admin.import_id is None, admin.urn


def test_trusted_access_then_role_then_designation_then_configuration(inventory, find):
    [org] = inventory.of_type(ORGANIZATION)
    [role] = inventory.of_type(ROLE)
    [admin] = inventory.of_type(ADMIN)
    [configuration] = inventory.of_type(CONFIGURATION)
    assert role.inputs["awsServiceName"] == "guardduty.amazonaws.com", role.urn
    assert provider_name(find, role) == "management", role.urn
    assert inventory.depends_on(admin, org) and inventory.depends_on(admin, role), admin.urn
    assert inventory.depends_on(configuration, admin), configuration.urn
    for feature in inventory.of_type(FEATURE):
        assert inventory.depends_on(feature, configuration), feature.urn


def test_enrolls_every_member_with_the_default_plans_from_the_security_account(inventory, find):
    [configuration] = inventory.of_type(CONFIGURATION)
    features = inventory.of_type(FEATURE)
    assert configuration.inputs["autoEnableOrganizationMembers"] == "ALL", configuration.urn
    assert sorted(f.inputs["name"] for f in features) == DEFAULT_PLANS
    for reg in [configuration, *features]:
        assert provider_name(find, reg) == "account-access-security_tooling", reg.urn
        assert reg.inputs["region"] == "us-east-1", reg.urn
        assert reg.inputs["detectorId"] == configuration.inputs["detectorId"], reg.urn
    assert all(f.inputs["autoEnable"] == "ALL" and "additionalConfigurations" not in f.inputs
               for f in features)


def test_the_detector_is_looked_up_after_designation_never_created(inventory):
    """A first preview cannot read a detector the designation has not made yet: the lookup
    waits for the designation, so preview shows it unknown; `up` reads the real one."""
    [configuration] = inventory.of_type(CONFIGURATION)
    assert not inventory.of_type("aws:guardduty/detector:Detector")
    if inventory.preview:
        assert configuration.inputs["detectorId"] == UNKNOWN, configuration.urn
        assert DETECTOR not in [token for token, _ in inventory.fake.invokes]
    else:
        assert configuration.inputs["detectorId"] == FakeAws().answer(
            DETECTOR, {}, "us-east-1")["id"], configuration.urn


def test_three_governed_regions(example_with, finder):
    inventory = example_with(organization={"governed_regions": THREE_REGIONS})
    admins, configurations = inventory.of_type(ADMIN), inventory.of_type(CONFIGURATION)
    assert sorted(r.inputs["region"] for r in admins) == sorted(THREE_REGIONS)
    assert sorted(r.inputs["region"] for r in configurations) == sorted(THREE_REGIONS)
    assert len(inventory.of_type(FEATURE)) == 3 * len(DEFAULT_PLANS)
    assert len(inventory.of_type(ROLE)) == 1
    detectors = {r.inputs["detectorId"] for r in configurations}
    assert len(detectors) == 3, "one detector per region"
    find = finder(inventory)
    assert {find.provider_of(r).name for r in configurations} == {
        "account-access-security_tooling"}


def test_runtime_monitoring_manages_its_agent_everywhere(example_with):
    inventory = example_with(security_baseline={"guardduty": {"protection_plans": {
        "runtime_monitoring": True, "s3_data_events": False}}})
    features = {f.inputs["name"]: f for f in inventory.of_type(FEATURE)}
    assert "S3_DATA_EVENTS" not in features
    runtime = features["RUNTIME_MONITORING"]
    assert runtime.inputs["additionalConfigurations"] == [
        {"name": agent, "autoEnable": "ALL"} for agent in
        ("EKS_ADDON_MANAGEMENT", "ECS_FARGATE_AGENT_MANAGEMENT", "EC2_AGENT_MANAGEMENT")]


def test_malware_protection_principal_only_with_the_plan(example_with):
    def principals(**plans):
        [org] = example_with(security_baseline={"guardduty": {"protection_plans": plans}}
                             ).of_type(ORGANIZATION)
        return org.inputs["awsServiceAccessPrincipals"]
    assert MALWARE_PROTECTION_PRINCIPAL in principals()
    assert MALWARE_PROTECTION_PRINCIPAL not in principals(ebs_malware_protection=False)


def test_off_builds_nothing(example_with):
    inventory = example_with(security_baseline={"guardduty": {"enabled": False}})
    assert not [r for r in inventory.registrations if r.type.startswith("aws:guardduty")]
    assert inventory.outputs["guardduty"] is None


def brownfield_config(example_data, config_from, tmp_path):
    example_data["accounts"]["security_tooling"]["id"] = SECURITY_ID
    return config_from(example_data, tmp_path)


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_adopts_an_existing_designation_and_role(example_data, config_from, tmp_path, preview):
    config = brownfield_config(example_data, config_from, tmp_path)
    fake = FakeAws(delegated_administrators={"guardduty.amazonaws.com": (SECURITY_ID,)},
                   service_linked_roles=("guardduty.amazonaws.com",))
    inventory = run_offline(lambda: build(config), fake=fake, preview=preview)
    [admin], [role] = inventory.of_type(ADMIN), inventory.of_type(ROLE)
    assert admin.import_id == SECURITY_ID, admin.urn
    assert role.import_id == (f"arn:aws:iam::{fake.management_account_id}:role/aws-service-role/"
                              "guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty"), role.urn
    # Adopted, the designation's detector is read in preview too: nothing is created twice.
    [configuration] = inventory.of_type(CONFIGURATION)
    assert configuration.inputs["detectorId"] == fake.answer(DETECTOR, {"region": "us-east-1"})["id"]


def test_refuses_to_replace_another_accounts_designation(example_data, config_from, tmp_path):
    config = brownfield_config(example_data, config_from, tmp_path)
    fake = FakeAws(delegated_administrators={"guardduty.amazonaws.com": ("333333333333",)})
    with pytest.raises(Exception, match="guardduty.amazonaws.com's delegated administrator is "
                       "account 333333333333, not the security tooling account 222222222222"):
        run_offline(lambda: build(config), fake=fake)


def test_a_later_run_finds_the_account_it_created_by_email(example_config):
    """No `id` in the config: the designation an earlier `pulumi up` made is the security
    tooling account's (found by its email), not another account's."""
    email = example_config.accounts["security_tooling"].email
    fake = FakeAws(accounts=(("444444444444", email.upper()),),
                   delegated_administrators={"guardduty.amazonaws.com": ("444444444444",)})
    inventory = run_offline(lambda: build(example_config), fake=fake)
    [admin] = inventory.of_type(ADMIN)
    assert admin.import_id == "444444444444", admin.urn
