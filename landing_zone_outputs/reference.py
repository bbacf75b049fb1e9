"""`LandingZoneOutputs`: the landing-zone stack's outputs, typed, over one `StackReference`."""

from __future__ import annotations

import re
from typing import Any, TypedDict

import pulumi
import pulumi_aws as aws

# Self-managed backends (the S3 bucket the landing zone builds, or `pulumi login --local`) scope
# stacks by project and name the organization literally `organization`:
# https://www.pulumi.com/docs/iac/concepts/stacks/#stackreferences
# On Pulumi Cloud the first part is your Pulumi organization instead (see `stack_name`).
DEFAULT_STACK = "organization/landing-zone/bootstrap"

# STS RoleSessionName: 2-64 characters of [\w+=,.@-]
# (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html).
_SESSION_NAME_BAD = re.compile(r"[^\w+=,.@-]")


def stack_name(stack: str = "bootstrap", *, organization: str = "organization",
               project: str = "landing-zone") -> str:
    """The fully qualified name of a landing-zone stack, as `StackReference` wants it."""
    return f"{organization}/{project}/{stack}"


class AccountOutput(TypedDict):
    """One entry of the `accounts` stack output."""

    id: str
    arn: str
    name: str
    email: str
    ou: str | None         # OU key; None = directly under the root
    adopted: bool          # True for the management account and accounts adopted by `id:`


class LandingZoneOutputsError(Exception):
    """Base of the errors this module raises (inside outputs, so `pulumi up` reports them)."""


class MissingOutputError(LandingZoneOutputsError, LookupError):
    """The referenced stack has no such output: wrong stack, or not a landing-zone stack."""


class UnknownKeyError(LandingZoneOutputsError, LookupError):
    """An account (or OU, permission set...) key the landing-zone stack does not export."""


class AccountAccessRoleError(LandingZoneOutputsError, ValueError):
    """A workload asked to deploy through the landing zone's account access role."""


