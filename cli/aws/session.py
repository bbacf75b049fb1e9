"""boto3 sessions for the operator commands: profile and region, retries, credential errors.

- Retries: botocore's retry modes (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
  `adaptive` adds client-side rate limiting on top of `standard`, which suits the bursts of
  read calls an inventory makes. `AWS_RETRY_MODE` / `AWS_MAX_ATTEMPTS` (or `retry_mode` /
  `max_attempts` in the profile) still win, as they do for the AWS CLI.
- On top of that, `Backoff` retries a whole call or listing when AWS is still throttling after
  botocore gave up (Organizations allows only a few requests per second per account), with
  capped exponential backoff and full jitter
  (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
- Every botocore error a user can fix becomes a `cli.errors.AwsError` whose hint names the fix,
  e.g. `aws sso login --profile P` for an expired SSO session.
"""

from __future__ import annotations

import functools
import os
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import boto3
import botocore.loaders
import botocore.session
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    CredentialRetrievalError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
    SSOError,
    TokenRetrievalError,
)

from cli.errors import AwsError, UsageError

T = TypeVar("T")

ROLE_SESSION_NAME = "landing-zone-cli"
DEFAULT_RETRY_MODE = "adaptive"
DEFAULT_MAX_ATTEMPTS = 8

# The throttling codes botocore's standard mode retries, plus Organizations' own.
THROTTLING_CODES = frozenset({
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "TooManyRequestsException", "RequestLimitExceeded", "SlowDown", "RequestThrottled",
    "PriorRequestNotComplete", "BandwidthLimitExceeded",
})
EXPIRED_CODES = frozenset({"ExpiredToken", "ExpiredTokenException", "RequestExpired",
                           "TokenRefreshRequired"})
INVALID_CODES = frozenset({"InvalidClientTokenId", "UnrecognizedClientException",
                           "SignatureDoesNotMatch", "InvalidSignatureException", "AuthFailure",
                           "InvalidAccessKeyId", "InvalidToken"})
DENIED_CODES = frozenset({"AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
                          "AuthorizationError", "Forbidden", "403"})

BOOTSTRAP_HINT = ("Use the management account's bootstrap-admin credentials (AdministratorAccess "
                  "plus the policy `./lz bootstrap-policy` prints) or an SSO admin profile.")


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", "Unknown"))


def error_message(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Message", "")) or str(error)


def is_throttling(error: BaseException) -> bool:
    return isinstance(error, ClientError) and error_code(error) in THROTTLING_CODES


def is_denied(error: BaseException) -> bool:
    return isinstance(error, ClientError) and error_code(error) in DENIED_CODES


@dataclass
class Backoff:
    """Retries a call that AWS still throttles after botocore's own retries."""

    attempts: int = 4
    base_seconds: float = 1.0
    cap_seconds: float = 20.0
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[float, float], float] = random.uniform

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        for attempt in range(1, self.attempts + 1):
            try:
                return fn(*args, **kwargs)
            # Only throttling is worth waiting for; every other error goes to the caller.
            except ClientError as error:
                if not is_throttling(error) or attempt == self.attempts:
                    raise
                self.sleep(self.jitter(0, min(self.cap_seconds, self.base_seconds * 2 ** attempt)))
        raise AssertionError("unreachable")  # pragma: no cover


def _configured(session: boto3.Session, env: str, key: str) -> str | None:
    value = os.environ.get(env)
    if value:
        return value
    # boto3 exposes no public accessor for the profile's own settings.
    scoped = session._session.get_scoped_config()  # noqa: SLF001
    return scoped.get(key)


def client_config(session: boto3.Session) -> Config:
    mode = _configured(session, "AWS_RETRY_MODE", "retry_mode") or DEFAULT_RETRY_MODE
    attempts = int(_configured(session, "AWS_MAX_ATTEMPTS", "max_attempts") or DEFAULT_MAX_ATTEMPTS)
    return Config(retries={"mode": mode, "total_max_attempts": attempts},
                  connect_timeout=10, read_timeout=60, user_agent_extra="landing-zone-cli")


@dataclass(frozen=True)
class CallerIdentity:
    account_id: str
    arn: str
    user_id: str

    @property
    def partition(self) -> str:
        return self.arn.split(":")[1] if self.arn.startswith("arn:") else "aws"


