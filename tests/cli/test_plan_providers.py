"""`./lz plan` counts the provider processes a `pulumi up` starts: a constant, whatever the
number of accounts and governed regions (the per-account fan-out runs on StackSets)."""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

import pytest
import yaml

from cli.plan import make_plan, plan_document
from cli.plan.model import NO_ACCOUNT
from config import LandingZoneConfig, load

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "plan_scale.py"


BOUNDARY = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Deny", "Action": "organizations:*", "Resource": "*"}]}


def benchmark_data(accounts: int, regions: int) -> dict:
    """The benchmark's organization of `accounts` accounts, governing `regions` regions."""
    spec = importlib.util.spec_from_file_location("plan_scale", BENCHMARK)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    data = bench.organization(accounts)
    data["organization"]["governed_regions"] = ["eu-west-1", "ap-southeast-2"][:regions - 1]
    return data


def load_data(data: dict, path: Path) -> LandingZoneConfig:
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return load(path, use_local=False).config


@functools.cache
def generated(accounts: int, regions: int, tmp: Path, boundary: bool = False) -> LandingZoneConfig:
    """`boundary`: a permission set assigned in every account, with a customer-managed
    permissions boundary."""
    data = benchmark_data(accounts, regions)
    if boundary:
        data["sso"] = {
            "groups": {"admins": {"name": "Admins", "account_permission_sets": "admin"}},
            "permission_sets": {"admin": {"name": "Admin", "policies": ["AdministratorAccess"],
                                          "permissions_boundary": "boundary"}},
            "policies": {"boundary": {"name": "Boundary", "customer_managed": True,
                                      "document": BOUNDARY}}}
    return load_data(data, tmp / f"org-{accounts}-{regions}-{boundary}.yaml")


@pytest.mark.parametrize("regions", [1, 3])
@pytest.mark.parametrize("accounts", [10, 100, 1000])
def test_provider_processes_stay_constant(accounts, regions, tmp_path_factory):
    config = generated(accounts, regions, tmp_path_factory.getbasetemp())
    plan = make_plan(config)
    processes = plan.provider_processes()
    # management, the state account, the log archive; one Python process for the gates
    assert (processes.aws, processes.dynamic) == (3, 1)
    assert processes.aws_memory_mb == (510, 1290)
    summary = plan_document(plan)["summary"]
    assert summary["provider_processes"] == {
        "stack": "landing-zone/bootstrap", "aws": 3, "dynamic": 1, "aws_memory_mb": [510, 1290]}
    # the fan-out grows inside AWS: one stack set and one set of instances per region
    assert summary["by_type"]["aws:cloudformation/stackSet:StackSet"] == regions
    assert summary["by_type"]["aws:cloudformation/stackInstances:StackInstances"] == regions
    # nothing inside a member account is a Pulumi resource but the two key accounts'
    assert set(summary["by_account"]) == {"master", "log_archive", "shared_services", NO_ACCOUNT}


@pytest.mark.parametrize("accounts", [10, 1000])
def test_customer_managed_policies_add_no_provider(accounts, tmp_path_factory):
    """The policies travel by one more stack set through the management provider, whatever
    the number of accounts they are assigned in."""
    config = generated(accounts, 1, tmp_path_factory.getbasetemp(), boundary=True)
    summary = plan_document(make_plan(config))["summary"]
    assert summary["provider_processes"] == {
        "stack": "landing-zone/bootstrap", "aws": 3, "dynamic": 1, "aws_memory_mb": [510, 1290]}
    assert summary["by_type"]["aws:cloudformation/stackSet:StackSet"] == 2
    assert summary["by_type"]["aws:cloudformation/stackInstances:StackInstances"] == 2
    assert summary["by_type"]["aws:ssoadmin/accountAssignment:AccountAssignment"] == accounts


def test_the_text_plan_prints_the_processes_and_their_memory(capsys):
    from cli.main import main
    assert main(["plan", "--no-local"]) == 0
    out = capsys.readouterr().out
    assert ("Provider processes: stack landing-zone/bootstrap: `pulumi up` starts 4 aws provider "
            "process(es) + 1 Python process for dynamic resources; at 170-430 MB each "
            "(pulumi-aws#5226, #5860) the aws providers need 0.7-1.7 GB, held for the whole "
            "update (pulumi/pulumi#19534).") in out


@pytest.mark.parametrize("accounts", [10, 1000])
def test_the_security_baseline_adds_one_provider_and_lists_each_region(accounts, tmp_path):
    """With a security tooling account (the 4th provider), GuardDuty (its findings export
    included) and IAM Access Analyzer appear once per governed region, whatever the number of
    accounts."""
    data = benchmark_data(accounts, 3)
    data["organization"]["key_accounts"]["security_tooling"] = "acct_0000"
    plan = make_plan(load_data(data, tmp_path / "with-security.yaml"))
    summary = plan_document(plan)["summary"]
    assert summary["provider_processes"]["aws"] == 4
    by_type = summary["by_type"]
    assert by_type["aws:guardduty/organizationAdminAccount:OrganizationAdminAccount"] == 3
    assert by_type["aws:guardduty/organizationConfiguration:OrganizationConfiguration"] == 3
    assert by_type["aws:accessanalyzer/analyzer:Analyzer"] == 3
    # GuardDuty's findings: one destination per region, one bucket and key in the log archive.
    assert by_type["aws:guardduty/publishingDestination:PublishingDestination"] == 3
    assert "aws:account/region:Region" not in by_type  # eu-west-1 and ap-southeast-2 are default regions
    assert "acct_0000" in summary["by_account"]
