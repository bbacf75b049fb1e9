"""The state backend: a rotating KMS key with an alias, and a protected, versioned, KMS-encrypted,
access-logged, TLS-only state bucket in the terraform_state account."""

from __future__ import annotations

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


def test_kms_key_rotates_is_protected_and_trusts_only_its_account(inventory, find):
    key = find.one(KEY, "state-backend-key")
    assert key.protect, key.urn
    assert key.inputs["enableKeyRotation"] is True, key.urn
    assert key.inputs["deletionWindowInDays"] == 30, key.urn
    alias = find.one(ALIAS, "state-backend-key-alias")
    assert alias.inputs["name"] == f"alias/{STATE_BUCKET}", alias.urn
    assert key.urn in alias.dependencies, alias.urn
    if inventory.preview:
        assert key.inputs["policy"] == "<unknown>", key.urn  # the new account's id
        return
    account_id = inventory.outputs["accounts"]["shared_services"]["id"]
    assert find.policy(key) == {"Version": "2012-10-17", "Statement": [{
        "Sid": "EnableIamPoliciesOfThisAccount", "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
        "Action": "kms:*", "Resource": "*"}]}, key.urn


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
    [deny] = find.policy(policy)["Statement"]  # known in preview too
    assert deny["Sid"] == "DenyInsecureTransport", policy.urn
    assert deny["Resource"] == [f"arn:aws:s3:::{STATE_BUCKET}", f"arn:aws:s3:::{STATE_BUCKET}/*"], policy.urn


def test_outputs(inventory):
    backend = inventory.outputs["state_backend"]
    assert backend["bucket"] == STATE_BUCKET
    assert backend["account"] == "shared_services"
    assert backend["kms_alias"] == f"alias/{STATE_BUCKET}"
    assert backend["backend_url"] == f"s3://{STATE_BUCKET}?region=us-east-1&awssdk=v2"
    assert backend["secrets_provider"] == f"awskms://alias/{STATE_BUCKET}?region=us-east-1"
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
