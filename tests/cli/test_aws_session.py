"""Sessions, retries and credential errors: every way credentials fail ends in a message that
says which login command to run, with exit code 3 and no traceback."""

from __future__ import annotations

import hashlib
import json

import boto3
import botocore.tokens
import pytest
from botocore.exceptions import ClientError

from cli.aws.session import (
    DEFAULT_MAX_ATTEMPTS,
    AwsSession,
    Backoff,
    client_config,
    new_session,
    open_session,
    translate,
)
from cli.main import main

REGION = "us-east-1"
SSO_PROFILE = """\
[profile acme-admin]
sso_session = acme
sso_account_id = 123456789012
sso_role_name = Admin
region = us-east-1

[sso-session acme]
sso_start_url = https://acme.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
"""


@pytest.fixture
def sso_cache(tmp_path, monkeypatch):
    """botocore's SSO token cache, moved into the test's directory."""
    cache = tmp_path / "sso-cache"
    cache.mkdir()
    monkeypatch.setattr(botocore.tokens.SSOTokenProvider, "_SSO_TOKEN_CACHE_DIR", str(cache))
    return cache


@pytest.fixture
def sso_profile(tmp_path):
    (tmp_path / "aws-config").write_text(SSO_PROFILE)
    return "acme-admin"


def throttle(code: str = "ThrottlingException") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": "Rate exceeded"}}, "ListAccounts")


def test_expired_sso_session_says_which_login_to_run(moto_aws, config_path, sso_cache,
                                                      sso_profile, capsys):
    # The token `aws sso login` cached yesterday, without a refresh token.
    name = hashlib.sha1(b"acme").hexdigest()
    (sso_cache / f"{name}.json").write_text(json.dumps({
        "startUrl": "https://acme.awsapps.com/start", "region": REGION,
        "accessToken": "expired", "expiresAt": "2020-01-01T00:00:00Z"}))
    assert main(["verify", str(config_path), "--profile", sso_profile]) == 3
    err = capsys.readouterr().err
    assert "error: the AWS SSO session of profile 'acme-admin' has expired or was never started" in err
    assert "hint: Run `aws sso login --profile acme-admin` and retry." in err
    assert "Traceback" not in err


def test_never_logged_in_sso_profile_gets_the_same_hint(moto_aws, config_path, sso_cache,
                                                         sso_profile, capsys):
    assert main(["verify", str(config_path), "--profile", sso_profile]) == 3
    assert "hint: Run `aws sso login --profile acme-admin` and retry." in capsys.readouterr().err


def test_expired_session_token_in_preflight_names_the_login(org_factory, config_path, sso_cache,
                                                            sso_profile, capsys):
    org_factory(build=False)
    assert main(["preflight", str(config_path), "--profile", sso_profile, "--json"]) == 1
    check = json.loads(capsys.readouterr().out)["checks"][0]
    assert check["id"] == "PF001" and check["status"] == "fail"
    assert check["fix"] == "Run `aws sso login --profile acme-admin` and retry."


def test_unknown_profile(moto_aws, config_path, capsys, tmp_path):
    assert main(["verify", str(config_path), "--profile", "nope"]) == 3
    err = capsys.readouterr().err
    assert f"error: AWS profile 'nope' is not defined in {tmp_path / 'aws-config'}." in err
    assert "./lz sso-config --write" in err


def test_no_credentials_at_all(moto_aws, config_path, capsys, monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                 "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    assert main(["verify", str(config_path)]) == 3
    err = capsys.readouterr().err
    assert "error: no AWS credentials found" in err
    assert "hint: Pass --profile with an AWS CLI profile" in err


def test_expired_token_from_sts_for_an_sso_profile_hints_sso_login():
    error = ClientError({"Error": {"Code": "ExpiredToken", "Message": "expired"}},
                        "GetCallerIdentity")
    translated = translate(error, profile="acme-admin", sso=True)
    assert translated.message == \
        "the AWS credentials of profile 'acme-admin' have expired (ExpiredToken: expired)."
    assert translated.hint == "Run `aws sso login --profile acme-admin` and retry."
    assert translated.exit_code == 3


def test_expired_token_of_a_static_profile_names_the_profile():
    error = ClientError({"Error": {"Code": "ExpiredTokenException", "Message": "expired"}}, "X")
    hint = translate(error, profile="bootstrap-admin", sso=False).hint
    assert hint.startswith("Refresh the credentials of profile 'bootstrap-admin'")


def test_access_denied_points_at_the_bootstrap_policy():
    error = ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}},
                        "ListAccounts")
    translated = translate(error, profile=None)
    assert translated.message == "access denied to ListAccounts (no)."
    assert "./lz bootstrap-policy" in translated.hint


def test_expired_credentials_mid_command_give_exit_3_and_the_hint(org_factory, config_path,
                                                                  capsys, faults):
    org_factory()
    faults.add("identitystore", "ListGroups", "ExpiredTokenException", times=None)
    assert main(["verify", str(config_path)]) == 3
    err = capsys.readouterr().err
    assert "error: the AWS credentials have expired (ExpiredTokenException" in err
    assert "hint: The temporary credentials in AWS_SESSION_TOKEN have expired" in err


def test_retry_config_defaults_to_adaptive(monkeypatch):
    monkeypatch.delenv("AWS_RETRY_MODE")
    monkeypatch.delenv("AWS_MAX_ATTEMPTS")
    config = client_config(boto3.Session(region_name=REGION))
    assert config.retries == {"mode": "adaptive", "total_max_attempts": DEFAULT_MAX_ATTEMPTS}


def test_retry_config_follows_the_profile_and_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("AWS_RETRY_MODE")
    monkeypatch.delenv("AWS_MAX_ATTEMPTS")
    (tmp_path / "aws-config").write_text("[profile slow]\nretry_mode = standard\n"
                                         "max_attempts = 12\n")
    assert client_config(boto3.Session(profile_name="slow")).retries == {
        "mode": "standard", "total_max_attempts": 12}
    monkeypatch.setenv("AWS_RETRY_MODE", "legacy")
    assert client_config(boto3.Session(profile_name="slow")).retries["mode"] == "legacy"


def test_clients_carry_the_retry_config(moto_aws):
    aws = open_session(None, REGION)
    client = aws.client("organizations")
    assert client.meta.config.retries["mode"] == "standard"  # AWS_RETRY_MODE in conftest
    assert aws.client("organizations") is client


def test_backoff_retries_throttling_with_capped_growing_delays():
    slept: list[float] = []
    calls = iter([throttle(), throttle("TooManyRequestsException"), throttle(), "done"])

    def flaky():
        value = next(calls)
        if isinstance(value, Exception):
            raise value
        return value

    backoff = Backoff(attempts=4, base_seconds=1, cap_seconds=3, sleep=slept.append,
                      jitter=lambda low, high: high)
    assert backoff.call(flaky) == "done"
    assert slept == [2, 3, 3]


def test_backoff_does_not_retry_other_errors():
    slept: list[float] = []

    def denied():
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "ListAccounts")

    with pytest.raises(ClientError):
        Backoff(sleep=slept.append).call(denied)
    assert slept == []


def test_assumed_sessions_are_cached_and_answer_as_the_member(org_factory):
    org = org_factory(build=False)
    member = org.create_account("Member", "member@example.invalid")
    aws = AwsSession(new_session(region_name=REGION), REGION)
    assumed = aws.assume(member, "OrganizationAccountAccessRole")
    assert assumed.identity().account_id == member
    assert aws.assume(member, "OrganizationAccountAccessRole") is assumed
    assert aws.assume(org.management_id, "OrganizationAccountAccessRole") is aws
