"""Metastructure files load unchanged; what has no Pulumi meaning is said once, as a warning."""

from __future__ import annotations

from config.errors import Problem, Severity
from config.model import LandingZoneConfig
from config.model.organization import ORGANIZATION_ID


def ignored_terraform_settings(config: LandingZoneConfig) -> list[Problem]:
    tf = config.terraform
    ignored = [name for name, value in (
        ("terraform.state.lock_table", tf.state.lock_table), ("terraform.state.key", tf.state.key),
        ("terraform.aws_version", tf.aws_version), ("terraform.terraform_version", tf.terraform_version),
        ("terraform.paths", tf.paths), ("workspaces", config.workspaces or None),
        ("partials", config.partials or None)) if value is not None]
    if not ignored:
        return []
    return [Problem("LZ501", ("terraform",) if "terraform" in ignored[0] else (ignored[0],),
                    f"ignored (Terraform-only, no meaning for Pulumi): {', '.join(ignored)}.",
                    "Pulumi locks state inside the S3 bucket and keeps its own stacks; you may "
                    "delete these keys.", severity=Severity.WARNING)]


def organization_id(config: LandingZoneConfig) -> list[Problem]:
    org_id = config.organization.id
    if org_id is None or ORGANIZATION_ID.match(org_id):
        return []
    return [Problem("LZ502", ("organization", "id"),
                    f"'{org_id}' is not an organization id (o-...); it is treated as unset and "
                    "the organization is discovered from the management account.",
                    "Set the real id from the Organizations console, or remove the key.",
                    severity=Severity.WARNING)]


RULES = [ignored_terraform_settings, organization_id]
