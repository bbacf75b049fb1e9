"""Guardrails under Pulumi's mocks: which SCPs the example organization gets, their exact
documents, where they are attached, in update and preview mode; built-ins sharing an SCP per
target, custom SCPs on OUs and accounts, the region deny, and switching guardrails off."""

from __future__ import annotations

import json

import pytest
import yaml

from cli.offline import FakeAws, Inventory, Registration
from cli.offline.mocks import UNKNOWN
from components.policies import scps
from cli.plan import run_program
from components.tags import MANAGED_TAG_KEY, MANAGED_TAG_VALUE
from config import load

FAKE = FakeAws()
POLICY = "aws:organizations/policy:Policy"
ATTACHMENT = "aws:organizations/policyAttachment:PolicyAttachment"
ROLE = "OrganizationAccountAccessRole"
DEFAULT_SHARED = ["deny_leaving_organization", "deny_root_user", "deny_unencrypted_volumes",
                  "protect_account_access_role", "protect_audit_logging", "protect_state_backend"]
SERVICES = "protect_security_services"
DEFAULT_ON = [*DEFAULT_SHARED, SERVICES]
ORGANIZATION = "aws:organizations/organization:Organization"
S3_POLICY = "guardrails-s3-block-public-access"
CUSTOM = {"Version": "2012-10-17", "Statement": [
    {"Sid": "DenyLargeInstances", "Effect": "Deny", "Action": "ec2:RunInstances",
     "Resource": "arn:aws:ec2:*:*:instance/*",
     "Condition": {"StringLike": {"ec2:InstanceType": ["*.8xlarge", "*.metal"]}}}]}


@pytest.fixture
def plan(example_with):
    return example_with


def policies(inv: Inventory) -> dict[str, Registration]:
    """The SCPs (the access-role RCP has its own tests)."""
    return {r.name.removeprefix("guardrails-"): r for r in inv.of_type(POLICY)
            if r.inputs["type"] == "SERVICE_CONTROL_POLICY"}


def attachments(inv: Inventory, policy: Registration) -> list[Registration]:
    return [r for r in inv.children(policy) if r.type == ATTACHMENT]


def test_the_example_gets_the_default_guardrails_in_two_scps_on_the_root(plan):
    """Six built-ins share one SCP, the security services' protection (its size grows with the
    services on) has its own: two of the root's four free SCP slots (AWS's FullAWSAccess is
    the fifth)."""
    inv = plan()
    assert sorted(policies(inv)) == ["builtin-root", SERVICES]
    policy = policies(inv)["builtin-root"]
    assert policy.inputs["type"] == "SERVICE_CONTROL_POLICY"
    assert policy.inputs["name"] == "acme-lz-guardrails-root"
    assert policy.inputs["description"] == "landing-zone guardrails: " + ", ".join(DEFAULT_SHARED)
    assert policy.provider.endswith("::management"), policy.urn
    tags = json.loads(inv.by_urn[policy.provider].inputs["defaultTags"])["tags"]
    assert tags[MANAGED_TAG_KEY] == MANAGED_TAG_VALUE  # SCPs carry the landing-zone tag too
    [attachment] = attachments(inv, policy)
    assert attachment.inputs == {"policyId": policy.id, "targetId": inv.outputs["root_id"]}
    assert attachment.provider == policy.provider
    own = policies(inv)[SERVICES]
    assert inv.outputs["guardrails"] == {
        "builtin:root": {"id": policy.id, "name": "acme-lz-guardrails-root",
                         "guardrails": DEFAULT_SHARED, "targets": ["root"]},
        SERVICES: {"id": own.id, "name": "acme-lz-protect-security-services",
                   "guardrails": [SERVICES], "targets": ["root"]}}


