"""Security Hub's settings: the Organizations policy, the CSPM standards' ARNs, the linked
regions, and LZ230 (CSPM controls need AWS Config recording)."""

from __future__ import annotations

import pytest

from config import ConfigError
from config.security_hub import (
    aggregator_linking,
    cspm_regions,
    security_hub_policy,
    standard_arns,
)

SECURITY = """\
organization:
  aws_region: eu-west-1
  governed_regions: [us-east-1, ap-southeast-2]
  key_accounts: {master: master, security_tooling: security}
  tokens: {namespace: acme}
accounts:
  master: {name: Management, email: root@example.com}
  security: {name: Security, email: security@example.com}
"""


def rendered(loaded, tmp_path):
    return [p.render().replace(f"{tmp_path}/", "") for p in loaded.warnings]


def test_defaults_turn_on_fsbp_and_cis_3_in_every_governed_region(load_text, tmp_path):
    loaded = load_text(SECURITY)
    config = loaded.config
    assert rendered(loaded, tmp_path) == []
    assert standard_arns(config) == [
        "arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0",
        "arn:aws:securityhub:eu-west-1::standards/cis-aws-foundations-benchmark/v/3.0.0"]
    assert aggregator_linking(config) == ("SPECIFIED_REGIONS", ["ap-southeast-2", "us-east-1"])
    assert cspm_regions(config) == ["eu-west-1", "ap-southeast-2", "us-east-1"]
    policy = security_hub_policy(config)["securityhub"]
    assert policy["enable_in_regions"]["@@assign"] == ["eu-west-1", "ap-southeast-2", "us-east-1"]
    assert policy["disable_in_regions"] == {"@@assign": [],
                                            "@@operators_allowed_for_child_policies": ["@@none"]}


def test_without_aggregation_only_the_home_region_is_configured(load_text):
    config = load_text(SECURITY + "security_baseline:\n  security_hub: {aggregate_regions: false}\n"
                       ).config
    assert aggregator_linking(config) == ("NO_REGIONS", None)
    assert cspm_regions(config) == ["eu-west-1"]
    # The new Security Hub is still on everywhere: the Organizations policy does not aggregate.
    assert security_hub_policy(config)["securityhub"]["enable_in_regions"]["@@assign"] == [
        "eu-west-1", "ap-southeast-2", "us-east-1"]


def test_a_repeated_standard_is_sent_once(load_text):
    config = load_text(SECURITY + "security_baseline:\n  security_hub:\n    standards: "
                       "[nist-800-53/v/5.0.0, nist-800-53/v/5.0.0]\n").config
    assert standard_arns(config) == [
        "arn:aws:securityhub:eu-west-1::standards/nist-800-53/v/5.0.0"]


@pytest.mark.parametrize("setting, key", [
    ("standards: [cis-aws-foundations-benchmark/v/9.9.9]", "standards"),
    ("standards: []", "standards"),
    ("disabled_controls: [EC2 10]", "disabled_controls"),
])
def test_unknown_standards_and_malformed_control_ids_are_refused(load_text, setting, key):
    with pytest.raises(ConfigError) as raised:
        load_text(SECURITY + f"security_baseline:\n  security_hub:\n    {setting}\n")
    assert [p.path.startswith(f"security_baseline.security_hub.{key}")
            for p in raised.value.errors] == [True]


def test_lz230_security_hub_without_config_recording_warns(load_text, tmp_path):
    loaded = load_text(SECURITY + "security_baseline:\n  aws_config: {enabled: false}\n")
    assert rendered(loaded, tmp_path) == [
        "organization.yaml:10: warning LZ230: security_baseline.aws_config.enabled: Security "
        "Hub is on but AWS Config recording is off: the CSPM controls that are AWS Config rules "
        "(most of FSBP and CIS) report no data. Turn security_baseline.aws_config on, or record "
        "with AWS Config by other means in every account and governed region."]


def test_lz230_is_silent_when_security_hub_is_off_too(load_text, tmp_path):
    loaded = load_text(SECURITY + "security_baseline:\n  aws_config: {enabled: false}\n"
                       "  security_hub: {enabled: false}\n")
    assert rendered(loaded, tmp_path) == []
