"""Opt-in regions: enabled in every managed account from the management account, before
anything is built in them there."""

from __future__ import annotations

from components.region_opt_in import opt_ins
from config.organization_features import ACCOUNT_PRINCIPAL, required_trusted_services

REGION = "aws:account/region:Region"
STACK_INSTANCES = "aws:cloudformation/stackInstances:StackInstances"
ADMIN = "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount"
ANALYZER = "aws:accessanalyzer/analyzer:Analyzer"
ACCOUNT = "aws:organizations/account:Account"
OPT_IN = "af-south-1"
REGIONS = ["us-east-1", OPT_IN, "eu-west-1"]
MANAGED = ["dev", "log_archive", "master", "prod", "security_tooling", "shared_services", "test"]


def test_default_regions_need_nothing(inventory):
    assert not inventory.of_type(REGION)


def test_every_managed_account_enables_each_governed_opt_in_region(example_with, finder):
    inventory = example_with(organization={"governed_regions": REGIONS})
    find = finder(inventory)
    enabled = inventory.of_type(REGION)
    assert sorted(r.name for r in enabled) == [f"opt-in-regions-{k}-{OPT_IN}" for k in MANAGED]
    accounts = {r.name.removeprefix("account-"): r for r in inventory.of_type(ACCOUNT)}
    for reg in enabled:
        key = reg.name.removeprefix("opt-in-regions-").removesuffix(f"-{OPT_IN}")
        assert reg.inputs["regionName"] == OPT_IN and reg.inputs["enabled"] is True, reg.urn
        assert find.provider_of(reg).name == "management", reg.urn
        if key == "master":
            # The API refuses the caller's own id: the management account's has none.
            assert "accountId" not in reg.inputs, reg.urn
        else:
            assert reg.inputs["accountId"] == accounts[key].id, reg.urn


def test_nothing_is_built_in_an_opt_in_region_before_it_is_enabled(example_with):
    inventory = example_with(organization={"governed_regions": REGIONS})
    enabled = inventory.of_type(REGION)
    in_opt_in = [r for r in inventory.of_type(STACK_INSTANCES) if r.inputs["regions"] == [OPT_IN]]
    # The access-log buckets' and AWS Config's, and the management account's Config stack.
    in_opt_in.append(inventory.named(f"aws-config-master-{OPT_IN}"))
    assert len(in_opt_in) == 3
    for instances in in_opt_in:
        assert all(inventory.depends_on(instances, r) for r in enabled), instances.urn
    security = inventory.named(f"opt-in-regions-security_tooling-{OPT_IN}")
    [admin] = [r for r in inventory.of_type(ADMIN) if r.inputs["region"] == OPT_IN]
    [analyzer] = [r for r in inventory.of_type(ANALYZER) if r.inputs["region"] == OPT_IN]
    assert inventory.depends_on(admin, security) and inventory.depends_on(analyzer, security)
    in_home = [r for r in inventory.of_type(STACK_INSTANCES) if r.inputs["regions"] == ["us-east-1"]]
    assert len(in_home) == 2
    for home_instances in in_home:
        assert not any(inventory.depends_on(home_instances, r) for r in enabled), home_instances.urn


def test_an_opt_in_home_region_is_enabled_in_members_only(example_data, config_from, tmp_path):
    example_data["organization"]["aws_region"] = OPT_IN
    config = config_from(example_data, tmp_path)
    assert sorted(opt_ins(config)) == [(k, OPT_IN) for k in MANAGED if k != "master"]


def test_account_management_trusted_access_while_a_region_is_opt_in(
        example_data, config_from, tmp_path):
    example_data["security_baseline"] = {"account_defaults": {"enabled": False}}
    assert ACCOUNT_PRINCIPAL not in required_trusted_services(config_from(example_data, tmp_path))
    example_data["organization"]["governed_regions"] = [OPT_IN]
    assert ACCOUNT_PRINCIPAL in required_trusted_services(config_from(example_data, tmp_path))
