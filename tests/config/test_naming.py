"""AWS names derived from the config: `./lz show`, the program and the CLI must agree."""

from __future__ import annotations

import pytest

from config.model import LandingZoneConfig
from config.naming import (
    access_log_bucket_name,
    backend_url,
    dashed,
    prefixed,
    secrets_provider,
    state_bucket_name,
    state_bucket_source,
    state_kms_alias,
)


def org(**sections) -> LandingZoneConfig:
    tokens = sections.pop("tokens", {"namespace": "acme"})
    return LandingZoneConfig.model_validate({
        "organization": {"aws_region": "eu-west-1", "key_accounts": {"master": "master"},
                         "tokens": tokens},
        "accounts": {"master": {"name": "M", "email": "m@example.com"}},
        **sections,
    })


def test_dashed_and_prefixed():
    assert dashed("shared_services") == "shared-services"
    assert prefixed(org(), "trail") == "acme-trail"
    assert prefixed(org(tokens={}), "trail") == "trail"
    assert prefixed(org(tokens={"namespace": ""}), "trail") == "trail"


@pytest.mark.parametrize(("sections", "bucket", "source"), [
    ({}, "acme-pulumi-state", ("organization", "tokens", "namespace")),
    ({"terraform": {"state": {"bucket": "tf-state"}}}, "tf-state", ("terraform", "state", "bucket")),
    ({"terraform": {"state": {"bucket": "tf-state"}}, "state_backend": {"bucket": "own"}}, "own",
     ("state_backend", "bucket")),
])
def test_state_bucket_precedence(sections, bucket, source):
    """Our own setting, then a Metastructure file's terraform.state.bucket, then the namespace."""
    config = org(**sections)
    assert state_bucket_name(config) == bucket
    assert state_bucket_source(config) == source


def test_backend_and_secrets_provider_urls():
    """https://www.pulumi.com/docs/iac/concepts/state-and-backends/"""
    config = org()
    assert backend_url(config) == "s3://acme-pulumi-state?region=eu-west-1&awssdk=v2"
    assert state_kms_alias(config) == "alias/acme-pulumi-state"
    assert secrets_provider(config) == "awskms://alias/acme-pulumi-state?region=eu-west-1"
    assert state_kms_alias(org(state_backend={"kms_alias": "alias/state"})) == "alias/state"


@pytest.mark.parametrize(("tokens", "fmt", "name"), [
    ({"namespace": "acme"}, None, "acme-shared-services-s3-access-logs"),
    ({}, None, "shared-services-s3-access-logs"),  # no namespace: no leading dash
    ({"namespace": "acme"}, "logs-{account}-{namespace}", "logs-shared-services-acme"),
    ({}, "logs-{account}-{namespace}", "logs-shared-services"),
    ({"namespace": "acme"}, "{acount}-logs", "{acount}-logs"),  # left for LZ320 to report
])
def test_access_log_bucket_name(tokens, fmt, name):
    sections = {"access_logs": {"bucket_name_format": fmt}} if fmt else {}
    assert access_log_bucket_name(org(tokens=tokens, **sections), "shared_services") == name
