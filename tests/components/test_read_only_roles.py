"""The read-only roles of CI previews: one per member account the program reaches (the key
accounts: docs/scale.md), through
that account's provider, with ReadOnlyAccess, trusted by the preview role only (what that
trust admits is the evaluator's to show: tests/policies/test_who_can_do_what.py)."""

from __future__ import annotations

from components.read_only_roles import TYPE

ROLE = "aws:iam/role:Role"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
MEMBERS = ["log_archive", "security_tooling", "shared_services"]


def test_one_read_only_role_per_member_account_through_its_provider(inventory, find):
    component = find.one(TYPE, "read-only")
    roles = {r.name: r for r in find.within(component, ROLE)}
    assert sorted(roles) == [f"read-only-{key}" for key in MEMBERS]
    for key in MEMBERS:
        role = roles[f"read-only-{key}"]
        assert role.inputs["name"] == "landing-zone-read-only", role.urn
        assert find.provider_of(role).name == f"account-access-{key}", role.urn
        attachment = find.one(ATTACHMENT, f"read-only-{key}-read-only-access")
        assert attachment.inputs["policyArn"] == "arn:aws:iam::aws:policy/ReadOnlyAccess"
        assert find.provider_of(attachment).name == f"account-access-{key}", attachment.urn
        if not inventory.preview:
            management = inventory.outputs["management_account_id"]
            [trust] = find.policy(role, "assumeRolePolicy")["Statement"]
            assert trust["Principal"] == {"AWS": f"arn:aws:iam::{management}:root"}
            assert trust["Condition"] == {"ArnLike": {
                "aws:PrincipalArn": f"arn:aws:iam::{management}:role/landing-zone-ci-preview"}}


def test_without_a_preview_role_there_are_none(example_with):
    inventory = example_with(account_access={"preview_role": None})
    assert not [r for r in inventory.of_type(ROLE) if r.name.startswith("read-only")]
