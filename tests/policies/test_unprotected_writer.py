"""`unprotected_resource_writer`: broad rights that stop at landing-zone resources, their tag and
the access role, within IAM's managed-policy size whatever the organization's size."""

from __future__ import annotations

import json

from components.policies import scps
from components.policies.unprotected_writer import unprotected_resource_writer
from components.tags import MANAGED_TAG_KEY
from config import DEFAULT_CONFIG, load
from config.naming import protected_bucket_arns
from config.rules.limits import MANAGED_POLICY_CHARS, policy_size

KEY = "arn:aws:kms:us-east-1:222222222222:key/0f0e0d0c-0b0a-0908-0706-050403020100"


def example_buckets() -> list[str]:
    return protected_bucket_arns(load(DEFAULT_CONFIG, use_local=False).config)


def statements(document: dict) -> dict[str, dict]:
    return {s["Sid"]: s for s in document["Statement"]}


def test_the_protected_buckets_of_the_example():
    assert example_buckets() == ["arn:aws:s3:::acme-lz-audit-logs",
                                 "arn:aws:s3:::acme-lz-aws-config-history",
                                 "arn:aws:s3:::acme-lz-guardduty-findings",
                                 "arn:aws:s3:::acme-lz-pulumi-state",
                                 "arn:aws:s3:::acme-lz-s3-access-logs-*-*"]


def test_the_access_log_buckets_are_one_pattern_however_many_accounts(tmp_path):
    accounts = "".join(f"  a{i}: {{name: A{i}, email: a{i}@example.com}}\n" for i in range(300))
    path = tmp_path / "organization.yaml"
    path.write_text("organization:\n  aws_region: us-east-1\n  key_accounts: {master: master}\n"
                    "  tokens: {namespace: acme}\naccounts:\n"
                    "  master: {name: Management, email: root@example.com}\n" + accounts)
    buckets = protected_bucket_arns(load(path, use_local=False).config)
    assert buckets == ["arn:aws:s3:::acme-pulumi-state", "arn:aws:s3:::acme-s3-access-logs-*-*"]


def test_it_fits_a_managed_policy_with_room_to_spare():
    document = unprotected_resource_writer(protected_bucket_arns=example_buckets(),
                                           protected_key_arns=[KEY, KEY.replace("0f0e", "1f0e")])
    # A third of the quota left for what is protected later (the example's four protected
    # buckets, GuardDuty's findings among them, take 60% with the rest of the policy).
    assert policy_size(document) <= MANAGED_POLICY_CHARS * 2 / 3


def test_tagged_landing_zone_resources_and_the_tag_itself_are_fenced_off():
    found = statements(unprotected_resource_writer(protected_bucket_arns=[],
                                                   protected_key_arns=[]))
    tagged = found["DenyChangingLandingZoneResources"]
    assert tagged["Effect"] == "Deny" and tagged["Resource"] == "*"
    assert tagged["Condition"] == {"StringEquals": {f"aws:ResourceTag/{MANAGED_TAG_KEY}": "true"}}
    assert {"kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "cloudtrail:StopLogging",
            "cloudtrail:DeleteTrail", "logs:DeleteLogGroup"} <= set(tagged["Action"])
    # Using a landing-zone key (the state writer's job) stays allowed.
    assert not {"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"} & set(tagged["Action"])
    assert found["DenyTouchingTheLandingZoneTag"] == {
        "Sid": "DenyTouchingTheLandingZoneTag", "Effect": "Deny", "Action": "*", "Resource": "*",
        "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": [MANAGED_TAG_KEY]}}}
    assert found["DenyAssumingTheAccountAccessRole"] == {
        "Sid": "DenyAssumingTheAccountAccessRole", "Effect": "Deny", "Action": "sts:AssumeRole",
        "Resource": "arn:aws:iam::*:role/OrganizationAccountAccessRole"}


def test_protected_buckets_and_keys_are_named_with_the_guardrails_own_action_lists():
    buckets = example_buckets()
    found = statements(unprotected_resource_writer(protected_bucket_arns=buckets,
                                                   protected_key_arns=[KEY]))
    assert found["DenyReconfiguringProtectedBuckets"] == {
        "Sid": "DenyReconfiguringProtectedBuckets", "Effect": "Deny",
        "Action": list(scps.BUCKET_SETTINGS), "Resource": buckets}
    assert found["DenyDestroyingProtectedHistory"]["Resource"] == [f"{b}/*" for b in buckets]
    assert set(found["DenyDestroyingProtectedHistory"]["Action"]) == {
        "s3:DeleteObjectVersion", "s3:BypassGovernanceRetention"}
    assert found["DenyAdministeringProtectedKeys"] == {
        "Sid": "DenyAdministeringProtectedKeys", "Effect": "Deny",
        "Action": list(scps.KEY_CHANGES), "Resource": [KEY]}


def test_it_is_deterministic():
    one = unprotected_resource_writer(protected_bucket_arns=example_buckets()[::-1],
                                      protected_key_arns=[KEY])
    other = unprotected_resource_writer(protected_bucket_arns=example_buckets(),
                                        protected_key_arns=[KEY])
    assert json.dumps(one) == json.dumps(other)


def test_deployers_may_not_assume_a_renamed_access_role():
    document = unprotected_resource_writer(protected_bucket_arns=[], protected_key_arns=[],
                                           access_role_name="LandingZoneAccess")
    deny = {s["Sid"]: s for s in document["Statement"]}["DenyAssumingTheAccountAccessRole"]
    assert deny["Resource"] == "arn:aws:iam::*:role/LandingZoneAccess"
