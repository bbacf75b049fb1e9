"""Member accounts: created or adopted, placed, protected; the management account by lookup;
lifecycle actions as Pulumi flags."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cli.plan import run_program
from components.accounts import TYPE
from config import load

EXAMPLE_CONFIG = Path(__file__).resolve().parents[2] / "config" / "organization.yaml"

ACCOUNT = "aws:organizations/account:Account"
MEMBERS = ("dev", "log_archive", "prod", "security_tooling", "shared_services", "test")


def test_every_member_account_is_created_protected_in_its_ou(example_config, inventory, find):
    component = find.one(TYPE, "account")
    accounts = find.children(component, ACCOUNT)
    assert sorted(r.name for r in accounts) == [f"account-{k}" for k in MEMBERS]
    for reg in accounts:
        account = example_config.accounts[reg.name.removeprefix("account-")]
        assert reg.protect and not reg.retain_on_delete and reg.import_id is None, reg.urn
        assert reg.inputs["name"] == account.name and reg.inputs["email"] == account.email, reg.urn
        assert reg.inputs["roleName"] == "OrganizationAccountAccessRole", reg.urn
        assert "closeOnDeletion" not in reg.inputs, reg.urn
        assert "iamUserAccessToBilling" not in reg.inputs, reg.urn  # it would force a replace
        assert reg.ignore_changes == ("roleName",), reg.urn
        ou = find.one("aws:organizations/organizationalUnit:OrganizationalUnit",
                      f"ou-{account.organizational_unit}")
        assert ou.urn in reg.dependencies, reg.urn
        assert find.provider_of(reg).name == "management", reg.urn


def test_the_management_account_is_adopted_by_lookup_never_registered(inventory, find):
    assert not [r for r in inventory.of_type(ACCOUNT) if r.name == "account-master"]
    master = inventory.outputs["accounts"]["master"]
    fake = inventory.fake
    assert master["id"] == fake.management_account_id
    assert master["adopted"] is True and master["ou"] is None
    assert master["arn"].endswith(f"/{fake.management_account_id}")


def test_accounts_output(example_config, inventory):
    accounts = inventory.outputs["accounts"]
    assert sorted(accounts) == sorted(example_config.accounts)
    for key in MEMBERS:
        account = example_config.accounts[key]
        reg = inventory.named(f"account-{key}")
        expected_id = "<unknown>" if inventory.preview else reg.id
        assert accounts[key] == {
            "id": expected_id, "arn": accounts[key]["arn"], "name": account.name,
            "email": account.email, "ou": account.organizational_unit, "adopted": False}, key
        if not inventory.preview:
            assert accounts[key]["arn"].endswith(f"/{reg.id}"), key


@pytest.fixture(scope="module")
def lifecycle_config(tmp_path_factory):
    """The example org plus one account per lifecycle action and one adopted account."""
    data = yaml.safe_load(EXAMPLE_CONFIG.read_text(encoding="utf-8"))
    extra = {"adopted": {"id": "222222222201"},
             "removed": {"id": "222222222202", "action": "remove"},
             "destroyed": {"id": "222222222203", "action": "destroy"},
             "closed": {"id": "222222222204", "action": "close"},
             "detached": {"action": "detach"}}
    for key, settings in extra.items():
        data["accounts"][key] = {"name": key.title(), "email": f"{key}@example.invalid",
                                 "organizational_unit": "dev", **settings}
    path = tmp_path_factory.mktemp("lifecycle") / "organization.yaml"
    path.write_text(yaml.safe_dump(data))
    return load(path, use_local=False).config


@pytest.fixture(scope="module", params=["update", "preview"])
def lifecycle(request, lifecycle_config):
    return run_program(lifecycle_config, preview=request.param == "preview")


def test_an_account_with_an_id_is_adopted_without_a_role_name(lifecycle):
    adopted = lifecycle.named("account-adopted")
    assert adopted.import_id == "222222222201" and adopted.id == "222222222201", adopted.urn
    assert adopted.protect, adopted.urn
    assert "roleName" not in adopted.inputs, adopted.urn
    assert lifecycle.outputs["accounts"]["adopted"]["adopted"] is True


@pytest.mark.parametrize("key, retain, close", [
    ("removed", True, False), ("destroyed", False, False), ("closed", False, True)])
def test_a_released_account_is_unprotected_with_the_flags_of_its_fate(lifecycle, key, retain, close):
    reg = lifecycle.named(f"account-{key}")
    assert not reg.protect, reg.urn
    assert reg.retain_on_delete is retain, reg.urn
    assert reg.inputs.get("closeOnDeletion", False) is close, reg.urn
    assert reg.import_id is not None, reg.urn


@pytest.mark.parametrize("key", ["removed", "destroyed", "closed"])
def test_nothing_is_left_inside_a_released_account(lifecycle, key):
    names = [r.name for r in lifecycle.registrations]
    assert not [n for n in names if n.startswith((f"account-access-{key}", f"access-logs-{key}"))]
    assert key not in lifecycle.outputs["accounts"]
    assert key not in lifecycle.outputs["access_log_buckets"]


def test_a_detached_account_stays_managed(lifecycle):
    detached = lifecycle.named("account-detached")
    assert detached.protect and not detached.retain_on_delete, detached.urn
    assert "detached" in lifecycle.outputs["access_log_buckets"]
    assert "detached" in lifecycle.outputs["accounts"]
