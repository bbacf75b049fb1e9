"""`./lz plan`'s "Security baseline by account and region": read from the registered
resources, summarised for any number of accounts."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from cli.main import main
from cli.offline import Inventory
from cli.plan import make_plan, plan_document
from cli.plan.model import Plan
from cli.plan.security import BaselineRow, baseline_rows
from config import load
from tests.cli.test_plan_providers import benchmark_data, load_data

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "organization.yaml"
EVERY_7 = "every account (7), new ones included"
HOME = ("us-east-1",)
GLOBAL = ("global",)


def rows_of(plan: Plan) -> list[tuple]:
    return [(r.service, r.accounts, r.regions, r.how) for r in baseline_rows(plan)]


@pytest.fixture(scope="module")
def example():
    return load(EXAMPLE, use_local=False).config


EXAMPLE_ROWS = [
    ("GuardDuty", "security_tooling", HOME, ("delegated administrator (from master)",)),
    ("GuardDuty", "log_archive", HOME,
     ("other resources: kms:Alias, kms:Key, storage:HardenedBucket",)),
    ("GuardDuty", "master", GLOBAL, ("service-linked role: guardduty.amazonaws.com",)),
    ("GuardDuty", EVERY_7, HOME, (
        "findings exported (from security_tooling): arn:aws:s3:::acme-lz-guardduty-findings",
        "organization auto-enable (from security_tooling): ALL",
        "protection plans auto-enabled (from security_tooling): EBS_MALWARE_PROTECTION, "
        "EKS_AUDIT_LOGS, LAMBDA_NETWORK_LOGS, RDS_LOGIN_EVENTS, S3_DATA_EVENTS")),
    ("Security Hub", "security_tooling", HOME, (
        "delegated administrator (from master)",
        "configuration policy: acme-lz-security-hub-cspm-baseline",
        "finding aggregator: NO_REGIONS", "organization configuration: CENTRAL")),
    ("Security Hub", EVERY_7, GLOBAL,
     ("Organizations policy at the root (from master): SECURITYHUB_POLICY",)),
    ("Security Hub", EVERY_7, HOME, (
        "configuration policy, home region and the aggregator's linked regions "
        "(from security_tooling)",)),
    # AWS Config's key, bucket and stacks have no entry in MECHANISMS: they show by their
    # types (the bucket by its component) where their provider puts them.
    ("AWS Config", "security_tooling", GLOBAL, (
        "delegated administrator (from master): config.amazonaws.com",
        "other resources: iam:Role, iam:RolePolicyAttachment")),
    ("AWS Config", "log_archive", HOME,
     ("other resources: kms:Alias, kms:Key, storage:HardenedBucket",)),
    ("AWS Config", "master", HOME, ("other resources: cloudformation:Stack",)),
    ("AWS Config", EVERY_7, HOME, ("organization aggregator (from security_tooling)",)),
    ("AWS Config", "every member account (6), new ones included; never master", HOME,
     ("stack set fan-out (auto-deployment) (from master)",)),
    ("IAM Access Analyzer", "security_tooling", GLOBAL,
     ("delegated administrator (from master): access-analyzer.amazonaws.com",)),
    ("IAM Access Analyzer", EVERY_7, HOME,
     ("organization analyzer (from security_tooling): ORGANIZATION",)),
    ("Account defaults", "all 7 accounts", GLOBAL,
     ("alternate contacts (from master): BILLING, OPERATIONS, SECURITY",)),
    ("Account defaults", EVERY_7, GLOBAL,
     ("Organizations policy at the root (from master): DECLARATIVE_POLICY_EC2",)),
]


@pytest.mark.parametrize("preview", [False, True])
def test_the_example_lists_each_service_by_account_and_region(example, preview):
    """Accounts are found through the resources' dependencies on them, so a preview (ids
    unknown) reads the same as an update."""
    assert rows_of(make_plan(example, preview=preview)) == EXAMPLE_ROWS


def test_a_service_on_that_builds_nothing_says_so(example):
    """A service whose component is not (yet) in the program is not shown as covered."""
    plan = make_plan(example)
    components = {plan.inventory.named("guardduty").urn,
                  plan.inventory.named("guardduty-findings").urn}
    without = Inventory([r for r in plan.inventory.registrations if r.urn not in components
                         and r.parent not in components], plan.inventory.outputs, False,
                        plan.inventory.fake, registered_outputs=plan.inventory.registered_outputs)
    [row] = [r for r in baseline_rows(Plan(example, without)) if r.service == "GuardDuty"]
    assert row == BaselineRow("GuardDuty", "-", 0, (),
                              ("on in the config; this program builds nothing for it yet",))


def test_services_turned_off_have_no_rows_and_the_text_names_them(capsys, tmp_path):
    data = benchmark_data(10, 1)
    data["organization"]["key_accounts"]["security_tooling"] = "acct_0000"
    data["security_baseline"] = {"guardduty": {"enabled": False},
                                 "security_hub": {"enabled": False}}
    path = tmp_path / "off.yaml"
    load_data(data, path)
    assert main(["plan", str(path), "--no-local"]) == 0
    out = capsys.readouterr().out
    assert "Security baseline by account and region" in out
    assert "off: GuardDuty, Security Hub (security_baseline; warning LZ608 says why)" in out
    services = {row.service for row in baseline_rows(make_plan(load(path, use_local=False).config))}
    assert services == {"AWS Config", "IAM Access Analyzer", "Account defaults"}


def test_without_a_security_account_only_account_defaults_have_rows(tmp_path):
    """The benchmark's organization names no security tooling account (LZ608)."""
    config = load_data(benchmark_data(10, 3), tmp_path / "no-security.yaml")
    assert rows_of(make_plan(config)) == [
        ("Account defaults", "every account (10), new ones included", GLOBAL,
         ("Organizations policy at the root (from master): DECLARATIVE_POLICY_EC2",)),
    ]