@dataclass
class AwsSession:
    """One set of credentials: clients with the retry config, backoff, assumed-role sessions."""

    session: boto3.Session
    region: str
    profile: str | None = None
    backoff: Backoff = field(default_factory=Backoff)
    credentials: dict[str, str] | None = field(default=None, repr=False)
    """Keys of an assumed role; None: the session's own credentials."""
    _clients: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)
    _identity: CallerIdentity | None = field(default=None, repr=False)
    _members: dict[tuple[str, str], AwsSession] = field(default_factory=dict, repr=False)

    def client(self, service: str, region: str | None = None) -> Any:
        key = (service, region or self.region)
        if key not in self._clients:
            self._clients[key] = self.session.client(service, region_name=key[1],
                                                     config=client_config(self.session),
                                                     **(self.credentials or {}))
        return self._clients[key]

    def call(self, service: str, operation: str, *, region: str | None = None,
             **params: Any) -> dict[str, Any]:
        return self.backoff.call(getattr(self.client(service, region), operation), **params)

    def paginate(self, service: str, operation: str, result_key: str, *,
                 region: str | None = None, **params: Any) -> list[dict[str, Any]]:
        """Every item of a paginated listing; a throttled listing starts over."""
        def fetch() -> list[dict[str, Any]]:
            items: list[dict[str, Any]] = []
            paginator = self.client(service, region).get_paginator(operation)
            for page in paginator.paginate(**params):
                items.extend(page.get(result_key, []))
            return items
        return self.backoff.call(fetch)

    def identity(self) -> CallerIdentity:
        if self._identity is None:
            answer = self.call("sts", "get_caller_identity")
            self._identity = CallerIdentity(answer["Account"], answer["Arn"], answer["UserId"])
        return self._identity

    def role_arn(self, account_id: str, role_name: str) -> str:
        return f"arn:{self.identity().partition}:iam::{account_id}:role/{role_name}"

    def assume(self, account_id: str, role_name: str) -> AwsSession:
        """A session in a member account through `role_name` (cached); the caller's own account
        is this session itself."""
        if account_id == self.identity().account_id:
            return self
        key = (account_id, role_name)
        if key not in self._members:
            credentials = self.call("sts", "assume_role",
                                    RoleArn=self.role_arn(account_id, role_name),
                                    RoleSessionName=ROLE_SESSION_NAME)["Credentials"]
            # Clients of the same boto3 session with the role's keys: a session per account
            # would load and build everything again (it dominates an organization-wide read).
            keys = {"aws_access_key_id": credentials["AccessKeyId"],
                    "aws_secret_access_key": credentials["SecretAccessKey"],
                    "aws_session_token": credentials["SessionToken"]}
            self._members[key] = AwsSession(self.session, self.region, self.profile,
                                            self.backoff, keys)
        return self._members[key]

    @property
    def uses_sso(self) -> bool:
        return profile_uses_sso(self.session._session)  # noqa: SLF001 (see _configured)


@functools.lru_cache(maxsize=1)
def _shared_loader() -> botocore.loaders.Loader:
    """One model loader per process. Every botocore session otherwise parses the service
    models (megabytes of JSON) again: once per member account a command assumes a role into."""
    return botocore.loaders.create_loader(os.environ.get("AWS_DATA_PATH"))


def new_session(**kwargs: Any) -> boto3.Session:
    """`boto3.Session(**kwargs)` on a fresh botocore session with the shared loader."""
    core = botocore.session.Session()
    core.register_component("data_loader", _shared_loader())
    session = boto3.Session(botocore_session=core, **kwargs)
    # boto3 appends its own data path to the loader on every Session: keep one copy.
    paths = _shared_loader().search_paths
    paths[:] = list(dict.fromkeys(paths))
    return session


def profile_uses_sso(core: botocore.session.Session) -> bool:
    scoped = core.get_scoped_config()
    return bool(scoped.get("sso_session") or scoped.get("sso_start_url"))


def open_session(profile: str | None, region: str | None, *,
                 factory: Callable[..., boto3.Session] = new_session,
                 backoff: Backoff | None = None) -> AwsSession:
    """A session for `--profile` (None: the environment's) in `region` (None: the profile's);
    no AWS call yet."""
    try:
        session = factory(profile_name=profile, region_name=region)
        session._session.get_scoped_config()  # noqa: SLF001 (raises ProfileNotFound now, not later)
    except ProfileNotFound as error:
        raise translate(error, profile=profile) from error
    region = region or session.region_name
    if not region:
        raise UsageError("no AWS region: the profile and the environment name none.",
                         "Pass --region (the home region of IAM Identity Center).")
    return AwsSession(session, region, profile, backoff or Backoff())


def _profile_label(profile: str | None) -> str:
    name = profile or os.environ.get("AWS_PROFILE")
    return f" of profile '{name}'" if name else ""


