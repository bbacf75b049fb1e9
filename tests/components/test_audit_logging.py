"""Audit logging under Pulumi's mocks: the example organization's full plan, in update and
preview mode, with the exact key and bucket policies and the trail's dependencies; then each
option (CloudWatch Logs, data events, Object Lock, readers, no transition, off)."""

from __future__ import annotations

import json

import pytest

from cli.offline import FakeAws, Inventory, Registration
from cli.offline.mocks import UNKNOWN
from components.tags import MANAGED_TAG_KEY, MANAGED_TAG_VALUE

FAKE = FakeAws()
MGMT, ORG, REGION = FAKE.management_account_id, FAKE.organization_id, FAKE.region
TRAIL = f"arn:aws:cloudtrail:{REGION}:{MGMT}:trail/acme-lz-organization-trail"
BUCKET = "acme-lz-audit-logs"
BUCKET_ARN = f"arn:aws:s3:::{BUCKET}"
KEY = "aws:kms/key:Key"
TRAIL_TYPE = "aws:cloudtrail/trail:Trail"


@pytest.fixture
def plan(example_with):
    """The example organization, with `audit_logging` settings overridden."""
    return lambda preview=False, **audit: example_with(
        preview, **({"audit_logging": audit} if audit else {}))


def one(inv: Inventory, type_: str, name: str) -> Registration:
    [found] = [r for r in inv.registrations if r.type == type_ and r.name == name]
    return found


def account_id(inv: Inventory, key: str) -> str:
    return inv.outputs["accounts"][key]["id"]


def provider_name(reg: Registration) -> str:
    return reg.provider.rsplit("::", 1)[1]


def test_the_key_is_rotated_protected_and_in_the_log_archive_account(plan):
    inv = plan()
    key = one(inv, KEY, "audit-key")
    assert key.inputs["enableKeyRotation"] is True
    assert key.inputs["deletionWindowInDays"] == 30
    assert key.protect, key.urn
    assert provider_name(key) == "account-access-log_archive"
    alias = one(inv, "aws:kms/alias:Alias", "audit-key-alias")
    assert alias.inputs == {"name": f"alias/{BUCKET}", "targetKeyId": key.id}


