"""`./lz plan --diagram`: who gets which permission sets in which accounts."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.plan.diagram import organization_diagram
from config import load
from config.model import LandingZoneConfig

METASTRUCTURE = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "metastructure" / "metastructure.yml"
ACCOUNTS = ("dev", "log_archive", "master", "prod", "shared_services", "test")

ORG = {
    "organization": {"aws_region": "us-east-1", "key_accounts": {"master": "master"}},
    "organizational_units": {"work": {"name": "Work"}},
    "accounts": {
        "master": {"name": "Management", "email": "m@example.invalid"},
        "app": {"name": "App", "email": "app@example.invalid", "organizational_unit": "work"},
        "legacy": {"name": "Legacy", "email": "l@example.invalid", "organizational_unit": "work",
                   "action": "detach"},
    },
    "sso": {
        "permission_sets": {"deployer": {"name": "Deployer"}, "viewer": {"name": "Viewer"}},
        "groups": {
            "devs": {"name": "Developers", "account_permission_sets": {"ou:work": ["deployer", "viewer"]}},
            "old": {"name": "Old", "account_permission_sets": "viewer", "action": "remove"},
        },
        "users": {"jane": {"email": "j@example.invalid", "groups": ["devs", "old"],
                           "name": {"given_name": "Jane", "family_name": "Doe"},
                           "account_permission_sets": {"master": "viewer"}}},
    },
}


def test_metastructure_groups_reach_every_active_account():
    if not METASTRUCTURE.is_file():  # it lives beside the repository, never in it
        pytest.skip(f"the Metastructure fixture is not here: {METASTRUCTURE}")
    chart = organization_diagram(load(METASTRUCTURE).config).splitlines()
    assert '  group_terraform_admin{{"TerraformAdmin<br/>group terraform_admin"}}' in chart
    assert '  user_test(["Test User<br/>user test"])' in chart
    assert '  user_test -.->|"member"| group_terraform_admin' in chart
    grants = [line for line in chart if line.startswith("  group_") and "-->" in line]
    assert sorted(grants) == sorted(
        f'  group_{g} -->|"{name}"| account_{a}' for a in ACCOUNTS
        for g, name in (("terraform_admin", "TerraformAdmin"),
                        ("terraform_deployment", "TerraformDeployment")))


def test_one_edge_per_principal_and_account_with_every_set_granted_there():
    chart = organization_diagram(LandingZoneConfig.model_validate(ORG)).splitlines()
    assert '  group_devs -->|"Deployer, Viewer"| account_app' in chart
    assert '  user_jane -->|"Viewer"| account_master' in chart
    assert '  user_jane -.->|"member"| group_devs' in chart
    # The detached account and the released group get no edges; the group is not drawn.
    assert not [line for line in chart if "account_legacy" in line and "-->|" in line]
    assert not [line for line in chart if "group_old" in line]
