"""What Security Hub is given, worked out from the config alone (components/security_hub.py
wires it): the Organizations Security Hub policy, the CSPM standards' ARNs, the regions the
home region's finding aggregator links.
"""

from __future__ import annotations

from typing import Any

from config.model import LandingZoneConfig
from config.model.security.security_hub import SecurityHub
from config.naming import prefixed
from config.regions import SUPPORTED_PARTITION

SECURITY_HUB_POLICY_TYPE = "SECURITYHUB_POLICY"
SPECIFIED_REGIONS = "SPECIFIED_REGIONS"
NO_REGIONS = "NO_REGIONS"


def settings(config: LandingZoneConfig) -> SecurityHub:
    return config.security_baseline.security_hub


def security_hub_policy(config: LandingZoneConfig) -> dict[str, Any]:
    """The `SECURITYHUB_POLICY` document: the new Security Hub on in every governed region.

    Syntax (Organizations user guide, "Security Hub policy syntax and examples"): both lists
    are required, `disable_in_regions` wins over `enable_in_regions`, a region in neither list
    is left alone. Policies attached lower down may add regions (`@@append`) but may not
    disable any (`@@none`), so no OU or account policy turns it off in a governed region.
    """
    return {"securityhub": {
        "enable_in_regions": {"@@assign": list(config.governed_regions),
                              "@@operators_allowed_for_child_policies": ["@@append"]},
        "disable_in_regions": {"@@assign": [],
                               "@@operators_allowed_for_child_policies": ["@@none"]},
    }}


def security_hub_policy_name(config: LandingZoneConfig) -> str:
    return prefixed(config, "security-hub")


def configuration_policy_name(config: LandingZoneConfig) -> str:
    return prefixed(config, "security-hub-cspm-baseline")


def standard_arns(config: LandingZoneConfig) -> list[str]:
    """The standards of the configuration policy, as ARNs of the home region.

    Central configuration takes the home region's ARNs and applies them in every linked
    region. Every standard but CIS v1.2.0 (`ruleset/...`, not offered here) is
    `arn:aws:securityhub:<region>::standards/<name>/v/<version>` (pulumi-aws
    `securityhub.StandardsSubscription`, `standards_arn`).
    """
    home = config.organization.aws_region
    chosen = dict.fromkeys(s.value for s in settings(config).standards)  # ordered, no repeats
    return [f"arn:{SUPPORTED_PARTITION}:securityhub:{home}::standards/{name}" for name in chosen]


def linked_regions(config: LandingZoneConfig) -> list[str]:
    """The governed regions other than home whose findings the home region aggregates."""
    if not settings(config).aggregate_regions:
        return []
    return config.governed_regions[1:]


def aggregator_linking(config: LandingZoneConfig) -> tuple[str, list[str] | None]:
    """(linking_mode, specified_regions) of the home region's finding aggregator.

    Central configuration needs an aggregator in the home region even with nothing to link
    (pulumi-aws `securityhub.OrganizationConfiguration`); `NO_REGIONS` is such an aggregator,
    and `SPECIFIED_REGIONS` needs at least one region. Never `ALL_REGIONS`: a region outside
    the governed ones is denied by the guardrails, not watched.
    """
    linked = linked_regions(config)
    return (SPECIFIED_REGIONS, linked) if linked else (NO_REGIONS, None)


def cspm_regions(config: LandingZoneConfig) -> list[str]:
    """Where the configuration policy configures Security Hub CSPM: home and linked regions."""
    return [config.organization.aws_region, *linked_regions(config)]
