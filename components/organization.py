"""The AWS Organization: adopted, never created, and protected.

Enabling IAM Identity Center creates the organization, so it always exists before the first
`pulumi up`; the program imports it (`import_`) and then owns its settings: all features, the
SCP, RCP and S3 policy types, and trusted access for Identity Center and CloudTrail. Trusted access is
managed here, through `aws_service_access_principals`, and nowhere else: mixing it with
`organizations.AwsServiceAccess` resources makes a perpetual diff.

Both lists are complete lists to the provider, so each is sent as what is on (the lookup) plus
what the landing zone requires (config/organization_features.py): adopting an organization
never turns off a trusted service or policy type it has. One turned off outside Pulumi after
a `pulumi up` is still in the stack's state: the next run would try to turn it off again
(DisablePolicyType then fails with PolicyTypeNotEnabledException), so run `pulumi up
--refresh` after such a change; the landing zone then leaves it off unless it requires it.

Importing with inputs that differ from the live organization (e.g. CloudTrail not yet trusted)
needs a Pulumi CLI that includes pulumi/pulumi#19339: the import succeeds and an update
follows (pulumi/docs#16580); older CLIs refuse with "inputs to import do not match".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from config.organization_features import BASE_POLICY_TYPES, BASE_TRUSTED_SERVICES, Features

TYPE = "landing-zone:organization:Organization"


@dataclass(frozen=True)
class OrganizationArgs:
    known_id: str | None = None
    """`organization.id` from the config; None: discovered from the credentials."""
    known_management_account_id: str | None = None
    """The management account's `id` from the config, checked against AWS."""
    trusted_services: Sequence[str] = BASE_TRUSTED_SERVICES
    """Turned on if off (`required_trusted_services(config)`); every other service found on
    stays on."""
    policy_types: Sequence[str] = BASE_POLICY_TYPES
    """Enabled on the root if not; every other type found enabled stays enabled."""
    after: Sequence[pulumi.Resource] = ()
    """What must be in place before the organization's settings change (StackSets trusted
    access, activated from CloudFormation, before the organization lists its principal)."""


class Organization(pulumi.ComponentResource):
    """Give it the management provider through `opts`."""

    resource: aws.organizations.Organization
    organization_id: pulumi.Output[str]
    root_id: pulumi.Output[str]
    management_account_id: pulumi.Output[str]
    management_account_arn: pulumi.Output[str]

    def __init__(self, name: str, args: OrganizationArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        # A plain (not Output) lookup: `import_` takes a plain id. It also runs in preview.
        found = aws.organizations.get_organization(opts=pulumi.InvokeOptions(parent=self))
        _check_expected(args, found)
        self.resource = aws.organizations.Organization(
            name, feature_set="ALL",
            aws_service_access_principals=Features.of(
                found.aws_service_access_principals, args.trusted_services).desired,
            enabled_policy_types=Features.of(found.enabled_policy_types, args.policy_types).desired,
            opts=pulumi.ResourceOptions(parent=self, import_=found.id, protect=True,
                                        depends_on=list(args.after)))
        self.organization_id = self.resource.id
        # From the resource, not the lookup: what attaches to the root then waits for the
        # organization (and its SCP policy type) to be in place.
        self.root_id = self.resource.roots.apply(lambda roots: roots[0].id)
        self.management_account_id = pulumi.Output.from_input(found.master_account_id)
        self.management_account_arn = pulumi.Output.from_input(found.master_account_arn)
        self.register_outputs({
            "organization_id": self.organization_id, "root_id": self.root_id,
            "management_account_id": self.management_account_id,
            "management_account_arn": self.management_account_arn})


def _check_expected(args: OrganizationArgs, found) -> None:
    """Refuse to adopt an organization other than the one the config names."""
    if args.known_id and found.id != args.known_id:
        raise pulumi.RunError(
            f"config organization.id is {args.known_id}, but the stack's credentials reach "
            f"organization {found.id}. Use the management account's credentials (aws:profile) "
            "or fix organization.id in the config.")
    if args.known_management_account_id and found.master_account_id != args.known_management_account_id:
        raise pulumi.RunError(
            f"the config's management account id is {args.known_management_account_id}, but "
            f"organization {found.id} is managed by account {found.master_account_id}. Fix the "
            "management account's id in the config.")