class LandingZoneOutputs:
    """Read a landing-zone stack's outputs: account ids by key, role ARNs, ready providers.

    Every method returns `pulumi.Output`s (the values arrive when the engine has read the other
    stack). Errors (an unknown key, a missing output) are raised inside those outputs with a
    message that names the stack and lists the valid keys, so `pulumi preview` fails with it.

    :param stack: fully qualified stack name; default `organization/landing-zone/bootstrap`.
    :param name: logical name of the `StackReference` (and the prefix of provider names).
    :param opts: resource options for the `StackReference`.
    :param reference: an existing `StackReference` to read instead of creating one.
    """

    def __init__(self, stack: str = DEFAULT_STACK, *, name: str = "landing-zone",
                 opts: pulumi.ResourceOptions | None = None,
                 reference: pulumi.StackReference | None = None) -> None:
        self.stack = stack
        self.name = name
        self.reference = reference or pulumi.StackReference(name, stack_name=stack, opts=opts)
        self._providers: dict[tuple[str, str | None, str | None], aws.Provider] = {}

    # --- raw outputs -------------------------------------------------------------------------

    def output(self, name: str) -> pulumi.Output[Any]:
        """A stack output by name; fails clearly when the stack does not export it."""
        def require(value: Any) -> Any:
            if value is None:
                raise MissingOutputError(
                    f"stack {self.stack} has no output {name!r}: is it a landing-zone stack, "
                    f"deployed with `pulumi up`? (`pulumi stack output -s {self.stack}` lists "
                    "its outputs)")
            return value
        # get_output keeps the per-output secretness StackReference tracks.
        return self.reference.get_output(name).apply(require)

    def _lookup(self, output: str, kind: str, key: str) -> pulumi.Output[Any]:
        return self.output(output).apply(lambda entries: _pick(entries, key, kind, self.stack))

    # --- the organization --------------------------------------------------------------------

    @property
    def organization_id(self) -> pulumi.Output[str]:
        return self.output("organization_id")

    @property
    def root_id(self) -> pulumi.Output[str]:
        return self.output("root_id")

    @property
    def management_account_id(self) -> pulumi.Output[str]:
        return self.output("management_account_id")

    @property
    def account_role_name(self) -> pulumi.Output[str]:
        """The role the landing zone assumes in member accounts (OrganizationAccountAccessRole)."""
        return self.output("account_role_name")

    @property
    def accounts(self) -> pulumi.Output[dict[str, AccountOutput]]:
        return self.output("accounts")

    @property
    def account_keys(self) -> pulumi.Output[list[str]]:
        return self.accounts.apply(sorted)

    @property
    def state_backend(self) -> pulumi.Output[dict[str, Any]]:
        """{bucket, account, kms_key_arn, kms_alias, backend_url, secrets_provider}."""
        return self.output("state_backend")

    # --- by key ------------------------------------------------------------------------------

    def account(self, key: str) -> pulumi.Output[AccountOutput]:
        return self._lookup("accounts", "account", key)

    def account_id(self, key: str) -> pulumi.Output[str]:
        """The 12-digit id of the account with this config key (`dev`, `log_archive`...)."""
        return self.account(key).apply(lambda account: account["id"])

    def organizational_unit_id(self, key: str) -> pulumi.Output[str]:
        return self._lookup("organizational_units", "organizational unit", key).apply(
            lambda unit: unit["id"])

    def access_log_bucket(self, key: str) -> pulumi.Output[str]:
        """The S3 server access-log bucket in that account (target of `BucketLogging`)."""
        return self._lookup("access_log_buckets", "account", key)

    def permission_set_arn(self, key: str) -> pulumi.Output[str]:
        return self.output("sso").apply(
            lambda sso: _pick(sso.get("permission_sets") or {}, key, "permission set", self.stack))

    def role_arn(self, key: str, role_name: str | None = None) -> pulumi.Output[str]:
        """ARN of `role_name` (default: the stack's `account_role_name`) in that account.

        The partition comes from the account's ARN, so GovCloud and China work unchanged.
        """
        name = pulumi.Output.from_input(role_name) if role_name else self.account_role_name
        return pulumi.Output.all(self.account(key), name).apply(
            lambda args: f"arn:{_partition(args[0]['arn'])}:iam::{args[0]['id']}:role/{args[1]}")

    def provider(self, key: str, region: str | None = None, *, role_name: str | None = None,
                 session_name: str | None = None, name: str | None = None,
                 opts: pulumi.ResourceOptions | None = None, **provider_args: Any) -> aws.Provider:
        """An `aws.Provider` that works inside the account with this key, with that account's
        own credentials, and refuses any other account (`allowed_account_ids`), so a mix-up
        fails before anything changes.

        By default it uses the credentials your program runs with as they are: the Deployer
        permission set's SSO profile for that account (`aws:profile`), or a CI role of that
        account. With `role_name` it first assumes that role in the account (a deploy role your
        credentials may assume). It never assumes the landing zone's account access role
        (`account_role_name`, OrganizationAccountAccessRole): only the management account can,
        and a session through it is an administrator outside every guardrail. Asking for it
        fails with AccountAccessRoleError. No workload needs management-account credentials.

        `region` and `profile` default to this stack's `aws:region` and `aws:profile`: an
        explicit provider does not read the `aws:*` stack config by itself, only the default
        provider does
        (https://github.com/pulumi/pulumi/blob/master/docs/architecture/providers/default.md).
        Other keyword arguments (`profile`, `default_tags`...) go to `aws.Provider` as they are.
        Calling it twice with the same arguments returns the same provider.
        """
        cache_key = (key, region, role_name)
        if cache_key in self._providers and not (name or opts or session_name or provider_args):
            return self._providers[cache_key]
        account = self.account(key)
        assumed = None
        if role_name is not None:
            # Typed args, not dicts: dict keys would reach the provider as role_arn instead of
            # roleArn (pulumi/pulumi-aws#5271).
            assumed = [aws.ProviderAssumeRoleArgs(
                role_arn=pulumi.Output.all(self.account_role_name,
                                           self.role_arn(key, role_name)).apply(
                    lambda args: _not_the_access_role(args[1], role_name, args[0], self.stack)),
                session_name=session_name or _session_name(pulumi.get_project(),
                                                           pulumi.get_stack()))]
        stack_aws = pulumi.Config("aws")
        region = region or stack_aws.get("region")
        provider_args.setdefault("profile", stack_aws.get("profile"))
        suffix = f"-{region}" if region else ""
        provider = aws.Provider(
            name or f"{self.name}-{key}{suffix}",
            region=region,
            assume_roles=assumed,
            allowed_account_ids=[account.apply(lambda a: a["id"])],
            **provider_args,
            opts=opts)
        self._providers.setdefault(cache_key, provider)
        return provider


def _not_the_access_role(arn: str, role_name: str, access_role: str, stack: str) -> str:
    if role_name == access_role:
        raise AccountAccessRoleError(
            f"role_name {role_name!r} is the account access role of the landing-zone stack "
            f"{stack}: only the management account can assume it, and it is an administrator "
            "outside every guardrail. Deploy with the account's own credentials (the Deployer "
            "permission set's SSO profile as aws:profile) or a deploy role of that account.")
    return arn


def _pick(entries: dict[str, Any] | None, key: str, kind: str, stack: str) -> Any:
    entries = entries or {}
    if key not in entries:
        known = ", ".join(sorted(entries)) or "none"
        raise UnknownKeyError(f"{kind} {key!r} is not in the landing-zone stack {stack} (its "
                              f"{kind}s: {known}); keys are those of the landing zone's "
                              "config/organization.yaml.")
    return entries[key]


def _partition(arn: str | None) -> str:
    parts = (arn or "").split(":")
    return parts[1] if len(parts) > 2 and parts[0] == "arn" and parts[1] else "aws"


def _session_name(project: str, stack: str) -> str:
    """`<project>-<stack>`, so CloudTrail in the member account names who acted."""
    return _SESSION_NAME_BAD.sub("-", f"{project}-{stack}")[:64]
