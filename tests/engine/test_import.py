"""3e: `./lz import` of an organization made with boto3, then `pulumi up` adopts every OU,
account, group, user, membership, permission set and assignment: imported, none created."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import load
from tests.cli.conftest import Org, _build_landing_zone, _build_organization
from tests.engine.conftest import new_engine
from tests.engine.harness import ROOT, Moto

pytestmark = pytest.mark.engine

IMPORTED = "config/imported.yaml"
ADOPTED = frozenset({
    "aws:organizations/organizationalUnit:OrganizationalUnit",
    "aws:organizations/account:Account",
    "aws:identitystore/group:Group",
    "aws:identitystore/user:User",
    "aws:identitystore/groupMembership:GroupMembership",
    "aws:ssoadmin/permissionSet:PermissionSet",
    "aws:ssoadmin/accountAssignment:AccountAssignment",
})


def test_import_then_up_adopts_and_creates_none(moto: Moto, engine_bin: Path, tmp_path: Path,
                                                monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto.endpoint)  # the builders' boto3 -> the server
    org = Org(load(ROOT / "config" / "organization.yaml").config)
    _build_organization(org, "ALL", ("sso.amazonaws.com",))
    _build_landing_zone(org)

    engine = new_engine(moto, engine_bin, tmp_path)
    engine.lz("import", "--profile", "bootstrap-admin", "--output", IMPORTED,
              "--key-account", "terraform_state=shared_services")
    engine.pulumi("config", "set", "landing-zone:config", IMPORTED)

    preview = engine.pulumi("preview", "--json").json()
    adopted = [s for s in preview["steps"] if (s.get("newState") or {}).get("type") in ADOPTED]
    created = sorted(s["urn"] for s in adopted if s["op"] in ("create", "create-replacement"))
    assert created == []
    imported = {s["newState"]["type"] for s in adopted if s["op"] == "import"}
    assert imported == ADOPTED

    engine.pulumi("up", "--yes", "--skip-preview")
    accounts = moto.client("organizations").list_accounts()["Accounts"]
    assert len(accounts) == len(org.account_ids)  # nothing new in the organization
    engine.pulumi("preview", "--expect-no-changes")
