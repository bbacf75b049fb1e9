"""GuardDuty's findings export in the config: on by default where it can be, LZ217 where
GuardDuty could not export there, and the bucket among the buckets deployers may not touch."""

from __future__ import annotations

import pytest

from config.naming import guardduty_findings_bucket_name, protected_bucket_arns
from config.security_baseline import guardduty_export_on

ORGANIZATION = """\
organization:
  aws_region: {home}
  governed_regions: {regions}
  key_accounts: {{master: master, security_tooling: security{archive}}}
  tokens: {{namespace: acme}}
accounts:
  master: {{name: Management, email: root@example.com}}
  security: {{name: Security, email: security@example.com}}
  logs: {{name: Logs, email: logs@example.com}}
"""


def organization(home="eu-west-1", regions="[eu-west-1]", archive=", log_archive: logs"):
    return ORGANIZATION.format(home=home, regions=regions, archive=archive)


def test_export_is_on_by_default_with_a_log_archive(load_text):
    config = load_text(organization()).config
    assert config.security_baseline.guardduty.export_findings is True
    assert guardduty_export_on(config)
    assert guardduty_findings_bucket_name(config) == "acme-guardduty-findings"
    assert "arn:aws:s3:::acme-guardduty-findings" in protected_bucket_arns(config)


@pytest.mark.parametrize("text", [
    organization(archive=""),
    organization() + "security_baseline:\n  guardduty: {export_findings: false}\n",
    organization() + "security_baseline:\n  guardduty: {enabled: false}\n",
], ids=["no-log-archive", "export-off", "guardduty-off"])
def test_export_stays_off(load_text, text):
    config = load_text(text).config
    assert not guardduty_export_on(config)
    assert "arn:aws:s3:::acme-guardduty-findings" not in protected_bucket_arns(config)


def test_lz217_an_opt_in_home_region_cannot_hold_other_regions_findings(problems):
    assert problems(organization(home="eu-south-2", regions="[eu-south-2, eu-west-1]")) == [
        "organization.yaml:1: error LZ217: security_baseline.guardduty.export_findings: "
        "GuardDuty cannot export the findings of eu-west-1 to a bucket in the opt-in home "
        "region eu-south-2. Set security_baseline.guardduty.export_findings: false (findings "
        "stay in GuardDuty for 90 days), or govern the home region alone."]


@pytest.mark.parametrize("text", [
    organization(home="eu-south-2", regions="[eu-south-2]"),
    organization(home="eu-south-2", regions="[eu-south-2, eu-west-1]")
    + "security_baseline:\n  guardduty: {export_findings: false}\n",
    organization(home="eu-west-1", regions="[eu-west-1, eu-south-2]"),
], ids=["opt-in-home-alone", "export-off", "commercial-home"])
def test_lz217_is_silent_where_guardduty_can_export(problems, text):
    assert problems(text) == []
