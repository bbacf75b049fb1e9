"""Which regions each account must enable first, and the governed regions' old name."""

from __future__ import annotations

import pytest

from config import load
from config.model.security.guardduty import ProtectionPlans
from config.regions import DEFAULT_REGIONS, is_opt_in


@pytest.mark.parametrize(("code", "opt_in"), [
    ("us-east-1", False), ("eu-west-3", False), ("sa-east-1", False),  # before 2019-03-20
    ("af-south-1", True), ("eu-south-2", True), ("il-central-1", True), ("ap-east-1", True),
    ("us-gov-west-1", False), ("cn-north-1", False),  # other partitions: not opted into
])
def test_opt_in_regions(code, opt_in):
    assert is_opt_in(code) is opt_in


def test_the_default_regions_are_the_seventeen_of_march_2019():
    assert len(DEFAULT_REGIONS) == 17


def config_with(tmp_path, text: str):
    path = tmp_path / "organization.yaml"
    path.write_text("organization:\n  aws_region: eu-west-1\n  key_accounts: {master: m}\n"
                    "accounts:\n  m: {name: M, email: m@example.invalid}\n" + text,
                    encoding="utf-8")
    return load(path, use_local=False).config


def test_allowed_regions_alone_still_govern_them(tmp_path):
    config = config_with(tmp_path, "guardrails:\n  allowed_regions: [us-east-1, eu-west-1]\n")
    assert config.governed_regions == ["eu-west-1", "us-east-1"]


def test_the_home_region_alone_is_governed_by_default(tmp_path):
    config = config_with(tmp_path, "guardrails: {}\n")
    assert config.governed_regions == ["eu-west-1"]


def test_guardduty_feature_names_are_the_api_names():
    assert ProtectionPlans().features() == {
        "S3_DATA_EVENTS": True, "EKS_AUDIT_LOGS": True, "EBS_MALWARE_PROTECTION": True,
        "RDS_LOGIN_EVENTS": True, "LAMBDA_NETWORK_LOGS": True, "RUNTIME_MONITORING": False}
