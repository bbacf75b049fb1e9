"""Readiness gate for new member accounts.

A freshly created account rejects calls for minutes (OptInRequired, or AccessDenied while
OrganizationAccountAccessRole is not yet assumable). Resources inside a new account depend on
an `AccountReadiness`, so one `pulumi up` converges without fixed sleeps.

How the dynamic provider travels (pulumi 3.272, checked in the installed SDK):
`pulumi/dynamic/dynamic.py::serialize_provider` pickles the provider with
`dill.dumps(provider, recurse=True)`, and `pulumi/dynamic/__main__.py::get_provider` runs
`dill.loads` in a separate process that `pulumi-resource-pulumi-python` starts as
`python -m pulumi.dynamic` from the project directory. dill pickles classes of importable
modules *by reference*; only `__main__` classes go by value (pulumi/pulumi#7453 is still open:
the `__module__ = "__main__"` workaround of #7755 was reverted in #7889). So the provider process
re-imports this module from disk, which constrains this file:
- importing it must have no side effects (no resources, no config reads at module level);
- the provider holds no instance state (it would be pickled) and reads everything from props;
- the pickle is a stable reference, so editing this code neither shows a `__provider` diff nor
  replaces resources: the next `pulumi up` simply runs the code on disk.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import boto3
import pulumi
import pulumi.dynamic
from botocore.exceptions import ClientError

ROLE_SESSION_NAME = "landing-zone-readiness"

NOT_READY_CODES = frozenset({
    "OptInRequired", "SubscriptionRequiredException", "AccessDenied", "AccessDeniedException",
    "InvalidClientTokenId", "UnrecognizedClientException", "AuthFailure",
})
THROTTLING_CODES = frozenset({
    "Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded",
    "SlowDown",
})
RETRYABLE_CODES = NOT_READY_CODES | THROTTLING_CODES

# Changing which account or which role is probed means a different gate: probe again.
REPLACE_ON_CHANGE = ("account_id", "role_name")
# How the gate is reached, not what it gates: recorded, never re-probed.
UPDATE_IN_PLACE = ("region", "profile", "timeout_seconds")


class AccountNotReadyError(RuntimeError):
    """The account still refused calls at the deadline; usually it only needs more time."""


@dataclass(frozen=True)
class ProbeResult:
    account_id: str
    attempts: int
    waited_seconds: float


def equal_jitter(delay: float) -> float:
    """Spread out the probes of accounts created together so they don't retry in lockstep."""
    return random.uniform(delay / 2, delay)


T = TypeVar("T")


def poll(attempt: Callable[[], T | None], *, deadline_seconds: float,
         timed_out: Callable[[float, int], Exception],
         sleep: Callable[[float], None] = time.sleep,
         clock: Callable[[], float] = time.monotonic,
         initial_delay: float = 2.0, max_delay: float = 30.0,
         jitter: Callable[[float], float] = equal_jitter) -> tuple[T, int, float]:
    """Call `attempt` until it returns something, with capped, jittered exponential backoff;
    (result, attempts, seconds waited). At the deadline, raise `timed_out(waited, attempts)`."""
    started = clock()
    delay = initial_delay
    attempts = 0
    while True:
        attempts += 1
        result = attempt()
        if result is not None:
            return result, attempts, clock() - started
        waited = clock() - started
        if waited >= deadline_seconds:
            raise timed_out(waited, attempts)
        sleep(min(jitter(delay), deadline_seconds - waited))
        delay = min(max_delay, delay * 2)


def probe_account(*, account_id: str, role_name: str, region: str, profile: str | None,
                  deadline_seconds: float,
                  session_factory: Callable[..., boto3.Session] = boto3.Session,
                  **timing: Any) -> ProbeResult:
    """Block until the account answers through `role_name`, retrying only "not yet" errors.
    `timing`: the keywords of `poll` that shape the waits (sleep, clock, delays, jitter)."""
    last_error: list[ClientError] = []

    def attempt() -> bool | None:
        try:
            _call_as_account(session_factory, account_id=account_id, role_name=role_name,
                             region=region, profile=profile)
            return True
        # Only a service error carries the code that tells "not yet" from "never".
        except ClientError as error:
            code = _error_code(error)
            if code not in RETRYABLE_CODES:
                error.add_note(f"Readiness probe of account {account_id} via role {role_name} "
                               f"failed with {code}, which waiting does not fix.")
                raise
            last_error[:] = [error]
            return None

    def timed_out(waited: float, attempts: int) -> Exception:
        error = AccountNotReadyError(
            _not_ready_message(account_id, waited, attempts, last_error[0]))
        error.__cause__ = last_error[0]
        return error

    _, attempts, waited = poll(attempt, deadline_seconds=deadline_seconds,
                               timed_out=timed_out, **timing)
    return ProbeResult(account_id, attempts, waited)


