"""`./lz verify` of the security baseline against moto, with the `service_gaps` fixture for
the three listings moto 5 lacks (GuardDuty ListMembers, Config's aggregator sources, Access
Analyzer ListAnalyzers). Each service is read once per region from the delegated
administrator, never once per account; alternate contacts are read per account."""

from __future__ import annotations

import json

from cli.main import main
from config import load

SERVICES = ("GuardDuty member", "Security Hub member", "AWS Config source",
            "IAM Access Analyzer analyzer", "account's alternate contacts")


def report(capsys, path) -> tuple[int, dict[tuple[str, str], dict]]:
    code = main(["verify", str(path), "--json"])
    data = json.loads(capsys.readouterr().out)
    return code, {(i["kind"], i["key"]): i for i in data["items"] if i["kind"] in SERVICES}


def test_built_baseline_matches_per_account_and_region(org_factory, security_config,
                                                       security_path, capsys):
    org = org_factory(security_config)
    code, items = report(capsys, security_path)
    assert code == 0, {k: v for k, v in items.items() if v["status"] != "match"}
    members = ["dev in us-east-1", "log_archive in us-east-1", "master in us-east-1",
               "prod in us-east-1", "shared_services in us-east-1"]
    keys = {kind: sorted(k for (x, k) in items if x == kind) for kind in SERVICES}
    assert keys == {
        # the administrator is no member of itself
        "GuardDuty member": members, "Security Hub member": members,
        # its own recorder is one of the aggregator's sources
        "AWS Config source": sorted([*members, "security_tooling in us-east-1"]),
        "IAM Access Analyzer analyzer": ["security_tooling in us-east-1"],
        "account's alternate contacts": ["dev", "log_archive", "master", "prod",
                                         "security_tooling", "shared_services"],
    }
    assert items[("GuardDuty member", "dev in us-east-1")]["aws_id"] == org.account_ids["dev"]
    assert items[("IAM Access Analyzer analyzer", "security_tooling in us-east-1")][
        "aws_id"] == "acme-organization"


def test_member_drift_is_reported_in_config_terms(org_factory, security_config, security_path,
                                                  capsys):
    org = org_factory(security_config)
    admin = org.account_ids["security_tooling"]
    records = org.gaps.records
    guardduty = records[("ListMembers", admin, "us-east-1")]
    guardduty[:] = [m for m in guardduty if m["accountId"] != org.account_ids["dev"]]
    next(m for m in guardduty if m["accountId"] == org.account_ids["prod"])[
        "relationshipStatus"] = "Disabled"
    sources = records[("DescribeConfigurationAggregatorSourcesStatus", admin, "us-east-1")]
    next(s for s in sources if s["SourceId"] == org.account_ids["log_archive"])[
        "LastUpdateStatus"] = "FAILED"
    records[("ListAnalyzers", admin, "us-east-1")][0]["status"] = "DISABLED"
    org.client("account").delete_alternate_contact(AlternateContactType="SECURITY",
                                                   AccountId=org.account_ids["dev"])
    code, items = report(capsys, security_path)
    assert code == 1
    drifted = {k: (v["status"], v["differences"], v["detail"]) for k, v in items.items()
               if v["status"] != "match"}
    assert drifted == {
        ("GuardDuty member", "dev in us-east-1"): ("missing", [], "not a GuardDuty member"),
        ("GuardDuty member", "prod in us-east-1"): (
            "different", [{"field": "status", "expected": "Enabled", "actual": "Disabled"}], ""),
        ("AWS Config source", "log_archive in us-east-1"): (
            "different", [{"field": "status", "expected": "SUCCEEDED", "actual": "FAILED"}], ""),
        ("IAM Access Analyzer analyzer", "security_tooling in us-east-1"): (
            "different", [{"field": "status", "expected": "ACTIVE", "actual": "DISABLED"}], ""),
        ("account's alternate contacts", "dev"): (
            "different", [{"field": "alternate contacts", "expected": "BILLING, OPERATIONS, "
                           "SECURITY", "actual": "BILLING, OPERATIONS"}], ""),
    }


def test_account_created_elsewhere_is_listed_with_what_it_lacks(org_factory, security_config,
                                                                security_path, capsys):
    org = org_factory(security_config)
    sandbox = org.create_account("Sandbox", "sandbox@example.invalid", org.ou_ids["dev"])
    code, items = report(capsys, security_path)
    assert code == 1
    for kind in ("GuardDuty member", "AWS Config source"):
        assert items[(kind, "Sandbox (not in the config) in us-east-1")]["status"] == "missing"
    assert items[("account's alternate contacts", "Sandbox (not in the config)")] == {
        "id": "VF017", "kind": "account's alternate contacts", "key": "Sandbox (not in the config)",
        "status": "missing", "aws_id": sandbox, "differences": [],
        "detail": "no alternate contact"}


