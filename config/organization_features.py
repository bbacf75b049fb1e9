"""What the landing zone turns on in the organization, and what it keeps.

The Organization resource's `aws_service_access_principals` and `enabled_policy_types` are
complete lists: pulumi-aws (terraform-provider-aws `resourceOrganizationUpdate`) calls
DisableAWSServiceAccess / DisablePolicyType for every entry of the previous state that the
new list lacks, and Enable... for every new one. So the program never sends only what it
needs: it sends what it needs plus everything the organization already has on (read by
`organizations.get_organization`, in preview and update alike), and an adopted organization
keeps GuardDuty, Config, StackSets, RAM, tag or backup policies and the rest.

The landing zone's own needs are the two BASE tuples; the security baseline adds those of each
service it turns on (config/security_baseline.py). `required_*` give the lists for a config.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from config import security_baseline
from config.model import LandingZoneConfig
from config.regions import is_opt_in

# StackSets' principal is required so nothing turns its trusted access off; the program turns it
# on from CloudFormation first (components/baseline_readiness.py), as AWS asks.
STACKSETS_PRINCIPAL = "member.org.stacksets.cloudformation.amazonaws.com"
BASE_TRUSTED_SERVICES = ("cloudtrail.amazonaws.com", STACKSETS_PRINCIPAL, "sso.amazonaws.com")
# RCPs: components/guardrails.py keeps the account access role for the operators with one.
# S3_POLICY: the Guardrails component's S3 Block Public Access policy (docs/guardrails.md).
BASE_POLICY_TYPES = ("RESOURCE_CONTROL_POLICY", "S3_POLICY", "SERVICE_CONTROL_POLICY")
# Enabling an opt-in region in a member account from the management account
# (components/region_opt_in.py) needs the Account Management service's trusted access.
ACCOUNT_PRINCIPAL = "account.amazonaws.com"


def required_trusted_services(config: LandingZoneConfig) -> tuple[str, ...]:
    opt_in = {ACCOUNT_PRINCIPAL} if any(map(is_opt_in, config.governed_regions)) else set()
    return tuple(sorted({*BASE_TRUSTED_SERVICES, *security_baseline.trusted_services(config),
                         *opt_in}))


def required_policy_types(config: LandingZoneConfig) -> tuple[str, ...]:
    return tuple(sorted({*BASE_POLICY_TYPES, *security_baseline.policy_types(config)}))


@dataclass(frozen=True)
class Features:
    """One of the two lists: what is on now, and what the landing zone requires."""

    found: tuple[str, ...]
    required: tuple[str, ...]

    @classmethod
    def of(cls, found: Iterable[str] | None, required: Iterable[str]) -> Features:
        return cls(tuple(sorted(set(found or ()))), tuple(sorted(set(required))))

    @property
    def desired(self) -> list[str]:
        """The list the Organization resource gets: nothing that is on is turned off."""
        return sorted({*self.found, *self.required})

    @property
    def added(self) -> tuple[str, ...]:
        return tuple(item for item in self.required if item not in self.found)


def summary(services: Features, policy_types: Features) -> str:
    """One sentence for `./lz preflight` and `./lz import`: what is on, what `pulumi up` adds."""
    def names(items: tuple[str, ...]) -> str:
        return ", ".join(items) or "none"
    return (f"on: trusted access for {names(services.found)}; policy types "
            f"{names(policy_types.found)}. `pulumi up` keeps them all and adds: trusted access "
            f"for {names(services.added)}; policy types {names(policy_types.added)}.")
