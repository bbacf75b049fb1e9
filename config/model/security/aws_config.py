"""AWS Config: configuration history of every account and governed region."""

from __future__ import annotations

from enum import Enum
from typing import ClassVar

from pydantic import Field

from config.model.security.base import SecurityService


class RecordingFrequency(str, Enum):
    CONTINUOUS = "CONTINUOUS"
    DAILY = "DAILY"


class AwsConfig(SecurityService):
    """A configuration recorder and delivery channel in every account and governed region (the
    management account's included), recording every supported resource type, global ones (IAM)
    in the home region only; history and snapshots go to a KMS-encrypted bucket in the log
    archive account; an organization aggregator in the security tooling account. Recorders that
    already exist are adopted (kept, under their name), never duplicated nor stopped.

    ```yaml
    security_baseline:
      aws_config:
        enabled: true
        recording_frequency: CONTINUOUS
        retention_days: 2557
        aggregate_all_regions: false
    ```
    """

    TITLE: ClassVar[str] = "AWS Config"
    # config.amazonaws.com: the organization aggregator and its delegated administrator;
    # config-multiaccountsetup.amazonaws.com: organization rules and conformance packs, which
    # Security Hub CSPM's controls deploy through (AWS Config developer guide, "Using AWS
    # Organizations"; Organizations user guide, "AWS Config and AWS Organizations").
    TRUSTED_SERVICES: ClassVar[tuple[str, ...]] = (
        "config.amazonaws.com", "config-multiaccountsetup.amazonaws.com")

    recording_frequency: RecordingFrequency = Field(
        RecordingFrequency.CONTINUOUS,
        description="CONTINUOUS records every change as it happens (USD 0.003 per configuration "
                    "item in us-east-1); DAILY records at most one item per resource and day, "
                    "and only if it changed (USD 0.012 per item): cheaper for resources that "
                    "change often, but a change between two recordings is never seen. Prices "
                    "read on 2026-12-03, docs/security-services.md.")
    retention_days: int = Field(
        2557, ge=30,
        description="Days the history and snapshot files are kept in the log archive's bucket "
                    "(its lifecycle); 2557 days (7 years) is what AWS Config keeps by default.")
    aggregate_all_regions: bool = Field(
        False,
        description="The organization aggregator reads every region (true) or only the governed "
                    "regions (false: other regions have no recorder to read).")
