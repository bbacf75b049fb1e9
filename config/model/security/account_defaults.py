"""Account defaults set from the management account for every member: EC2 settings,
encrypted volumes, alternate contacts."""

from __future__ import annotations

from typing import ClassVar

from config.model.security.base import SecurityService


class AccountDefaults(SecurityService):
    """Defaults every account gets, those that join later included.

    ```yaml
    security_baseline:
      account_defaults: {enabled: true}
    ```
    """

    TITLE: ClassVar[str] = "Account defaults"
    NEEDS_SECURITY_ACCOUNT: ClassVar[bool] = False
    TRUSTED_SERVICES: ClassVar[tuple[str, ...]] = ("account.amazonaws.com",)
    POLICY_TYPES: ClassVar[tuple[str, ...]] = ("DECLARATIVE_POLICY_EC2",)
