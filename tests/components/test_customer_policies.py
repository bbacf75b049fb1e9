"""Customer-managed policies (explicit opt-in): one service-managed stack set deploys them to
every member account, the management account gets the ones its assignments need, and every
attachment and new account's assignments wait until the policies are there."""

from __future__ import annotations

import json

import pytest

from cli.plan import run_program
from components.customer_policies import customer_policy_template, template_resource_name
from config.naming import baseline_stack_sets

STACK_SET = "aws:cloudformation/stackSet:StackSet"
INSTANCES = "aws:cloudformation/stackInstances:StackInstances"
IAM_POLICY = "aws:iam/policy:Policy"
ATTACHMENT = "aws:ssoadmin/customerManagedPolicyAttachment:CustomerManagedPolicyAttachment"
BOUNDARY = "aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment"
INLINE = "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy"
ASSIGNMENT = "aws:ssoadmin/accountAssignment:AccountAssignment"
GATE = "pulumi-python:dynamic/landingzone:BaselineReadiness"
REGION = "us-east-1"
READER = {"Version": "2012-10-17", "Statement": [
    {"Sid": "ReadEc2", "Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}]}
BOUNDARY_DOCUMENT = {"Version": "2012-10-17", "Statement": [
    {"Sid": "NoOrganizations", "Effect": "Deny", "Action": "organizations:*", "Resource": "*"}]}


@pytest.fixture(params=["update", "preview"])
def opted_in(request, example_data, config_from, tmp_path, finder):
    """Deployers get an extra customer-managed policy (workload accounts only); admins, in
    every account the management account included, a customer-managed boundary."""
    sso = example_data["sso"]
    sso["policies"]["ec2_reader"] = {"name": "Ec2Reader", "path": "/landing-zone/",
                                     "customer_managed": True, "document": READER}
    sso["policies"]["workload_boundary"] = {"name": "WorkloadBoundary", "customer_managed": True,
                                            "document": BOUNDARY_DOCUMENT}
    sso["policies"]["unused"] = {"name": "Unused", "customer_managed": True, "document": READER}
    sso["permission_sets"]["deployer"]["policies"].append("ec2_reader")
    sso["permission_sets"]["admin"]["permissions_boundary"] = "workload_boundary"
    config = config_from(example_data, tmp_path)
    return config, finder(run_program(config, preview=request.param == "preview"))


def test_one_stack_set_of_the_referenced_policies_at_the_root(opted_in):
    config, found = opted_in
    stack_set = found.one(STACK_SET, "customer-policies")
    assert found.provider_of(stack_set).name == "management", stack_set.urn
    assert (stack_set.inputs["name"], stack_set.inputs["permissionModel"]) == (
        "acme-lz-customer-policies", "SERVICE_MANAGED")
    assert stack_set.inputs["autoDeployment"] == {"enabled": True,
                                                  "retainStacksOnAccountRemoval": True}
    assert found.one("pulumi-python:dynamic/landingzone:StackSetsTrustedAccess",
                     "stacksets-trusted-access").urn in stack_set.dependencies
    assert stack_set.inputs["templateBody"] == customer_policy_template(config)
    instances = found.one(INSTANCES, "customer-policies-instances")
    # IAM is global: one region, the home region; the whole organization.
    assert instances.inputs["regions"] == [REGION] and instances.inputs["retainStacks"] is True
    assert instances.inputs["deploymentTargets"] == {"organizationalUnitIds": ["r-ex01"]}


def test_template_holds_each_referenced_document_retained_and_without_description(opted_in):
    config, _ = opted_in
    body = json.loads(customer_policy_template(config))
    resources = body["Resources"]
    assert sorted(resources) == sorted(template_resource_name(k)
                                       for k in ("ec2_reader", "workload_boundary"))
    reader = resources[template_resource_name("ec2_reader")]
    assert reader == {"Type": "AWS::IAM::ManagedPolicy", "DeletionPolicy": "Retain",
                      "UpdateReplacePolicy": "Retain", "Properties": {
                          "ManagedPolicyName": "Ec2Reader", "Path": "/landing-zone/",
                          "PolicyDocument": READER}}
    assert customer_policy_template(config) == json.dumps(body, sort_keys=True,
                                                          separators=(",", ":"))


def test_logical_ids_are_one_to_one_with_keys():
    keys = ["a_b", "a-b", "a.b", "ab", "AB"]
    names = [template_resource_name(k) for k in keys]
    assert len(set(names)) == len(keys) and all(n.isalnum() for n in names)


def test_the_management_account_gets_only_what_its_assignments_need(opted_in):
    _, found = opted_in
    policies = [p for p in found.inventory.of_type(IAM_POLICY) if p.name.startswith("customer-")]
    assert [p.name for p in policies] == ["customer-policies-master-workload_boundary"]
    [policy] = policies
    assert found.provider_of(policy).name == "management", policy.urn
    assert (policy.inputs["name"], policy.inputs["path"]) == ("WorkloadBoundary", "/")
    assert json.loads(policy.inputs["policy"]) == BOUNDARY_DOCUMENT
    assert "description" not in policy.inputs


def test_attachments_reference_the_policy_and_wait_for_it_everywhere(opted_in):
    _, found = opted_in
    instances = found.one(INSTANCES, "customer-policies-instances")
    management_copy = found.one(IAM_POLICY, "customer-policies-master-workload_boundary")
    attachment = found.one(ATTACHMENT, "sso-ps-deployer/customer-managed/ec2_reader")
    assert attachment.inputs["customerManagedPolicyReference"] == {
        "name": "Ec2Reader", "path": "/landing-zone/"}
    boundary = found.one(BOUNDARY, "sso-ps-admin/permissions-boundary")
    assert boundary.inputs["permissionsBoundary"] == {
        "customerManagedPolicyReference": {"name": "WorkloadBoundary", "path": "/"}}
    for waiting in (attachment, boundary):
        assert {instances.urn, management_copy.urn} <= set(waiting.dependencies), waiting.urn
    # Its statements are not inline as well; the inline statements stay.
    inline = found.one(INLINE, "sso-ps-deployer/inline-policy")
    if not found.inventory.preview:
        sids = {s.get("Sid") for s in json.loads(inline.inputs["inlinePolicy"])["Statement"]}
        assert "ReadEc2" not in sids and sids
    # Assignments of the set wait for its attachments, so for the policies.
    assignments = [a for a in found.inventory.of_type(ASSIGNMENT) if a.name.endswith("/deployer")]
    assert assignments and all(attachment.urn in a.dependencies for a in assignments)


def test_an_account_created_in_the_run_waits_for_its_policies_through_its_gate(opted_in):
    """account -> its stack instances (access logs and policies) ready -> its assignments."""
    config, found = opted_in
    gate = found.one(GATE, "access-logs-dev-baseline")
    account = found.one("aws:organizations/account:Account", "account-dev")
    assert account.urn in gate.dependencies
    assert found.one(INSTANCES, "customer-policies-instances").urn in gate.dependencies
    assert gate.inputs["stack_sets"] == [[f"acme-lz-access-logs-{REGION}", REGION],
                                         ["acme-lz-customer-policies", REGION]]
    # what `./lz verify` and preflight read is what the gate waits for
    assert gate.inputs["stack_sets"] == [[s.name, s.region] for s in baseline_stack_sets(config)]
    dev = [a for a in found.inventory.of_type(ASSIGNMENT) if "/dev/" in a.name]
    assert dev and all(gate.urn in a.dependencies for a in dev)


def test_inline_stays_the_default(inventory):
    """No customer-managed policy in the config: no stack set, no attachment by reference."""
    assert [s.name for s in inventory.of_type(STACK_SET)] == [f"access-logs-{REGION}",
                                                               f"aws-config-{REGION}"]
    assert not inventory.of_type(ATTACHMENT)
    gate = next(g for g in inventory.of_type(GATE) if g.name == "access-logs-dev-baseline")
    assert gate.inputs["stack_sets"] == [[f"acme-lz-access-logs-{REGION}", REGION]]
