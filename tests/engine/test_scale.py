"""3h: how many provider plugin processes `pulumi up` keeps alive at once, for the example
organization and a generated 50-account one (pulumi/pulumi#19534: provider processes live for
the whole update)."""

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
    """Samples /proc while a command runs; the peak count of each kind of plugin process."""

    KINDS = {"aws": "aws_provider.py", "dynamic": "pulumi.dynamic"}

    def __init__(self) -> None:
        self.peak = dict.fromkeys(self.KINDS, 0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            counts = dict.fromkeys(self.KINDS, 0)
            for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
                try:
                    text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
                except OSError:  # the process ended between listing and reading
                    continue
                for kind, marker in self.KINDS.items():
                    counts[kind] += marker in text and "/bin/sh" not in text
            self.peak = {k: max(self.peak[k], counts[k]) for k in counts}

    def __enter__(self) -> PluginCounter:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()


def generated_org(accounts: int):
    """The example with member accounts added under the dev OU up to `accounts` in all."""
    def edit(document):
        extra = accounts - len(document["accounts"])
        for index in range(extra):
            key = f"generated_{index:02d}"
            document["accounts"][key] = {
                "name": f"Generated {index:02d}", "organizational_unit": "dev",
                "email": f"platform-team+acme-lz-{key.replace('_', '-')}@example.invalid"}
        return document
    return edit


def plan_providers(engine: Engine) -> int:
    plan = engine.lz("plan", "--no-local", CONFIG, "--json").json()
    return sum(r["type"] == "pulumi:providers:aws" for r in plan["resources"])


@pytest.mark.parametrize("accounts", [6, 50])
def test_peak_provider_processes_during_up(moto: Moto, engine_bin: Path, tmp_path: Path,
                                           accounts: int, capsys):
    new_organization(moto)
    engine = new_engine(moto, engine_bin, tmp_path)
    path = engine.project / CONFIG
    path.write_text(yaml.safe_dump(generated_org(accounts)(yaml.safe_load(path.read_text())),
                                   sort_keys=False))
    providers = plan_providers(engine)
    with PluginCounter() as counter:
        engine.pulumi("up", "--yes", "--skip-preview", timeout=3000)
    with capsys.disabled():
        print(f"\n[3h] {accounts} accounts: {providers} aws providers in the program; peak "
              f"{counter.peak['aws']} aws provider processes, {counter.peak['dynamic']} "
              "dynamic provider processes during `pulumi up`")
    # At least one process per provider configuration, all alive at once (pulumi/pulumi#19534);
    # the measured peak is printed above and recorded in docs/testing.md.
    assert counter.peak["aws"] >= providers
