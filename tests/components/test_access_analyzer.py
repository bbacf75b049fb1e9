"""IAM Access Analyzer: delegation from the management account, an organization analyzer per
governed region in the security tooling account, the optional unused-access analyzer."""

from __future__ import annotations

import pytest

from cli.offline import FakeAws, run_offline
from cli.offline.mocks import UNKNOWN
from components.landing_zone import build

DELEGATION = "aws:organizations/delegatedAdministrator:DelegatedAdministrator"
ANALYZER = "aws:accessanalyzer/analyzer:Analyzer"
ORGANIZATION = "aws:organizations/organization:Organization"
PRINCIPAL = "access-analyzer.amazonaws.com"
SECURITY_ID = "222222222222"


def test_delegates_from_the_management_account_after_trusted_access(inventory, find):
    [delegation] = [r for r in inventory.of_type(DELEGATION)
                    if r.inputs["servicePrincipal"] == PRINCIPAL]
    [org] = inventory.of_type(ORGANIZATION)
    account = find.one("aws:organizations/account:Account", "account-security_tooling")
    assert find.provider_of(delegation).name == "management", delegation.urn
    assert delegation.inputs["accountId"] == (account.id or UNKNOWN), delegation.urn
    assert delegation.retain_on_delete and delegation.import_id is None, delegation.urn
    assert inventory.depends_on(delegation, org), delegation.urn
    assert PRINCIPAL in org.inputs["awsServiceAccessPrincipals"], org.urn


def test_one_organization_analyzer_in_the_security_account(inventory, find):
    [delegation] = [r for r in inventory.of_type(DELEGATION)
                    if r.inputs["servicePrincipal"] == PRINCIPAL]
    [analyzer] = inventory.of_type(ANALYZER)
    assert analyzer.inputs == {"analyzerName": "landing-zone-organization",
                               "type": "ORGANIZATION", "region": "us-east-1"}, analyzer.urn
    assert find.provider_of(analyzer).name == "account-access-security_tooling", analyzer.urn
    assert inventory.depends_on(analyzer, delegation), analyzer.urn


def test_an_analyzer_per_governed_region_and_one_unused_access_analyzer(example_with):
    regions = ["us-east-1", "eu-west-1", "us-west-2"]
    inventory = example_with(organization={"governed_regions": regions},
                             security_baseline={"access_analyzer": {
                                 "unused_access": True, "unused_access_age_days": 30}})
    analyzers = inventory.of_type(ANALYZER)
    organization = [a for a in analyzers if a.inputs["type"] == "ORGANIZATION"]
    [unused] = [a for a in analyzers if a.inputs["type"] == "ORGANIZATION_UNUSED_ACCESS"]
    assert sorted(a.inputs["region"] for a in organization) == sorted(regions)
    assert len([d for d in inventory.of_type(DELEGATION)
                if d.inputs["servicePrincipal"] == "access-analyzer.amazonaws.com"]) == 1
    assert unused.inputs == {
        "analyzerName": "landing-zone-unused-access", "type": "ORGANIZATION_UNUSED_ACCESS",
        "region": "us-east-1", "configuration": {"unusedAccess": {"unusedAccessAge": 30}}}


def test_unused_access_is_off_by_default(inventory):
    assert [a.inputs["type"] for a in inventory.of_type(ANALYZER)] == ["ORGANIZATION"]


def test_off_builds_nothing(example_with):
    inventory = example_with(security_baseline={"access_analyzer": {"enabled": False}})
    assert not inventory.of_type(ANALYZER)
    assert not [r for r in inventory.of_type(DELEGATION)
                if r.inputs["servicePrincipal"] == PRINCIPAL]


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_adopts_an_existing_delegation(example_data, config_from, tmp_path, preview):
    example_data["accounts"]["security_tooling"]["id"] = SECURITY_ID
    config = config_from(example_data, tmp_path)
    fake = FakeAws(delegated_administrators={PRINCIPAL: (SECURITY_ID,)})
    inventory = run_offline(lambda: build(config), fake=fake, preview=preview)
    [delegation] = [r for r in inventory.of_type(DELEGATION)
                    if r.inputs["servicePrincipal"] == PRINCIPAL]
    assert delegation.import_id == f"{SECURITY_ID}/{PRINCIPAL}", delegation.urn


def test_refuses_another_accounts_delegation(example_config):
    fake = FakeAws(delegated_administrators={PRINCIPAL: ("333333333333",)})
    with pytest.raises(Exception, match="access-analyzer.amazonaws.com's delegated "
                       "administrator is account 333333333333, not the security tooling "
                       "account. Name that account"):
        run_offline(lambda: build(example_config), fake=fake)