def test_policies_wait_for_the_organization_and_its_scp_policy_type(plan):
    inv = plan(guardrails={"custom": {"deny_large_instances": {"document": CUSTOM,
                                                               "targets": "root"}}})
    [organization] = inv.of_type(ORGANIZATION)
    assert len(policies(inv)) == 3
    for policy in policies(inv).values():
        assert organization.urn in policy.dependencies, policy.urn


def test_the_shared_document_is_the_library_documents_with_the_real_arns(plan):
    inv = plan()
    audit = inv.outputs["audit"]
    document = json.loads(policies(inv)["builtin-root"].inputs["content"])
    state = inv.outputs["state_backend"]
    context = scps.GuardrailContext(
        access_role_name=ROLE, trail_arn=audit["trail_arn"],
        audit_bucket_arn=f"arn:aws:s3:::{audit['bucket']}", audit_key_arn=audit["kms_key_arn"],
        state_bucket_arn=f"arn:aws:s3:::{state['bucket']}",
        state_key_arns=(state["kms_key_arn"], inv.outputs["landing_zone_state"]["kms_key_arn"]))
    assert document == {"Version": "2012-10-17", "Statement": [
        statement for name in DEFAULT_SHARED
        for statement in scps.BUILDERS[name](context)["Statement"]]}


def test_preview_renders_what_names_no_new_resource(plan):
    moved = {"guardrails": {"builtin": {"deny_root_user": "ou:workloads"}}}
    inv = plan(preview=True, **moved)
    found = policies(inv)
    assert found["builtin-root"].inputs["content"] == UNKNOWN  # names the new log key
    assert json.loads(found["builtin-ou-workloads"].inputs["content"]) == \
        scps.deny_root_user(scps.GuardrailContext(access_role_name=ROLE))
    [attachment] = attachments(inv, found["builtin-root"])
    assert attachment.inputs == {"policyId": UNKNOWN, "targetId": FAKE.root_id}
    assert {r.urn for r in inv.registrations} == {r.urn for r in plan(**moved).registrations}


def test_custom_guardrails_attach_to_ous_and_accounts(plan):
    inv = plan(guardrails={"custom": {"deny_large_instances": {
        "description": "No large instances in workloads.", "document": CUSTOM,
        "targets": ["ou:workloads", "dev"]}}})
    policy = policies(inv)["deny_large_instances"]
    assert policy.inputs["name"] == "acme-lz-deny-large-instances"
    assert policy.inputs["description"] == "No large instances in workloads."
    assert json.loads(policy.inputs["content"]) == CUSTOM
    targets = {a.name: a.inputs["targetId"] for a in attachments(inv, policy)}
    assert targets == {
        "guardrails-deny_large_instances-ou-workloads":
            inv.outputs["organizational_units"]["workloads"]["id"],
        "guardrails-deny_large_instances-account-dev": inv.outputs["accounts"]["dev"]["id"]}


def test_built_ins_share_one_scp_per_target(plan):
    inv = plan(guardrails={"builtin": {"deny_root_user": ["ou:workloads", "ou:infrastructure"]}})
    found = policies(inv)
    assert sorted(found) == ["builtin-ou-infrastructure", "builtin-ou-workloads", "builtin-root",
                             SERVICES]
    assert found["builtin-root"].inputs["description"].endswith(
        "deny_leaving_organization, deny_unencrypted_volumes, protect_account_access_role, "
        "protect_audit_logging, protect_state_backend")
    for ou in ("workloads", "infrastructure"):
        policy = found[f"builtin-ou-{ou}"]
        assert policy.inputs["name"] == f"acme-lz-guardrails-ou-{ou}"
        [attachment] = attachments(inv, policy)
        assert attachment.inputs["targetId"] == inv.outputs["organizational_units"][ou]["id"]


