"""An access-log bucket in every managed account, writable only by S3 log delivery."""

from __future__ import annotations

from components.access_logs import TYPE
from components.hardened_bucket import TYPE as HARDENED_BUCKET
from config.naming import access_log_bucket_name

BUCKET = "aws:s3/bucket:Bucket"
ACCOUNTS = ("dev", "log_archive", "master", "prod", "shared_services", "test")


def test_one_hardened_bucket_per_managed_account(example_config, inventory, find):
    component = find.one(TYPE, "access-logs")
    buckets = find.children(component, HARDENED_BUCKET)
    assert sorted(b.name for b in buckets) == [f"access-logs-{k}" for k in ACCOUNTS]
    assert inventory.outputs["access_log_buckets"] == {
        key: access_log_bucket_name(example_config, key) for key in ACCOUNTS}
    assert inventory.outputs["access_log_buckets"]["shared_services"] == \
        "acme-lz-shared-services-s3-access-logs"


def test_each_bucket_lives_in_its_account(inventory, find):
    for key in ACCOUNTS:
        bucket = find.one(BUCKET, f"access-logs-{key}")
        provider = find.provider_of(bucket)
        expected = "management" if key == "master" else f"account-access-{key}"
        assert provider.name == expected, bucket.urn
        component = find.one(HARDENED_BUCKET, f"access-logs-{key}")
        for part in find.children(component):
            assert part.provider == provider.urn, part.urn


def test_hardening_expiry_and_retention(inventory, find):
    for key in ACCOUNTS:
        name = f"access-logs-{key}"
        bucket = find.one(BUCKET, name)
        assert bucket.retain_on_delete and not bucket.protect, bucket.urn
        encryption = find.one(
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            f"{name}-encryption")
        # Server access logging cannot deliver to SSE-KMS buckets.
        assert encryption.inputs["rules"] == [
            {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}], encryption.urn
        lifecycle = find.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                             f"{name}-lifecycle")
        assert lifecycle.inputs["rules"][0]["expiration"] == {"days": 365}, lifecycle.urn
        ownership = find.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls",
                             f"{name}-ownership-controls")
        assert ownership.inputs["rule"] == {"objectOwnership": "BucketOwnerEnforced"}, ownership.urn
        block = find.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                         f"{name}-public-access-block")
        assert all(block.inputs[k] is True for k in (
            "blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls",
            "restrictPublicBuckets")), block.urn
        component = find.one(HARDENED_BUCKET, name)
        # A log bucket logging into itself would log its own deliveries, forever.
        assert not find.children(component, "aws:s3/bucketLogging:BucketLogging"), component.urn


def test_policy_lets_only_log_delivery_of_the_same_account_write(example_config, inventory, find):
    for key in ACCOUNTS:
        policy = find.one("aws:s3/bucketPolicy:BucketPolicy", f"access-logs-{key}-policy")
        if inventory.preview and key != "master":
            # Known but for the new account's id (aws:SourceAccount).
            assert policy.inputs["policy"] == "<unknown>", policy.urn
            continue
        bucket = access_log_bucket_name(example_config, key)
        account_id = inventory.outputs["accounts"][key]["id"]
        deliver, deny = find.policy(policy)["Statement"]
        assert deliver == {
            "Sid": "AllowServerAccessLogDelivery", "Effect": "Allow",
            "Principal": {"Service": "logging.s3.amazonaws.com"}, "Action": "s3:PutObject",
            "Resource": f"arn:aws:s3:::{bucket}/*",
            "Condition": {"StringEquals": {"aws:SourceAccount": account_id}}}, policy.urn
        assert deny["Effect"] == "Deny" and deny["Condition"] == {
            "Bool": {"aws:SecureTransport": "false"}}, policy.urn


def test_buckets_logging_into_a_log_bucket_wait_for_its_policy(inventory, find):
    """Found by the engine suite: S3 refuses PutBucketLogging before the target's policy lets
    log delivery write, and nothing ordered the two."""
    loggings = inventory.of_type("aws:s3/bucketLogging:BucketLogging")
    assert loggings
    for logging in loggings:
        target = logging.inputs["targetBucket"]
        key = next(k for k in ACCOUNTS
                   if find.one(BUCKET, f"access-logs-{k}").inputs["bucket"] == target)
        policy = find.one("aws:s3/bucketPolicy:BucketPolicy", f"access-logs-{key}-policy")
        assert policy.urn in logging.dependencies, logging.urn
