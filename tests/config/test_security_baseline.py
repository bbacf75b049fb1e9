"""What the security baseline builds, from which account, and what AWS Organizations needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import load
from config.organization_features import required_policy_types, required_trusted_services
from config.security_baseline import (
    security_account,
    services_off_without_account,
    services_on,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "organization.yaml"
EVERY_SERVICE = ["guardduty", "security_hub", "aws_config", "access_analyzer", "account_defaults"]
DELEGATED = ["GuardDuty", "Security Hub", "AWS Config", "IAM Access Analyzer"]


@pytest.fixture
def example_config():
    return load(EXAMPLE, use_local=False).config


@pytest.fixture
def metastructure_config(metastructure_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # config_override_path is also looked up from here
    return load(metastructure_path).config


def test_the_example_turns_every_service_on_from_its_security_account(example_config):
    assert security_account(example_config) == "security_tooling"
    assert list(services_on(example_config)) == EVERY_SERVICE
    assert services_off_without_account(example_config) == []


def test_without_a_security_account_only_account_defaults_stay_on(metastructure_config):
    """A Metastructure file names no security tooling account and needs no new key."""
    assert security_account(metastructure_config) is None
    assert list(services_on(metastructure_config)) == ["account_defaults"]
    assert services_off_without_account(metastructure_config) == DELEGATED
    # no alternate contacts to set: no Account Management trusted access
    assert required_trusted_services(metastructure_config) == (
        "cloudtrail.amazonaws.com",
        "member.org.stacksets.cloudformation.amazonaws.com", "sso.amazonaws.com")
    assert required_policy_types(metastructure_config) == (
        "DECLARATIVE_POLICY_EC2", "RESOURCE_CONTROL_POLICY", "S3_POLICY",
        "SERVICE_CONTROL_POLICY")


def test_a_service_turned_off_needs_no_trusted_access(example_config):
    baseline = example_config.security_baseline.model_copy(update={
        "security_hub": example_config.security_baseline.security_hub.model_copy(
            update={"enabled": False})})
    config = example_config.model_copy(update={"security_baseline": baseline})
    assert "security_hub" not in services_on(config)
    assert "securityhub.amazonaws.com" not in required_trusted_services(config)
    assert "SECURITYHUB_POLICY" not in required_policy_types(config)
    assert "guardduty.amazonaws.com" in required_trusted_services(config)


def test_account_management_access_only_for_alternate_contacts(example_config):
    """The example sets contacts on every account, through account.amazonaws.com."""
    assert "account.amazonaws.com" in required_trusted_services(example_config)
    defaults = example_config.security_baseline.account_defaults.model_copy(
        update={"alternate_contacts": {}})
    baseline = example_config.security_baseline.model_copy(update={"account_defaults": defaults})
    config = example_config.model_copy(update={"security_baseline": baseline})
    assert "account.amazonaws.com" not in required_trusted_services(config)
    assert "DECLARATIVE_POLICY_EC2" in required_policy_types(config)


def test_contacts_and_budgets_are_checked_as_aws_checks_them(minimal_problems):
    text = """\
security_baseline:
  account_defaults:
    alternate_contacts:
      security: {name: A, title: B, email_address: a@example.com, phone_number: call me}
    budget: {monthly_limit_usd: 0, alert_emails: []}
"""
    assert [p.split(": ", 2)[1:] for p in minimal_problems(text)] == [
        ["error LZ122", "security_baseline.account_defaults.alternate_contacts.security."
         "phone_number: string should match pattern '^[\\s0-9()+-]+$' (got 'call me'). Fix "
         "the value's type or spelling (see docs/configuration.md)."],
        ["error LZ122", "security_baseline.account_defaults.budget.alert_emails: list should "
         "have at least 1 item after validation, not 0 (got []). Fix the value's type or "
         "spelling (see docs/configuration.md)."],
        ["error LZ122", "security_baseline.account_defaults.budget.monthly_limit_usd: input "
         "should be greater than 0 (got 0). Fix the value's type or spelling (see "
         "docs/configuration.md)."]]