def test_the_region_deny_is_off_by_default_and_gets_an_scp_of_its_own(plan):
    assert "deny_unapproved_regions" not in policies(plan())
    inv = plan(guardrails={"builtin": {"deny_unapproved_regions": ["ou:workloads", "dev"]},
                           "allowed_regions": ["us-east-1", "eu-west-1"]})
    policy = policies(inv)["deny_unapproved_regions"]
    assert policy.inputs["name"] == "acme-lz-deny-unapproved-regions"
    assert json.loads(policy.inputs["content"]) == scps.deny_unapproved_regions(
        scps.GuardrailContext(access_role_name=ROLE, allowed_regions=("us-east-1", "eu-west-1")))
    assert len(attachments(inv, policy)) == 2


@pytest.mark.parametrize("overrides", [
    {"guardrails": {"enabled": False}},
    {"guardrails": {"builtin": {k: [] for k in DEFAULT_ON}}},
], ids=["disabled", "every-built-in-off"])
def test_switched_off_there_are_no_scps(plan, overrides):
    inv = plan(**overrides)
    assert not policies(inv)
    s3 = [] if overrides["guardrails"].get("enabled") is False else [f"{S3_POLICY}-root"]
    [guardrails] = inv.of_type("landing-zone:guardrails:Guardrails")
    assert sorted(r.name for r in inv.of_type(ATTACHMENT) if guardrails in inv.ancestors(r)) == \
        sorted(["guardrails-access-role-rcp-root", *s3])
    assert inv.outputs["guardrails"] == {}


def test_only_the_operators_may_assume_the_access_role_an_rcp_on_the_root(plan):
    inv = plan()
    [rcp] = [r for r in inv.of_type(POLICY) if r.inputs["type"] == "RESOURCE_CONTROL_POLICY"]
    assert rcp.inputs["name"] == "acme-lz-account-access-role", rcp.urn
    [attachment] = attachments(inv, rcp)
    assert attachment.inputs["targetId"] == "r-ex01", attachment.urn
    management = inv.outputs["management_account_id"]
    assert json.loads(rcp.inputs["content"])["Statement"] == [{
        "Sid": "OnlyOperatorsAssumeTheAccountAccessRole", "Effect": "Deny", "Principal": "*",
        "Action": ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"],
        "Resource": "arn:aws:iam::*:role/OrganizationAccountAccessRole",
        "Condition": {"ArnNotLike": {"aws:PrincipalArn": [
            f"arn:aws:iam::{management}:user/bootstrap-admin",
            f"arn:aws:iam::{management}:role/landing-zone-ci-deploy"]}}}]


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_s3_block_public_access_is_an_s3_policy_on_the_root(plan, preview):
    """Every account inherits it, those that join later too; AWS's documented syntax, all four
    settings on."""
    inv = plan(preview=preview)
    [policy] = [r for r in inv.of_type(POLICY) if r.inputs["type"] == "S3_POLICY"]
    assert policy.name == S3_POLICY
    assert policy.inputs["name"] == "acme-lz-s3-block-public-access"
    assert json.loads(policy.inputs["content"]) == {
        "s3_attributes": {"public_access_block_configuration": {"@@assign": "all"}}}
    assert policy.provider.endswith("::management"), policy.urn
    [attachment] = [a for a in inv.of_type(ATTACHMENT) if a.name == f"{S3_POLICY}-root"]
    assert attachment.inputs == {"policyId": UNKNOWN if preview else policy.id,
                                 "targetId": FAKE.root_id if preview else inv.outputs["root_id"]}
    assert attachment.provider == policy.provider
    # No account-level setting anywhere: S3 refuses it while the policy is in force.
    assert not inv.of_type("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock")


def test_the_s3_policy_waits_for_its_policy_type_on_the_organization(plan):
    inv = plan()
    [organization] = inv.of_type(ORGANIZATION)
    assert "S3_POLICY" in organization.inputs["enabledPolicyTypes"]
    [policy] = [r for r in inv.of_type(POLICY) if r.inputs["type"] == "S3_POLICY"]
    [attachment] = [a for a in inv.of_type(ATTACHMENT) if a.name == f"{S3_POLICY}-root"]
    assert organization.urn in policy.dependencies, policy.urn
    assert organization.urn in attachment.dependencies, attachment.urn


