"""The readiness gate against moto: real boto3 calls, simulated "not yet" failures, fake time."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import boto3
import dill
import pulumi
import pytest
from botocore.exceptions import ClientError
from hypothesis import given
from hypothesis import strategies as st
from moto import mock_aws
from pulumi.dynamic.dynamic import serialize_provider

from components import account_readiness
from components.account_readiness import (
    AccountNotReadyError,
    AccountReadiness,
    AccountReadinessArgs,
    AccountReadinessProvider,
    equal_jitter,
    probe_account,
)

REGION = "us-east-1"
ROLE_NAME = "OrganizationAccountAccessRole"
REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def member_account_id():
    with mock_aws():
        organizations = boto3.client("organizations", region_name=REGION)
        organizations.create_organization(FeatureSet="ALL")
        request = organizations.create_account(
            Email="workload@example.invalid", AccountName="workload")["CreateAccountStatus"]
        status = organizations.describe_create_account_status(
            CreateAccountRequestId=request["Id"])["CreateAccountStatus"]
        yield status["AccountId"]


class FakeTime:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def client_error(code: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": f"simulated {code}"}}, "AssumeRole")


def failing_first(*codes: str):
    """A session factory whose first calls fail like a new account does, then uses moto."""
    pending = list(codes)
    calls = []

    def factory(**session_kwargs):
        calls.append(session_kwargs)
        if pending:
            raise client_error(pending.pop(0))
        return boto3.Session(**session_kwargs)

    factory.calls = calls
    return factory


def never_ready(code: str = "OptInRequired"):
    def factory(**_session_kwargs):
        raise client_error(code)
    return factory


def probe(account_id: str, fake_time: FakeTime, **overrides):
    arguments = dict(account_id=account_id, role_name=ROLE_NAME, region=REGION, profile=None,
                     deadline_seconds=900, sleep=fake_time.sleep, clock=fake_time.clock,
                     jitter=lambda delay: delay)
    return probe_account(**(arguments | overrides))


def test_ready_account_passes_at_first_attempt(member_account_id):
    fake_time = FakeTime()
    result = probe(member_account_id, fake_time)
    assert (result.account_id, result.attempts, result.waited_seconds) == (member_account_id, 1, 0)
    assert fake_time.sleeps == []


def test_not_ready_account_is_retried_until_it_answers(member_account_id):
    fake_time = FakeTime()
    result = probe(member_account_id, fake_time, session_factory=failing_first(
        "OptInRequired", "SubscriptionRequiredException", "AccessDenied"))
    assert result.attempts == 4
    assert fake_time.sleeps == [2, 4, 8]
    assert result.waited_seconds == 14


def test_member_calls_that_fail_until_the_account_settles_are_retried(member_account_id):
    """The failure reaches the probe from inside a real moto call, as S3 would answer it."""
    refusals = ["SubscriptionRequiredException"]

    def refuse_s3_until_subscribed(**_event):
        if refusals:
            raise client_error(refusals.pop(0))

    def member_sessions_without_s3_yet(**session_kwargs):
        session = boto3.Session(**session_kwargs)
        session.events.register("before-call.s3.ListBuckets", refuse_s3_until_subscribed)
        return session

    fake_time = FakeTime()
    result = probe(member_account_id, fake_time, session_factory=member_sessions_without_s3_yet)
    assert result.attempts == 2
    assert fake_time.sleeps == [2]


def test_never_ready_account_fails_at_the_deadline_with_guidance():
    fake_time = FakeTime()
    with pytest.raises(AccountNotReadyError) as raised:
        probe("111122223333", fake_time, deadline_seconds=60,
              session_factory=never_ready("SubscriptionRequiredException"))
    message = str(raised.value)
    assert "Account 111122223333 is still not ready after waiting 60s (6 attempts)" in message
    assert "Last error: SubscriptionRequiredException: simulated SubscriptionRequiredException" \
        in message
    assert "re-run `pulumi up`" in message
    assert "AWS Organizations console" in message
    assert "account_access.readiness_timeout_seconds in config/organization.yaml" in message
    assert isinstance(raised.value.__cause__, ClientError)
    assert fake_time.sleeps == [2, 4, 8, 16, 30]


def test_non_transient_error_is_raised_at_once():
    fake_time = FakeTime()
    factory = failing_first("ValidationError")
    with pytest.raises(ClientError) as raised:
        probe("111122223333", fake_time, session_factory=factory)
    assert raised.value.response["Error"]["Code"] == "ValidationError"
    assert any("account 111122223333" in note for note in raised.value.__notes__)
    assert len(factory.calls) == 1
    assert fake_time.sleeps == []


def test_answer_from_another_account_is_not_retried(member_account_id):
    def ignore_assumed_credentials(**session_kwargs):
        return boto3.Session(region_name=session_kwargs["region_name"])

    with pytest.raises(RuntimeError, match="answered as account 123456789012"):
        probe(member_account_id, FakeTime(), session_factory=ignore_assumed_credentials)


def test_backoff_doubles_is_capped_and_never_sleeps_past_the_deadline():
    fake_time = FakeTime()
    with pytest.raises(AccountNotReadyError):
        probe("111122223333", fake_time, deadline_seconds=100, initial_delay=1, max_delay=8,
              session_factory=never_ready("ThrottlingException"))
    assert fake_time.sleeps[:6] == [1, 2, 4, 8, 8, 8]
    assert max(fake_time.sleeps) == 8
    assert sum(fake_time.sleeps) == 100


def test_injected_jitter_shapes_every_delay():
    fake_time = FakeTime()
    with pytest.raises(AccountNotReadyError):
        probe("111122223333", fake_time, deadline_seconds=7, jitter=lambda delay: delay / 2,
              session_factory=never_ready())
    assert fake_time.sleeps == [1, 2, 4]


@given(st.floats(min_value=0.001, max_value=3600))
def test_equal_jitter_keeps_at_least_half_the_delay(delay):
    assert delay / 2 <= equal_jitter(delay) <= delay


STATE = {"__provider": "old", "account_id": "111122223333", "role_name": ROLE_NAME,
         "region": REGION, "profile": None, "timeout_seconds": 900.0, "attempts": 3.0,
         "ready": True}


@pytest.mark.parametrize(("change", "replaces", "changes"), [
    ({}, [], False),
    ({"__provider": "new"}, [], False),
    ({"account_id": "444455556666"}, ["account_id"], True),
    ({"role_name": "LandingZoneAdmin"}, ["role_name"], True),
    ({"region": "eu-west-1"}, [], True),
    ({"profile": "management"}, [], True),
    ({"timeout_seconds": 1800}, [], True),
])
def test_diff_replaces_only_for_another_account_or_role(change, replaces, changes):
    result = AccountReadinessProvider().diff("111122223333", STATE, STATE | change)
    assert (result.replaces, result.changes) == (replaces, changes)


def test_update_records_new_inputs_without_probing(monkeypatch):
    def forbidden_probe(**_arguments):
        raise AssertionError("update must not probe")

    monkeypatch.setattr(account_readiness, "probe_account", forbidden_probe)
    news = STATE | {"region": "eu-west-1", "timeout_seconds": 1800}
    result = AccountReadinessProvider().update("111122223333", STATE, news)
    assert result.outs == {"account_id": "111122223333", "role_name": ROLE_NAME,
                           "region": "eu-west-1", "profile": None, "timeout_seconds": 1800,
                           "attempts": 3.0, "ready": True}


def test_create_probes_and_returns_the_outputs(member_account_id):
    props = {"__provider": "serialized", "account_id": member_account_id,
             "role_name": ROLE_NAME, "region": REGION, "profile": None,
             "timeout_seconds": 900.0}
    result = AccountReadinessProvider().create(props)
    assert result.id == member_account_id
    assert result.outs == {"account_id": member_account_id, "role_name": ROLE_NAME,
                           "region": REGION, "profile": None, "timeout_seconds": 900.0,
                           "attempts": 1, "ready": True}


def test_provider_survives_the_sdk_serialization_in_process():
    provider = dill.loads(base64.b64decode(serialize_provider(AccountReadinessProvider())))
    # By reference: unpickling hands back this very class, not a by-value copy of it.
    assert type(provider) is AccountReadinessProvider
    assert provider.diff("id", STATE, STATE | {"role_name": "Other"}).replaces == ["role_name"]


def test_provider_deserializes_in_a_fresh_process_like_the_dynamic_provider_host():
    """pulumi.dynamic's host runs `python -m` from the project root, which puts it on sys.path."""
    serialized = serialize_provider(AccountReadinessProvider())
    host_script = (
        "import base64, json, sys, dill\n"
        "provider = dill.loads(base64.b64decode(sys.argv[1]))\n"
        f"olds = {json.dumps(STATE)!r}\n"
        "news = json.loads(olds) | {'account_id': '444455556666'}\n"
        "result = provider.diff('id', json.loads(olds), news)\n"
        "print(json.dumps({'class': type(provider).__module__, 'replaces': result.replaces}))\n"
    )
    completed = subprocess.run([sys.executable, "-c", host_script, serialized], cwd=REPO_ROOT,
                               env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
                               timeout=30, check=True)
    assert json.loads(completed.stdout) == {"class": "components.account_readiness",
                                            "replaces": ["account_id"]}


class EchoMocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.types: list[str] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs):
        self.types.append(args.typ)
        return args.inputs["account_id"], args.inputs | {"attempts": 1, "ready": True}

    def call(self, args: pulumi.runtime.MockCallArgs):
        return {}


@pytest.fixture
def pulumi_mocks():
    mocks = EchoMocks()
    pulumi.runtime.set_mocks(mocks, preview=False)
    return mocks


@pulumi.runtime.test
def test_resource_exposes_the_outputs_as_attributes(pulumi_mocks):
    gate = AccountReadiness("workload-readiness", AccountReadinessArgs(
        account_id=pulumi.Output.from_input("111122223333"), role_name=ROLE_NAME,
        region=REGION, profile=None, timeout_seconds=900))

    def check(values):
        assert values == ["111122223333", ROLE_NAME, REGION, 1, True]
        assert pulumi_mocks.types == ["pulumi-python:dynamic/landingzone:AccountReadiness"]

    return pulumi.Output.all(gate.account_id, gate.role_name, gate.region, gate.attempts,
                             gate.ready).apply(check)
