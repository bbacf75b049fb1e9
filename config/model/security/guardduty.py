"""GuardDuty: threat detection in every account and governed region."""

from __future__ import annotations

from typing import ClassVar

from config.model.security.base import SecurityService


class GuardDuty(SecurityService):
    """GuardDuty, administered from the security tooling account.

    ```yaml
    security_baseline:
      guardduty: {enabled: true}
    ```
    """

    TITLE: ClassVar[str] = "GuardDuty"
    TRUSTED_SERVICES: ClassVar[tuple[str, ...]] = ("guardduty.amazonaws.com",)
