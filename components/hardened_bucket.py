"""The one S3 bucket builder: every bucket of the landing zone is made here, hardened the same way.

Always on: owner-enforced object ownership (ACLs disabled), every public access block, default
encryption (SSE-S3, or SSE-KMS with a bucket key), a policy that denies any request without TLS,
and a lifecycle that aborts stale multipart uploads. Per bucket: versioning, expiry, noncurrent
version expiry, storage-class transitions, object lock, server access logging, extra policy
statements.

Buckets outlive the program: every resource here is `retain_on_delete`, so dropping a bucket
from the config never deletes its data nor strips its settings (public access block, policy)
from a bucket that stays in AWS. `protect=True` also makes the engine refuse to delete or
replace it.

pulumi-aws v7 splits a bucket into one resource per setting (`s3.Bucket` plus
`BucketVersioning`, `BucketServerSideEncryptionConfiguration`, ...); their argument classes end
in `InitArgs`, so everything below is passed as keywords.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from config.documents import policy_text

TYPE = "landing-zone:storage:HardenedBucket"
# S3 leaves parts of abandoned multipart uploads (billed, invisible in listings) forever.
ABORT_INCOMPLETE_UPLOADS_DAYS = 7


@dataclass(frozen=True)
class ObjectLock:
    """Default retention of new object versions; needs a versioned bucket."""

    mode: str  # "GOVERNANCE" or "COMPLIANCE"
    days: int


@dataclass(frozen=True)
class HardenedBucketArgs:
    bucket: pulumi.Input[str]
    """The bucket's AWS name (globally unique)."""
    kms_key_arn: pulumi.Input[str] | None = None
    """None: SSE-S3 (what S3 server access logging requires of its target); else SSE-KMS."""
    versioned: bool = False
    expiration_days: int | None = None
    """Delete current objects this many days after creation."""
    noncurrent_expiration_days: int | None = None
    transitions: Sequence[tuple[int, str]] = ()
    """(days after creation, storage class) pairs, e.g. (90, "GLACIER")."""
    access_log_bucket: pulumi.Input[str] | None = None
    access_log_prefix: str = ""
    policy_statements: Sequence[pulumi.Input[dict]] = ()
    """Statements added before the always-present deny of non-TLS requests (an Output of a list
    of statements counts as those statements)."""
    object_lock: ObjectLock | tuple[str, int] | None = None
    """(mode, days): object lock with that default retention; set only at creation."""
    protect: bool = False
    region: str | None = None
    """pulumi-aws 7's per-resource region; None: the provider's."""

    def __post_init__(self) -> None:
        if self.object_lock is not None and not isinstance(self.object_lock, ObjectLock):
            object.__setattr__(self, "object_lock", ObjectLock(*self.object_lock))
        if self.object_lock is not None and not self.versioned:
            raise ValueError("object lock needs a versioned bucket: set versioned=True")
        if self.noncurrent_expiration_days is not None and not self.versioned:
            raise ValueError("noncurrent_expiration_days applies to versioned buckets only")


def policy_json(document: Any) -> pulumi.Input[str]:
    """`policy_text` of a policy document whose values may be Outputs, in one apply over
    those values. (`Output.json_dumps` lifts every key and value of the document into an Output of
    its own: dozens per policy, which dominated large plans; see benchmarks/plan_scale.py.)"""
    values: list[pulumi.Output] = []

    def collect(node: Any) -> None:
        if isinstance(node, pulumi.Output):
            values.append(node)
        elif isinstance(node, dict):
            for item in node.values():
                collect(item)
        elif isinstance(node, (list, tuple)):
            for item in node:
                collect(item)

    def fill(node: Any, resolved: Iterator[Any]) -> Any:
        """The document with each Output replaced by its value, in `collect`'s order."""
        if isinstance(node, pulumi.Output):
            return next(resolved)
        if isinstance(node, dict):
            return {key: fill(item, resolved) for key, item in node.items()}
        if isinstance(node, (list, tuple)):
            out: list[Any] = []
            for item in node:
                value = fill(item, resolved)
                # An Output that resolves to a list inside a list is spliced in: policies have
                # no lists of lists, so a list of statements can stand among statements.
                if isinstance(item, pulumi.Output) and isinstance(value, list):
                    out.extend(value)
                else:
                    out.append(value)
            return out
        return node

    collect(document)
    if not values:
        return policy_text(document)
    return pulumi.Output.all(*values).apply(
        lambda resolved: policy_text(fill(document, iter(resolved))))


def bucket_arn(bucket: pulumi.Input[str], suffix: str = "") -> pulumi.Input[str]:
    """The ARN from the name (the landing zone lives in the `aws` partition): known before the
    bucket exists, so previews show the policies that use it. `suffix="/*"`: its objects."""
    if isinstance(bucket, str):
        return f"arn:aws:s3:::{bucket}{suffix}"
    return pulumi.Output.concat("arn:aws:s3:::", bucket, suffix)


