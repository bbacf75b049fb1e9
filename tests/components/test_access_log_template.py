"""The access-log bucket's policy and template: who may write, who may not, what nobody may do."""

from __future__ import annotations

import json

import pytest

from components.access_log_template import access_log_statements, access_log_template
from components.stack_set_fan_out import MAX_TEMPLATE_BODY_BYTES

BUCKET = "acme-s3-access-logs-222222222222-us-east-1"
SOURCES = ["acme-pulumi-state", "acme-audit-logs"]


def test_only_log_delivery_of_the_same_account_may_write():
    allow, *_ = access_log_statements(BUCKET, "222222222222", SOURCES)
    assert allow == {
        "Sid": "AllowServerAccessLogDelivery", "Effect": "Allow",
        "Principal": {"Service": "logging.s3.amazonaws.com"}, "Action": "s3:PutObject",
        "Resource": f"arn:aws:s3:::{BUCKET}/*",
        "Condition": {"StringEquals": {"aws:SourceAccount": "222222222222"}}}


def test_each_landing_zone_prefix_only_from_its_own_bucket():
    """aws:SourceArn pins the landing zone's buckets to their prefixes, as AWS's example pins
    the source; another bucket of the account cannot write lines there."""
    denies = [s for s in access_log_statements(BUCKET, "222222222222", SOURCES)
              if s["Sid"].startswith("OnlyLandingZoneBucket")]
    assert [(s["Resource"], s["Condition"]) for s in denies] == [
        (f"arn:aws:s3:::{BUCKET}/acme-audit-logs/*",
         {"ArnNotEquals": {"aws:SourceArn": "arn:aws:s3:::acme-audit-logs"}}),
        (f"arn:aws:s3:::{BUCKET}/acme-pulumi-state/*",
         {"ArnNotEquals": {"aws:SourceArn": "arn:aws:s3:::acme-pulumi-state"}})]
    assert all(s["Effect"] == "Deny" and s["Principal"] == {"Service": "logging.s3.amazonaws.com"}
               for s in denies)


def test_nobody_deletes_a_log_file_or_a_version_of_one():
    *_, deny = access_log_statements(BUCKET, "222222222222", SOURCES)
    assert deny == {"Sid": "DenyDeletingAccessLogs", "Effect": "Deny", "Principal": "*",
                    "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion"],
                    "Resource": f"arn:aws:s3:::{BUCKET}/*"}


@pytest.fixture
def template(example_config) -> dict:
    return json.loads(access_log_template(example_config, SOURCES))


def test_the_bucket_is_versioned_expires_and_is_kept_when_its_stack_goes(template):
    bucket = template["Resources"]["AccessLogBucket"]
    assert (bucket["DeletionPolicy"], bucket["UpdateReplacePolicy"]) == ("Retain", "Retain")
    props = bucket["Properties"]
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert props["LifecycleConfiguration"]["Rules"] == [{
        "Id": "retention", "Status": "Enabled", "ExpirationInDays": 365,
        "NoncurrentVersionExpiration": {"NoncurrentDays": 30},
        "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7}}]
    # server access logs cannot be delivered to SSE-KMS buckets
    assert props["BucketEncryption"] == {"ServerSideEncryptionConfiguration": [
        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}
    assert props["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    assert set(props["PublicAccessBlockConfiguration"].values()) == {True}


def test_the_policy_names_the_account_through_cloudformation(template):
    policy = template["Resources"]["AccessLogBucketPolicy"]
    assert policy["DeletionPolicy"] == "Retain"
    assert policy["Properties"]["Bucket"] == {"Ref": "AccessLogBucket"}
    statements = {s["Sid"]: s for s in policy["Properties"]["PolicyDocument"]["Statement"]}
    name = "acme-lz-s3-access-logs-${AWS::AccountId}-${AWS::Region}"
    assert statements["AllowServerAccessLogDelivery"]["Condition"] == {
        "StringEquals": {"aws:SourceAccount": {"Fn::Sub": "${AWS::AccountId}"}}}
    assert statements["DenyDeletingAccessLogs"]["Resource"] == {
        "Fn::Sub": f"arn:aws:s3:::{name}/*"}
    assert statements["DenyInsecureTransport"]["Condition"] == {
        "Bool": {"aws:SecureTransport": "false"}}


def test_the_template_fits_inline_and_renders_the_same_bytes(example_config):
    body = access_log_template(example_config, SOURCES)
    assert len(body.encode()) < MAX_TEMPLATE_BODY_BYTES // 10
    assert body == access_log_template(example_config, list(reversed(SOURCES)))
    assert " " not in body.split('"Description"')[0]