@pytest.mark.parametrize("overrides", [
    {"guardrails": {"enabled": False}},
    {"guardrails": {"s3_block_public_access": False}},
], ids=["guardrails-off", "setting-off"])
def test_s3_block_public_access_can_be_switched_off(plan, overrides):
    inv = plan(**overrides)
    assert not [r for r in inv.of_type(POLICY) if r.inputs["type"] == "S3_POLICY"]


def _services_protected(inv: Inventory) -> list[str]:
    """The services whose actions the security services' SCP names (by the library's lists)."""
    named = {action for statement in json.loads(policies(inv)[SERVICES].inputs["content"])[
        "Statement"] for action in statement["Action"]}
    return [service for service, actions in scps.SECURITY_SERVICE_CHANGES.items()
            if set(actions) <= named]


def test_the_security_services_scp_protects_what_is_on(plan):
    inv = plan()
    policy = policies(inv)[SERVICES]
    assert policy.inputs["description"] == scps.description(SERVICES)
    assert json.loads(policy.inputs["content"]) == scps.protect_security_services(
        scps.GuardrailContext(access_role_name=ROLE,
                              security_services=tuple(scps.SECURITY_SERVICE_CHANGES),
                              security_archive_bucket_arns=(
                                  "arn:aws:s3:::acme-lz-guardduty-findings",
                                  "arn:aws:s3:::acme-lz-aws-config-history"),
                              security_archive_key_arns=(
                                  inv.outputs["guardduty"]["findings_kms_key_arn"],
                                  inv.outputs["aws_config"]["kms_key_arn"]),
                              config_recorder_function="acme-lz-aws-config-recorder"))
    [attachment] = attachments(inv, policy)
    assert attachment.inputs == {"policyId": policy.id, "targetId": inv.outputs["root_id"]}
    assert attachment.provider.endswith("::management")
    off = plan(security_baseline={"security_hub": {"enabled": False},
                                  "aws_config": {"enabled": False}})
    assert _services_protected(off) == ["guardduty", "access_analyzer", "account_defaults"]
    unexported = plan(security_baseline={"guardduty": {"export_findings": False}})
    assert [s["Sid"] for s in json.loads(policies(unexported)[SERVICES].inputs["content"])[
        "Statement"]] == ["ProtectSecurityServices", "ConfigRecorderSetUpByItsFunctionOnly",
                          "ProtectConfigRecorderFunction",
                          "ConfigRecorderRolesPassedByTheFunctionOnly",
                          # AWS Config's history, still delivered.
                          "DenySecurityArchiveBucketChanges", "DenySecurityArchiveFileChanges",
                          "DenySecurityArchiveKeyChanges"]


def test_without_a_security_account_only_account_defaults_are_protected(example_data, tmp_path):
    del example_data["organization"]["key_accounts"]["security_tooling"]
    path = tmp_path / "organization.yaml"
    path.write_text(yaml.safe_dump(example_data), encoding="utf-8")
    inv = run_program(load(path, use_local=False).config)
    assert _services_protected(inv) == ["account_defaults"]


def test_with_no_security_service_on_neither_baseline_guardrail_exists(plan):
    off = {name: {"enabled": False} for name in
           ("guardduty", "security_hub", "aws_config", "access_analyzer", "account_defaults")}
    inv = plan(security_baseline=off)
    assert sorted(policies(inv)) == ["builtin-root"]
    assert "deny_unencrypted_volumes" not in policies(inv)["builtin-root"].inputs["description"]
    kept = plan(security_baseline={"account_defaults": {"require_encrypted_volumes": False}})
    assert "deny_unencrypted_volumes" not in kept.outputs["guardrails"]["builtin:root"]["guardrails"]
