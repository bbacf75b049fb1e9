"""Security Hub: findings in one place, and the CSPM standards checked in every account.

Two products, kept apart (docs/security-services.md, "Security Hub"):
- Security Hub (the new one) is turned on per governed region by an Organizations
  `SECURITYHUB_POLICY` attached at the root;
- Security Hub CSPM runs the standards (FSBP, CIS) through central configuration: delegated
  administrator, finding aggregator, organization configuration CENTRAL, one configuration
  policy associated with the root.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, ClassVar

from pydantic import Field

from config.model.security.base import SecurityService


class CspmStandard(str, Enum):
    """Security Hub CSPM standards a configuration policy can turn on, by the part of their ARN
    after `standards/` (ARN `arn:aws:securityhub:<home region>::standards/<value>`, the form
    of pulumi-aws `securityhub.StandardsSubscription`'s `StandardsArn` table). That table and
    the AWS user guide pages read here stop at CIS v3.0.0, so v3.0.0 is the default; CIS
    v5.0.0 has the same form in public configurations that enable it and stays an opt-in
    until AWS's own documentation confirms its ARN (docs/security-services.md)."""

    FSBP = "aws-foundational-security-best-practices/v/1.0.0"
    CIS_5_0 = "cis-aws-foundations-benchmark/v/5.0.0"
    CIS_3_0 = "cis-aws-foundations-benchmark/v/3.0.0"
    NIST_800_53 = "nist-800-53/v/5.0.0"
    PCI_DSS_4_0_1 = "pci-dss/v/4.0.1"
    RESOURCE_TAGGING = "aws-resource-tagging-standard/v/1.0.0"


DEFAULT_STANDARDS = (CspmStandard.FSBP, CspmStandard.CIS_3_0)
ControlId = Annotated[str, Field(pattern=r"^[A-Za-z0-9]+\.[0-9]+$")]
"""A consolidated security control id, e.g. `EC2.10`, `IAM.6`, `CloudTrail.5`."""


class SecurityHub(SecurityService):
    """Security Hub and Security Hub CSPM, administered from the security tooling account.

    ```yaml
    security_baseline:
      security_hub:
        enabled: true
        standards:
          - aws-foundational-security-best-practices/v/1.0.0
          - cis-aws-foundations-benchmark/v/3.0.0
        disabled_controls: [EC2.10]
        aggregate_regions: true
    ```
    """

    TITLE: ClassVar[str] = "Security Hub"
    TRUSTED_SERVICES: ClassVar[tuple[str, ...]] = ("securityhub.amazonaws.com",)
    POLICY_TYPES: ClassVar[tuple[str, ...]] = ("SECURITYHUB_POLICY",)

    standards: list[CspmStandard] = Field(
        default_factory=lambda: list(DEFAULT_STANDARDS), min_length=1,
        description="Security Hub CSPM standards turned on in every account and governed "
        "region by the configuration policy. Default: AWS Foundational Security Best Practices "
        "and CIS AWS Foundations Benchmark v3.0.0. Billed per security check (about $0.001 per "
        "check per account and region for the first 100,000 a month; docs/security-services.md).")
    disabled_controls: list[ControlId] = Field(
        default_factory=list, description="Security control ids (e.g. `EC2.10`) turned off in "
        "every account; every other control of the standards stays on, new ones included.")
    aggregate_regions: bool = Field(
        True, description="Link every other governed region to the home region's finding "
        "aggregator: findings of all regions are read in the home region, and the "
        "configuration policy reaches every governed region. Off: the aggregator links no "
        "region and Security Hub CSPM is configured in the home region only.")
