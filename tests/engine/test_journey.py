"""3b-3d: `pulumi up` on a fresh moto organization, then the stack stays converged, `./lz verify`
finds no drift, protected resources stop `pulumi destroy`, retained ones outlive their removal.

The scenarios share one organization and run in order (`-n 0`): each starts from the state
the previous one left, as an operator's journey does.
"""

from __future__ import annotations

import json

from pathlib import Path

import pytest
import yaml

from config import load
from config.naming import access_log_bucket_name, access_log_stack_set_name
from config.security_baseline import services_on
from tests.engine.conftest import new_engine, new_organization
from tests.engine.harness import REGION, Engine, Moto

pytestmark = pytest.mark.engine

CONFIG = "config/organization.yaml"
DYNAMIC = "pulumi-python:dynamic/landingzone"
NEW_ACCOUNT = {"name": "Sandbox", "email": "platform-team+acme-lz-sandbox@example.invalid",
               "organizational_unit": "dev"}


@pytest.fixture(scope="module")
def journey(moto_server: Moto, engine_bin: Path, tmp_path_factory) -> Engine:
    moto_server.reset()
    new_organization(moto_server)
    engine = new_engine(moto_server, engine_bin, tmp_path_factory.mktemp("journey"))
    engine.pulumi("up", "--yes", "--skip-preview")
    return engine


def export(engine: Engine) -> list[dict]:
    return engine.pulumi("stack", "export").json()["deployment"]["resources"]


def planned(engine: Engine) -> list[dict]:
    return engine.lz("plan", "--no-local", CONFIG, "--json").json()["resources"]


def planned_urns(engine: Engine) -> set[str]:
    return {r["urn"] for r in planned(engine)}


def config_of(engine: Engine):
    return load(engine.project / CONFIG, use_local=False).config


def changes(engine: Engine) -> dict[str, str]:
    """URN -> operation of every step `pulumi preview` would take that changes something."""
    preview = engine.pulumi("preview", "--json").json()
    return {s["urn"]: s["op"] for s in preview["steps"] if s["op"] != "same"}


class _QuotingDigits(yaml.SafeDumper):
    """PyYAML leaves `061564816818` unquoted (not an octal to YAML 1.1), and the config loader
    then reads a number (LZ317): an account id with a leading zero broke the journey now and
    then. Strings of digits are written quoted."""


_QuotingDigits.add_representer(str, lambda dumper, value: dumper.represent_scalar(
    "tag:yaml.org,2002:str", value, style="'" if value.isdigit() else None))


def edit_config(engine: Engine, edit) -> None:
    path = engine.project / CONFIG
    document = yaml.safe_load(path.read_text())
    path.write_text(yaml.dump(edit(document), Dumper=_QuotingDigits, sort_keys=False))


def test_up_creates_everything_the_program_registers(journey: Engine, moto_server: Moto):
    resources = export(journey)
    in_state = {r["urn"] for r in resources if r["type"] != "pulumi:pulumi:Stack"}
    # Default providers are the engine's own bookkeeping; the plan shows only explicit ones.
    in_state = {u for u in in_state if "::pulumi:providers:pulumi-python::" not in u}
    assert in_state == planned_urns(journey)
    accounts = moto_server.client("organizations").list_accounts()["Accounts"]
    # the management account and every other one, created
    assert len(accounts) == len(config_of(journey).accounts)


def test_readiness_gates_ran_as_dynamic_provider_resources(journey: Engine, moto_server: Moto):
    kinds = ("AccountReadiness", "BaselineReadiness", "StackSetsTrustedAccess")
    gates = {kind: [r for r in export(journey) if r["type"] == f"{DYNAMIC}:{kind}"]
             for kind in kinds}
    # one per key account with a provider, one per account created in the run, one in all
    assert {k: len(v) for k, v in gates.items()} == {
        kind: sum(r["type"] == f"{DYNAMIC}:{kind}" for r in planned(journey)) for kind in kinds}
    # Each account created in the run has a gate per component that fans out to it: the
    # access-log buckets (customer policies included) and AWS Config's recorders, whose bucket
    # logs into the log archive's access-log bucket, so one gate cannot wait for both.
    config = config_of(journey)
    fanning_out = ["access-logs", *(["aws-config"] if "aws_config" in services_on(config) else [])]
    assert sorted(g["urn"].rsplit("::", 1)[1] for g in gates["BaselineReadiness"]) == sorted(
        f"{component}-{key}-baseline" for component in fanning_out
        for key in config.accounts if key != config.management_account)
    assert len(gates["StackSetsTrustedAccess"]) == 1
    for gate in [g for kind in gates.values() for g in kind]:
        # Pickled by the SDK into the state, run by pulumi-resource-pulumi-python.
        assert gate["inputs"]["__provider"], gate["urn"]
    assert gates["StackSetsTrustedAccess"][0]["outputs"]["status"] == "ENABLED"
    cloudformation = moto_server.client("cloudformation")
    for gate in gates["AccountReadiness"] + gates["BaselineReadiness"]:
        # Only a probe that found the account ready records `ready`.
        assert gate["outputs"]["ready"] is True, gate["urn"]
        assert gate["outputs"]["attempts"] >= 1, gate["urn"]
        assert gate["id"] == gate["outputs"]["account_id"], gate["urn"]
    for gate in gates["BaselineReadiness"]:
        for stack_set, region in gate["outputs"]["stack_sets"]:
            instance = cloudformation.describe_stack_instance(
                StackSetName=stack_set, StackInstanceAccount=gate["id"],
                StackInstanceRegion=region)["StackInstance"]
            assert instance["Status"] == "CURRENT", gate["urn"]


