"""The example organization's program, run once per mode and shared by every component test.

`inventory` is parametrized: each test that uses it runs in update mode (ids and computed
outputs known) and in preview mode (ids of new resources unknown, as `pulumi preview` on a
fresh organization). Both runs are cached for the session, so the suite stays fast.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from cli.offline import Inventory, Registration
from cli.plan import run_program
from config import LandingZoneConfig, load

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_CONFIG = REPO_ROOT / "config" / "organization.yaml"
METASTRUCTURE_CONFIG = REPO_ROOT.parent / "shared" / "fixtures" / "metastructure" / "metastructure.yml"
MODES = ("update", "preview")


def load_config(path: Path) -> LandingZoneConfig:
    return load(path, use_local=False).config


@pytest.fixture(scope="session")
def example_config() -> LandingZoneConfig:
    return load_config(EXAMPLE_CONFIG)


@pytest.fixture(scope="session")
def inventories(example_config) -> dict[str, Inventory]:
    return {mode: run_program(example_config, preview=mode == "preview") for mode in MODES}


@pytest.fixture(params=MODES)
def inventory(request, inventories) -> Inventory:
    return inventories[request.param]


@pytest.fixture(scope="session")
def update_inventory(inventories) -> Inventory:
    return inventories["update"]


class Find:
    """Lookups that fail with the URNs they saw, so a failing test says what was there."""

    def __init__(self, inventory: Inventory) -> None:
        self.inventory = inventory

    def one(self, type_: str, name: str) -> Registration:
        matches = [r for r in self.inventory.of_type(type_) if r.name == name]
        assert len(matches) == 1, (f"expected one {type_} named {name}, found "
                                   f"{[r.urn for r in self.inventory.of_type(type_)]}")
        return matches[0]

    def children(self, parent: Registration, type_: str | None = None) -> list[Registration]:
        return [r for r in self.inventory.children(parent) if type_ is None or r.type == type_]

    def within(self, ancestor: Registration, type_: str) -> list[Registration]:
        """Every `type_` below `ancestor`, however deep."""
        return [r for r in self.inventory.of_type(type_)
                if ancestor in self.inventory.ancestors(r)]

    def provider_of(self, reg: Registration) -> Registration:
        assert reg.provider in self.inventory.by_urn, f"{reg.urn} has no registered provider"
        return self.inventory.by_urn[reg.provider]

    @staticmethod
    def setting(provider: Registration, key: str):
        """Provider inputs reach the engine as JSON strings; decode the structured ones."""
        value = provider.inputs.get(key)
        return json.loads(value) if isinstance(value, str) and value[:1] in "[{" else value

    @staticmethod
    def policy(reg: Registration, key: str = "policy") -> dict:
        """A policy input as a document (it must be valid JSON to get here)."""
        return json.loads(reg.inputs[key])


@pytest.fixture
def find(inventory) -> Find:
    return Find(inventory)


@pytest.fixture(scope="session")
def finder() -> type[Find]:
    """For tests that run their own program: `finder(run_program(config))`."""
    return Find


@pytest.fixture(scope="session")
def config_from():
    """A config from a dict, validated by the same loader rules as a file (tmp file)."""
    def make(data: dict, tmp_path: Path) -> LandingZoneConfig:
        path = tmp_path / "organization.yaml"
        path.write_text(json.dumps(data), encoding="utf-8")
        return load_config(path)
    return make


@pytest.fixture(scope="session")
def example_with():
    """The example organization with sections overridden (as stack overrides would), each
    variant run once per session: `example_with(preview=False, audit_logging={...})`."""

    @lru_cache(maxsize=None)
    def run(overrides: str, preview: bool) -> Inventory:
        config = load(EXAMPLE_CONFIG, overrides=json.loads(overrides), use_local=False).config
        return run_program(config, preview=preview)

    return lambda preview=False, **overrides: run(json.dumps(overrides, sort_keys=True), preview)


@pytest.fixture
def example_data() -> dict:
    """The example organization as plain data, a fresh copy to change per test."""
    return yaml.safe_load(EXAMPLE_CONFIG.read_text(encoding="utf-8"))
