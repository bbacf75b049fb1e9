"""Security Hub's settings against the rest of the baseline."""

from __future__ import annotations

from config.errors import Problem, Severity
from config.model import LandingZoneConfig
from config.security_baseline import services_on


def cspm_needs_config_recording(config: LandingZoneConfig) -> list[Problem]:
    """Most Security Hub CSPM controls are AWS Config rules: without recorders they report
    no data ("Enabling and configuring AWS Config for Security Hub CSPM")."""
    on = services_on(config)
    if "security_hub" not in on or "aws_config" in on:
        return []
    return [Problem("LZ230", ("security_baseline", "aws_config", "enabled"),
                    "Security Hub is on but AWS Config recording is off: the CSPM controls "
                    "that are AWS Config rules (most of FSBP and CIS) report no data.",
                    "Turn security_baseline.aws_config on, or record with AWS Config by other "
                    "means in every account and governed region.", severity=Severity.WARNING)]


RULES = [cspm_needs_config_recording]
