"""AWS names derived from the config: `./lz show`, the program and the CLI must agree."""

from __future__ import annotations

import pytest

from config.model import LandingZoneConfig
from config.naming import (
    access_log_bucket_name,
    access_log_bucket_template_name,
    longest_access_log_bucket_name,
    matches_access_log_bucket,
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
    ({"namespace": "acme"}, None, "acme-s3-access-logs-222222222222-eu-west-1"),
    ({}, None, "s3-access-logs-222222222222-eu-west-1"),  # no namespace: no leading dash
    ({"namespace": "acme"}, "logs-{region}-{account_id}-{namespace}",
     "logs-eu-west-1-222222222222-acme"),
    ({"namespace": "acme"}, "{acount}-logs", "{acount}-logs"),  # left for LZ320 to report
])
def test_access_log_bucket_name(tokens, fmt, name):
    sections = {"access_logs": {"bucket_name_format": fmt}} if fmt else {}
    assert access_log_bucket_name(org(tokens=tokens, **sections), "222222222222", "eu-west-1") == name


def test_one_format_names_the_template_the_pattern_and_the_longest_bucket():
    config = org(tokens={"namespace": "acme"})
    assert access_log_bucket_template_name(config) == \
        "acme-s3-access-logs-${AWS::AccountId}-${AWS::Region}"
    assert matches_access_log_bucket(config, "acme-s3-access-logs-222222222222-eu-west-1")
    assert not matches_access_log_bucket(config, "acme-pulumi-state")
    governed = LandingZoneConfig.model_validate({
        "organization": {"aws_region": "eu-west-1", "key_accounts": {"master": "master"},
                         "governed_regions": ["ap-southeast-2", "eu-west-1"],
                         "tokens": {"namespace": "acme"}},
        "accounts": {"master": {"name": "M", "email": "m@example.com"}}})
    assert longest_access_log_bucket_name(governed) == \
        "acme-s3-access-logs-123456789012-ap-southeast-2"
    assert governed.governed_regions == ["eu-west-1", "ap-southeast-2"]
