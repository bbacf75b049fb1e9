"""What every security service section shares: an on switch and what AWS Organizations needs."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from config.model.base import Model


class SecurityService(Model):
    """One organization-wide security service (docs/security-services.md)."""

    TITLE: ClassVar[str] = ""
    """How docs and messages name the service."""
    NEEDS_SECURITY_ACCOUNT: ClassVar[bool] = True
    """Run from the security tooling account as delegated administrator: off without one."""
    TRUSTED_SERVICES: ClassVar[tuple[str, ...]] = ()
    """Service principals whose trusted access the organization needs while the service is on."""
    POLICY_TYPES: ClassVar[tuple[str, ...]] = ()
    """Organizations policy types the service needs on at the root while it is on."""

    enabled: bool = Field(True, description="Turn the service on for every account and "
                          "governed region.")

    def trusted_services(self) -> tuple[str, ...]:
        """Override when a principal depends on the settings (a protection plan, say)."""
        return self.TRUSTED_SERVICES

    def policy_types(self) -> tuple[str, ...]:
        return self.POLICY_TYPES
