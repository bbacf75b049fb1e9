"""The engine suite's StackSets emulation (tests/engine/moto_stacksets.py), checked without the
engine (part of `./lz test`): service-managed instances reach what AWS's would."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.s3.models import s3_backends

from tests.engine import moto_stacksets

REGION = "us-east-1"
STACK_SET = "access-logs"
TEMPLATE = json.dumps({"Resources": {"Logs": {
    "Type": "AWS::S3::Bucket",
    "Properties": {"BucketName": {"Fn::Sub": "logs-${AWS::AccountId}-${AWS::Region}"}}}}})


class Org:
    def __init__(self) -> None:
        self.orgs = boto3.client("organizations", region_name=REGION)
        self.management = self.orgs.create_organization(FeatureSet="ALL")["Organization"][
            "MasterAccountId"]
        self.root = self.orgs.list_roots()["Roots"][0]["Id"]
        self.cloudformation = boto3.client("cloudformation", region_name=REGION)

    def ou(self, name: str, parent: str) -> str:
        return self.orgs.create_organizational_unit(ParentId=parent, Name=name)[
            "OrganizationalUnit"]["Id"]

    def account(self, name: str, parent: str | None = None) -> str:
        status = self.orgs.create_account(Email=f"{name}@example.invalid", AccountName=name)
        account_id = self.orgs.describe_create_account_status(
            CreateAccountRequestId=status["CreateAccountStatus"]["Id"])[
            "CreateAccountStatus"]["AccountId"]
        if parent:
            self.move(account_id, self.root, parent)
        return account_id

    def move(self, account_id: str, source: str, destination: str) -> None:
        self.orgs.move_account(AccountId=account_id, SourceParentId=source,
                               DestinationParentId=destination)

    def stack_set(self, *, enabled: bool = True, retain: bool = True,
                  targets: list[str] | None = None) -> None:
        self.cloudformation.create_stack_set(
            StackSetName=STACK_SET, TemplateBody=TEMPLATE, PermissionModel="SERVICE_MANAGED",
            AutoDeployment={"Enabled": enabled, "RetainStacksOnAccountRemoval": retain})
        self.cloudformation.create_stack_instances(
            StackSetName=STACK_SET, Regions=[REGION],
            DeploymentTargets={"OrganizationalUnitIds": targets or [self.root]})

    def instances(self) -> set[str]:
        return {i["Account"] for i in self.cloudformation.list_stack_instances(
            StackSetName=STACK_SET)["Summaries"]}

    def status(self, account_id: str) -> tuple[str, str]:
        found = self.cloudformation.describe_stack_instance(
            StackSetName=STACK_SET, StackInstanceAccount=account_id,
            StackInstanceRegion=REGION)["StackInstance"]
        return found["Status"], found["StackInstanceStatus"]["DetailedStatus"]


@pytest.fixture
def org(monkeypatch) -> Org:
    moto_stacksets.install(monkeypatch)
    with mock_aws():
        yield Org()


def buckets() -> set[str]:
    """Every bucket in moto, whichever account holds it (the stacks' are in the members)."""
    return set(s3_backends.bucket_accounts)


def test_root_targets_reach_every_member_at_any_depth_but_not_the_management_account(org):
    workloads = org.ou("workloads", org.root)
    prod = org.ou("prod", workloads)
    deep = org.ou("deep", prod)
    members = {org.account("top"), org.account("prod", prod), org.account("deep", deep)}
    org.stack_set()
    assert org.instances() == members
    assert org.status(org.account("later", deep)) == ("CURRENT", "SUCCEEDED")
    assert f"logs-{org.management}-{REGION}" not in buckets()


def test_an_ou_target_reaches_its_descendants_only(org):
    workloads, security = org.ou("workloads", org.root), org.ou("security", org.root)
    inside = org.account("inside", org.ou("prod", org.ou("nested", workloads)))
    org.account("outside", security)
    org.stack_set(targets=[workloads])
    assert org.instances() == {inside}


def test_auto_deployment_follows_accounts_that_join_later(org):
    workloads, security = org.ou("workloads", org.root), org.ou("security", org.root)
    org.stack_set(targets=[workloads])
    joined = org.account("joined", security)
    assert org.instances() == set()
    org.move(joined, security, workloads)
    assert org.instances() == {joined}
    assert f"logs-{joined}-{REGION}" in buckets()
    assert org.cloudformation.describe_stack_set(StackSetName=STACK_SET)["StackSet"][
        "AutoDeployment"] == {"Enabled": True, "RetainStacksOnAccountRemoval": True}


@pytest.mark.parametrize("retain", [True, False])
def test_an_account_that_leaves_loses_its_instance_and_keeps_its_stack_if_retained(org, retain):
    workloads, security = org.ou("workloads", org.root), org.ou("security", org.root)
    org.stack_set(targets=[workloads], retain=retain)
    moved, removed = org.account("moved", workloads), org.account("removed", workloads)
    assert org.instances() == {moved, removed}
    org.move(moved, workloads, security)
    org.orgs.remove_account_from_organization(AccountId=removed)
    assert org.instances() == set()
    kept = {f"logs-{moved}-{REGION}", f"logs-{removed}-{REGION}"} & buckets()
    assert kept == ({f"logs-{moved}-{REGION}", f"logs-{removed}-{REGION}"} if retain else set())


def test_without_auto_deployment_later_accounts_get_nothing(org):
    org.stack_set(enabled=False)
    later = org.account("later")
    assert org.instances() == set()
    with pytest.raises(ClientError, match="StackInstanceNotFoundException"):
        org.status(later)


@pytest.mark.parametrize("retain", [True, False])
def test_deleting_ou_targeted_instances_empties_the_stack_set(org, retain):
    member = org.account("member", org.ou("workloads", org.root))
    org.stack_set()
    org.cloudformation.delete_stack_instances(
        StackSetName=STACK_SET, Regions=[REGION], RetainStacks=retain,
        DeploymentTargets={"OrganizationalUnitIds": [org.root]})
    assert org.instances() == set()
    assert (f"logs-{member}-{REGION}" in buckets()) is retain
    org.account("after")  # no target left: nothing is deployed
    assert org.instances() == set()
    org.cloudformation.delete_stack_set(StackSetName=STACK_SET)


def test_the_stacks_put_their_bucket_policies(org):
    member = org.account("member")
    policy = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": {"Fn::Sub": "arn:aws:s3:::logs-${AWS::AccountId}-${AWS::Region}/*"}}]}
    template = json.loads(TEMPLATE)
    template["Resources"]["Policy"] = {"Type": "AWS::S3::BucketPolicy", "Properties": {
        "Bucket": {"Ref": "Logs"}, "PolicyDocument": policy}}
    org.cloudformation.create_stack_set(StackSetName=STACK_SET, PermissionModel="SERVICE_MANAGED",
                                        TemplateBody=json.dumps(template))
    org.cloudformation.create_stack_instances(
        StackSetName=STACK_SET, Regions=[REGION],
        DeploymentTargets={"OrganizationalUnitIds": [org.root]})
    bucket = f"logs-{member}-{REGION}"
    stored = json.loads(s3_backends[member]["aws"].get_bucket(bucket).policy)
    assert stored["Statement"][0]["Resource"] == f"arn:aws:s3:::{bucket}/*"
