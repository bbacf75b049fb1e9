"""Security Hub: findings in one place, and the CSPM standards checked in every account."""

from __future__ import annotations

from typing import ClassVar

from config.model.security.base import SecurityService


class SecurityHub(SecurityService):
    """Security Hub and Security Hub CSPM, administered from the security tooling account.

    ```yaml
    security_baseline:
      security_hub: {enabled: true}
    ```
    """

    TITLE: ClassVar[str] = "Security Hub"
    TRUSTED_SERVICES: ClassVar[tuple[str, ...]] = ("securityhub.amazonaws.com",)
    POLICY_TYPES: ClassVar[tuple[str, ...]] = ("SECURITYHUB_POLICY",)
