"""Service-managed StackSets as AWS runs them, in the engine suite's moto server.

A test instrument, never part of the program: moto 5.2.5 leaves out the parts of service-managed
stack sets that the access-log fan-out (components/access_logs.py) relies on, so without this a
`pulumi up` stops at the first baseline gate. AWS's behaviour, which this copies
(https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-manage-auto-deployment.html,
https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeploymentTargets.html):

- Instances targeting an OU or the root reach every account beneath it, at any depth, and
  never the management account. moto (`StackInstances.create_instances`,
  moto/cloudformation/models.py) takes the accounts directly in a targeted OU or in its direct
  child OUs only, and the management account with them when the root is targeted.
- With auto-deployment on, an account that joins a targeted OU later (created in, or moved into
  it) gets its instances; one that leaves (moved out, removed from the organization) loses them,
  its stacks kept or deleted per `RetainStacksOnAccountRemoval`. moto stores no AutoDeployment
  (`CloudFormationBackend.create_stack_set`: "not yet implemented") and its Organizations
  backend knows no stack sets.
- The stacks create their `AWS::S3::BucketPolicy`: moto's CloudFormation has no model for it
  (it warns and skips it, moto/cloudformation/parsing.py `resource_class_from_type`), so the
  access-log buckets had no policy and S3 refused `PutBucketLogging` into them.
- `DescribeStackInstance` of an instance that does not exist answers
  StackInstanceNotFoundException (the baseline gate reads it as "not yet"); moto failed with an
  internal error (`CloudFormationBackend.describe_stack_instance`).
- `DeleteStackInstances` with OU targets deletes the instances beneath them (keeping their
  stacks with `RetainStacks`); moto reads only `Accounts` there, so it deleted nothing and the
  stack set could never be deleted.

Deployments finish at once (CURRENT/SUCCEEDED), as moto's own do: no operation queueing, no
suspended accounts (SKIPPED_SUSPENDED_ACCOUNT), no drift.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from moto.cloudformation import parsing
from moto.cloudformation.exceptions import StackInstanceNotFound
from moto.cloudformation.models import (
    CloudFormationBackend,
    StackInstances,
    StackSet,
    cloudformation_backends,
)
from moto.cloudformation.responses import CloudFormationResponse
from moto.core.responses import ActionResult
from moto.organizations.models import OrganizationsBackend
from moto.s3.models import s3_backends
from moto.utilities.utils import get_partition

SERVICE_MANAGED = "SERVICE_MANAGED"
TARGETS = "lz_targets"
"""StackInstances attribute: region -> the OU and root ids instances were created for."""


def beneath(org: OrganizationsBackend, account_id: str, targets: Iterable[str]) -> bool:
    """Whether the member account sits in one of `targets` (OU or root ids) at any depth."""
    wanted = set(targets)
    account = next((a for a in org.accounts if a.id == account_id), None)
    if account is None or org.org is None or account_id == org.org.master_account_id:
        return False
    parents = {ou.id: ou.parent_id for ou in org.ou}
    node = account.parent_id
    while node is not None:
        if node in wanted:
            return True
        node = parents.get(node)
    return False


def accounts_beneath(org: OrganizationsBackend, targets: Iterable[str]) -> list[str]:
    targets = list(targets)
    return [a.id for a in org.accounts if beneath(org, a.id, targets)]


def _targets(instances: StackInstances) -> dict[str, set[str]]:
    if not hasattr(instances, TARGETS):
        setattr(instances, TARGETS, {})
    return getattr(instances, TARGETS)


def _remove(stack_set: StackSet, accounts: Iterable[str], regions: Iterable[str],
            retain: bool) -> None:
    """Drop the instances; their stacks stay in the accounts when `retain`."""
    accounts, regions = set(accounts), set(regions)
    for instance in [i for i in stack_set.instances.stack_instances
                     if i.account_id in accounts and i.region_name in regions]:
        if not retain:
            instance.delete()
        stack_set.instances.stack_instances.remove(instance)


class BucketPolicy:
    """`AWS::S3::BucketPolicy` for moto's CloudFormation: puts the policy on create and update,
    deletes it with the stack (moto's stacks skip resources with `DeletionPolicy: Retain`).
    Duck-typed rather than a `CloudFormationModel` subclass, which would register itself in
    moto for every later test of the process."""

    def __init__(self, account_id: str, region_name: str, bucket: str) -> None:
        self.backend = s3_backends[account_id][get_partition(region_name)]
        self.bucket = bucket

    @property
    def physical_resource_id(self) -> str:
        return self.bucket

    def is_created(self) -> bool:
        return True

    @classmethod
    def create_from_cloudformation_json(cls, _name: str, cloudformation_json: dict[str, Any],
                                        account_id: str, region_name: str,
                                        **_kwargs: Any) -> BucketPolicy:
        properties = cloudformation_json["Properties"]
        made = cls(account_id, region_name, properties["Bucket"])
        made.backend.put_bucket_policy(made.bucket,
                                       json.dumps(properties["PolicyDocument"]).encode())
        return made

    @classmethod
    def update_from_cloudformation_json(cls, original_resource: BucketPolicy,
                                        new_resource_name: str,
                                        cloudformation_json: dict[str, Any], account_id: str,
                                        region_name: str) -> BucketPolicy:
        return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json,
                                                   account_id, region_name)

    def delete(self, _account_id: str, _region_name: str) -> None:
        self.backend.delete_bucket_policy(self.bucket)


def install(patch: pytest.MonkeyPatch) -> None:
    """Patch moto's classes (undone with `patch`)."""
    model_map = parsing.get_model_map
    patch.setattr(parsing, "get_model_map",
                  lambda: {**model_map(), "AWS::S3::BucketPolicy": BucketPolicy})
    create_instances = StackInstances.create_instances

    def create_for_targets(self: StackInstances, accounts: list[str], regions: list[str],
                           parameters: Any, deployment_targets: dict[str, Any],
                           permission_model: str) -> list[dict[str, Any]]:
        ous = deployment_targets.get("OrganizationalUnitIds") or []
        if permission_model != SERVICE_MANAGED or not ous:
            return create_instances(self, accounts, regions, parameters, deployment_targets,
                                    permission_model)
        for region in regions:
            _targets(self).setdefault(region, set()).update(ous)
        return create_instances(self, [*accounts, *accounts_beneath(self.org_backend, ous)],
                                regions, parameters, {}, permission_model)

    patch.setattr(StackInstances, "create_instances", create_for_targets)

    def keeping_auto_deployment(original: Callable[[CloudFormationResponse], ActionResult]):
        def answer(self: CloudFormationResponse) -> ActionResult:
            result = original(self)
            setting = self._get_params().get("AutoDeployment")
            if setting is not None:
                stack_set = self.cloudformation_backend.describe_stack_set(
                    self._get_param("StackSetName"))
                # DescribeStackSet serializes it from here (moto's shapes: snake case).
                stack_set.auto_deployment = {
                    "Enabled": str(setting.get("Enabled")).lower() == "true",
                    "RetainStacksOnAccountRemoval": str(
                        setting.get("RetainStacksOnAccountRemoval")).lower() == "true"}
            return result
        return answer

    for action in ("create_stack_set", "update_stack_set"):
        patch.setattr(CloudFormationResponse, action,
                      keeping_auto_deployment(getattr(CloudFormationResponse, action)))

    delete_instances = CloudFormationResponse.delete_stack_instances

    def delete_for_targets(self: CloudFormationResponse) -> ActionResult:
        ous = (self._get_params().get("DeploymentTargets") or {}).get(
            "OrganizationalUnitIds") or []
        if not ous:
            return delete_instances(self)
        stack_set = self.cloudformation_backend.describe_stack_set(
            self._get_param("StackSetName"))
        regions = self._get_param("Regions", [])
        for region in regions:
            _targets(stack_set.instances).get(region, set()).difference_update(ous)
        accounts = accounts_beneath(stack_set.instances.org_backend, ous)
        _remove(stack_set, accounts, regions,
                retain=str(self._get_param("RetainStacks")).lower() == "true")
        operation = stack_set._create_operation(
            operation_id=f"delete-{len(stack_set.operations)}", action="DELETE",
            status="SUCCEEDED", accounts=accounts, regions=regions)
        return ActionResult({"OperationId": operation["OperationId"]})

    patch.setattr(CloudFormationResponse, "delete_stack_instances", delete_for_targets)

    def describe_instance(self: CloudFormationBackend, stack_set_name: str, account_id: str,
                          region: str) -> dict[str, Any]:
        found = self.describe_stack_set(stack_set_name).instances.get_instance(account_id, region)
        if found is None:
            raise StackInstanceNotFound()
        return found.to_dict()

    patch.setattr(CloudFormationBackend, "describe_stack_instance", describe_instance)

    for action in ("create_account", "move_account", "remove_account_from_organization"):
        patch.setattr(OrganizationsBackend, action,
                      _then_auto_deploy(getattr(OrganizationsBackend, action)))


def _then_auto_deploy(original: Callable[..., Any]) -> Callable[..., Any]:
    def changed(self: OrganizationsBackend, **kwargs: Any) -> Any:
        result = original(self, **kwargs)
        account_id = kwargs.get("AccountId") or result["CreateAccountStatus"]["AccountId"]
        auto_deploy(self, account_id)
        return result
    return changed


def auto_deploy(org: OrganizationsBackend, account_id: str) -> None:
    """What auto-deployment does after the account joined, moved or left: every stack set of
    the management account with auto-deployment on gets its instances in line."""
    if org.org is None:
        return
    for backend in dict.values(cloudformation_backends[org.account_id]):
        for stack_set in backend.stacksets.values():
            setting = getattr(stack_set, "auto_deployment", {})
            if (stack_set.status != "ACTIVE" or stack_set.permission_model != SERVICE_MANAGED
                    or not setting.get("Enabled")):
                continue
            for region, ous in _targets(stack_set.instances).items():
                present = stack_set.instances.get_instance(account_id, region) is not None
                if beneath(org, account_id, ous):
                    if not present:
                        stack_set.instances.create_instances(
                            [account_id], [region], stack_set.parameters, {}, SERVICE_MANAGED)
                elif present:
                    _remove(stack_set, [account_id], [region],
                            retain=setting["RetainStacksOnAccountRemoval"])
