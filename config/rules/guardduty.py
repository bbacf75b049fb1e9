"""GuardDuty's settings against where its findings can go."""

from __future__ import annotations

from config.errors import Problem
from config.model import LandingZoneConfig
from config.regions import is_opt_in
from config.security_baseline import guardduty_export_on


def findings_bucket_region(config: LandingZoneConfig) -> list[Problem]:
    """The findings bucket is in the home region, and GuardDuty exports no other region's
    findings to a bucket in an opt-in region: commercial regions' findings never go to an
    opt-in region, and one opt-in region's never to another (GuardDuty user guide,
    "Exporting generated GuardDuty findings to Amazon S3 buckets", Considerations)."""
    home, *others = config.governed_regions
    if not (others and is_opt_in(home) and guardduty_export_on(config)):
        return []
    return [Problem("LZ217", ("security_baseline", "guardduty", "export_findings"),
                    f"GuardDuty cannot export the findings of {', '.join(others)} to a bucket "
                    f"in the opt-in home region {home}.",
                    "Set security_baseline.guardduty.export_findings: false (findings stay in "
                    "GuardDuty for 90 days), or govern the home region alone.")]


RULES = [findings_bucket_region]
