"""Access-log buckets: one stack set per governed region for the members, a hardened bucket for
the management account, and a baseline gate per account created in the run."""

from __future__ import annotations

import json

import pytest

from cli.plan import run_program
from components.access_log_template import access_log_template
from components.access_logs import TYPE, landing_zone_log_sources
from components.hardened_bucket import TYPE as HARDENED_BUCKET
from config.naming import access_log_bucket_name

BUCKET = "aws:s3/bucket:Bucket"
STACK_SET = "aws:cloudformation/stackSet:StackSet"
INSTANCES = "aws:cloudformation/stackInstances:StackInstances"
GATE = "pulumi-python:dynamic/landingzone:BaselineReadiness"
TRUSTED_ACCESS = "pulumi-python:dynamic/landingzone:StackSetsTrustedAccess"
MEMBERS = ("dev", "log_archive", "prod", "security_tooling", "shared_services", "test")
REGION = "us-east-1"


def test_one_service_managed_stack_set_with_one_root_target(example_config, inventory, find):
    stack_set = find.one(STACK_SET, f"access-logs-{REGION}")
    assert find.provider_of(stack_set).name == "management", stack_set.urn
    inputs = stack_set.inputs
    assert (inputs["name"], inputs["permissionModel"], inputs["callAs"]) == (
        f"acme-lz-access-logs-{REGION}", "SERVICE_MANAGED", "SELF")
    assert inputs["autoDeployment"] == {"enabled": True, "retainStacksOnAccountRemoval": True}
    assert inputs["managedExecution"] == {"active": True}
    assert inputs["templateBody"] == access_log_template(
        example_config, landing_zone_log_sources(example_config))
    trusted = find.one(TRUSTED_ACCESS, "stacksets-trusted-access")
    assert trusted.urn in stack_set.dependencies, stack_set.urn

    instances = [i for i in inventory.of_type(INSTANCES) if i.name.startswith("access-logs-")]
    assert [i.name for i in instances] == [f"access-logs-{REGION}-instances"]
    [instance] = instances
    assert find.provider_of(instance).name == "management", instance.urn
    assert instance.inputs["regions"] == [REGION]
    assert instance.inputs["retainStacks"] is True
    # The whole organization, no account filter (auto-deployment ignores filters).
    assert instance.inputs["deploymentTargets"] == {"organizationalUnitIds": ["r-ex01"]}
    assert "accounts" not in instance.inputs


