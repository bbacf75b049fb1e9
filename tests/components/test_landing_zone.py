"""The whole program: the example org's pinned inventory, a real Metastructure file, names that
never depend on YAML order, and `__main__.py`."""

from __future__ import annotations

import runpy
from collections import Counter
from pathlib import Path

import pulumi
import pytest
import yaml

from cli.offline import run_offline
from cli.plan import Plan, run_program
from config import load

REPO_ROOT = Path(__file__).resolve().parents[2]
METASTRUCTURE = REPO_ROOT.parent / "shared" / "fixtures" / "metastructure" / "metastructure.yml"
# The components of this part of the program; others (SSO, audit, guardrails) pin their own.
CORE_COMPONENTS = {
    "landing-zone:organization:Organization", "landing-zone:organizational_units:OrganizationalUnits",
    "landing-zone:accounts:Accounts", "landing-zone:account_access:AccountAccess",
    "landing-zone:access_logs:AccessLogs", "landing-zone:state_backend:StateBackend",
}
CORE_OUTPUTS = {"organization_id", "root_id", "management_account_id", "account_role_name",
                "accounts", "organizational_units", "state_backend", "access_log_buckets"}


def core(inventory):
    """The management provider and everything inside the core components."""
    def is_core(reg):
        return (reg.type in CORE_COMPONENTS or reg.name == "management"
                or any(a.type in CORE_COMPONENTS for a in inventory.ancestors(reg)))
    return [r for r in inventory.registrations if is_core(r)]


def state_bucket(inventory):
    [bucket] = [b for b in inventory.of_type("aws:s3/bucket:Bucket") if b.name == "state-backend-bucket"]
    return bucket


def test_example_inventory_is_pinned(inventory):
    plan = Plan(load(REPO_ROOT / "config" / "organization.yaml", use_local=False).config, inventory)
    resources = [r for r in core(inventory) if r.custom]
    assert dict(sorted(Counter(r.type for r in resources).items())) == {
        "aws:cloudformation/stackInstances:StackInstances": 1,
        "aws:cloudformation/stackSet:StackSet": 1,
        "aws:kms/alias:Alias": 2,
        "aws:kms/key:Key": 2,
        "aws:organizations/account:Account": 6,
        "aws:organizations/organization:Organization": 1,
        "aws:organizations/organizationalUnit:OrganizationalUnit": 6,
        "aws:s3/bucket:Bucket": 2,
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": 2,
        "aws:s3/bucketLogging:BucketLogging": 1,
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls": 2,
        "aws:s3/bucketPolicy:BucketPolicy": 2,
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 2,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 2,
        "aws:s3/bucketVersioning:BucketVersioning": 2,
        "pulumi-python:dynamic/landingzone:AccountReadiness": 3,
        "pulumi-python:dynamic/landingzone:BaselineReadiness": 6,
        # management, the state account, the log archive and the security tooling account:
        # whatever the number of accounts
        "pulumi:providers:aws": 4,
    }
    by_account = Counter(plan.account_of(r) for r in resources)
    assert dict(by_account) == {
        # organization, 6 OUs, 6 accounts, its log bucket (7), the stack set and its
        # instances, its own provider
        "master": 23,
        # its provider, the two state keys and aliases, the state bucket (8): its log bucket
        # is the stack set's
        "shared_services": 13,
        "log_archive": 1,  # its provider; the audit component pins the rest
        "security_tooling": 1,  # its provider; the security services pin the rest
        None: 9,  # readiness and baseline gates run in the program, with management credentials
    }


def test_components_parent_their_children_and_register_outputs(inventory):
    for reg in core(inventory):
        if reg.custom and reg.name != "management":
            assert reg.parent in inventory.by_urn, f"{reg.urn} has no component parent"
        if not reg.custom:
            assert reg.type.startswith("landing-zone:"), reg.urn
            assert inventory.registered_outputs.get(reg.urn), f"{reg.urn} registered no outputs"


def test_stack_outputs(inventory):
    assert CORE_OUTPUTS <= set(inventory.outputs)
    assert inventory.outputs["account_role_name"] == "OrganizationAccountAccessRole"