def test_reads_grow_with_regions_not_accounts(org_factory, write_config, security_yaml,
                                              capsys):
    """Three governed regions: one member listing per service and region, whatever the number
    of accounts; the aggregator's sources once, from the home region."""
    path = write_config(security_yaml.replace(
        "  aws_region: us-east-1\n",
        "  aws_region: us-east-1\n  governed_regions: [us-east-1, eu-west-1, us-west-2]\n"),
        "regions.yaml")
    org = org_factory(load(path).config)
    for n in range(3):
        org.create_account(f"Extra {n}", f"extra{n}@example.invalid")
    report(capsys, path)
    assert org.gaps.calls["ListMembers"] == 3
    assert org.gaps.calls["ListAnalyzers"] == 3
    assert org.gaps.calls["DescribeConfigurationAggregatorSourcesStatus"] == 1
    code, items = report(capsys, path)
    # 6 config accounts + 3 extra, the administrator aside, in each of 3 regions
    assert sum(kind == "GuardDuty member" for kind, _ in items) == 8 * 3
    assert {k for (kind, k), v in items.items() if kind == "Security Hub member"
            and v["status"] != "match"} == {f"Extra {n} (not in the config) in {r}"
                                            for n in range(3)
                                            for r in ("us-east-1", "eu-west-1", "us-west-2")}


def test_missing_administrator_resources_are_one_item_each(org_factory, security_config,
                                                           security_path, capsys):
    org = org_factory(security_config)
    admin = org.account_ids["security_tooling"]
    guardduty = org.client("guardduty", "security_tooling")
    guardduty.delete_detector(DetectorId=guardduty.list_detectors()["DetectorIds"][0])
    org.client("securityhub", "security_tooling").disable_security_hub()
    org.client("config", "security_tooling").delete_configuration_aggregator(
        ConfigurationAggregatorName="acme-organization")
    org.gaps.records.pop(("ListAnalyzers", admin, "us-east-1"))
    code, items = report(capsys, security_path)
    assert code == 1
    assert {k: (v["status"], v["detail"]) for k, v in items.items()
            if k[0] != "account's alternate contacts"} == {
        ("GuardDuty member", "security_tooling in us-east-1"): (
            "missing", "no GuardDuty detector in the delegated administrator"),
        ("Security Hub member", "security_tooling in us-east-1"): (
            "missing", "Security Hub is not enabled in the delegated administrator"),
        ("AWS Config source", "security_tooling in us-east-1"): (
            "missing", "no organization aggregator"),
        ("IAM Access Analyzer analyzer", "security_tooling in us-east-1"): (
            "missing", "no organization analyzer"),
    }


def test_refused_role_leaves_the_services_unknown(org_factory, security_config, security_path,
                                                  capsys, faults):
    org_factory(security_config)
    faults.add("guardduty", "ListDetectors", "AccessDeniedException", times=None, status=403)
    code, items = report(capsys, security_path)
    assert code == 1
    assert items[("GuardDuty member", "GuardDuty")]["status"] == "unknown"
    assert items[("GuardDuty member", "GuardDuty")]["detail"].startswith("cannot read it: ")
    assert items[("Security Hub member", "dev in us-east-1")]["status"] == "match"


def test_without_the_security_account_the_services_are_one_unknown_item(org_factory,
                                                                        security_path, capsys):
    org_factory()  # built from the config without a security tooling account
    code, items = report(capsys, security_path)
    assert code == 1
    assert {k: (v["status"], v["detail"]) for k, v in items.items()
            if k[0] != "account's alternate contacts"} == {
        ("GuardDuty member", "security_tooling"): (
            "unknown", "the security tooling account is missing: no delegated administrator "
            "to read the security services from")}


def test_the_landing_zones_aggregator_is_read_when_there_are_several(
        org_factory, security_config, security_path, capsys):
    """A brownfield security account may hold another organization aggregator (an earlier
    one, listed first): VF015 reads the one components/aws_config.py builds."""
    org = org_factory(security_config)
    config = org.client("config", "security_tooling")
    ours = config.describe_configuration_aggregators()["ConfigurationAggregators"][0]
    config.delete_configuration_aggregator(
        ConfigurationAggregatorName=ours["ConfigurationAggregatorName"])
    for name in ("OrganizationConfigAggregator",
                 ours["ConfigurationAggregatorName"]):  # listed after the other one
        config.put_configuration_aggregator(
            ConfigurationAggregatorName=name,
            OrganizationAggregationSource=ours["OrganizationAggregationSource"])
    sources = org.gaps.records[("DescribeConfigurationAggregatorSourcesStatus",
                                org.account_ids["security_tooling"], "us-east-1")]
    sources[:] = [s for s in sources if s["SourceId"] != org.account_ids["dev"]]
    code, items = report(capsys, security_path)
    assert code == 1
    assert items[("AWS Config source", "dev in us-east-1")]["detail"] == (
        f"not a source of aggregator {ours['ConfigurationAggregatorName']}")
