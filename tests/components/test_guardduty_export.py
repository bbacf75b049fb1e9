"""GuardDuty's findings export: one bucket and key in the log archive (home region), one
publishing destination per governed region on the administrator's detector, made after the
policies that let GuardDuty write; who may read the findings, and who may not."""

from __future__ import annotations

import pytest

from cli.offline import FakeAws, run_offline
from cli.offline.mocks import UNKNOWN
from components.landing_zone import build
from config.naming import guardduty_findings_bucket_name

DESTINATION = "aws:guardduty/publishingDestination:PublishingDestination"
CONFIGURATION = "aws:guardduty/organizationConfiguration:OrganizationConfiguration"
KEY = "aws:kms/key:Key"
BUCKET = "aws:s3/bucket:Bucket"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
EXPORT = "landing-zone:guardduty:FindingsExport"
THREE_REGIONS = ["us-east-1", "eu-west-1", "us-west-2"]
SECURITY = "account-access-security_tooling"
LOG_ARCHIVE = "account-access-log_archive"


def parts(inventory, find):
    [export] = inventory.of_type(EXPORT)
    [key] = find.within(export, KEY)
    [bucket] = find.within(export, BUCKET)
    [policy] = find.within(export, BUCKET_POLICY)
    return export, key, bucket, policy


def account_id(inventory, key: str) -> str:
    return inventory.outputs["accounts"][key]["id"]


def key_arn(inventory) -> str:
    return inventory.outputs["guardduty"]["findings_kms_key_arn"]


def test_one_destination_on_the_administrators_detector_from_the_security_account(
        inventory, find, example_config):
    [destination] = inventory.of_type(DESTINATION)
    [configuration] = inventory.of_type(CONFIGURATION)
    bucket = guardduty_findings_bucket_name(example_config)
    assert find.provider_of(destination).name == SECURITY, destination.urn
    assert destination.inputs["region"] == "us-east-1", destination.urn
    assert destination.inputs["detectorId"] == configuration.inputs["detectorId"], destination.urn
    assert destination.inputs["destinationType"] == "S3", destination.urn
    assert destination.inputs["destinationArn"] == f"arn:aws:s3:::{bucket}", destination.urn


def test_bucket_and_key_live_in_the_log_archive_protected(inventory, find, example_config):
    _, key, bucket, _ = parts(inventory, find)
    assert bucket.inputs["bucket"] == guardduty_findings_bucket_name(example_config)
    for reg in (key, bucket):
        assert find.provider_of(reg).name == LOG_ARCHIVE, reg.urn
        assert reg.protect and reg.retain_on_delete, reg.urn
    assert key.inputs["enableKeyRotation"] is True, key.urn


def test_the_destination_waits_for_the_bucket_policy_and_the_key(inventory, find):
    """GuardDuty tests that it can write when the destination is created."""
    _, key, _, policy = parts(inventory, find)
    [destination] = inventory.of_type(DESTINATION)
    assert inventory.depends_on(destination, policy), destination.urn
    assert inventory.depends_on(destination, key), destination.urn
    if not inventory.preview:
        assert destination.inputs["kmsKeyArn"] == key_arn(inventory), destination.urn


def test_findings_are_encrypted_with_their_own_key(update_inventory, finder):
    find = finder(update_inventory)
    export, _, _, _ = parts(update_inventory, find)
    [encryption] = find.within(export, "aws:s3/bucketServerSideEncryptionConfiguration:"
                                       "BucketServerSideEncryptionConfiguration")
    rule = encryption.inputs["rules"][0]["applyServerSideEncryptionByDefault"]
    assert rule == {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": key_arn(update_inventory)}


def test_three_governed_regions_one_bucket(example_with, finder):
    inventory = example_with(organization={"governed_regions": THREE_REGIONS})
    find = finder(inventory)
    destinations = inventory.of_type(DESTINATION)
    assert sorted(d.inputs["region"] for d in destinations) == sorted(THREE_REGIONS)
    assert {find.provider_of(d).name for d in destinations} == {SECURITY}
    assert len({d.inputs["detectorId"] for d in destinations}) == 3, "one detector per region"
    assert len({d.inputs["destinationArn"] for d in destinations}) == 1, "one bucket"
    _, _, _, policy = parts(inventory, find)
    sources = find.policy(policy)["Statement"][0]["Condition"]["ArnLike"]["aws:SourceArn"]
    security = account_id(inventory, "security_tooling")
    assert sources == [f"arn:aws:guardduty:{r}:{security}:detector/*" for r in THREE_REGIONS]


def test_an_opt_in_region_adds_guardduty_regional_principal(example_with, finder):
    inventory = example_with(organization={"governed_regions": ["us-east-1", "eu-south-2"]})
    find = finder(inventory)
    _, key, _, policy = parts(inventory, find)
    statements = {s["Sid"]: s for s in find.policy(policy)["Statement"]}
    assert statements["AllowGuardDutyPutFindings"]["Principal"]["Service"] == [
        "guardduty.amazonaws.com", "guardduty.eu-south-2.amazonaws.com"]
    statements = {s["Sid"]: s for s in find.policy(key)["Statement"]}
    assert statements["AllowGuardDutyToEncryptFindings"]["Principal"]["Service"] == [
        "guardduty.amazonaws.com", "guardduty.eu-south-2.amazonaws.com"]


@pytest.mark.parametrize("overrides", [
    {"security_baseline": {"guardduty": {"export_findings": False}}},
    {"security_baseline": {"guardduty": {"enabled": False}}},
], ids=["export-off", "guardduty-off"])
def test_off_builds_no_export(example_with, overrides):
    inventory = example_with(**overrides)
    assert not inventory.of_type(DESTINATION)
    assert not inventory.of_type(EXPORT)
    guardduty = inventory.outputs["guardduty"]
    assert guardduty is None or guardduty["findings_bucket"] is None


def test_outputs_name_the_bucket_and_key(inventory, example_config):
    outputs = inventory.outputs["guardduty"]
    assert outputs["findings_bucket"] in (guardduty_findings_bucket_name(example_config), UNKNOWN)
    assert outputs["findings_kms_key_arn"] is not None


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_an_adopted_administrator_exports_from_its_existing_detector(example_data, config_from,
                                                                     tmp_path, preview):
    """Brownfield: the designation is imported, so its detector is read in preview too and the
    destination goes on it; no second detector, nothing made twice."""
    example_data["accounts"]["security_tooling"]["id"] = "222222222222"
    config = config_from(example_data, tmp_path)
    fake = FakeAws(delegated_administrators={"guardduty.amazonaws.com": ("222222222222",)})
    inventory = run_offline(lambda: build(config), fake=fake, preview=preview)
    [destination] = inventory.of_type(DESTINATION)
    assert destination.inputs["detectorId"] == fake.answer(
        "aws:guardduty/getDetector:getDetector", {"region": "us-east-1"})["id"], destination.urn
    assert destination.import_id is None, destination.urn
    assert not inventory.of_type("aws:guardduty/detector:Detector")
