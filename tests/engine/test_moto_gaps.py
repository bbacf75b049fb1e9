"""The engine suite's other moto gaps (tests/engine/conftest.py, `fill_moto_gaps`), checked
without the engine (part of `./lz test`)."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from tests.engine.conftest import fill_moto_gaps

REGION = "us-east-1"


@pytest.fixture
def filled():
    with pytest.MonkeyPatch.context() as patch:
        fill_moto_gaps(patch)
        with mock_aws():
            yield


def test_aws_managed_policies_attach_by_arn_and_unknown_ones_are_refused(filled):
    iam = boto3.client("iam", region_name=REGION)
    iam.create_role(RoleName="reader", AssumeRolePolicyDocument="{}")
    for arn in ("arn:aws:iam::aws:policy/ReadOnlyAccess",
                "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole"):
        iam.attach_role_policy(RoleName="reader", PolicyArn=arn)
    attached = iam.list_attached_role_policies(RoleName="reader")["AttachedPolicies"]
    assert {a["PolicyName"] for a in attached} == {"ReadOnlyAccess", "AWS_ConfigRole"}
    with pytest.raises(ClientError, match="NoSuchEntity"):
        # the right name on the wrong path is not that policy
        iam.attach_role_policy(RoleName="reader",
                               PolicyArn="arn:aws:iam::aws:policy/AWS_ConfigRole")


def test_policy_types_moto_lacks_are_enabled_and_kept(filled):
    orgs = boto3.client("organizations", region_name=REGION)
    orgs.create_organization(FeatureSet="ALL")
    root = orgs.list_roots()["Roots"][0]["Id"]
    for kind in ("S3_POLICY", "SECURITYHUB_POLICY", "DECLARATIVE_POLICY_EC2"):
        orgs.enable_policy_type(RootId=root, PolicyType=kind)
        made = orgs.create_policy(Name=kind, Description="", Type=kind,
                                  Content=json.dumps({"x": {}}))["Policy"]["PolicySummary"]
        assert made["Type"] == kind
    enabled = {t["Type"] for t in orgs.list_roots()["Roots"][0]["PolicyTypes"]}
    assert {"S3_POLICY", "SECURITYHUB_POLICY", "DECLARATIVE_POLICY_EC2"} <= enabled
    with pytest.raises(ClientError, match="InvalidInputException"):
        orgs.enable_policy_type(RootId=root, PolicyType="NO_SUCH_POLICY")
