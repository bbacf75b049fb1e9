"""What the `security_baseline` section builds, from where, and what stays off.

The services run from the key account `security_tooling`, their delegated administrator
(AWS's own guidance: a member account, never the management account). A config that names no
such account keeps every service that needs one off, and `./lz plan` says so; account
defaults, set from the management account, need none.
"""

from __future__ import annotations

from config.model import LandingZoneConfig
from config.model.security import SecurityService

SECURITY_TOOLING = "security_tooling"
LOG_ARCHIVE = "log_archive"


def security_account(config: LandingZoneConfig) -> str | None:
    """The security tooling account's key, when the config names one it manages."""
    key = config.key_account(SECURITY_TOOLING)
    return key if key in config.accounts else None


def services_on(config: LandingZoneConfig) -> dict[str, SecurityService]:
    """Section key -> settings of every service `pulumi up` builds."""
    has_account = security_account(config) is not None
    return {name: service for name, service in config.security_baseline.services().items()
            if service.enabled and (has_account or not service.NEEDS_SECURITY_ACCOUNT)}


def administering_account(config: LandingZoneConfig) -> str | None:
    """The security account when a service it administers is on: it then gets a provider."""
    on = services_on(config).values()
    return security_account(config) if any(s.NEEDS_SECURITY_ACCOUNT for s in on) else None


def guardduty_export_on(config: LandingZoneConfig) -> bool:
    """GuardDuty is on, exports its findings, and a log archive account is there to hold them."""
    guardduty = services_on(config).get("guardduty")
    return bool(guardduty and guardduty.export_findings
                and config.key_account(LOG_ARCHIVE) in config.accounts)


def services_off_without_account(config: LandingZoneConfig) -> list[str]:
    """Titles of the services asked for that stay off because no security account is named."""
    if security_account(config) is not None:
        return []
    return [service.TITLE for service in config.security_baseline.services().values()
            if service.enabled and service.NEEDS_SECURITY_ACCOUNT]


def trusted_services(config: LandingZoneConfig) -> set[str]:
    return {principal for service in services_on(config).values()
            for principal in service.trusted_services()}


def policy_types(config: LandingZoneConfig) -> set[str]:
    return {kind for service in services_on(config).values() for kind in service.policy_types()}
