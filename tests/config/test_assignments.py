"""`account_permission_sets` in its three shapes, expanded to (principal, account, set)."""

from __future__ import annotations

from config.assignments import (
    assignments,
    aws_managed_policy_arn,
    aws_managed_policy_arns,
    customer_policy_refs,
    target_accounts,
)
from config.model import LandingZoneConfig

ORG = {
    "organization": {"aws_region": "us-east-1", "key_accounts": {"master": "master"}},
    "organizational_units": {"work": {"name": "Work"}, "dev": {"name": "Dev", "parent": "work"}},
    "accounts": {
        "master": {"name": "M", "email": "m@example.com"},
        "app": {"name": "App", "email": "app@example.com", "organizational_unit": "work"},
        "sandbox": {"name": "Sandbox", "email": "sb@example.com", "organizational_unit": "dev"},
        "legacy": {"name": "Legacy", "email": "l@example.com", "organizational_unit": "dev",
                   "action": "detach"},
        "gone": {"name": "Gone", "email": "g@example.com", "id": "123456789012",
                 "action": "remove"},
    },
    "sso": {
        "permission_sets": {"admin": {"name": "Admin", "policies": ["AdministratorAccess", "state"]},
                            "dev": {"name": "Dev", "policies": "state"},
                            "read": {"name": "Read"}},
        "policies": {"state": {"name": "State", "document": {"Statement": []}}},
        "groups": {
            "admins": {"name": "Admins", "account_permission_sets": "admin"},
            "devs": {"name": "Devs", "account_permission_sets": {"ou:dev": ["dev", "read"],
                                                                 "app": "read"}},
            "old": {"name": "Old", "account_permission_sets": ["read"], "action": "remove"},
        },
        "users": {"jane": {"email": "j@example.com", "name": {"given_name": "J", "family_name": "D"},
                           "account_permission_sets": {"*": "read"}}},
    },
}


def test_three_shapes_normalize_to_a_target_map():
    groups = LandingZoneConfig.model_validate(ORG).sso.groups
    assert groups["admins"].account_permission_sets == {"*": ["admin"]}
    assert groups["old"].account_permission_sets == {"*": ["read"]}
    assert groups["devs"].account_permission_sets == {"ou:dev": ["dev", "read"], "app": ["read"]}


def test_assignments_skip_released_and_detached_accounts_and_removed_principals():
    config = LandingZoneConfig.model_validate(ORG)
    assert [(a.principal_type, a.principal, a.account, a.permission_set)
            for a in assignments(config)] == [
        ("GROUP", "admins", "app", "admin"), ("GROUP", "admins", "master", "admin"),
        ("GROUP", "admins", "sandbox", "admin"),
        ("GROUP", "devs", "app", "read"), ("GROUP", "devs", "sandbox", "dev"),
        ("GROUP", "devs", "sandbox", "read"),
        ("USER", "jane", "app", "read"), ("USER", "jane", "master", "read"),
        ("USER", "jane", "sandbox", "read"),
    ]


def test_targets():
    config = LandingZoneConfig.model_validate(ORG)
    assert target_accounts(config, "ou:work") == ["app", "sandbox"]
    assert target_accounts(config, "ou:work", include_detached=True) == ["app", "legacy", "sandbox"]
    assert target_accounts(config, "ou:nowhere") == []
    assert target_accounts(config, "gone") == []


def test_aws_managed_policy_arn():
    assert aws_managed_policy_arn("AdministratorAccess") == "arn:aws:iam::aws:policy/AdministratorAccess"
    assert aws_managed_policy_arn("job-function/ViewOnlyAccess") == (
        "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess")
    assert aws_managed_policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess") == (
        "arn:aws:iam::aws:policy/ReadOnlyAccess")


def test_policies_of_a_permission_set_split_into_aws_managed_and_customer():
    data = {**ORG, "sso": {**ORG["sso"], "permission_sets": {
        "ops": {"name": "Ops", "permissions_boundary": "PowerUserAccess",
                "policies": ["ReadOnlyAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess",
                             "job-function/ViewOnlyAccess", "state"]},
        "admin": {"name": "Admin", "permissions_boundary": "PowerUserAccess"}}}}
    config = LandingZoneConfig.model_validate(data)
    # The same policy named twice is attached once.
    assert aws_managed_policy_arns(config, "ops") == [
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"]
    assert customer_policy_refs(config, "ops") == ["state"]
    # An AWS-managed boundary is neither attached nor a customer policy.
    assert aws_managed_policy_arns(config, "admin") == []
    assert customer_policy_refs(config, "admin") == []


