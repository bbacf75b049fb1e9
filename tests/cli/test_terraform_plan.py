"""The plan as a Terraform plan document: type and argument names as the Terraform AWS provider
spells them, references between resources found by value, nothing without a Terraform form."""

from __future__ import annotations

import json

import pytest

from cli.main import main
from cli.plan import make_plan
from cli.plan.terraform_plan import (
    PROVIDER_NAME,
    argument_name,
    terraform_plan,
    terraform_type,
    unmapped_plurals,
)
from config import DEFAULT_CONFIG, load

EVERYTHING_ON = {"audit_logging": {"cloudwatch_logs": {"enabled": True},
                                   "data_events": ["AWS::S3::Object"],
                                   "object_lock": {"mode": "GOVERNANCE", "days": 30}}}


@pytest.fixture(scope="module")
def document() -> dict:
    config = load(DEFAULT_CONFIG, overrides=EVERYTHING_ON, use_local=False).config
    return terraform_plan(make_plan(config, preview=False))


def by_address(document: dict, section: str) -> dict[str, dict]:
    root = document[section]["root_module"]["resources"]
    return {r["address"]: r for r in root}


@pytest.mark.parametrize(("token", "expected"), [
    ("aws:s3/bucketPolicy:BucketPolicy", "aws_s3_bucket_policy"),
    ("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
     "aws_s3_bucket_server_side_encryption_configuration"),
    ("aws:kms/key:Key", "aws_kms_key"),
    ("aws:cloudwatch/logGroup:LogGroup", "aws_cloudwatch_log_group"),
    ("aws:organizations/organizationalUnit:OrganizationalUnit",
     "aws_organizations_organizational_unit"),
    ("aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",
     "aws_ssoadmin_permission_set_inline_policy"),
    ("aws:cloudtrail/trail:Trail", "aws_cloudtrail"),  # mapped by hand in pulumi-aws
    ("pulumi:providers:aws", None),
    ("landing-zone:storage:HardenedBucket", None),
    ("pulumi-python:dynamic:Resource", None),
])
def test_terraform_types(token, expected):
    assert terraform_type(token) == expected


@pytest.mark.parametrize(("key", "expected"), [
    ("kmsMasterKeyId", "kms_master_key_id"), ("rules", "rule"), ("transitions", "transition"),
    ("advancedEventSelectors", "advanced_event_selector"), ("notStartsWiths", "not_starts_with"),
    ("awsServiceAccessPrincipals", "aws_service_access_principals"), ("equals", "equals"),
])
def test_argument_names(key, expected):
    assert argument_name(key) == expected


def test_only_aws_resources_each_as_terraform_would_plan_a_create(document):
    planned = by_address(document, "planned_values")
    assert document["terraform_version"] and document["format_version"] == "1.2"
    assert planned and all(a.startswith("aws_") for a in planned)
    assert not [a for a in planned if "readiness" in a or "provider" in a]
    changes = {c["address"]: c for c in document["resource_changes"]}
    assert set(changes) == set(planned) == set(by_address(document, "configuration"))
    bucket = planned["aws_s3_bucket.audit-bucket"]
    assert bucket["provider_name"] == PROVIDER_NAME and bucket["mode"] == "managed"
    assert bucket["values"]["bucket"] == "acme-lz-audit-logs"
    assert changes["aws_s3_bucket.audit-bucket"]["change"]["actions"] == ["create"]
    trail = planned["aws_cloudtrail.audit-trail"]["values"]
    assert trail["enable_log_file_validation"] is True and trail["is_organization_trail"] is True
    management, s3_objects = trail["advanced_event_selector"]
    assert management["field_selector"][0]["equals"] == ["Management"]
    assert s3_objects["field_selector"][-1]["not_starts_with"] == ["arn:aws:s3:::acme-lz-audit-logs/"]
    [rule] = planned["aws_s3_bucket_server_side_encryption_configuration.audit-bucket-encryption"][
        "values"]["rule"]
    assert rule["apply_server_side_encryption_by_default"]["sse_algorithm"] == "aws:kms"


def test_references_link_resources_by_id_and_by_arn(document):
    configured = by_address(document, "configuration")
    key = ["aws_kms_key.audit-key.id", "aws_kms_key.audit-key"]
    assert configured["aws_s3_bucket_public_access_block.audit-bucket-public-access-block"][
        "expressions"] == {"bucket": {"references": ["aws_s3_bucket.audit-bucket.id",
                                                     "aws_s3_bucket.audit-bucket"]}}
    assert configured["aws_kms_alias.audit-key-alias"]["expressions"] == {
        "target_key_id": {"references": key}}
    trail = configured["aws_cloudtrail.audit-trail"]["expressions"]
    assert trail["kms_key_id"] == {"references": key}  # an ARN ending in the key id
    assert trail["cloud_watch_logs_group_arn"]["references"][1] == \
        "aws_cloudwatch_log_group.audit-log-group"  # the group's ARN with CloudTrail's ':*'
    encryption = configured[
        "aws_s3_bucket_server_side_encryption_configuration.audit-bucket-encryption"]
    assert encryption["expressions"]["rule"] == [{"apply_server_side_encryption_by_default": {
        "kms_master_key_id": {"references": key}}}]


@pytest.mark.parametrize("overrides", [None, EVERYTHING_ON], ids=["example", "everything-on"])
def test_every_plural_argument_is_mapped(overrides):
    """A new resource whose Pulumi plural is not in PLURALIZED (or Terraform's own) fails here."""
    config = load(DEFAULT_CONFIG, overrides=overrides, use_local=False).config
    assert unmapped_plurals(make_plan(config, preview=False)) == set()


def test_lz_plan_writes_it(tmp_path, capsys):
    out = tmp_path / "plan.tfplan.json"
    assert main(["plan", "--terraform-plan", str(out)]) == 0
    written = json.loads(out.read_text(encoding="utf-8"))
    assert "aws_cloudtrail.audit-trail" in by_address(written, "planned_values")
    assert f"wrote {out}" in capsys.readouterr().err