def deny_insecure_transport(bucket: pulumi.Input[str]) -> dict:
    """AWS Security Hub control S3.5: refuse every request not made over TLS."""
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [bucket_arn(bucket), bucket_arn(bucket, "/*")],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


class HardenedBucket(pulumi.ComponentResource):
    """A private, encrypted, TLS-only bucket; see the module docstring for what is fixed."""

    bucket: pulumi.Output[str]
    """The bucket name (for BucketLogging targets, policies, outputs)."""
    name: pulumi.Output[str]
    """Same as `bucket`; the name other components usually ask for."""
    arn: pulumi.Output[str]
    policy: aws.s3.BucketPolicy
    """Depend on it when a service must see the policy before it writes (CloudTrail)."""

    def __init__(self, name: str, args: HardenedBucketArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        lock = args.object_lock
        where = {"region": args.region} if args.region else {}
        resource = aws.s3.Bucket(
            name, bucket=args.bucket, **where, object_lock_enabled=True if lock else None,
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect or None,
                                        retain_on_delete=True))

        def child(*after: pulumi.Resource | None) -> pulumi.ResourceOptions:
            # Settings name the bucket by its name and wait for it explicitly: the same order
            # for the engine, one Output fewer per setting (see benchmarks/plan_scale.py).
            return pulumi.ResourceOptions(parent=self, protect=args.protect or None,
                                          retain_on_delete=True,
                                          depends_on=[resource, *filter(None, after)])

        bucket = args.bucket
        ownership = aws.s3.BucketOwnershipControls(
            f"{name}-ownership-controls", bucket=bucket, **where,
            rule={"object_ownership": "BucketOwnerEnforced"}, opts=child())
        public_access_block = aws.s3.BucketPublicAccessBlock(
            f"{name}-public-access-block", bucket=bucket, **where,
            block_public_acls=True, block_public_policy=True,
            ignore_public_acls=True, restrict_public_buckets=True, opts=child())
        aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption", bucket=bucket, **where, rules=[_encryption_rule(args.kms_key_arn)],
            opts=child())

        versioning = None
        if args.versioned:
            versioning = aws.s3.BucketVersioning(
                f"{name}-versioning", bucket=bucket, **where,
                versioning_configuration={"status": "Enabled"}, opts=child())
        if lock is not None:
            aws.s3.BucketObjectLockConfiguration(
                f"{name}-object-lock", bucket=bucket, **where,
                rule={"default_retention": {"mode": lock.mode, "days": lock.days}},
                opts=child(versioning))

        # A lifecycle on a versioned bucket acts on versions: wait until versioning is on.
        aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle", bucket=bucket, **where, rules=[_lifecycle_rule(args)],
            opts=child(versioning))

        if args.access_log_bucket is not None:
            aws.s3.BucketLogging(
                f"{name}-logging", bucket=bucket, **where, target_bucket=args.access_log_bucket,
                target_prefix=args.access_log_prefix, opts=child())

        document = policy_json({
            "Version": "2012-10-17",
            "Statement": [*args.policy_statements, deny_insecure_transport(bucket)],
        })
        # S3 rejects a policy put while the public access block is still being applied
        # (OperationAborted: a conflicting conditional operation), hence the dependency.
        self.policy = aws.s3.BucketPolicy(
            f"{name}-policy", bucket=bucket, **where, policy=document,
            opts=child(public_access_block, ownership))

        self.bucket = resource.bucket
        self.name = resource.bucket
        self.arn = resource.arn
        self.register_outputs({"bucket": self.bucket, "name": self.name, "arn": self.arn,
                               "policy": self.policy.id})


def _encryption_rule(kms_key_arn: pulumi.Input[str] | None) -> dict:
    if kms_key_arn is None:
        return {"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}
    # The bucket key cuts KMS requests (and their cost) by caching a bucket-level data key.
    return {"apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms",
                                                        "kms_master_key_id": kms_key_arn},
            "bucket_key_enabled": True}


def _lifecycle_rule(args: HardenedBucketArgs) -> dict:
    """One rule over the whole bucket (an empty filter means every object)."""
    rule: dict = {
        "id": "retention",
        "status": "Enabled",
        "filter": {},
        "abort_incomplete_multipart_upload": {
            "days_after_initiation": ABORT_INCOMPLETE_UPLOADS_DAYS},
    }
    if args.expiration_days is not None:
        rule["expiration"] = {"days": args.expiration_days}
    elif args.noncurrent_expiration_days is not None:
        # Once the versions below it expire, a delete marker serves no purpose.
        rule["expiration"] = {"expired_object_delete_marker": True}
    if args.noncurrent_expiration_days is not None:
        rule["noncurrent_version_expiration"] = {
            "noncurrent_days": args.noncurrent_expiration_days}
    if args.transitions:
        rule["transitions"] = [{"days": days, "storage_class": storage_class}
                               for days, storage_class in args.transitions]
    return rule
