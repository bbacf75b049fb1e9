"""The roles CI previews read member accounts through.

`pulumi preview` in CI runs a pull request's code, so whatever its credentials can do, the
pull request's author can do. The preview role therefore reaches member accounts only through
this role: AWS's ReadOnlyAccess, trusted by the preview role and nobody else
(components/policies/access_role.py), created with the account access role in every member
account the program has a provider for. Previews switch the member providers to it
(`LANDING_ZONE_READ_ONLY=true`, components/account_access.py); the preview role's own policy
(docs/ci.md) allows it no other role, so dropping that switch gains nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.policies.access_role import READ_ONLY_ACCESS, read_only_trust_policy
from config.documents import policy_text
from config.model import LandingZoneConfig
from config.naming import principal_arn

TYPE = "landing-zone:read_only_roles:ReadOnlyRoles"


@dataclass(frozen=True)
class ReadOnlyRolesArgs:
    config: LandingZoneConfig
    providers: Mapping[str, aws.Provider]
    """Member account key -> the provider that creates the role there."""
    management_account_id: pulumi.Input[str]


class ReadOnlyRoles(pulumi.ComponentResource):
    """Nothing when `account_access.preview_role` is null."""

    role_arns: dict[str, pulumi.Output[str]]

    def __init__(self, name: str, args: ReadOnlyRolesArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        access = args.config.account_access
        self.role_arns = {}
        if access.preview_role is not None:
            trust = pulumi.Output.from_input(args.management_account_id).apply(
                lambda account_id: policy_text(read_only_trust_policy(
                    management_account_id=account_id,
                    preview_role_arn=principal_arn(account_id, access.preview_role))))
            for key, provider in sorted(args.providers.items()):
                on_account = pulumi.ResourceOptions(parent=self, provider=provider)
                role = aws.iam.Role(
                    f"{name}-{key}", name=access.read_only_role_name, assume_role_policy=trust,
                    description="landing-zone: CI previews read this account through it.",
                    opts=on_account)
                aws.iam.RolePolicyAttachment(
                    f"{name}-{key}-read-only-access", role=role.name,
                    policy_arn=READ_ONLY_ACCESS, opts=on_account)
                self.role_arns[key] = role.arn
        self.register_outputs({"role_arns": self.role_arns})
