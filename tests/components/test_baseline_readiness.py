"""The gates on StackSets: a new account's baseline, and StackSets trusted access.

moto deploys service-managed stack instances (CURRENT/SUCCEEDED at once), which covers the
ready path with real boto3 calls; the states AWS passes through on the way (not there yet,
RUNNING, FAILED, INOPERABLE) and the trusted-access calls moto lacks come from a scripted
client that answers in the shapes of the CloudFormation API reference.
"""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from components.baseline_readiness import (
    BaselineFailedError,
    BaselineReadinessProvider,
    activate_trusted_access,
    wait_for_baseline,
)

REGION = "us-east-1"
ACCOUNT = "222222222222"
STACK_SET = "acme-access-logs-us-east-1"
TEMPLATE = '{"Resources":{"Nothing":{"Type":"AWS::CloudFormation::WaitConditionHandle"}}}'


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def instance(status: str, detailed: str, reason: str = "") -> dict:
    return {"StackInstance": {"StackSetId": f"{STACK_SET}:1", "Region": REGION,
                              "Account": ACCOUNT, "Status": status, "StatusReason": reason,
                              "StackInstanceStatus": {"DetailedStatus": detailed}}}


def not_found() -> ClientError:
    return ClientError({"Error": {"Code": "StackInstanceNotFoundException",
                                  "Message": "Stack instance not found"}}, "DescribeStackInstance")


class ScriptedCloudFormation:
    """Answers DescribeStackInstance (and the trusted-access calls) from a script."""

    def __init__(self, answers=(), access=("DISABLED", "ENABLED")) -> None:
        self.answers, self.access, self.calls = list(answers), list(access), []

    def describe_stack_instance(self, **params):
        self.calls.append(("describe_stack_instance", params))
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer

    def activate_organizations_access(self, **params):
        self.calls.append(("activate_organizations_access", params))
        return {}

    def describe_organizations_access(self, **params):
        self.calls.append(("describe_organizations_access", params))
        return {"Status": self.access.pop(0) if len(self.access) > 1 else self.access[0]}


def session_of(client):
    class Session:
        def __init__(self, **kwargs) -> None:
            self.kwargs = kwargs

        def client(self, service):
            assert service == "cloudformation"
            return client
    return Session


def wait(client, deadline=600, stack_sets=((STACK_SET, REGION),)):
    fake = FakeTime()
    return wait_for_baseline(account_id=ACCOUNT, stack_sets=list(stack_sets), region=REGION,
                             profile=None, deadline_seconds=deadline,
                             session_factory=session_of(client), sleep=fake.sleep,
                             clock=fake.clock, jitter=lambda d: d)


def test_ready_instances_from_moto_pass_at_the_first_poll():
    with mock_aws():
        organizations = boto3.client("organizations", region_name=REGION)
        organizations.create_organization(FeatureSet="ALL")
        root = organizations.list_roots()["Roots"][0]["Id"]
        unit = organizations.create_organizational_unit(ParentId=root, Name="w")["OrganizationalUnit"]
        request = organizations.create_account(Email="w@example.invalid", AccountName="w")
        account = organizations.describe_create_account_status(
            CreateAccountRequestId=request["CreateAccountStatus"]["Id"])["CreateAccountStatus"]["AccountId"]
        organizations.move_account(AccountId=account, SourceParentId=root,
                                   DestinationParentId=unit["Id"])
        cloudformation = boto3.client("cloudformation", region_name=REGION)
        cloudformation.create_stack_set(StackSetName=STACK_SET, TemplateBody=TEMPLATE,
                                        PermissionModel="SERVICE_MANAGED",
                                        AutoDeployment={"Enabled": True,
                                                        "RetainStacksOnAccountRemoval": True})
        cloudformation.create_stack_instances(
            StackSetName=STACK_SET, Regions=[REGION],
            DeploymentTargets={"OrganizationalUnitIds": [unit["Id"]]})
        assert wait_for_baseline(account_id=account, stack_sets=[(STACK_SET, REGION)],
                                 region=REGION, profile=None, deadline_seconds=60) == 1


