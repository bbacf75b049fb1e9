"""The `security_baseline` section: the Well-Architected security services, organization-wide.

Each service has its own model in this package; docs/security-services.md says what each one
turns on, why, and what it costs.
"""

from __future__ import annotations

from pydantic import Field

from config.model.base import Model
from config.model.security.access_analyzer import AccessAnalyzer
from config.model.security.account_defaults import AccountDefaults
from config.model.security.aws_config import AwsConfig
from config.model.security.base import SecurityService
from config.model.security.guardduty import GuardDuty
from config.model.security.security_hub import SecurityHub


class SecurityBaseline(Model):
    """Threat detection, findings, configuration history, access analysis and account defaults
    for every account in every governed region. The services run from the key account
    `security_tooling` (their delegated administrator); without one, only account defaults
    stay on.

    ```yaml
    security_baseline:
      guardduty: {enabled: true}
      security_hub: {enabled: true}
      aws_config: {enabled: true}
      access_analyzer: {enabled: true}
      account_defaults: {enabled: true}
    ```
    """

    guardduty: GuardDuty = Field(default_factory=GuardDuty, description="GuardDuty.")
    security_hub: SecurityHub = Field(default_factory=SecurityHub,
                                      description="Security Hub and Security Hub CSPM.")
    aws_config: AwsConfig = Field(default_factory=AwsConfig, description="AWS Config.")
    access_analyzer: AccessAnalyzer = Field(default_factory=AccessAnalyzer,
                                            description="IAM Access Analyzer.")
    account_defaults: AccountDefaults = Field(default_factory=AccountDefaults,
                                              description="Defaults of every account.")

    def services(self) -> dict[str, SecurityService]:
        """Section key -> its settings, in the order of this model."""
        return {name: getattr(self, name) for name in type(self).model_fields}


__all__ = ["AccessAnalyzer", "AccountDefaults", "AwsConfig", "GuardDuty", "SecurityBaseline",
           "SecurityHub", "SecurityService"]