def _call_as_account(session_factory: Callable[..., boto3.Session], *, account_id: str,
                     role_name: str, region: str, profile: str | None) -> None:
    """The calls the first resources in the account will make: assume the role, then use it."""
    management = session_factory(profile_name=profile, region_name=region)
    role_arn = f"arn:aws:iam::{account_id}:role/{role_name}"
    credentials = management.client("sts").assume_role(
        RoleArn=role_arn, RoleSessionName=ROLE_SESSION_NAME)["Credentials"]
    member = session_factory(aws_access_key_id=credentials["AccessKeyId"],
                             aws_secret_access_key=credentials["SecretAccessKey"],
                             aws_session_token=credentials["SessionToken"],
                             region_name=region)
    answering_account = member.client("sts").get_caller_identity()["Account"]
    if answering_account != account_id:
        raise RuntimeError(f"Assumed {role_arn} but AWS answered as account "
                           f"{answering_account}; check the account id and "
                           "account_access.role_name in config/organization.yaml.")
    member.client("s3").list_buckets()


def _error_code(error: ClientError) -> str:
    return error.response.get("Error", {}).get("Code", "Unknown")


def _not_ready_message(account_id: str, waited: float, attempts: int,
                       last_error: ClientError) -> str:
    message = last_error.response.get("Error", {}).get("Message", str(last_error))
    return (f"Account {account_id} is still not ready after waiting {waited:.0f}s "
            f"({attempts} attempts). Last error: {_error_code(last_error)}: {message}. "
            "New accounts can take several minutes to finish provisioning. Wait a few minutes "
            "and re-run `pulumi up`; check the account's status in the AWS Organizations "
            "console; if it is healthy but slow, raise "
            "account_access.readiness_timeout_seconds in config/organization.yaml.")


def _recorded_inputs(props: dict[str, Any]) -> dict[str, Any]:
    return {key: props.get(key) for key in REPLACE_ON_CHANGE + UPDATE_IN_PLACE}


class AccountReadinessProvider(pulumi.dynamic.ResourceProvider):
    """Stateless on purpose: its instance is pickled into the Pulumi state (see module doc)."""

    def create(self, props: dict[str, Any]) -> pulumi.dynamic.CreateResult:
        result = probe_account(account_id=props["account_id"], role_name=props["role_name"],
                               region=props["region"], profile=props.get("profile"),
                               deadline_seconds=props["timeout_seconds"])
        return pulumi.dynamic.CreateResult(
            id_=result.account_id,
            outs={**_recorded_inputs(props), "attempts": result.attempts, "ready": True})

    def diff(self, _id: str, olds: dict[str, Any],
             news: dict[str, Any]) -> pulumi.dynamic.DiffResult:
        replaces = [key for key in REPLACE_ON_CHANGE if olds.get(key) != news.get(key)]
        updates = [key for key in UPDATE_IN_PLACE if olds.get(key) != news.get(key)]
        return pulumi.dynamic.DiffResult(changes=bool(replaces or updates), replaces=replaces)

    def update(self, _id: str, olds: dict[str, Any],
               news: dict[str, Any]) -> pulumi.dynamic.UpdateResult:
        """An account that was ready stays ready: record the new inputs, don't probe again."""
        return pulumi.dynamic.UpdateResult(
            outs={**_recorded_inputs(news), "attempts": olds.get("attempts"), "ready": True})


@dataclass(frozen=True)
class AccountReadinessArgs:
    account_id: pulumi.Input[str]
    role_name: str
    region: str
    profile: str | None
    timeout_seconds: int


class AccountReadiness(pulumi.dynamic.Resource, module="landingzone", name="AccountReadiness"):
    """Put this in `depends_on` of every resource created inside a new account."""

    account_id: pulumi.Output[str]
    role_name: pulumi.Output[str]
    region: pulumi.Output[str]
    attempts: pulumi.Output[int]
    ready: pulumi.Output[bool]

    def __init__(self, name: str, args: AccountReadinessArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        # vars(), not dataclasses.asdict(): asdict deep-copies, which would copy Outputs.
        props = {**vars(args), "attempts": None, "ready": None}
        super().__init__(AccountReadinessProvider(), name, props, opts)