def test_waits_until_auto_deployment_has_created_and_finished_the_instance():
    client = ScriptedCloudFormation([not_found(), instance("OUTDATED", "PENDING"),
                                     instance("OUTDATED", "RUNNING"),
                                     instance("CURRENT", "SUCCEEDED")])
    assert wait(client) == 4
    assert client.calls[0] == ("describe_stack_instance", {
        "StackSetName": STACK_SET, "StackInstanceAccount": ACCOUNT, "StackInstanceRegion": REGION})


def test_every_governed_region_must_be_ready():
    client = ScriptedCloudFormation([instance("CURRENT", "SUCCEEDED")])
    assert wait(client, stack_sets=[(STACK_SET, REGION), ("acme-access-logs-eu-west-1",
                                                          "eu-west-1")]) == 1
    assert {c[1]["StackInstanceRegion"] for c in client.calls} == {REGION, "eu-west-1"}


@pytest.mark.parametrize(("status", "detailed"), [
    ("OUTDATED", "FAILED"), ("INOPERABLE", "INOPERABLE"), ("OUTDATED", "CANCELLED"),
    ("OUTDATED", "SKIPPED_SUSPENDED_ACCOUNT")])
def test_failed_instance_fails_at_once_with_its_reason_and_what_to_do(status, detailed):
    client = ScriptedCloudFormation([instance(status, detailed, "Bucket already exists")])
    with pytest.raises(BaselineFailedError) as raised:
        wait(client)
    assert str(raised.value).startswith(
        f"The baseline of account {ACCOUNT} failed: stack set {STACK_SET} in {REGION}: "
        f"{status}/{detailed} (Bucket already exists). Read the stack events in the account")
    assert "`./lz verify` shows every account's baseline." in str(raised.value)
    assert len(client.calls) == 1


def test_an_instance_that_never_appears_fails_at_the_deadline():
    client = ScriptedCloudFormation([not_found()])
    with pytest.raises(BaselineFailedError, match=(
            rf"The baseline of account {ACCOUNT} is still not in place after 600s \(\d+ polls\): "
            rf"stack set {STACK_SET} in {REGION}: missing\. StackSets auto-deploys")):
        wait(client, deadline=600)


def test_other_errors_are_not_waited_for():
    denied = ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}},
                         "DescribeStackInstance")
    with pytest.raises(ClientError, match="AccessDenied"):
        wait(ScriptedCloudFormation([denied]))


def test_trusted_access_is_activated_then_awaited():
    client = ScriptedCloudFormation(access=["DISABLED", "ENABLED"])
    fake = FakeTime()
    assert activate_trusted_access(region=REGION, profile=None, deadline_seconds=60,
                                   session_factory=session_of(client), sleep=fake.sleep,
                                   clock=fake.clock, jitter=lambda d: d) == "ENABLED"
    assert [c[0] for c in client.calls] == ["activate_organizations_access",
                                            "describe_organizations_access",
                                            "describe_organizations_access"]


def test_gate_diff_waits_again_only_for_another_account_or_stack_set():
    provider = BaselineReadinessProvider()
    olds = {"account_id": ACCOUNT, "stack_sets": [[STACK_SET, REGION]], "region": REGION,
            "profile": None, "timeout_seconds": 900}
    assert provider.diff("x", olds, {**olds, "timeout_seconds": 60}).replaces == []
    assert provider.diff("x", olds, {**olds, "stack_sets": [[STACK_SET, REGION],
                                                            ["b", "eu-west-1"]]}).replaces == [
        "stack_sets"]
    assert not provider.diff("x", olds, dict(olds)).changes


def test_gates_cost_the_sdk_no_type_resolution_per_account():
    """One gate per new account: the SDK evaluates a resource class's annotations at every
    instance (`_types_from_annotations`), which made each gate cost as much as a third of a
    resource more in the 1,000-account plan. Its outputs need no type translation."""
    from pulumi._types import _types_from_annotations

    from components.baseline_readiness import BaselineReadiness

    assert _types_from_annotations(BaselineReadiness) == {}