def login_hint(profile: str | None, *, sso: bool) -> str:
    name = profile or os.environ.get("AWS_PROFILE")
    if sso:
        return (f"Run `aws sso login --profile {name}` and retry." if name
                else "Run `aws sso login` and retry.")
    if not name and os.environ.get("AWS_SESSION_TOKEN"):
        return ("The temporary credentials in AWS_SESSION_TOKEN have expired: export fresh ones, "
                "or pass --profile.")
    if name:
        return (f"Refresh the credentials of profile '{name}': run `aws sso login --profile "
                f"{name}` if it is an SSO profile, or repeat the command that created its "
                "session (assume-role, MFA).")
    return "Pass --profile with a working AWS CLI profile, or export fresh credentials."


def translate(error: BaseException, *, profile: str | None, sso: bool = False,
              action: str = "") -> AwsError:
    """The `AwsError` (message + hint) an operator can act on, for any botocore error."""
    who = _profile_label(profile)
    if isinstance(error, ProfileNotFound):
        config_file = os.environ.get("AWS_CONFIG_FILE", "~/.aws/config")
        return AwsError(
            f"AWS profile '{profile}' is not defined in {config_file}.",
            "List profiles with `aws configure list-profiles`. Create the SSO profiles with "
            "`./lz sso-config --write`, or the bootstrap profile with `aws configure --profile "
            "bootstrap-admin`.")
    if isinstance(error, (SSOError, TokenRetrievalError)):
        return AwsError(f"the AWS SSO session{who} has expired or was never started ({error}).",
                        login_hint(profile, sso=True))
    if isinstance(error, NoCredentialsError):
        return AwsError(
            "no AWS credentials found (no --profile, no AWS_PROFILE, no AWS_ACCESS_KEY_ID, no "
            "default profile).",
            "Pass --profile with an AWS CLI profile: the bootstrap-admin profile before the "
            "first `pulumi up`, an SSO profile from `./lz sso-config` after it.")
    if isinstance(error, PartialCredentialsError):
        return AwsError(f"incomplete AWS credentials: {error}.",
                        "Set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or use --profile.")
    if isinstance(error, CredentialRetrievalError):
        return AwsError(f"could not get AWS credentials{who}: {error}.",
                        "Check the profile's credential_process or source_profile; "
                        + login_hint(profile, sso=sso))
    if isinstance(error, NoRegionError):
        return AwsError("no AWS region configured.", "Pass --region or set organization.aws_region.")
    if isinstance(error, (EndpointConnectionError, ConnectTimeoutError, ReadTimeoutError)):
        return AwsError(f"cannot reach AWS: {error}.",
                        "Check the network connection, proxy settings and --region.")
    if isinstance(error, ClientError):
        code, message = error_code(error), error_message(error)
        operation = action or error.operation_name
        if code in EXPIRED_CODES:
            return AwsError(f"the AWS credentials{who} have expired ({code}: {message}).",
                            login_hint(profile, sso=sso))
        if code in INVALID_CODES:
            return AwsError(f"AWS rejected the credentials{who} ({code}: {message}).",
                            "The access key may be deleted or inactive. "
                            + login_hint(profile, sso=sso))
        if code in DENIED_CODES:
            return AwsError(f"access denied to {operation}{who} ({message}).", BOOTSTRAP_HINT)
        if code in THROTTLING_CODES:
            return AwsError(f"AWS kept throttling {operation} after every retry ({code}).",
                            "Wait a minute and run the command again; to retry longer, set "
                            "AWS_MAX_ATTEMPTS (e.g. 15).")
        return AwsError(f"{operation} failed: {code}: {message}", "")
    return AwsError(f"AWS call failed: {error}", "")


@contextmanager
def aws_errors(session: AwsSession | None = None, *, profile: str | None = None,
               action: str = "") -> Iterator[None]:
    """Turn botocore errors raised inside the block into `AwsError` with a hint."""
    try:
        yield
    except (BotoCoreError, ClientError) as error:
        raise describe(error, session, profile=profile, action=action) from error


def describe(error: BaseException, session: AwsSession | None = None, *,
             profile: str | None = None, action: str = "") -> AwsError:
    """`translate` with what a session knows about its profile."""
    if session is not None:
        try:
            sso = session.uses_sso
        # A broken config file surfaces again, and better worded, from the call that failed.
        except BotoCoreError:
            sso = False
        return translate(error, profile=session.profile, sso=sso, action=action)
    return translate(error, profile=profile, action=action)


def is_credential_error(error: BaseException) -> bool:
    """Errors no other account, role or resource would avoid: stop and say how to log in."""
    if isinstance(error, (NoCredentialsError, PartialCredentialsError, CredentialRetrievalError,
                          SSOError, TokenRetrievalError, ProfileNotFound)):
        return True
    return isinstance(error, ClientError) and error_code(error) in EXPIRED_CODES | INVALID_CODES
