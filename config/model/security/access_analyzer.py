"""IAM Access Analyzer: what is shared outside the organization."""

from __future__ import annotations

from typing import ClassVar

from config.model.security.base import SecurityService


class AccessAnalyzer(SecurityService):
    """An organization analyzer per governed region in the security tooling account.

    ```yaml
    security_baseline:
      access_analyzer: {enabled: true}
    ```
    """

    TITLE: ClassVar[str] = "IAM Access Analyzer"
    TRUSTED_SERVICES: ClassVar[tuple[str, ...]] = ("access-analyzer.amazonaws.com",)
