"""The one bucket builder: every setting that is always on, and every option of the contract."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws
import pytest

from cli.offline import run_offline
from cli.offline.mocks import UNKNOWN
from components.hardened_bucket import (
    TYPE,
    HardenedBucket,
    HardenedBucketArgs,
    ObjectLock,
    policy_json,
)
from config.documents import policy_text

BUCKET = "aws:s3/bucket:Bucket"
CONFIG_TYPES = {
    "ownership-controls": "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "public-access-block": "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "encryption": "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "lifecycle": "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "policy": "aws:s3/bucketPolicy:BucketPolicy",
}
EXTRA_STATEMENT = {"Sid": "AllowReadFromAudit", "Effect": "Allow",
                   "Principal": {"AWS": "arn:aws:iam::222222222222:root"},
                   "Action": "s3:GetObject", "Resource": "arn:aws:s3:::full-bucket/*"}


def program():
    provider = aws.Provider("member", region="us-east-1")
    key = aws.kms.Key("key", opts=pulumi.ResourceOptions(provider=provider))
    plain = HardenedBucket("plain", HardenedBucketArgs(bucket="plain-bucket"),
                           opts=pulumi.ResourceOptions(provider=provider))
    full = HardenedBucket(
        "full",
        HardenedBucketArgs(bucket="full-bucket", kms_key_arn=key.arn, versioned=True,
                           expiration_days=400, noncurrent_expiration_days=30,
                           transitions=((90, "GLACIER"), (30, "STANDARD_IA")),
                           access_log_bucket=plain.bucket, access_log_prefix="full-bucket/",
                           policy_statements=[EXTRA_STATEMENT],
                           object_lock=("COMPLIANCE", 365), protect=True),
        opts=pulumi.ResourceOptions(provider=provider))
    return {"plain": {"bucket": plain.bucket, "name": plain.name, "arn": plain.arn,
                      "policy": plain.policy.id},
            "full_arn": full.arn}


@pytest.fixture(scope="module", params=["update", "preview"])
def inv(request):
    return run_offline(program, preview=request.param == "preview")


def parts(inv, name):
    [component] = [r for r in inv.of_type(TYPE) if r.name == name]
    return {r.name: r for r in inv.registrations if component in inv.ancestors(r)}


def test_always_on_settings_of_a_plain_bucket(inv):
    plain = parts(inv, "plain")
    assert sorted(r.type for r in plain.values()) == sorted([BUCKET, *CONFIG_TYPES.values()])
    bucket = plain["plain"]
    assert bucket.inputs["bucket"] == "plain-bucket", bucket.urn
    assert "objectLockEnabled" not in bucket.inputs, bucket.urn
    ownership = plain["plain-ownership-controls"]
    assert ownership.inputs["rule"] == {"objectOwnership": "BucketOwnerEnforced"}, ownership.urn
    block = plain["plain-public-access-block"]
    for setting in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls",
                    "restrictPublicBuckets"):
        assert block.inputs[setting] is True, f"{block.urn}: {setting}"
    encryption = plain["plain-encryption"]
    assert encryption.inputs["rules"] == [
        {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}], encryption.urn
    lifecycle = plain["plain-lifecycle"]
    assert lifecycle.inputs["rules"] == [{
        "id": "retention", "status": "Enabled", "filter": {},
        "abortIncompleteMultipartUpload": {"daysAfterInitiation": 7}}], lifecycle.urn


def test_every_part_is_retained_and_configures_the_bucket(inv):
    for name in ("plain", "full"):
        for reg in parts(inv, name).values():
            assert reg.retain_on_delete, reg.urn
            assert reg.provider == inv.named("member").urn, reg.urn
            if reg.type != BUCKET:
                assert reg.inputs["bucket"] == f"{name}-bucket", reg.urn


def test_policy_denies_insecure_transport_and_waits_for_the_public_access_block(inv):
    plain = parts(inv, "plain")
    policy = plain["plain-policy"]
    assert plain["plain-public-access-block"].urn in policy.dependencies, policy.urn
    # Built from the bucket's name, the policy is known before the bucket exists.
    document = json.loads(policy.inputs["policy"])
    assert document == {"Version": "2012-10-17", "Statement": [{
        "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": ["arn:aws:s3:::plain-bucket", "arn:aws:s3:::plain-bucket/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}, policy.urn


def test_every_option(inv):
    full = parts(inv, "full")
    assert full["full"].inputs["objectLockEnabled"] is True, full["full"].urn
    encryption = full["full-encryption"]
    rule = encryption.inputs["rules"][0]
    assert rule["bucketKeyEnabled"] is True, encryption.urn
    assert rule["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == "aws:kms", encryption.urn
    assert inv.named("key").urn in encryption.dependencies, encryption.urn
    versioning = full["full-versioning"]
    assert versioning.inputs["versioningConfiguration"] == {"status": "Enabled"}, versioning.urn
    lock = full["full-object-lock"]
    assert lock.inputs["rule"] == {"defaultRetention": {"mode": "COMPLIANCE", "days": 365}}, lock.urn
    assert versioning.urn in lock.dependencies, lock.urn
    lifecycle = full["full-lifecycle"]
    assert lifecycle.inputs["rules"] == [{
        "id": "retention", "status": "Enabled", "filter": {},
        "abortIncompleteMultipartUpload": {"daysAfterInitiation": 7},
        "expiration": {"days": 400},
        "noncurrentVersionExpiration": {"noncurrentDays": 30},
        "transitions": [{"days": 90, "storageClass": "GLACIER"},
                        {"days": 30, "storageClass": "STANDARD_IA"}]}], lifecycle.urn
    assert versioning.urn in lifecycle.dependencies, lifecycle.urn
    logging = full["full-logging"]
    assert logging.inputs == {"bucket": "full-bucket", "targetBucket": "plain-bucket",
                              "targetPrefix": "full-bucket/"}, logging.urn
    statements = json.loads(full["full-policy"].inputs["policy"])["Statement"]
    assert statements[0] == EXTRA_STATEMENT, full["full-policy"].urn
    assert statements[1]["Sid"] == "DenyInsecureTransport", full["full-policy"].urn


def test_protect_covers_every_part(inv):
    assert all(r.protect for r in parts(inv, "full").values())
    assert not any(r.protect for r in parts(inv, "plain").values())


def test_attributes(inv):
    plain = inv.outputs["plain"]
    assert plain["bucket"] == plain["name"] == "plain-bucket"
    if inv.preview:
        assert plain["arn"] == UNKNOWN
    else:
        assert plain["arn"] == "arn:aws:s3:::plain-bucket"
        assert plain["policy"] == inv.named("plain-policy").id


def test_versioned_only_lifecycle_clears_expired_delete_markers():
    def versioned():
        HardenedBucket("state", HardenedBucketArgs(bucket="state-bucket", versioned=True,
                                                   noncurrent_expiration_days=90))

    rules = run_offline(versioned).named("state-lifecycle").inputs["rules"]
    assert rules[0]["expiration"] == {"expiredObjectDeleteMarker": True}
    assert rules[0]["noncurrentVersionExpiration"] == {"noncurrentDays": 90}


@pytest.mark.parametrize("args, message", [
    ({"object_lock": ObjectLock("GOVERNANCE", 1)}, "object lock needs a versioned bucket"),
    ({"noncurrent_expiration_days": 30}, "noncurrent_expiration_days applies to versioned"),
])
def test_inconsistent_options_are_refused(args, message):
    with pytest.raises(ValueError, match=message):
        HardenedBucketArgs(bucket="b", **args)


def test_object_lock_accepts_a_mode_days_pair():
    assert HardenedBucketArgs(bucket="b", versioned=True,
                              object_lock=("GOVERNANCE", 7)).object_lock == ObjectLock("GOVERNANCE", 7)


def test_policy_json_fills_outputs_in_place_and_stays_plain_without_them():
    plain = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Resource": ["a", "b"]}]}
    assert policy_json(plain) == policy_text(plain)

    def program():
        account = pulumi.Output.from_input("123456789012")
        document = {"Statement": [{"Principal": {"AWS": account}, "Resource": ["x", account]},
                                  pulumi.Output.from_input({"Sid": "Whole"})]}
        return {"policy": policy_json(document)}

    assert json.loads(run_offline(program).outputs["policy"]) == {"Statement": [
        {"Principal": {"AWS": "123456789012"}, "Resource": ["x", "123456789012"]},
        {"Sid": "Whole"}]}
