"""One service-managed stack set and its one set of instances: the whole organization.

The shape every per-account resource of the landing zone takes (access-log buckets,
customer-managed policies), run by the management provider so no account needs a provider.
Why these resources and inputs (terraform-provider-aws, internal/service/cloudformation):
- `StackInstances`, not `StackSetInstance`: the latter's `deployment_targets` force a
  replacement that deletes the stacks (`stack_set_instance.go`, #40956). One `StackInstances`
  per stack set (several on one stack set diff forever, #40243), no account filter
  (auto-deployment ignores filters, and they break on removal, #47721). Its
  `organizational_unit_ids` and `regions` update in place; `stack_set_name` and
  `account_filter_type` force a new resource (`stack_instances.go`).
- `retain_stacks=True` on the instances and `retain_stacks_on_account_removal` in
  auto-deployment: removing the resource or an account leaves its stack behind; templates
  mark what they hold `DeletionPolicy`/`UpdateReplacePolicy: Retain` besides.
- `managed_execution`: StackSets queues conflicting operations (an auto-deployment for a new
  account while a template update runs) instead of failing them.
- Targeting the root: every account, those that join later included, gets the stack from
  auto-deployment. StackSets never deploys to the management account: its copy is the
  caller's to build on the management provider.

Templates are rendered by `render_template`: sorted keys, no whitespace, so an unchanged config
renders the same bytes and the stack set never diffs; within the 51,200 bytes StackSets accepts
inline (`template_body`, pulumi-aws `cloudformation.StackSet`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

SERVICE_MANAGED = "SERVICE_MANAGED"
# A failed account must not stop the others; StackSets still reports it (./lz verify).
FAILURE_TOLERANCE_PERCENTAGE = 10
MAX_CONCURRENT_PERCENTAGE = 100
MAX_TEMPLATE_BODY_BYTES = 51_200


def _substituted(node: Any) -> Any:
    """Strings that name `${AWS::...}` pseudo parameters become `Fn::Sub`."""
    if isinstance(node, str):
        return {"Fn::Sub": node} if "${AWS::" in node else node
    if isinstance(node, dict):
        return {key: _substituted(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_substituted(value) for value in node]
    return node


def render_template(template: dict, what: str, fix: str = "") -> str:
    """The template body StackSets gets: `${AWS::...}` strings as `Fn::Sub`, canonical JSON.
    `fix` tells the operator what to do when it is too big."""
    body = json.dumps(_substituted(template), sort_keys=True, separators=(",", ":"))
    if len(body.encode()) > MAX_TEMPLATE_BODY_BYTES:
        raise pulumi.RunError(" ".join(filter(None, (
            f"the {what} template is {len(body.encode())} bytes; StackSets accepts "
            f"{MAX_TEMPLATE_BODY_BYTES} inline.", fix))))
    return body


@dataclass(frozen=True)
class FanOut:
    """A stack set every member account gets an instance of, in `region`."""

    name: str
    """The stack set's AWS name (what the readiness gates and `./lz verify` read)."""
    region: str
    stack_set: aws.cloudformation.StackSet
    instances: aws.cloudformation.StackInstances


def fan_out(logical_name: str, *, name: str, description: str, template: pulumi.Input[str],
            region: str, root_id: pulumi.Input[str], trusted_access: pulumi.Resource,
            opts: pulumi.ResourceOptions, capabilities: Sequence[str] = (),
            after: Sequence[pulumi.Resource] = ()) -> FanOut:
    """`opts`: parent and the management provider (stack sets are administered from the
    management account, in the provider's home region). Service-managed stack sets need
    StackSets trusted access first; `after`: what else the stack set waits for (what its
    template names, e.g. a bucket whose policy must exist). `capabilities`: CAPABILITY_IAM
    (CAPABILITY_NAMED_IAM for named ones) when the template makes IAM resources."""
    stack_set = aws.cloudformation.StackSet(
        logical_name, name=name, description=description,
        permission_model=SERVICE_MANAGED, call_as="SELF", template_body=template,
        capabilities=list(capabilities) or None,
        auto_deployment=aws.cloudformation.StackSetAutoDeploymentArgs(
            enabled=True, retain_stacks_on_account_removal=True),
        managed_execution=aws.cloudformation.StackSetManagedExecutionArgs(active=True),
        operation_preferences=aws.cloudformation.StackSetOperationPreferencesArgs(
            failure_tolerance_percentage=FAILURE_TOLERANCE_PERCENTAGE,
            max_concurrent_percentage=MAX_CONCURRENT_PERCENTAGE),
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(
            depends_on=[trusted_access, *after])))
    instances = aws.cloudformation.StackInstances(
        f"{logical_name}-instances", stack_set_name=stack_set.name, call_as="SELF",
        regions=[region], retain_stacks=True,
        deployment_targets=aws.cloudformation.StackInstancesDeploymentTargetsArgs(
            organizational_unit_ids=[root_id]),
        operation_preferences=aws.cloudformation.StackInstancesOperationPreferencesArgs(
            concurrency_mode="SOFT_FAILURE_TOLERANCE",
            failure_tolerance_percentage=FAILURE_TOLERANCE_PERCENTAGE,
            max_concurrent_percentage=MAX_CONCURRENT_PERCENTAGE),
        opts=opts)
    return FanOut(name, region, stack_set, instances)