def test_the_key_policy_is_exactly_the_documented_one(plan):
    inv = plan()
    policy = json.loads(one(inv, KEY, "audit-key").inputs["policy"])
    archive = account_id(inv, "log_archive")
    assert policy == {"Version": "2012-10-17", "Statement": [
        {"Sid": "AllowLogArchiveAccountToAdministerKey", "Effect": "Allow",
         "Principal": {"AWS": f"arn:aws:iam::{archive}:root"},
         "Action": ["kms:CancelKeyDeletion", "kms:Create*", "kms:Delete*", "kms:Describe*",
                    "kms:Disable*", "kms:Enable*", "kms:Get*", "kms:List*", "kms:Put*",
                    "kms:Revoke*", "kms:RotateKeyOnDemand", "kms:ScheduleKeyDeletion",
                    "kms:TagResource", "kms:UntagResource", "kms:Update*"],
         "Resource": "*"},
        {"Sid": "AllowCloudTrailToEncryptLogs", "Effect": "Allow",
         "Principal": {"Service": "cloudtrail.amazonaws.com"},
         "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*",
         "Condition": {"StringEquals": {"aws:SourceArn": TRAIL},
                       "StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn":
                                      f"arn:aws:cloudtrail:*:{MGMT}:trail/*"}}},
        {"Sid": "AllowCloudTrailToDescribeKey", "Effect": "Allow",
         "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:DescribeKey",
         "Resource": "*", "Condition": {"StringEquals": {"aws:SourceArn": TRAIL}}},
        # The example's AuditLogReader permission set (built-in audit_log_reader policy).
        {"Sid": "AllowLogReaderPermissionSetsToDecryptThroughS3", "Effect": "Allow",
         "Principal": {"AWS": f"arn:aws:iam::{archive}:root"}, "Action": "kms:Decrypt",
         "Resource": "*",
         "Condition": {"StringEquals": {"kms:ViaService": f"s3.{REGION}.amazonaws.com"},
                       "ArnLike": {"aws:PrincipalArn": [
                           f"arn:aws:iam::{archive}:role/aws-reserved/sso.amazonaws.com/"
                           "*AWSReservedSSO_AuditLogReader_*"]}}},
    ]}
    # Only CloudTrail (for our trail) and the reader roles, through S3, use the key.
    uses = [s for s in policy["Statement"] if any(
        a.startswith(("kms:Decrypt", "kms:GenerateDataKey", "kms:Encrypt"))
        for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"]))]
    assert [s["Sid"] for s in uses] == ["AllowCloudTrailToEncryptLogs",
                                        "AllowLogReaderPermissionSetsToDecryptThroughS3"]


def test_the_bucket_is_hardened_and_in_the_log_archive_account(plan):
    inv = plan()
    key_arn = inv.outputs["audit"]["kms_key_arn"]
    bucket = one(inv, "aws:s3/bucket:Bucket", "audit-bucket")
    assert bucket.inputs["bucket"] == BUCKET and bucket.protect
    assert "objectLockEnabled" not in bucket.inputs
    assert provider_name(bucket) == "account-access-log_archive"
    assert one(inv, "aws:s3/bucketVersioning:BucketVersioning", "audit-bucket-versioning") \
        .inputs["versioningConfiguration"] == {"status": "Enabled"}
    assert one(inv, "aws:s3/bucketServerSideEncryptionConfiguration:"
                    "BucketServerSideEncryptionConfiguration", "audit-bucket-encryption") \
        .inputs["rules"] == [{"applyServerSideEncryptionByDefault": {
            "sseAlgorithm": "aws:kms", "kmsMasterKeyId": key_arn}, "bucketKeyEnabled": True}]
    pab = one(inv, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
              "audit-bucket-public-access-block").inputs
    assert all(pab[k] is True for k in ("blockPublicAcls", "blockPublicPolicy",
                                        "ignorePublicAcls", "restrictPublicBuckets"))
    assert one(inv, "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
               "audit-bucket-ownership-controls").inputs["rule"] == {
        "objectOwnership": "BucketOwnerEnforced"}
    logging = one(inv, "aws:s3/bucketLogging:BucketLogging", "audit-bucket-logging").inputs
    archive_id = inv.outputs["accounts"]["log_archive"]["id"]
    assert logging == {"bucket": BUCKET,
                       "targetBucket": f"acme-lz-s3-access-logs-{archive_id}-us-east-1",
                       "targetPrefix": f"{BUCKET}/"}


def test_the_lifecycle_transitions_then_expires_after_the_retention(plan):
    [rule] = one(plan(), "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                 "audit-bucket-lifecycle").inputs["rules"]
    assert rule["expiration"] == {"days": 365}
    assert rule["transitions"] == [{"days": 90, "storageClass": "GLACIER_IR"}]
    assert rule["noncurrentVersionExpiration"] == {"noncurrentDays": 30}


def test_the_bucket_policy_is_exactly_the_organization_trail_policy(plan):
    policy = json.loads(one(plan(), "aws:s3/bucketPolicy:BucketPolicy",
                            "audit-bucket-policy").inputs["policy"])
    write = {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control",
                              "aws:SourceArn": TRAIL}}
    trail = {"Service": "cloudtrail.amazonaws.com"}
    assert policy == {"Version": "2012-10-17", "Statement": [
        {"Sid": "AWSCloudTrailAclCheck20150319", "Effect": "Allow", "Principal": trail,
         "Action": "s3:GetBucketAcl", "Resource": BUCKET_ARN,
         "Condition": {"StringEquals": {"aws:SourceArn": TRAIL}}},
        {"Sid": "AWSCloudTrailWrite20150319", "Effect": "Allow", "Principal": trail,
         "Action": "s3:PutObject", "Resource": f"{BUCKET_ARN}/AWSLogs/{MGMT}/*",
         "Condition": write},
        {"Sid": "AWSCloudTrailOrganizationWrite20150319", "Effect": "Allow", "Principal": trail,
         "Action": "s3:PutObject", "Resource": f"{BUCKET_ARN}/AWSLogs/{ORG}/*",
         "Condition": write},
        {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Resource": [BUCKET_ARN, f"{BUCKET_ARN}/*"],
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
    ]}


def test_the_trail_is_an_encrypted_validated_multi_region_organization_trail(plan):
    inv = plan()
    trail = one(inv, TRAIL_TYPE, "audit-trail")
    assert trail.inputs == {
        "name": "acme-lz-organization-trail", "s3BucketName": BUCKET,
        "kmsKeyId": inv.outputs["audit"]["kms_key_arn"], "isOrganizationTrail": True,
        "isMultiRegionTrail": True, "includeGlobalServiceEvents": True,
        "enableLogFileValidation": True, "enableLogging": True}
    assert provider_name(trail) == "management" and trail.protect
    # The ARN every policy names is the trail's real ARN.
    assert inv.outputs["audit"]["trail_arn"] == TRAIL


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_the_trail_waits_for_the_bucket_policy_key_and_trusted_access(plan, preview):
    inv = plan(preview=preview)
    trail = one(inv, TRAIL_TYPE, "audit-trail")
    policy = one(inv, "aws:s3/bucketPolicy:BucketPolicy", "audit-bucket-policy")
    organization = one(inv, "aws:organizations/organization:Organization", "organization")
    assert policy.urn in trail.dependencies, trail.urn
    assert organization.urn in trail.dependencies, trail.urn
    assert inv.depends_on(trail, one(inv, KEY, "audit-key")), trail.urn


def test_preview_knows_the_names_and_leaves_new_ids_unknown(plan):
    inv = plan(preview=True)
    trail = one(inv, TRAIL_TYPE, "audit-trail")
    assert trail.id is None and trail.inputs["kmsKeyId"] == UNKNOWN
    assert trail.inputs["s3BucketName"] == BUCKET and trail.inputs["isOrganizationTrail"]
    assert inv.outputs["audit"]["bucket"] == BUCKET
    assert inv.outputs["audit"]["trail_name"] == "acme-lz-organization-trail"
    assert inv.outputs["audit"]["trail_arn"] == UNKNOWN
    assert {r.urn for r in inv.registrations} == {r.urn for r in plan().registrations}


def test_every_audit_resource_gets_the_managed_tag_from_its_provider(plan):
    inv = plan(cloudwatch_logs={"enabled": True})
    audit = [r for r in inv.registrations if r.custom and r.name.startswith("audit")]
    assert len(audit) >= 14
    for reg in audit:
        provider = inv.by_urn[reg.provider]
        tags = json.loads(provider.inputs["defaultTags"])["tags"]
        assert tags[MANAGED_TAG_KEY] == MANAGED_TAG_VALUE, reg.urn


def test_cloudwatch_logs_delivery(plan):
    inv = plan(cloudwatch_logs={"enabled": True, "retention_days": 365})
    group = one(inv, "aws:cloudwatch/logGroup:LogGroup", "audit-log-group")
    key = one(inv, KEY, "audit-log-group-key")
    name = "/landing-zone/cloudtrail/acme-lz-organization-trail"
    assert group.inputs.pop("kmsKeyId").endswith(f":key/{key.id}"), group.urn
    assert group.inputs == {"name": name, "retentionInDays": 365}
    assert key.inputs["enableKeyRotation"] is True and provider_name(key) == "management"
    key_policy = json.loads(key.inputs["policy"])
    assert key_policy["Statement"][1] == {
        "Sid": "AllowCloudWatchLogsForTheTrailLogGroup", "Effect": "Allow",
        "Principal": {"Service": f"logs.{REGION}.amazonaws.com"},
        "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                   "kms:Describe*"],
        "Resource": "*",
        "Condition": {"ArnEquals": {
            "kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:{REGION}:{MGMT}:log-group:{name}"}}}
    administer = key_policy["Statement"][0]
    assert administer["Principal"] == {"AWS": f"arn:aws:iam::{MGMT}:root"}
    assert not {"kms:Decrypt", "kms:Encrypt", "kms:*"} & set(administer["Action"])
    role = one(inv, "aws:iam/role:Role", "audit-cloudwatch-role")
    assert json.loads(role.inputs["assumeRolePolicy"]) == {"Version": "2012-10-17", "Statement": [
        {"Sid": "AllowCloudTrailForThisTrail", "Effect": "Allow",
         "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "sts:AssumeRole",
         "Condition": {"StringEquals": {"aws:SourceArn": TRAIL}}}]}
    delivery = one(inv, "aws:iam/rolePolicy:RolePolicy", "audit-cloudwatch-delivery")
    assert delivery.inputs["role"] == role.id
    trail = one(inv, TRAIL_TYPE, "audit-trail")
    group_arn = trail.inputs["cloudWatchLogsGroupArn"].removesuffix(":*")
    assert group_arn.endswith(f":log-group:{group.inputs['name']}")
    streams = [f"{group_arn}:log-stream:{MGMT}_CloudTrail_{REGION}*",
               f"{group_arn}:log-stream:{ORG}_*"]
    assert json.loads(delivery.inputs["policy"]) == {"Version": "2012-10-17", "Statement": [
        {"Sid": "AWSCloudTrailCreateLogStream20141101", "Effect": "Allow",
         "Action": "logs:CreateLogStream", "Resource": streams},
        {"Sid": "AWSCloudTrailPutLogEvents20141101", "Effect": "Allow",
         "Action": "logs:PutLogEvents", "Resource": streams}]}
    assert trail.inputs["cloudWatchLogsRoleArn"].endswith(f":role/{role.id}")
    assert delivery.urn in trail.dependencies
    assert all(provider_name(r) == "management" for r in (group, role, delivery))


def test_cloudwatch_logs_is_off_by_default(plan):
    inventory = plan()
    assert not inventory.of_type("aws:cloudwatch/logGroup:LogGroup")
    assert not [r for r in inventory.of_type("aws:iam/role:Role")
                if r.name.startswith("audit")]


def test_data_events_select_management_events_too_and_skip_the_log_bucket(plan):
    trail = one(plan(data_events=["AWS::S3::Object", "AWS::Lambda::Function"]), TRAIL_TYPE,
                "audit-trail")
    assert trail.inputs["advancedEventSelectors"] == [
        {"name": "Management events",
         "fieldSelectors": [{"field": "eventCategory", "equals": ["Management"]}]},
        {"name": "AWS::S3::Object data events", "fieldSelectors": [
            {"field": "eventCategory", "equals": ["Data"]},
            {"field": "resources.type", "equals": ["AWS::S3::Object"]},
            {"field": "resources.ARN", "notStartsWiths": [f"{BUCKET_ARN}/"]}]},
        {"name": "AWS::Lambda::Function data events", "fieldSelectors": [
            {"field": "eventCategory", "equals": ["Data"]},
            {"field": "resources.type", "equals": ["AWS::Lambda::Function"]}]},
    ]
    assert "advancedEventSelectors" not in one(plan(), TRAIL_TYPE, "audit-trail").inputs


def test_object_lock_is_set_at_creation_with_its_default_retention(plan):
    inv = plan(object_lock={"mode": "COMPLIANCE", "days": 400}, retention_days=400)
    assert one(inv, "aws:s3/bucket:Bucket", "audit-bucket").inputs["objectLockEnabled"] is True
    lock = one(inv, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
               "audit-bucket-object-lock")
    assert lock.inputs["rule"] == {"defaultRetention": {"mode": "COMPLIANCE", "days": 400}}


def test_readers_may_list_get_and_decrypt_through_s3_only(plan):
    reader_role = "arn:aws:iam::123456789012:role/SecurityAudit"
    inv = plan(readers=["shared_services", reader_role])
    readers = [f"arn:aws:iam::{account_id(inv, 'shared_services')}:root", reader_role]
    key_policy = json.loads(one(inv, KEY, "audit-key").inputs["policy"])
    assert key_policy["Statement"][-2] == {
        "Sid": "AllowLogReadersToDecryptThroughS3", "Effect": "Allow",
        "Principal": {"AWS": readers}, "Action": "kms:Decrypt", "Resource": "*",
        "Condition": {"StringEquals": {"kms:ViaService": f"s3.{REGION}.amazonaws.com"}}}
    bucket_policy = json.loads(one(inv, "aws:s3/bucketPolicy:BucketPolicy",
                                   "audit-bucket-policy").inputs["policy"])
    assert bucket_policy["Statement"][3] == {
        "Sid": "AllowLogReaders", "Effect": "Allow", "Principal": {"AWS": readers},
        "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": [BUCKET_ARN, f"{BUCKET_ARN}/*"]}


def test_no_transition_keeps_log_files_in_standard_storage(plan):
    [rule] = one(plan(transition_days=None), "aws:s3/bucketLifecycleConfiguration:"
                 "BucketLifecycleConfiguration", "audit-bucket-lifecycle").inputs["rules"]
    assert "transitions" not in rule and rule["expiration"] == {"days": 365}


def test_switched_off_there_is_no_trail_no_archive_and_nothing_to_protect(example_with):
    inv = example_with(False, audit_logging={"enabled": False}, sso={"permission_sets": {
        "audit_log_reader": {"policies": ["ReadOnlyAccess"]}}})  # LZ257 without it
    assert not [r for r in inv.registrations if r.name.startswith("audit")]
    assert inv.outputs["audit"] is None
    shared = inv.outputs["guardrails"]["builtin:root"]
    assert "protect_audit_logging" not in shared["guardrails"]
    assert shared["guardrails"] == ["deny_leaving_organization", "deny_root_user",
                                    "deny_unencrypted_volumes", "protect_account_access_role",
                                    "protect_state_backend"]
