"""AWS Config: configuration history of every account and governed region."""

from __future__ import annotations

from typing import ClassVar

from config.model.security.base import SecurityService


class AwsConfig(SecurityService):
    """AWS Config recorders everywhere, aggregated in the security tooling account.

    ```yaml
    security_baseline:
      aws_config: {enabled: true}
    ```
    """

    TITLE: ClassVar[str] = "AWS Config"
    TRUSTED_SERVICES: ClassVar[tuple[str, ...]] = (
        "config.amazonaws.com", "config-multiaccountsetup.amazonaws.com")
