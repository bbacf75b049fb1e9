"""Unit-test a program that reads a landing-zone stack, with no Pulumi CLI and no AWS.

```python
import pulumi
from landing_zone_outputs.testing import StackReferenceMocks, sample_outputs

@pytest.fixture
def mocks():
    mocks = StackReferenceMocks({"organization/landing-zone/bootstrap": sample_outputs()})
    pulumi.runtime.set_mocks(mocks, preview=False)
    return mocks
```

Pulumi's mocks serve a `StackReference` like any resource: `new_resource` sees the type
`pulumi:pulumi:StackReference` with the stack name as input and id, and the state it returns
(`outputs`, `secretOutputNames`) is what `get_output` reads
(https://www.pulumi.com/docs/iac/guides/testing/unit/, pulumi/docs#17013).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

import pulumi

STACK_REFERENCE = "pulumi:pulumi:StackReference"
# How the engine marks a secret value on the wire (pulumi/sdk/python/lib/pulumi/runtime/rpc.py).
_SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
_SIG_KEY = "4dabf18193072939515e22adb298388d"


def _reveal(value: Any) -> tuple[Any, bool]:
    """A property value without its secret marker, and whether it had one."""
    if isinstance(value, dict) and value.get(_SIG_KEY) == _SECRET_SIG:
        return value.get("value"), True
    return value, False


@dataclass(frozen=True)
class Registered:
    """One resource the program registered, as the mocks saw it."""

    type: str
    name: str
    inputs: dict[str, Any]          # secrets revealed, so tests compare plain values
    provider: str | None
    secret_inputs: frozenset[str]   # which inputs the program marked secret


class StackReferenceMocks(pulumi.runtime.Mocks):
    """Serves the outputs of the stacks you give; records every other resource.

    An unknown stack fails as the engine would; an invoke fails unless you pass `calls`
    (token -> result), so a test never receives an empty answer by accident.
    """

    def __init__(self, stacks: dict[str, dict[str, Any]], *,
                 secret_outputs: dict[str, list[str]] | None = None,
                 calls: dict[str, dict[str, Any]] | None = None) -> None:
        self.stacks = stacks
        self.secret_outputs = secret_outputs or {}
        self.calls = calls or {}
        self.registered: list[Registered] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict]:
        if args.typ == STACK_REFERENCE:
            stack = args.inputs.get("name") or args.resource_id
            if stack not in self.stacks:
                raise LookupError(f"unknown stack {stack!r} (the mocks serve: "
                                  f"{', '.join(sorted(self.stacks)) or 'none'})")
            return stack, {"name": stack, "outputs": copy.deepcopy(self.stacks[stack]),
                           "secretOutputNames": list(self.secret_outputs.get(stack, []))}
        revealed = {key: _reveal(value) for key, value in args.inputs.items()}
        self.registered.append(Registered(
            args.typ, args.name, {key: value for key, (value, _) in revealed.items()},
            args.provider or None,
            frozenset(key for key, (_, secret) in revealed.items() if secret)))
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict:
        if args.token in self.calls:
            return self.calls[args.token]
        raise NotImplementedError(f"no mocked answer for invoke {args.token}")

    def of_type(self, type_: str) -> list[Registered]:
        return [r for r in self.registered if r.type == type_]

    def named(self, name: str) -> Registered:
        matches = [r for r in self.registered if r.name == name]
        if len(matches) != 1:
            raise KeyError(f"{len(matches)} resources are named {name!r}: "
                           f"{[r.name for r in self.registered]}")
        return matches[0]


def provider_input(registered: Registered, key: str) -> Any:
    """A provider input as a value: the engine hands provider inputs over as JSON strings."""
    value = registered.inputs.get(key)
    if isinstance(value, str) and value[:1] in "[{":
        return json.loads(value)
    return value


MANAGEMENT_ACCOUNT_ID = "111111111111"
ORGANIZATION_ID = "o-exampleorg1"


def sample_outputs(*, accounts: dict[str, str | None] | None = None,
                   management: str = "master", role_name: str = "OrganizationAccountAccessRole",
                   partition: str = "aws") -> dict[str, Any]:
    """Outputs shaped like a landing-zone stack's (docs/dev/contracts.md), with fake ids.

    `accounts` maps account key -> OU key (None = the root); by default the example
    organization: master, log_archive, security_tooling, shared_services, dev, test, prod.
    """
    accounts = accounts if accounts is not None else {
        "master": None, "log_archive": "security", "security_tooling": "security",
        "shared_services": "infrastructure", "dev": "dev", "test": "test", "prod": "prod"}
    ids = {key: MANAGEMENT_ACCOUNT_ID if key == management else f"{200000000000 + i:012d}"
           for i, key in enumerate(sorted(accounts))}
    org = ORGANIZATION_ID
    parents = {"dev": "workloads", "test": "workloads", "prod": "workloads"}
    ous = sorted({ou for ou in accounts.values() if ou} | {parents[o] for o in accounts.values()
                                                              if o in parents})
    return {
        "organization_id": org,
        "root_id": "r-ex01",
        "management_account_id": ids.get(management, MANAGEMENT_ACCOUNT_ID),
        "account_role_name": role_name,
        "accounts": {key: {
            "id": ids[key],
            "arn": f"arn:{partition}:organizations::{MANAGEMENT_ACCOUNT_ID}:account/{org}/{ids[key]}",
            "name": key.replace("_", " ").title(), "email": f"owner+{key}@example.invalid",
            "ou": ou, "adopted": key == management} for key, ou in accounts.items()},
        "organizational_units": {ou: {"id": f"ou-ex01-{i:08d}", "parent": parents.get(ou)}
                                 for i, ou in enumerate(ous)},
        "state_backend": {
            "bucket": "acme-lz-pulumi-state", "account": "shared_services",
            "kms_key_arn": f"arn:{partition}:kms:us-east-1:{ids.get('shared_services', '')}:key/example",
            "kms_alias": "alias/acme-lz-pulumi-state",
            "backend_url": "s3://acme-lz-pulumi-state?region=us-east-1&awssdk=v2",
            "secrets_provider": "awskms://alias/acme-lz-pulumi-state?region=us-east-1"},
        "access_log_buckets": {key: f"acme-lz-{key.replace('_', '-')}-s3-access-logs"
                               for key in accounts},
        "sso": {"instance_arn": "arn:aws:sso:::instance/ssoins-example0000001",
                "identity_store_id": "d-9067example",
                "start_url": "https://d-9067example.awsapps.com/start",
                "permission_sets": {
                    "admin": "arn:aws:sso:::permissionSet/ssoins-example0000001/ps-admin0000000001",
                    "deployer": "arn:aws:sso:::permissionSet/ssoins-example0000001/ps-deploy000000001"},
                "groups": {}, "users": {}, "assignments": []},
        "audit": None,
        "guardrails": {},
        "guardduty": None,
        "access_analyzer": None,
    }
