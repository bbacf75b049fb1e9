"""Customer-managed policies (`sso.policies.<key>.customer_managed`), in every account.

A permission set names a customer-managed policy by name and path only, and "you must have an
IAM policy that matches the name and path in each AWS account where you want to deploy your
permission set" (SSO Admin API, AttachCustomerManagedPolicyReferenceToPermissionSet; the same
for a customer-managed permissions boundary). pulumi-aws provisions the permission set to every
assigned account when the attachment is created ("Creating this resource will automatically
Provision the Permission Set", ssoadmin.CustomerManagedPolicyAttachment), and Identity Center
provisions it into an account when an assignment is made: both fail where the policy is missing.

So the policies travel as the access-log buckets do (components/stack_set_fan_out.py): one
service-managed stack set holding every customer-managed policy, one `StackInstances` at the
root in the home region (IAM is global), auto-deployed to accounts that join later. Every
account gets every policy, assigned or not: an IAM policy attached to nothing grants nothing,
and a root target never changes when assignments do. StackSets never deploys to the management
account, so the policies its assigned permission sets need are `iam.Policy`s there, on the
management provider. What waits (`ready`): every attachment waits for the stack instances
(whose creation waits for every account already in the organization) and the management
copies; an account created in the run waits for its own instance through its baseline gate
(`fan_out`, given to components/access_logs.py), which its assignments wait for.

The template (sorted keys, no whitespace: an unchanged config renders the same bytes) keeps
every policy `DeletionPolicy`/`UpdateReplacePolicy: Retain`: a policy dropped from the config
may still be attached to a provisioned role until Identity Center detaches it later in the same
`pulumi up` (IAM refuses to delete an attached policy), so it is left in place, unattached. It
carries no `Description`: CloudFormation replaces a managed policy to change one, and a
replacement under the same name fails.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.stack_set_fan_out import FanOut, fan_out, render_template
from config.assignments import assignments, customer_managed_keys, customer_managed_policies
from config.documents import policy_text
from config.model import LandingZoneConfig
from config.naming import customer_policy_stack_set_name

TYPE = "landing-zone:customer_policies:CustomerPolicies"


def template_resource_name(key: str) -> str:
    """A CloudFormation logical id (alphanumeric) from the config key, one to one."""
    return "Policy" + key.encode().hex()


def customer_policy_template(config: LandingZoneConfig) -> str:
    """The stack set's template body: one `AWS::IAM::ManagedPolicy` per referenced policy."""
    retain = {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}
    resources = {}
    for key in customer_managed_policies(config):
        policy = config.sso.policies[key]
        resources[template_resource_name(key)] = {
            "Type": "AWS::IAM::ManagedPolicy", **retain, "Properties": {
                "ManagedPolicyName": policy.name, "Path": policy.path,
                "PolicyDocument": policy.document}}
    template = {"AWSTemplateFormatVersion": "2010-09-09",
                "Description": "landing-zone: the customer-managed policies of the permission sets",
                "Resources": resources}
    return render_template(
        template, "customer-managed policies",
        fix="Drop 'customer_managed' from some sso.policies (their statements then go inline).")


def management_account_policies(config: LandingZoneConfig) -> list[str]:
    """Customer-managed policy keys that permission sets assigned in the management account
    reference (StackSets never deploys there)."""
    sets = {grant.permission_set for grant in assignments(config)
            if grant.account == config.management_account}
    return sorted({policy for ps in sets for policy in customer_managed_keys(config, ps)})


@dataclass(frozen=True)
class CustomerPoliciesArgs:
    config: LandingZoneConfig
    management_provider: aws.Provider
    root_id: pulumi.Input[str]
    trusted_access: pulumi.Resource
    """The stack set is service-managed: it needs StackSets trusted access first."""


class CustomerPolicies(pulumi.ComponentResource):
    """Build it only when some permission set references a customer-managed policy."""

    fan_out: FanOut
    """The stack set: every member account's baseline gate waits for its instance too."""
    management_policies: dict[str, aws.iam.Policy]
    """Policy key -> its copy in the management account (only those needed there)."""
    ready: list[pulumi.Resource]
    """What every customer-managed attachment waits for."""

    def __init__(self, name: str, args: CustomerPoliciesArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        config = args.config
        on_management = pulumi.ResourceOptions(parent=self, provider=args.management_provider)
        self.fan_out = fan_out(
            name, name=customer_policy_stack_set_name(config),
            description="landing-zone: the customer-managed policies of the permission sets",
            template=customer_policy_template(config), region=config.organization.aws_region,
            root_id=args.root_id, trusted_access=args.trusted_access, opts=on_management)
        self.management_policies = {}
        for key in management_account_policies(config):
            policy = config.sso.policies[key]
            self.management_policies[key] = aws.iam.Policy(
                f"{name}-{config.management_account}-{key}", name=policy.name, path=policy.path,
                policy=policy_text(policy.document or {}), opts=on_management)
        self.ready = [self.fan_out.instances, *self.management_policies.values()]
        self.register_outputs({
            "stack_set": self.fan_out.name,
            "management_policies": {k: p.arn for k, p in self.management_policies.items()}})