CONTACT = {"name": "Security Team", "title": "Security", "email_address": "sec@example.invalid",
           "phone_number": "+1 555 0100"}


def scaled(accounts: int, tmp_path: Path):
    data = benchmark_data(accounts, 3)
    data["organization"]["key_accounts"]["security_tooling"] = "acct_0000"
    data["security_baseline"] = {
        "access_analyzer": {"unused_access": True},
        "account_defaults": {"alternate_contacts": {"security": CONTACT},
                             "budget": {"monthly_limit_usd": 100,
                                        "alert_emails": ["finops@example.invalid"]}}}
    return load_data(data, tmp_path / f"scaled-{accounts}.yaml")


def scaled_rows(accounts: int) -> list[tuple]:
    every = f"every account ({accounts:,}), new ones included"
    governed = ("us-east-1", "ap-southeast-2", "eu-west-1")
    return [
        ("GuardDuty", "acct_0000", governed, ("delegated administrator (from master)",)),
        # The findings export's bucket and key: one of each, in the log archive's home region.
        ("GuardDuty", "log_archive", HOME,
         ("other resources: kms:Alias, kms:Key, storage:HardenedBucket",)),
        ("GuardDuty", "master", GLOBAL, ("service-linked role: guardduty.amazonaws.com",)),
        ("GuardDuty", every, governed, (
            "findings exported (from acct_0000): arn:aws:s3:::bench-guardduty-findings",
            "organization auto-enable (from acct_0000): ALL",
            "protection plans auto-enabled (from acct_0000): EBS_MALWARE_PROTECTION, "
            "EKS_AUDIT_LOGS, LAMBDA_NETWORK_LOGS, RDS_LOGIN_EVENTS, S3_DATA_EVENTS")),
        ("Security Hub", "acct_0000", HOME, (
            "delegated administrator (from master)",
            "configuration policy: bench-security-hub-cspm-baseline",
            "finding aggregator: SPECIFIED_REGIONS ap-southeast-2, eu-west-1",
            "organization configuration: CENTRAL")),
        ("Security Hub", every, GLOBAL,
         ("Organizations policy at the root (from master): SECURITYHUB_POLICY",)),
        ("Security Hub", every, HOME, (
            "configuration policy, home region and the aggregator's linked regions "
            "(from acct_0000)",)),
        ("AWS Config", "acct_0000", GLOBAL, (
            "delegated administrator (from master): config.amazonaws.com",
            "other resources: iam:Role, iam:RolePolicyAttachment")),
        ("AWS Config", "log_archive", HOME,
         ("other resources: kms:Alias, kms:Key, storage:HardenedBucket",)),
        ("AWS Config", "master", governed, ("other resources: cloudformation:Stack",)),
        ("AWS Config", every, HOME, ("organization aggregator (from acct_0000)",)),
        ("AWS Config", f"every member account ({accounts - 1:,}), new ones included; never "
         "master", governed, ("stack set fan-out (auto-deployment) (from master)",)),
        ("IAM Access Analyzer", "acct_0000", GLOBAL,
         ("delegated administrator (from master): access-analyzer.amazonaws.com",)),
        ("IAM Access Analyzer", every, HOME,
         ("organization analyzer (from acct_0000): ORGANIZATION_UNUSED_ACCESS",)),
        ("IAM Access Analyzer", every, governed,
         ("organization analyzer (from acct_0000): ORGANIZATION",)),
        ("Account defaults", f"all {accounts:,} accounts", GLOBAL, (
            "alternate contacts (from master): SECURITY",
            "monthly cost budget with alerts (from master)")),
        ("Account defaults", every, GLOBAL,
         ("Organizations policy at the root (from master): DECLARATIVE_POLICY_EC2",)),
    ]


@pytest.mark.parametrize("accounts", [10, 1000])
def test_the_table_stays_the_same_size_at_any_number_of_accounts(accounts, tmp_path):
    """10 and 1,000 accounts in 3 governed regions: the same rows, members summarised; the
    JSON export carries them; reading 1,000 accounts' plan into rows takes well under a
    second (benchmarks/plan_scale.py budgets the whole plan)."""
    plan = make_plan(scaled(accounts, tmp_path))
    started = time.process_time()
    rows = rows_of(plan)
    assert time.process_time() - started < 1.0
    assert rows == scaled_rows(accounts)
    exported = json.loads(json.dumps(plan_document(plan)["summary"]["security_baseline"]))
    assert [(r["service"], r["accounts"], tuple(r["regions"]), tuple(r["how"]))
            for r in exported] == rows
    [every] = [r for r in exported if r["service"] == "GuardDuty"
               and r["accounts"].startswith("every account")]
    assert every["account_count"] == accounts


def test_the_text_plan_prints_whole_rows_into_a_pipe(capsys):
    """Captured output is no terminal: the table is as wide as its rows, never folded."""
    assert main(["plan", str(EXAMPLE), "--no-local"]) == 0
    out = capsys.readouterr().out
    table = out[out.index("Security baseline by account and region"):out.index("Provider processes")]
    assert ("│ GuardDuty           │ security_tooling                                          │ "
            "us-east-1 │ delegated administrator (from master)") in table
    assert ("protection plans auto-enabled (from security_tooling): EBS_MALWARE_PROTECTION, "
            "EKS_AUDIT_LOGS, LAMBDA_NETWORK_LOGS, RDS_LOGIN_EVENTS, S3_DATA_EVENTS │") in table