@pytest.fixture(scope="module")
def metastructure():
    if not METASTRUCTURE.is_file():
        pytest.skip(f"the Metastructure fixture is not here: {METASTRUCTURE}")
    return load(METASTRUCTURE, use_local=False).config


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_a_real_metastructure_file_plans(metastructure, preview):
    inventory = run_program(metastructure, preview=preview)
    assert len(inventory.of_type("aws:organizations/organizationalUnit:OrganizationalUnit")) == 6
    accounts = inventory.of_type("aws:organizations/account:Account")
    assert sorted(a.name for a in accounts) == [
        "account-dev", "account-log_archive", "account-prod", "account-shared_services",
        "account-test"]
    assert inventory.outputs["accounts"]["master"]["adopted"] is True
    assert len(inventory.outputs["accounts"]) == 6
    # The management account's own; the 5 members' come from the stack set.
    log_buckets = [b for b in inventory.of_type("aws:s3/bucket:Bucket")
                   if b.name.startswith("access-logs-")]
    assert [b.name for b in log_buckets] == [
        f"access-logs-master-{metastructure.organization.aws_region}"]
    assert len(inventory.of_type("pulumi-python:dynamic/landingzone:BaselineReadiness")) == 5
    if not preview:
        shared_id = inventory.outputs["accounts"]["shared_services"]["id"]
        assert inventory.outputs["access_log_buckets"]["shared_services"] == \
            f"namespace-000-s3-access-logs-{shared_id}-{metastructure.organization.aws_region}"
    assert state_bucket(inventory).inputs["bucket"] == "namespace-000-terraform-state"
    # The file's organization.id is a placeholder: the organization is discovered.
    [organization] = inventory.of_type("aws:organizations/organization:Organization")
    assert organization.import_id == inventory.fake.organization_id, organization.urn


def reversed_maps(value):
    """Every mapping with its keys in reverse order, recursively."""
    if isinstance(value, dict):
        return {k: reversed_maps(value[k]) for k in reversed(list(value))}
    if isinstance(value, list):
        return [reversed_maps(v) for v in value]
    return value


def snapshot(inventory) -> dict[str, dict]:
    return {r.urn: r.inputs for r in inventory.registrations}


def load_data(data: dict, tmp_path: Path):
    path = tmp_path / "organization.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load(path, use_local=False).config


def test_reordering_every_map_changes_no_urn_and_no_input(update_inventory, example_data, tmp_path):
    reordered = run_program(load_data(reversed_maps(example_data), tmp_path))
    assert snapshot(reordered) == snapshot(update_inventory)


def test_adding_an_account_changes_no_existing_resource(update_inventory, example_data, tmp_path):
    example_data["accounts"]["sandbox"] = {
        "name": "Sandbox", "email": "platform-team+acme-lz-sandbox@example.com",
        "organizational_unit": "dev"}
    grown = snapshot(run_program(load_data(example_data, tmp_path)))
    before = snapshot(update_inventory)
    changed = [urn for urn, inputs in before.items() if grown.get(urn) != inputs]
    assert not changed, f"adding an account changed {changed}"
    added = sorted(urn.rsplit("::", 1)[1] for urn in set(grown) - set(before))
    assert added == ["access-logs-sandbox-baseline", "account-defaults-sandbox-billing",
                     "account-defaults-sandbox-operations", "account-defaults-sandbox-security",
                     "account-sandbox", "aws-config-sandbox-baseline",
                     "sso-group-admins/sandbox/admin", "sso-group-deployers/sandbox/deployer"]


class TestMain:
    """`__main__.py` is what `pulumi up` runs."""

    @staticmethod
    def run_main(stack_config: dict):
        return run_offline(lambda: runpy.run_path(str(REPO_ROOT / "__main__.py"), run_name="__main__"),
                           config=stack_config)

    def test_builds_and_exports_every_output(self):
        inventory = self.run_main({"landing-zone:config": "config/organization.yaml"})
        # The mock stack registers its outputs before the program runs; pulumi.export still
        # records each one on it.
        assert CORE_OUTPUTS <= set(pulumi.runtime.settings.get_root_resource().outputs)
        assert state_bucket(inventory).inputs["bucket"] == "acme-lz-pulumi-state"

    def test_stack_overrides_are_merged_over_the_file(self):
        inventory = self.run_main({
            "landing-zone:config": "config/organization.yaml",
            "landing-zone:overrides": {"organization": {"tokens": {"namespace": "acme-staging"}}}})
        assert state_bucket(inventory).inputs["bucket"] == "acme-staging-pulumi-state"

    def test_config_errors_fail_with_every_problem_and_no_traceback(self, tmp_path):
        bad = tmp_path / "organization.yaml"
        bad.write_text("organization:\n  aws_region: us-east-1\n  key_acounts: {}\naccounts: {}\n")
        with pytest.raises(Exception) as caught:
            self.run_main({"landing-zone:config": str(bad)})
        assert type(caught.value).__name__ == "RunError"
        message = str(caught.value)
        assert "in the landing-zone config; nothing was changed" in message
        assert f"{bad}:3: error LZ120: organization.key_acounts: unknown key" in message

    def test_overrides_must_be_an_object(self):
        with pytest.raises(Exception, match="landing-zone:overrides must be an object"):
            self.run_main({"landing-zone:overrides": ["not", "a", "mapping"]})
