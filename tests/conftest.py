"""Fixtures every test shares."""

from __future__ import annotations

import pytest

REGION = "us-east-1"


@pytest.fixture(autouse=True)
def sealed_from_real_aws(monkeypatch, tmp_path):
    """No test may reach real AWS or read the developer's AWS config, even outside moto."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SECURITY_TOKEN",
                 "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws-credentials"))
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("LANDING_ZONE_READ_ONLY", raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # no instance-metadata probing
    # Standard mode keeps tests free of adaptive mode's client-side rate limiting.
    monkeypatch.setenv("AWS_RETRY_MODE", "standard")
