"""Runs a program under the recording mocks and returns what it registered."""

from __future__ import annotations

import gc
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import pulumi
from pulumi.runtime import resource as resource_runtime
from pulumi.runtime import settings
from pulumi.runtime.proto import source_pb2

from cli.offline.mocks import UNKNOWN, FakeAws, RecordingMocks, RecordingMonitor, Registration, _plain

PROJECT = "landing-zone"
STACK = "bootstrap"


@dataclass
class Inventory:
    """Everything one offline run registered, with lookups tests and `./lz plan` share."""

    registrations: list[Registration]
    outputs: dict[str, Any]
    preview: bool
    fake: FakeAws
    stack: str = STACK
    registered_outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    """What each component passed to `register_outputs`, by URN."""
    by_urn: dict[str, Registration] = field(init=False)

    def __post_init__(self) -> None:
        self.by_urn = {r.urn: r for r in self.registrations}

    def of_type(self, type_: str) -> list[Registration]:
        return [r for r in self.registrations if r.type == type_]

    def named(self, name: str) -> Registration:
        matches = [r for r in self.registrations if r.name == name]
        if len(matches) != 1:
            raise KeyError(f"{len(matches)} resources are named {name!r}")
        return matches[0]

    def children(self, parent: Registration) -> list[Registration]:
        return [r for r in self.registrations if r.parent == parent.urn]

    def ancestors(self, reg: Registration) -> list[Registration]:
        out = []
        while reg.parent and reg.parent in self.by_urn:
            reg = self.by_urn[reg.parent]
            out.append(reg)
        return out

    def depends_on(self, reg: Registration, other: Registration) -> bool:
        """Direct or transitive dependency, as the engine orders operations."""
        seen, todo = set(), list(reg.dependencies)
        if reg.provider:
            todo.append(reg.provider)
        while todo:
            urn = todo.pop()
            if urn == other.urn:
                return True
            if urn in seen or urn not in self.by_urn:
                continue
            seen.add(urn)
            dep = self.by_urn[urn]
            todo.extend(dep.dependencies)
            if dep.provider:
                todo.append(dep.provider)
        return False


def run_offline(program: Callable[[], Any], *, preview: bool = False, fake: FakeAws | None = None,
                config: dict[str, Any] | None = None, stack: str = STACK) -> Inventory:
    """Run `program` (it registers resources and returns the stack outputs) offline."""
    fake = fake or FakeAws()
    mocks = RecordingMocks(fake, preview)
    monitor = RecordingMonitor(mocks)
    settings.set_root_resource(None)  # a fresh stack per run, not the previous run's
    pulumi.runtime.set_all_config({k: v if isinstance(v, str) else json.dumps(v)
                                   for k, v in (config or {}).items()})
    pulumi.runtime.set_mocks(mocks, project=PROJECT, stack=stack, preview=preview, monitor=monitor)
    captured: dict[str, Any] = {"outputs": {}}

    def main():
        outputs = program() or {}

        async def settle() -> None:
            captured["outputs"] = await _settled(outputs)
        return pulumi.Output.from_input(settle())

    with _no_cyclic_gc(), _no_source_positions():
        pulumi.runtime.test(main)()
    return Inventory(registrations=list(monitor.registrations.values()),
                     outputs=_plain(captured["outputs"]), preview=preview, fake=fake, stack=stack,
                     registered_outputs=monitor.registered_outputs)


async def _settled(value: Any) -> Any:
    """`value` with each Output replaced by its value, UNKNOWN where it is not known: leaf by
    leaf, so a preview with unknown ids still shows every known part of the outputs. Awaited
    in place, not through an `apply` per leaf: an apply is one more tracked Output and task
    for each of the thousands of leaves a large organization's outputs have."""
    if isinstance(value, dict):
        return {key: await _settled(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [await _settled(item) for item in value]
    if isinstance(value, pulumi.Output):
        return await value.future(with_unknowns=True) if await value.is_known() else UNKNOWN
    return value


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """The runtime keeps every Output and future of a run alive until the run ends, so each
    full collection walks a heap that grows with the program: quadratic in its size. Nothing
    needs freeing before the end (benchmarks/plan_scale.py: 300 accounts plan 2.4x faster,
    peak memory +6%)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _no_source_positions() -> Iterator[None]:
    """At every registration the SDK walks and formats the whole Python stack to send the
    engine source positions (`_get_stack_trace` in pulumi/runtime/resource.py); the mock
    monitor drops them. That walk was a sixth of the plan of 1,000 accounts
    (benchmarks/plan_scale.py), and grows with how deep components nest."""
    original = resource_runtime._get_stack_trace
    resource_runtime._get_stack_trace = source_pb2.StackTrace
    try:
        yield
    finally:
        resource_runtime._get_stack_trace = original
