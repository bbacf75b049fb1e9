"""The OU tree: parents before children, adoption by id, release with `action: remove`."""

from __future__ import annotations

from cli.plan import run_program
from components.organizational_units import TYPE

OU = "aws:organizations/organizationalUnit:OrganizationalUnit"


def test_one_ou_per_config_key_named_after_the_key(example_config, inventory, find):
    component = find.one(TYPE, "ou")
    ous = find.children(component, OU)
    assert sorted(r.name for r in ous) == sorted(f"ou-{k}" for k in example_config.organizational_units)
    for reg in ous:
        key = reg.name.removeprefix("ou-")
        assert reg.inputs["name"] == example_config.organizational_units[key].name, reg.urn
        assert find.provider_of(reg).name == "management", reg.urn
        assert not reg.protect and not reg.retain_on_delete and reg.import_id is None, reg.urn


def test_children_hang_below_their_parent_and_top_level_ous_below_the_root(inventory, find):
    workloads = find.one(OU, "ou-workloads")
    organization = find.one("aws:organizations/organization:Organization", "organization")
    for key in ("dev", "test", "prod"):
        child = find.one(OU, f"ou-{key}")
        assert workloads.urn in child.dependencies, child.urn
        expected = "<unknown>" if inventory.preview else workloads.id
        assert child.inputs["parentId"] == expected, child.urn
    for key in ("infrastructure", "security", "workloads"):
        top = find.one(OU, f"ou-{key}")
        assert top.inputs["parentId"] == inventory.fake.root_id, top.urn
        assert organization.urn in top.dependencies, top.urn


def test_parents_are_registered_before_children(inventory):
    order = [r.name for r in inventory.of_type(OU)]
    assert order.index("ou-workloads") < min(order.index(f"ou-{k}") for k in ("dev", "test", "prod"))


def test_outputs(inventory):
    ous = inventory.outputs["organizational_units"]
    assert {k: v["parent"] for k, v in ous.items()} == {
        "infrastructure": None, "security": None, "workloads": None,
        "dev": "workloads", "test": "workloads", "prod": "workloads"}
    for key, value in ous.items():
        expected = "<unknown>" if inventory.preview else inventory.named(f"ou-{key}").id
        assert value["id"] == expected, key


def test_adopted_and_released_ous(example_data, config_from, tmp_path, finder):
    example_data["organizational_units"]["security"]["id"] = "ou-ab12-cdef3456"
    example_data["organizational_units"]["sandbox"] = {
        "name": "Sandbox", "id": "ou-ab12-aaaa1111", "action": "remove"}
    config = config_from(example_data, tmp_path)
    for preview in (False, True):
        find = finder(run_program(config, preview=preview))
        security = find.one(OU, "ou-security")
        assert security.import_id == "ou-ab12-cdef3456" and security.id == "ou-ab12-cdef3456", security.urn
        assert not security.retain_on_delete, security.urn
        sandbox = find.one(OU, "ou-sandbox")
        assert sandbox.import_id == "ou-ab12-aaaa1111", sandbox.urn
        assert sandbox.retain_on_delete and not sandbox.protect, sandbox.urn
        outputs = find.inventory.outputs["organizational_units"]
        assert outputs["security"]["id"] == "ou-ab12-cdef3456"
        assert "sandbox" not in outputs, "a released OU is no longer exported"
