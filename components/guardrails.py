"""Guardrails: service control policies attached to the root, OUs or accounts.

config/guardrails.py decides which SCPs exist and where they go (built-ins attached to one
target share an SCP there; the region deny and each custom guardrail get their own); the
documents come from components/policies/scps.py and the config (custom documents, read from
JSON files by the loader). The config rules have already checked names, targets, sizes and the
per-target quota, so this only wires resources: one `organizations.Policy` per SCP and one
`PolicyAttachment` per target. See docs/guardrails.md.

Beside the SCPs, an Organizations S3 policy attached to the root turns on S3 Block Public
Access in every account, those that join later too; while it is in force S3 refuses
account-level PutPublicAccessBlock (403), so no `s3.AccountPublicAccessBlock` is managed
anywhere. Syntax: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_s3_syntax.html
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.policies import scps
from components.policies.access_role import only_operators_assume_access_role
from config.documents import policy_text
from config.guardrails import (
    NEEDS_AUDIT_LOGGING,
    NEEDS_SECURITY_SERVICES,
    NEEDS_STATE_BACKEND,
    Scp,
    planned_scps,
    target_slug,
)
from config.model import OU_TARGET_PREFIX, LandingZoneConfig
from config.model.platform import ROOT_TARGET
from config.naming import (
    access_role_rcp_name,
    config_recorder_function_name,
    guardrail_policy_name,
    principal_arn,
    s3_policy_name,
)
from config.security_baseline import services_on

TYPE = "landing-zone:guardrails:Guardrails"
SCP_TYPE = "SERVICE_CONTROL_POLICY"
RCP_TYPE = "RESOURCE_CONTROL_POLICY"
S3_POLICY_TYPE = "S3_POLICY"
S3_BLOCK_PUBLIC_ACCESS = {"s3_attributes": {"public_access_block_configuration": {"@@assign": "all"}}}
"""All four settings on ("all"); the only other value is "none"."""


@dataclass(frozen=True)
class GuardrailsArgs:
    config: LandingZoneConfig
    management_provider: aws.Provider
    root_id: pulumi.Input[str]
    ou_ids: Mapping[str, pulumi.Input[str]]
    account_ids: Mapping[str, pulumi.Input[str]]
    organization: pulumi.Resource
    """The organization with the SCP, RCP and S3 policy types enabled: attaching needs them."""
    management_account_id: pulumi.Input[str]
    trail_arn: pulumi.Input[str] | None = None
    audit_bucket_arn: pulumi.Input[str] | None = None
    audit_key_arn: pulumi.Input[str] | None = None
    """What protect_audit_logging protects; None when audit logging is off (it is skipped)."""
    state_bucket_arn: pulumi.Input[str] | None = None
    state_key_arns: tuple[pulumi.Input[str], ...] = ()
    """What protect_state_backend protects; None / () without a state backend (skipped)."""
    security_archives: tuple[tuple[str, pulumi.Input[str]], ...] = ()
    """(bucket name, key ARN) of each bucket a security service delivers to (GuardDuty's
    findings, AWS Config's history), for protect_security_services."""


class Guardrails(pulumi.ComponentResource):
    """SCPs live in the management account: its provider comes in through the args."""

    policy_ids: dict[str, pulumi.Output[str]]
    s3_policy_id: pulumi.Output[str] | None
    """The S3 Block Public Access policy; None when guardrails or that setting are off."""
    summary: dict[str, dict]
    """The `guardrails` stack output: SCP key -> {id, name, guardrails, targets}."""
    access_role_rcp_id: pulumi.Output[str]
    """The RCP that lets only the operators assume the account access role (always on)."""

    def __init__(self, name: str, args: GuardrailsArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        config = args.config
        self.policy_ids = {}
        self.summary = {}
        for scp in planned_scps(config):
            logical = f"{name}-{scp.slug}"
            policy_name = guardrail_policy_name(config, scp)
            policy = aws.organizations.Policy(
                logical, name=policy_name, type=SCP_TYPE, description=_description(config, scp),
                content=_content(args, scp),
                opts=pulumi.ResourceOptions(parent=self, provider=args.management_provider,
                                            depends_on=[args.organization]))
            for target in scp.targets:
                aws.organizations.PolicyAttachment(
                    f"{logical}-{target_slug(target)}", policy_id=policy.id,
                    target_id=_target_id(args, target),
                    opts=pulumi.ResourceOptions(parent=policy,
                                                provider=args.management_provider))
            self.policy_ids[scp.key] = policy.id
            self.summary[scp.key] = {"id": policy.id, "name": policy_name,
                                     "guardrails": list(scp.guardrails),
                                     "targets": list(scp.targets)}
        self.access_role_rcp_id = self._access_role_rcp(name, args)
        self.s3_policy_id = (self._s3_block_public_access(name, args)
                             if config.guardrails.enabled and config.guardrails.s3_block_public_access
                             else None)
        self.register_outputs({"policy_ids": self.policy_ids, "summary": self.summary,
                               "access_role_rcp_id": self.access_role_rcp_id,
                               "s3_policy_id": self.s3_policy_id})

    def _access_role_rcp(self, name: str, args: GuardrailsArgs) -> pulumi.Output[str]:
        """On the root, so every member account, present and future, gets it. One of the five
        RCPs a target may hold (RCPFullAWSAccess is another), 5,120 characters at most:
        https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html"""
        access = args.config.account_access
        content = pulumi.Output.from_input(args.management_account_id).apply(
            lambda account_id: policy_text(only_operators_assume_access_role(
                access_role_name=access.role_name,
                operators=[principal_arn(account_id, o) for o in access.operators])))
        policy = aws.organizations.Policy(
            f"{name}-access-role-rcp", name=access_role_rcp_name(args.config), type=RCP_TYPE,
            description="landing-zone: only the operators assume the account access role.",
            content=content,
            opts=pulumi.ResourceOptions(parent=self, provider=args.management_provider,
                                        depends_on=[args.organization]))
        aws.organizations.PolicyAttachment(
            f"{name}-access-role-rcp-{target_slug(ROOT_TARGET)}", policy_id=policy.id,
            target_id=args.root_id,
            opts=pulumi.ResourceOptions(parent=policy, provider=args.management_provider))
        return policy.id

    def _s3_block_public_access(self, name: str, args: GuardrailsArgs) -> pulumi.Output[str]:
        """The S3 policy on the root: every account inherits it, the management account too
        (management policies attached to the root apply to every account of the organization)."""
        on_management = {"parent": self, "provider": args.management_provider}
        policy = aws.organizations.Policy(
            f"{name}-s3-block-public-access", type=S3_POLICY_TYPE,
            name=s3_policy_name(args.config),
            description="landing-zone: S3 Block Public Access on in every account",
            content=policy_text(S3_BLOCK_PUBLIC_ACCESS),
            opts=pulumi.ResourceOptions(**on_management, depends_on=[args.organization]))
        aws.organizations.PolicyAttachment(
            f"{name}-s3-block-public-access-root", policy_id=policy.id, target_id=args.root_id,
            opts=pulumi.ResourceOptions(**on_management, depends_on=[args.organization]))
        return policy.id


def _description(config: LandingZoneConfig, scp: Scp) -> str:
    if scp.custom:
        return config.guardrails.custom[scp.key].description or f"landing-zone: {scp.key}"
    if scp.shared:
        return "landing-zone guardrails: " + ", ".join(scp.guardrails)
    return scps.description(scp.key)


def _content(args: GuardrailsArgs, scp: Scp) -> pulumi.Input[str]:
    if scp.custom:
        return policy_text(args.config.guardrails.custom[scp.key].document)
    return _builtin_content(args, scp.guardrails)


def _builtin_content(args: GuardrailsArgs, names: tuple[str, ...]) -> pulumi.Output[str]:
    """The built-ins' statements as one SCP, rendered once the ARNs they name are known (only
    protect_audit_logging, protect_state_backend and, while a security service delivers to a
    bucket, protect_security_services name any: the others render at once, in preview too)."""
    audit = NEEDS_AUDIT_LOGGING in names
    state = NEEDS_STATE_BACKEND in names
    archives = args.security_archives if NEEDS_SECURITY_SERVICES in names else ()
    protected = pulumi.Output.all(
        trail_arn=args.trail_arn if audit else None,
        audit_bucket_arn=args.audit_bucket_arn if audit else None,
        audit_key_arn=args.audit_key_arn if audit else None,
        state_bucket_arn=args.state_bucket_arn if state else None,
        state_key_arns=list(args.state_key_arns) if state else [],
        security_archive_bucket_arns=[f"arn:aws:s3:::{bucket}" for bucket, _ in archives],
        security_archive_key_arns=[key for _, key in archives])

    def render(arns: dict) -> str:
        context = scps.GuardrailContext(
            access_role_name=args.config.account_access.role_name,
            allowed_regions=tuple(args.config.governed_regions),
            security_services=tuple(services_on(args.config)),
            config_recorder_function=config_recorder_function_name(args.config),
            **{**arns, **{name: tuple(arns[name]) for name in (
                "state_key_arns", "security_archive_bucket_arns", "security_archive_key_arns")}})
        return policy_text(scps.combined(names, context))

    return protected.apply(render)


def _target_id(args: GuardrailsArgs, target: str) -> pulumi.Input[str]:
    if target == ROOT_TARGET:
        return args.root_id
    if target.startswith(OU_TARGET_PREFIX):
        return args.ou_ids[target[len(OU_TARGET_PREFIX):]]
    return args.account_ids[target]