def test_the_management_account_keeps_a_hardened_versioned_bucket(example_config, inventory, find):
    component = find.one(HARDENED_BUCKET, f"access-logs-master-{REGION}")
    bucket = find.one(BUCKET, f"access-logs-master-{REGION}")
    assert find.provider_of(bucket).name == "management", bucket.urn
    assert bucket.retain_on_delete and not bucket.protect, bucket.urn
    for part in find.children(component):
        assert part.inputs.get("region") == REGION, part.urn
    versioning = find.one("aws:s3/bucketVersioning:BucketVersioning",
                          f"access-logs-master-{REGION}-versioning")
    assert versioning.inputs["versioningConfiguration"] == {"status": "Enabled"}
    lifecycle = find.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                         f"access-logs-master-{REGION}-lifecycle")
    rule = lifecycle.inputs["rules"][0]
    assert rule["expiration"] == {"days": 365}
    assert rule["noncurrentVersionExpiration"] == {"noncurrentDays": 30}
    encryption = find.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        f"access-logs-master-{REGION}-encryption")
    assert encryption.inputs["rules"] == [
        {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]
    management_id = inventory.outputs["management_account_id"]
    assert bucket.inputs["bucket"] == access_log_bucket_name(example_config, management_id, REGION)
    # Members have no bucket resource: the stack set owns theirs, key accounts included.
    assert [b.name for b in inventory.of_type(BUCKET) if "access-logs" in b.name] == [
        f"access-logs-master-{REGION}"]


def test_every_account_created_in_the_run_waits_for_its_stack_instances(inventory, find):
    instances = find.one(INSTANCES, f"access-logs-{REGION}-instances")
    gates = [g for g in inventory.of_type(GATE) if g.name.startswith("access-logs-")]
    assert sorted(g.name for g in gates) == [f"access-logs-{k}-baseline" for k in MEMBERS]
    for gate in gates:
        key = gate.name.removeprefix("access-logs-").removesuffix("-baseline")
        account = find.one("aws:organizations/account:Account", f"account-{key}")
        assert instances.urn in gate.dependencies and account.urn in gate.dependencies, gate.urn
        assert gate.inputs["stack_sets"] == [[f"acme-lz-access-logs-{REGION}", REGION]]
        assert gate.inputs["region"] == REGION and gate.inputs["timeout_seconds"] == 900


def test_the_chain_account_then_baseline_then_what_needs_it(inventory, find):
    """State bucket logging and assignments in an account created in the run come after its
    baseline; the account's own resources come after the account."""
    gate = find.one(GATE, "access-logs-shared_services-baseline")
    logging = find.one("aws:s3/bucketLogging:BucketLogging", "state-backend-bucket-logging")
    assert gate.urn in logging.dependencies, logging.urn
    archive_gate = find.one(GATE, "access-logs-log_archive-baseline")
    audit_logging = find.one("aws:s3/bucketLogging:BucketLogging", "audit-bucket-logging")
    assert archive_gate.urn in audit_logging.dependencies, audit_logging.urn
    assignments = [a for a in inventory.of_type("aws:ssoadmin/accountAssignment:AccountAssignment")
                   if "/dev/" in a.name]
    dev_gate = find.one(GATE, "access-logs-dev-baseline")
    assert assignments and all(dev_gate.urn in a.dependencies for a in assignments)
    if not inventory.preview:
        assert logging.inputs["targetBucket"] == inventory.outputs["access_log_buckets"][
            "shared_services"]


def test_outputs_name_each_account_bucket_in_the_home_region(example_config, update_inventory):
    ids = {k: v["id"] for k, v in update_inventory.outputs["accounts"].items()}
    assert update_inventory.outputs["access_log_buckets"] == {
        key: access_log_bucket_name(example_config, ids[key], REGION) for key in ids}


def test_adopted_accounts_need_no_gate_but_wait_for_the_instances(example_data, config_from,
                                                                 tmp_path, finder):
    example_data["accounts"]["dev"]["id"] = "222222222222"
    found = finder(run_program(config_from(example_data, tmp_path)))
    assert "access-logs-dev-baseline" not in {g.name for g in found.inventory.of_type(GATE)}
    instances = found.one(INSTANCES, f"access-logs-{REGION}-instances")
    dev = [a for a in found.inventory.of_type("aws:ssoadmin/accountAssignment:AccountAssignment")
           if "/dev/" in a.name]
    assert dev and all(instances.urn not in a.dependencies for a in dev)
    assert found.inventory.outputs["access_log_buckets"]["dev"] == \
        f"acme-lz-s3-access-logs-222222222222-{REGION}"


@pytest.mark.parametrize("regions", [["eu-west-1"], ["eu-west-1", "ap-southeast-2"]])
def test_one_stack_set_per_governed_region(example_data, config_from, tmp_path, finder, regions):
    example_data["organization"]["governed_regions"] = regions
    found = finder(run_program(config_from(example_data, tmp_path)))
    governed = sorted([REGION, *regions])
    assert sorted(s.name for s in found.inventory.of_type(STACK_SET)
                  if s.name.startswith("access-logs-")) == [f"access-logs-{r}" for r in governed]
    for region in governed:
        instance = found.one(INSTANCES, f"access-logs-{region}-instances")
        assert instance.inputs["regions"] == [region]
        # Administered from the home region, through the one management provider.
        assert "region" not in instance.inputs
        found.one(BUCKET, f"access-logs-master-{region}")
    gate = found.one(GATE, "access-logs-dev-baseline")
    assert sorted(tuple(p) for p in gate.inputs["stack_sets"]) == sorted(
        (f"acme-lz-access-logs-{r}", r) for r in governed)


def test_template_body_is_deterministic(example_config):
    sources = landing_zone_log_sources(example_config)
    assert access_log_template(example_config, sources) == access_log_template(
        example_config, list(reversed(sources)))
    body = json.loads(access_log_template(example_config, sources))
    assert body["Resources"]["AccessLogBucket"]["Properties"]["BucketName"] == {
        "Fn::Sub": "acme-lz-s3-access-logs-${AWS::AccountId}-${AWS::Region}"}


def test_buckets_logging_into_a_log_bucket_wait_for_it(inventory, find):
    """Found by the engine suite: S3 refuses PutBucketLogging before the target's policy lets
    log delivery write. A member's bucket comes with its stack instance and policy (the
    baseline gate waits for both), the management account's through its bucket policy."""
    loggings = inventory.of_type("aws:s3/bucketLogging:BucketLogging")
    assert loggings
    waits_for = {r.urn for r in (*inventory.of_type(GATE), *inventory.of_type(INSTANCES),
                                 *inventory.of_type("aws:s3/bucketPolicy:BucketPolicy"))
                 if not r.urn.endswith(("state-backend-bucket-policy", "audit-bucket-policy"))}
    for logging in loggings:
        assert waits_for & set(logging.dependencies), logging.urn
