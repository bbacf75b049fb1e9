"""3a: `pulumi preview` registers exactly what `./lz plan --json` shows for the same config."""

from __future__ import annotations

import shutil

import pytest

from cli.offline.mocks import FakeAws
from tests.engine.harness import Engine, Moto, metastructure_fixture

pytestmark = pytest.mark.engine

EXAMPLE = "config/organization.yaml"


def engine_registrations(preview: dict) -> dict[str, tuple]:
    """URN -> (type, parent, provider URN, protect, retain, import id) from `preview --json`."""
    found = {}
    for step in preview["steps"]:
        state = step.get("newState") or {}
        if state.get("type") == "pulumi:pulumi:Stack":
            continue
        provider = state.get("provider")
        found[step["urn"]] = (state["type"], state.get("parent"),
                              provider.rsplit("::", 1)[0] if provider else None,
                              bool(state.get("protect")), bool(state.get("retainOnDelete")),
                              state.get("importID") or None)
    return found


def plan_registrations(plan: dict, live: dict[str, str]) -> dict[str, tuple]:
    """The same from the offline plan, its fake ids replaced by the live organization's."""
    def live_id(value):
        return live.get(value, value) if value else None

    return {r["urn"]: (r["type"], r["parent"], r["provider"], bool(r["protect"]),
                       bool(r["retain_on_delete"]), live_id(r["import_id"]))
            for r in plan["resources"]}


def live_ids(moto: Moto) -> dict[str, str]:
    fake = FakeAws()
    organization = moto.client("organizations").describe_organization()["Organization"]
    root = moto.client("organizations").list_roots()["Roots"][0]
    return {fake.organization_id: organization["Id"],
            fake.management_account_id: organization["MasterAccountId"],
            fake.root_id: root["Id"]}


@pytest.mark.parametrize("config", ["example", "metastructure"])
def test_preview_registers_what_the_offline_plan_shows(engine: Engine, moto: Moto, config):
    path = EXAMPLE
    if config == "metastructure":
        path = "metastructure.yml"
        shutil.copy2(metastructure_fixture(), engine.project / path)
        engine.pulumi("config", "set", "landing-zone:config", path)

    preview = engine.pulumi("preview", "--json").json()
    plan = engine.lz("plan", "--preview", "--no-local", path, "--json").json()

    from_engine = engine_registrations(preview)
    from_plan = plan_registrations(plan, live_ids(moto))
    assert sorted(set(from_engine) - set(from_plan)) == []
    assert sorted(set(from_plan) - set(from_engine)) == []
    differing = {urn: (from_plan[urn], from_engine[urn]) for urn in from_plan
                 if from_plan[urn] != from_engine[urn]}
    assert differing == {}, "\n".join(f"{urn}\n  plan   {p}\n  engine {e}"
                                       for urn, (p, e) in differing.items())
    assert any(values[5] for values in from_engine.values()), "the organization is adopted"
