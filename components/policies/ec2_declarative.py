"""The EC2 declarative policy (Organizations type DECLARATIVE_POLICY_EC2) from the config.

Syntax: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_declarative_syntax.html
While the policy is in force, EC2 refuses the account-level calls that would change what it
sets (ModifyVpcBlockPublicAccessOptions, Enable/DisableSerialConsoleAccess,
Enable/DisableImageBlockPublicAccess, Enable/DisableSnapshotBlockPublicAccess,
ModifyInstanceMetadataDefaults), so no SCP is needed to protect these settings. Attached to
the root, it reaches every account and every region, those that join later too.
"""

from __future__ import annotations

from config.model.security.account_defaults import Ec2Settings

EXCEPTION_MESSAGE = ("This EC2 account setting is managed by the organization's declarative "
                     "policy (landing-zone security_baseline.account_defaults.ec2).")


def _assign(value: str | int) -> dict:
    return {"@@assign": str(value)}


def ec2_declarative_policy(settings: Ec2Settings) -> dict | None:
    """The policy document, or None when every setting is left to the accounts."""
    attributes: dict[str, dict] = {}
    if settings.vpc_block_public_access is not None:
        attributes["vpc_block_public_access"] = {"internet_gateway_block": {
            "mode": _assign(settings.vpc_block_public_access),
            "exclusions_allowed": _assign(
                "enabled" if settings.vpc_block_public_access_exclusions else "disabled")}}
    if settings.serial_console_access is not None:
        attributes["serial_console_access"] = {"status": _assign(settings.serial_console_access)}
    if settings.image_block_public_access is not None:
        attributes["image_block_public_access"] = {
            "state": _assign(settings.image_block_public_access)}
    if settings.snapshot_block_public_access is not None:
        attributes["snapshot_block_public_access"] = {
            "state": _assign(settings.snapshot_block_public_access)}
    imds: dict[str, dict] = {}
    if settings.imds_http_tokens is not None:
        imds["http_tokens"] = _assign(settings.imds_http_tokens)
        if settings.imds_http_tokens == "required" and settings.imds_http_tokens_enforced:
            # Enforcement came to EC2 on 2026-02-24 (ModifyInstanceMetadataDefaults
            # HttpTokensEnforced, "manage organization-wide using declarative policies"); the
            # attribute follows the policy's naming of the API fields (http_tokens ->
            # HttpTokens): docs/security-services.md says this name is not from the syntax page.
            imds["http_tokens_enforced"] = _assign("enabled")
    if settings.imds_hop_limit is not None:
        imds["http_put_response_hop_limit"] = _assign(settings.imds_hop_limit)
    if imds:
        attributes["instance_metadata_defaults"] = imds
    if not attributes:
        return None
    return {"ec2_attributes": {"exception_message": _assign(EXCEPTION_MESSAGE), **attributes}}
