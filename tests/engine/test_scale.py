"""3h: how many provider plugin processes `pulumi up` keeps alive at once, for the example
organization and generated ones of 10 and 50 accounts (pulumi/pulumi#19534: provider processes
live for the whole update). Issue 13's claim: the same number whatever the organization's size,
and the number `./lz plan` prints (tests/cli/test_plan_providers.py)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import yaml

from tests.engine.conftest import new_engine, new_organization
from tests.engine.harness import Engine, Moto

pytestmark = pytest.mark.engine

CONFIG = "config/organization.yaml"


class PluginCounter:
    """Samples /proc while a command runs; the peak count of each kind of plugin process.

    Only processes of this engine count: their environment holds its `PULUMI_HOME` (other
    checkouts on the machine may run the engine suite at the same time)."""

    KINDS = {"aws": b"aws_provider.py", "dynamic": b"pulumi.dynamic"}

    def __init__(self, engine: Engine) -> None:
        self.ours = f"PULUMI_HOME={engine.env['PULUMI_HOME']}".encode() + b"\0"
        self.peak = dict.fromkeys(self.KINDS, 0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            counts = dict.fromkeys(self.KINDS, 0)
            for process in Path("/proc").glob("[0-9]*"):
                try:
                    cmdline = (process / "cmdline").read_bytes()
                    if not any(marker in cmdline for marker in self.KINDS.values()):
                        continue
                    environ = (process / "environ").read_bytes() + b"\0"
                except OSError:  # the process ended between listing and reading
                    continue
                if self.ours not in environ or cmdline.startswith(b"/bin/sh"):
                    continue
                for kind, marker in self.KINDS.items():
                    counts[kind] += marker in cmdline
            self.peak = {k: max(self.peak[k], counts[k]) for k in counts}

    def __enter__(self) -> PluginCounter:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()


def generated_org(accounts: int):
    """The example with member accounts added under the dev OU up to `accounts` in all (0:
    the example as it is)."""
    def edit(document):
        extra = accounts - len(document["accounts"])
        for index in range(extra):
            key = f"generated_{index:02d}"
            document["accounts"][key] = {
                "name": f"Generated {index:02d}", "organizational_unit": "dev",
                "email": f"platform-team+acme-lz-{key.replace('_', '-')}@example.invalid"}
        return document
    return edit


def plan_processes(engine: Engine) -> dict:
    """What `./lz plan` says `pulumi up` starts."""
    plan = engine.lz("plan", "--no-local", CONFIG, "--json").json()
    return plan["summary"]["provider_processes"]


def measure_up(moto: Moto, engine_bin: Path, workdir: Path, accounts: int) -> dict:
    """`pulumi up` of the example grown to `accounts` accounts on a fresh organization; the
    plan's process counts and the measured peaks, printed."""
    moto.reset()
    new_organization(moto)
    engine = new_engine(moto, engine_bin, workdir)
    path = engine.project / CONFIG
    document = generated_org(accounts)(yaml.safe_load(path.read_text()))
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    planned = plan_processes(engine)
    with PluginCounter(engine) as counter:
        engine.pulumi("up", "--yes", "--skip-preview", timeout=3000)
    print(f"\n[3h] {len(document['accounts'])} accounts: `./lz plan` says {planned['aws']} aws "
          f"provider process(es) + {planned['dynamic']} dynamic; measured peak during `pulumi up`: "
          f"{counter.peak['aws']} aws provider process(es), {counter.peak['dynamic']} dynamic "
          "provider process(es)")
    return {"planned": (planned["aws"], planned["dynamic"]),
            "peak": (counter.peak["aws"], counter.peak["dynamic"])}


def test_the_example_runs_the_processes_the_plan_counts(moto: Moto, engine_bin: Path,
                                                         tmp_path: Path, capsys):
    with capsys.disabled():
        example = measure_up(moto, engine_bin, tmp_path, 0)
    assert example["peak"] == example["planned"]


def test_peak_provider_processes_are_the_same_for_10_and_50_accounts(
        moto: Moto, engine_bin: Path, tmp_path: Path, capsys):
    with capsys.disabled():
        small, large = (measure_up(moto, engine_bin, tmp_path / str(n), n) for n in (10, 50))
    assert small["peak"] == large["peak"] == small["planned"] == large["planned"]
