"""The state backend: a rotating KMS key with an alias, and a protected, versioned, KMS-encrypted,
access-logged, TLS-only state bucket in the terraform_state account."""

from __future__ import annotations

import pytest

from cli.plan import run_program
from components.hardened_bucket import TYPE as HARDENED_BUCKET
from components.state_backend import TYPE

KEY = "aws:kms/key:Key"
ALIAS = "aws:kms/alias:Alias"
BUCKET = "aws:s3/bucket:Bucket"
STATE_BUCKET = "acme-lz-pulumi-state"


def test_everything_lives_in_the_terraform_state_account(inventory, find):
    component = find.one(TYPE, "state-backend")
    parts = [r for r in inventory.registrations if r.custom and component in inventory.ancestors(r)]
    assert sorted((r.type, r.name) for r in parts) == sorted([
        (KEY, "state-backend-key"), (ALIAS, "state-backend-key-alias"),
        (KEY, "state-backend-landing-zone-key"), (ALIAS, "state-backend-landing-zone-key-alias"),
        (BUCKET, "state-backend-bucket"),
        ("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "state-backend-bucket-ownership-controls"),
        ("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "state-backend-bucket-public-access-block"),
        ("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
         "state-backend-bucket-encryption"),
        ("aws:s3/bucketVersioning:BucketVersioning", "state-backend-bucket-versioning"),
        ("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "state-backend-bucket-lifecycle"),
        ("aws:s3/bucketLogging:BucketLogging", "state-backend-bucket-logging"),
        ("aws:s3/bucketPolicy:BucketPolicy", "state-backend-bucket-policy"),
    ])
    readiness = find.one("pulumi-python:dynamic/landingzone:AccountReadiness",
                         "account-access-shared_services-readiness")
    for part in parts:
        assert find.provider_of(part).name == "account-access-shared_services", part.urn
        assert inventory.depends_on(part, readiness), part.urn


@pytest.mark.parametrize(("name", "alias"), [
    ("state-backend-key", f"alias/{STATE_BUCKET}"),
    ("state-backend-landing-zone-key", f"alias/{STATE_BUCKET}-landing-zone"),
])
def test_kms_keys_rotate_are_protected_and_aliased(inventory, find, name, alias):
    key = find.one(KEY, name)
    assert key.protect, key.urn
    assert key.inputs["enableKeyRotation"] is True, key.urn
    assert key.inputs["deletionWindowInDays"] == 30, key.urn
    found = find.one(ALIAS, f"{name}-alias")
    assert found.inputs["name"] == alias, found.urn
    assert key.urn in found.dependencies, found.urn
    if inventory.preview:
        assert key.inputs["policy"] == "<unknown>", key.urn  # the new account's id


def test_the_workload_key_trusts_its_account_and_the_state_writers(update_inventory, finder):
    """Who may do what with it is the evaluator's to show (tests/policies/test_who_can_do_what.py);
    this pins the statements."""
    find = finder(update_inventory)
    account_id = update_inventory.outputs["accounts"]["shared_services"]["id"]
    statements = {s["Sid"]: s for s in find.policy(find.one(KEY, "state-backend-key"))["Statement"]}
    assert statements["EnableIamPoliciesOfThisAccount"] == {
        "Sid": "EnableIamPoliciesOfThisAccount", "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
        "Action": "kms:*", "Resource": "*"}
    assert sorted(statements) == ["AllowOperatorsToUseKey", "AllowPreviewToDecrypt",
                                  "AllowStateWritersOfTheOrganization",
                                  "EnableIamPoliciesOfThisAccount"]


def test_the_landing_zone_key_delegates_nothing_to_the_state_account(update_inventory, finder):
    find = finder(update_inventory)
    document = find.policy(find.one(KEY, "state-backend-landing-zone-key"))
    account_id = update_inventory.outputs["accounts"]["shared_services"]["id"]
    for statement in document["Statement"]:
        assert statement.get("Action") != "kms:*", statement["Sid"]
        if statement["Principal"] == {"AWS": f"arn:aws:iam::{account_id}:root"}:
            assert "Condition" in statement, statement["Sid"]


def test_state_bucket_is_protected_versioned_kms_encrypted_and_access_logged(inventory, find):
    component = find.one(HARDENED_BUCKET, "state-backend-bucket")
    for part in find.children(component):
        assert part.protect and part.retain_on_delete, part.urn
    bucket = find.one(BUCKET, "state-backend-bucket")
    assert bucket.inputs["bucket"] == STATE_BUCKET, bucket.urn
    encryption = find.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "state-backend-bucket-encryption")
    [rule] = encryption.inputs["rules"]
    assert rule["bucketKeyEnabled"] is True, encryption.urn
    assert rule["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == "aws:kms", encryption.urn
    key = find.one(KEY, "state-backend-key")
    expected_key = "<unknown>" if inventory.preview else inventory.outputs["state_backend"]["kms_key_arn"]
    assert rule["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"] == expected_key, encryption.urn
    assert key.urn in encryption.dependencies, encryption.urn
    versioning = find.one("aws:s3/bucketVersioning:BucketVersioning", "state-backend-bucket-versioning")
    assert versioning.inputs["versioningConfiguration"] == {"status": "Enabled"}, versioning.urn
    lifecycle = find.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                         "state-backend-bucket-lifecycle")
    assert lifecycle.inputs["rules"][0]["noncurrentVersionExpiration"] == {"noncurrentDays": 90}, lifecycle.urn
    assert "days" not in lifecycle.inputs["rules"][0]["expiration"], "current state never expires"
    logging = find.one("aws:s3/bucketLogging:BucketLogging", "state-backend-bucket-logging")
    if not inventory.preview:  # named by the new account's id
        shared_id = inventory.outputs["accounts"]["shared_services"]["id"]
        assert logging.inputs["targetBucket"] == \
            f"acme-lz-s3-access-logs-{shared_id}-us-east-1", logging.urn
    # the state account was created in this run: its bucket waits for its baseline
    gate = find.one("pulumi-python:dynamic/landingzone:BaselineReadiness",
                    "access-logs-shared_services-baseline")
    assert gate.urn in logging.dependencies, logging.urn
    assert logging.inputs["targetPrefix"] == f"{STATE_BUCKET}/", logging.urn
    public = find.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                      "state-backend-bucket-public-access-block")
    assert all(public.inputs[k] is True for k in (
        "blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")), public.urn
    policy = find.one("aws:s3/bucketPolicy:BucketPolicy", "state-backend-bucket-policy")
    if inventory.preview:
        assert policy.inputs["policy"] == "<unknown>", policy.urn  # the new accounts' ids
        return
    *_, deny = find.policy(policy)["Statement"]
    assert deny["Sid"] == "DenyInsecureTransport", policy.urn
    assert deny["Resource"] == [f"arn:aws:s3:::{STATE_BUCKET}", f"arn:aws:s3:::{STATE_BUCKET}/*"], policy.urn


def test_outputs(inventory):
    backend = inventory.outputs["state_backend"]
    assert backend["bucket"] == STATE_BUCKET
    assert backend["account"] == "shared_services"
    assert backend["kms_alias"] == f"alias/{STATE_BUCKET}"
    assert backend["backend_url"] == f"s3://{STATE_BUCKET}?region=us-east-1&awssdk=v2"
    assert backend["secrets_provider"] == f"awskms://alias/{STATE_BUCKET}?region=us-east-1"
    own = inventory.outputs["landing_zone_state"]
    assert own["kms_alias"] == f"alias/{STATE_BUCKET}-landing-zone"
    assert own["secrets_provider"] == f"awskms://alias/{STATE_BUCKET}-landing-zone?region=us-east-1"
    if inventory.preview:
        assert backend["kms_key_arn"] == "<unknown>"
    else:
        assert backend["kms_key_arn"].startswith("arn:aws:kms:us-east-1:")


def test_disabled_state_backend_builds_nothing(example_data, config_from, tmp_path):
    example_data["state_backend"] = {"enabled": False}
    inventory = run_program(config_from(example_data, tmp_path))
    assert not inventory.of_type(TYPE)
    assert not [r for r in inventory.registrations if r.name.startswith("state-backend")]
    assert inventory.outputs["state_backend"] is None


def test_in_the_management_account_the_operators_administer_the_landing_zone_key(
        example_data, config_from, tmp_path, finder):
    """There is no account access role there: KMS would refuse a policy its creator (the
    program, as an operator) could not replace."""
    del example_data["organization"]["key_accounts"]["terraform_state"]
    inventory = run_program(config_from(example_data, tmp_path))
    find = finder(inventory)
    management = inventory.outputs["management_account_id"]
    statements = {s["Sid"]: s for s in find.policy(find.one(KEY, "state-backend-landing-zone-key"))["Statement"]}
    administer = statements["AllowTheProgramToAdministerKey"]
    assert administer["Principal"] == {"AWS": [f"arn:aws:iam::{management}:root"]}
    assert administer["Condition"] == {"ArnLike": {"aws:PrincipalArn": [
        f"arn:aws:iam::{management}:user/bootstrap-admin",
        f"arn:aws:iam::{management}:role/landing-zone-ci-deploy"]}}