def test_what_needs_a_new_accounts_baseline_waits_for_its_gate(journey: Engine):
    """Issue 13's chain, as the engine recorded it: account -> its stack instances (the gate)
    -> what logs into its access-log bucket (the audit bucket, in the new log archive)."""
    resources = {r["urn"]: r for r in export(journey)}
    gate = next(u for u in resources if u.endswith("BaselineReadiness::access-logs-log_archive-baseline"))
    logging = next(u for u in resources if u.endswith("aws:s3/bucketLogging:BucketLogging::audit-bucket-logging"))
    assert gate in resources[logging]["dependencies"]
    account = next(u for u in resources if u.endswith("aws:organizations/account:Account::account-log_archive"))
    assert account in resources[gate]["dependencies"]


def test_converged_preview_expects_no_changes(journey: Engine):
    journey.pulumi("preview", "--expect-no-changes")


# Security baseline rows moto cannot answer (docs/testing.md): GuardDuty ListMembers (404) and
# IAM Access Analyzer (500) are missing from moto 5.2; moto's Security Hub designation does not
# enable Security Hub in the administrator; AWS Config's aggregator is in moto, but moto 5.2 has
# no DescribeConfigurationAggregatorSourcesStatus, and the recorders it would report are made by
# the Lambda-backed custom resource the stand-in does not hand to moto.
NOT_ANSWERED_HERE = {"VF013", "VF014", "VF015", "VF016"}


def test_verify_reports_no_drift(journey: Engine):
    result = journey.lz("verify", "--no-local", "--profile", "bootstrap-admin", CONFIG, "--json",
                        check=False)
    report = json.loads(result.stdout)
    drift = [item for item in report["items"]
             if item["status"] != "match" and item["id"] not in NOT_ANSWERED_HERE]
    assert drift == [], result.stdout + result.stderr
    assert report["counts"]["match"] > 40


def test_reordering_the_yaml_changes_nothing(journey: Engine):
    def reverse(document):
        for section in ("accounts", "organizational_units"):
            document[section] = dict(reversed(list(document[section].items())))
        document["sso"]["groups"] = dict(reversed(list(document["sso"]["groups"].items())))
        return document

    edit_config(journey, reverse)
    journey.pulumi("preview", "--expect-no-changes")


def test_adding_an_account_creates_only_its_resources(journey: Engine):
    before = planned_urns(journey)
    edit_config(journey, lambda d: {**d, "accounts": {**d["accounts"], "sandbox": NEW_ACCOUNT}})
    expected = planned_urns(journey) - before
    planned = changes(journey)
    assert set(planned.values()) == {"create"}
    assert set(planned) == expected
    journey.pulumi("up", "--yes", "--skip-preview")
    journey.pulumi("preview", "--expect-no-changes")


def test_retained_resources_survive_removal_from_the_config(journey: Engine, moto_server: Moto):
    """`action: remove` (with the id, LZ401), then the entry deleted (docs/lifecycle.md): the
    engine drops the account from the state without deleting it (retain_on_delete), so it
    stays in the organization, and StackSets keeps its baseline."""
    sandbox_id = journey.pulumi("stack", "output", "accounts", "--json").json()["sandbox"]["id"]
    edit_config(journey, lambda d: {**d, "accounts": {
        **d["accounts"], "sandbox": {**NEW_ACCOUNT, "id": sandbox_id, "action": "remove"}}})
    journey.pulumi("up", "--yes", "--skip-preview")
    account = next(r for r in export(journey)
                   if r["urn"].endswith("aws:organizations/account:Account::account-sandbox"))
    assert account.get("retainOnDelete") is True and not account.get("protect"), account

    edit_config(journey, lambda d: {**d, "accounts": {
        k: v for k, v in d["accounts"].items() if k != "sandbox"}})
    assert changes(journey)[account["urn"]] == "delete"
    journey.pulumi("up", "--yes", "--skip-preview")
    assert account["urn"] not in {r["urn"] for r in export(journey)}
    accounts = moto_server.client("organizations").list_accounts()["Accounts"]
    assert sandbox_id in {a["Id"] for a in accounts}
    config = config_of(journey)
    instance = moto_server.client("cloudformation").describe_stack_instance(
        StackSetName=access_log_stack_set_name(config, REGION), StackInstanceAccount=sandbox_id,
        StackInstanceRegion=REGION)["StackInstance"]
    assert instance["Status"] == "CURRENT"
    credentials = moto_server.client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{sandbox_id}:role/OrganizationAccountAccessRole",
        RoleSessionName="check")["Credentials"]
    s3 = moto_server.session().client(
        "s3", endpoint_url=moto_server.endpoint, aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"])
    s3.head_bucket(Bucket=access_log_bucket_name(config, sandbox_id, REGION))


def test_destroy_is_refused_while_protected_resources_exist(journey: Engine, moto_server: Moto):
    protected = {r["urn"] for r in journey.lz("plan", "--no-local", CONFIG, "--json").json()[
        "resources"] if r["protect"]}
    result = journey.pulumi("destroy", "--yes", "--skip-preview", check=False)
    assert result.returncode != 0
    assert "protect" in (result.stdout + result.stderr)
    # The engine deletes what depends on nothing protected before it stops at a protected
    # resource: every protected resource is still in the state and in AWS (docs/testing.md).
    assert protected <= {r["urn"] for r in export(journey)}
    accounts = moto_server.client("organizations").list_accounts()["Accounts"]
    assert len(accounts) == len(config_of(journey).accounts) + 1  # and the released sandbox
    moto_server.client("s3").head_bucket(Bucket="acme-lz-pulumi-state")  # protected: kept
