"""IAM Access Analyzer: what is shared outside the organization, and unused access."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from config.model.security.base import SecurityService


class AccessAnalyzer(SecurityService):
    """An organization analyzer (external access, no charge) per governed region in the
    security tooling account, and optionally the unused-access analyzer (one, in the home
    region: its findings do not depend on the region; billed per IAM role and user analysed
    per month).

    ```yaml
    security_baseline:
      access_analyzer: {enabled: true, unused_access: false}
    ```
    """

    TITLE: ClassVar[str] = "IAM Access Analyzer"
    TRUSTED_SERVICES: ClassVar[tuple[str, ...]] = ("access-analyzer.amazonaws.com",)

    unused_access: bool = Field(
        False, description="Add the organization's unused-access analyzer in the home region "
                           "(unused roles, access keys, passwords and permissions). Billed per "
                           "IAM role and user analysed per month, in every account: off by "
                           "default.")
    unused_access_age_days: int = Field(
        90, ge=1, le=365, description="Days without use after which access counts as unused "
                                      "(AWS allows 1-365).")
