"""Gates on AWS's own fan-out: StackSets trusted access, and each new account's baseline.

Both are dynamic resources, served by the one Python provider process every dynamic resource
of the program shares (see components/account_readiness.py for how the provider travels and
why this module must stay free of side effects and instance state).

`StackSetsTrustedAccess`: service-managed stack sets need trusted access between
CloudFormation StackSets and Organizations. It has no pulumi-aws resource, and AWS asks to turn
it on from CloudFormation (`ActivateOrganizationsAccess`), which also creates the roles
StackSets works through, not from Organizations
(https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-activate-trusted-access.html).
Creating the gate activates it (idempotent) and waits until `DescribeOrganizationsAccess`
answers ENABLED. Deleting the gate leaves it on: other stack sets may rely on it.

`BaselineReadiness`: an account created in the run gets its stack instances from
auto-deployment some time after it joins its OU. The gate waits until the account's instance
of every stack set it names is CURRENT with detailed status SUCCEEDED
(https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackInstanceSummary.html),
and fails at once on FAILED, INOPERABLE or a suspended account: waiting fixes none of these.
It never starts drift detection (a stack set operation of its own, which would queue behind or
block the deployment).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import boto3
import pulumi
import pulumi.dynamic
from botocore.exceptions import ClientError

from components.account_readiness import THROTTLING_CODES, poll
from components.stack_set_fan_out import FanOut
from config.model import LandingZoneConfig
from config.topology import managed_accounts

READY = ("CURRENT", "SUCCEEDED")
FAILED_DETAILS = frozenset({"FAILED", "INOPERABLE", "CANCELLED", "SKIPPED_SUSPENDED_ACCOUNT",
                            "FAILED_IMPORT"})
NOT_FOUND = "StackInstanceNotFoundException"


class BaselineFailedError(RuntimeError):
    """A stack instance of the account failed, or never became current before the deadline."""


@dataclass(frozen=True)
class InstanceState:
    """One stack instance as StackSets reports it (the gate here, `./lz verify` too);
    `status` None: it does not exist (yet)."""

    stack_set: str
    region: str
    status: str | None = None
    """CURRENT, OUTDATED or INOPERABLE."""
    detailed_status: str | None = None
    """SUCCEEDED, PENDING, RUNNING, FAILED, CANCELLED, INOPERABLE, SKIPPED_SUSPENDED_ACCOUNT..."""
    reason: str | None = None
    account_id: str = ""

    @property
    def ready(self) -> bool:
        return (self.status, self.detailed_status) == READY

    @property
    def failed(self) -> bool:
        return self.status == "INOPERABLE" or self.detailed_status in FAILED_DETAILS

    def describe(self) -> str:
        state = "missing" if self.status is None else f"{self.status}/{self.detailed_status}"
        reason = f" ({self.reason})" if self.reason else ""
        return f"stack set {self.stack_set} in {self.region}: {state}{reason}"


def read_instance(cloudformation: Any, *, stack_set: str, account_id: str,
                  region: str) -> InstanceState:
    """DescribeStackInstance, with "not there yet" and throttling read as missing."""
    try:
        found = cloudformation.describe_stack_instance(
            StackSetName=stack_set, StackInstanceAccount=account_id,
            StackInstanceRegion=region)["StackInstance"]
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in {NOT_FOUND, *THROTTLING_CODES}:
            return InstanceState(stack_set, region)
        raise
    return InstanceState(stack_set, region, found.get("Status"),
                         found.get("StackInstanceStatus", {}).get("DetailedStatus"),
                         found.get("StatusReason"))


def wait_for_baseline(*, account_id: str, stack_sets: Sequence[tuple[str, str]],
                      region: str, profile: str | None, deadline_seconds: float,
                      session_factory: Callable[..., boto3.Session] = boto3.Session,
                      **timing: Any) -> int:
    """Block until every (stack set, region) instance of the account is CURRENT/SUCCEEDED;
    the number of polls. Stack sets are administered from `region` (the home region)."""
    cloudformation = session_factory(profile_name=profile, region_name=region).client(
        "cloudformation")
    last: list[InstanceState] = []

    def attempt() -> bool | None:
        states = [read_instance(cloudformation, stack_set=name, account_id=account_id,
                                region=instance_region) for name, instance_region in stack_sets]
        if failed := [s for s in states if s.failed]:
            raise BaselineFailedError(
                f"The baseline of account {account_id} failed: "
                + "; ".join(s.describe() for s in failed)
                + ". Read the stack events in the account (CloudFormation console, stack "
                "StackSet-<stack set name>-...), fix the cause, then retry the stack instance "
                "(CloudFormation StackSets console) and run `pulumi up` again; "
                "`./lz verify` shows every account's baseline.")
        last[:] = [s for s in states if not s.ready]
        return True if not last else None

    def timed_out(waited: float, attempts: int) -> Exception:
        return BaselineFailedError(
            f"The baseline of account {account_id} is still not in place after {waited:.0f}s "
            f"({attempts} polls): " + "; ".join(s.describe() for s in last) + ". StackSets "
            "auto-deploys to a new account once it has joined its OU; run `pulumi up` again "
            "later, or raise account_access.readiness_timeout_seconds.")

    _, attempts, _ = poll(attempt, deadline_seconds=deadline_seconds, timed_out=timed_out,
                          **timing)
    return attempts


def activate_trusted_access(*, region: str, profile: str | None, deadline_seconds: float,
                            session_factory: Callable[..., boto3.Session] = boto3.Session,
                            **timing: Any) -> str:
    """ActivateOrganizationsAccess (a no-op when on), then wait for ENABLED."""
    cloudformation = session_factory(profile_name=profile, region_name=region).client(
        "cloudformation")
    cloudformation.activate_organizations_access()

    def attempt() -> str | None:
        status = cloudformation.describe_organizations_access()["Status"]
        return status if status == "ENABLED" else None

    def timed_out(waited: float, attempts: int) -> Exception:
        return RuntimeError(f"StackSets trusted access with Organizations is still not ENABLED "
                            f"after {waited:.0f}s; check it in the CloudFormation StackSets "
                            "console (Activate trusted access) and run `pulumi up` again.")

    status, _, _ = poll(attempt, deadline_seconds=deadline_seconds, timed_out=timed_out,
                        **timing)
    return status


def _changed(olds: dict[str, Any], news: dict[str, Any], keys: Sequence[str]) -> list[str]:
    return [key for key in keys if olds.get(key) != news.get(key)]


class BaselineReadinessProvider(pulumi.dynamic.ResourceProvider):
    """Stateless on purpose: its instance is pickled into the Pulumi state."""

    def create(self, props: dict[str, Any]) -> pulumi.dynamic.CreateResult:
        attempts = wait_for_baseline(
            account_id=props["account_id"],
            stack_sets=[tuple(pair) for pair in props["stack_sets"]],
            region=props["region"], profile=props.get("profile"),
            deadline_seconds=props["timeout_seconds"])
        return pulumi.dynamic.CreateResult(
            id_=props["account_id"], outs={**props, "attempts": attempts, "ready": True})

    def diff(self, _id: str, olds: dict[str, Any],
             news: dict[str, Any]) -> pulumi.dynamic.DiffResult:
        """Another account, or a stack set it has not waited for: wait again (replace)."""
        replaces = _changed(olds, news, ("account_id", "stack_sets"))
        updates = _changed(olds, news, ("region", "profile", "timeout_seconds"))
        return pulumi.dynamic.DiffResult(changes=bool(replaces or updates), replaces=replaces)

    def update(self, _id: str, olds: dict[str, Any],
               news: dict[str, Any]) -> pulumi.dynamic.UpdateResult:
        return pulumi.dynamic.UpdateResult(
            outs={**news, "attempts": olds.get("attempts"), "ready": True})


class TrustedAccessProvider(pulumi.dynamic.ResourceProvider):
    """Stateless on purpose: its instance is pickled into the Pulumi state."""

    def create(self, props: dict[str, Any]) -> pulumi.dynamic.CreateResult:
        status = activate_trusted_access(region=props["region"], profile=props.get("profile"),
                                         deadline_seconds=props["timeout_seconds"])
        return pulumi.dynamic.CreateResult(id_="stacksets-organizations-access",
                                           outs={**props, "status": status})

    def diff(self, _id: str, olds: dict[str, Any],
             news: dict[str, Any]) -> pulumi.dynamic.DiffResult:
        updates = _changed(olds, news, ("region", "profile", "timeout_seconds"))
        return pulumi.dynamic.DiffResult(changes=bool(updates))

    def update(self, _id: str, olds: dict[str, Any],
               news: dict[str, Any]) -> pulumi.dynamic.UpdateResult:
        return pulumi.dynamic.UpdateResult(outs={**news, "status": olds.get("status")})


@dataclass(frozen=True)
class BaselineReadinessArgs:
    account_id: pulumi.Input[str]
    stack_sets: Sequence[tuple[str, str]]
    """(stack set name, region) of every instance the account must have."""
    region: str
    """Where the stack sets are administered (the home region)."""
    profile: str | None
    timeout_seconds: int


class BaselineReadiness(pulumi.dynamic.Resource, module="landingzone", name="BaselineReadiness"):
    """Put this in `depends_on` of what needs a new account's baseline (or use its `ready`)."""

    if TYPE_CHECKING:
        # For type checkers only: the SDK resolves a resource class's annotations (string
        # annotations compiled and evaluated) at every instance, one per new account; the
        # outputs are plain values that need no type translation (benchmarks/plan_scale.py).
        account_id: pulumi.Output[str]
        attempts: pulumi.Output[int]
        ready: pulumi.Output[bool]

    def __init__(self, name: str, args: BaselineReadinessArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        props = {**vars(args), "stack_sets": [list(pair) for pair in args.stack_sets],
                 "attempts": None, "ready": None}
        super().__init__(BaselineReadinessProvider(), name, props, opts)


def gates_for_new_accounts(name: str, config: LandingZoneConfig,
                           account_ids: Mapping[str, pulumi.Input[str]],
                           fan_outs: Sequence[FanOut], *, profile: str | None,
                           parent: pulumi.Resource) -> dict[str, BaselineReadiness]:
    """A gate per member account created in this run (an account with an id in the config
    already has its stacks, or `./lz verify` reports them) on its instances of `fan_outs`,
    created once their `StackInstances` are."""
    stack_sets = [(f.name, f.region) for f in fan_outs]
    opts = pulumi.ResourceOptions(parent=parent, depends_on=[f.instances for f in fan_outs])
    return {key: BaselineReadiness(
                f"{name}-{key}-baseline",
                BaselineReadinessArgs(
                    account_id=account_ids[key], stack_sets=stack_sets,
                    region=config.organization.aws_region, profile=profile,
                    timeout_seconds=config.account_access.readiness_timeout_seconds),
                opts=opts)
            for key in managed_accounts(config)
            if key != config.management_account and config.accounts[key].id is None}


@dataclass(frozen=True)
class StackSetsTrustedAccessArgs:
    region: str
    profile: str | None
    timeout_seconds: int


class StackSetsTrustedAccess(pulumi.dynamic.Resource, module="landingzone",
                             name="StackSetsTrustedAccess"):
    """Service-managed stack sets depend on this."""

    status: pulumi.Output[str]

    def __init__(self, name: str, args: StackSetsTrustedAccessArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TrustedAccessProvider(), name, {**vars(args), "status": None}, opts)
