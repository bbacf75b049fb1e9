"""AWS Config under Pulumi's mocks: a stack set per governed region for the members, a stack per
region for the management account, the history bucket and key in the log archive, delegation
and the organization aggregator in the security account, gates for new accounts; brownfield
adoption of the delegated administrator."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
from pathlib import Path

import pytest
import yaml

from cli.offline import run_offline
from cli.plan import make_plan, plan_document, run_program
from cli.plan.model import NO_ACCOUNT, fake_aws_for
from components.aws_config_template import function_source, recorder_template
from components.landing_zone import build
from components.policies.aws_config import CONFIG
from components.stack_set_fan_out import render_template
from config import load
from config.model.security.aws_config import RecordingFrequency

STACK_SET = "aws:cloudformation/stackSet:StackSet"
INSTANCES = "aws:cloudformation/stackInstances:StackInstances"
STACK = "aws:cloudformation/stack:Stack"
GATE = "pulumi-python:dynamic/landingzone:BaselineReadiness"
DELEGATION = "aws:organizations/delegatedAdministrator:DelegatedAdministrator"
AGGREGATOR = "aws:cfg/configurationAggregator:ConfigurationAggregator"
MEMBERS = ("dev", "log_archive", "prod", "security_tooling", "shared_services", "test")
HOME = "us-east-1"
BUCKET = "acme-lz-aws-config-history"
THREE = ["eu-west-1", "ap-southeast-2"]
BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "plan_scale.py"


def config_parts(inventory):
    """Every registration of the AWS Config component."""
    return [r for r in inventory.registrations if "landing-zone:aws_config:AwsConfig" in r.urn]


@pytest.fixture(scope="module")
def three_regions(example_with):
    return example_with(organization={"governed_regions": THREE})


def test_one_service_managed_stack_set_per_governed_region(example_config, inventory, find):
    stack_set = find.one(STACK_SET, f"aws-config-{HOME}")
    assert find.provider_of(stack_set).name == "management", stack_set.urn
    inputs = stack_set.inputs
    assert (inputs["name"], inputs["permissionModel"], inputs["callAs"]) == (
        f"acme-lz-aws-config-{HOME}", "SERVICE_MANAGED", "SELF")
    assert inputs["capabilities"] == ["CAPABILITY_NAMED_IAM"]
    assert inputs["autoDeployment"] == {"enabled": True, "retainStacksOnAccountRemoval": True}
    assert inputs["managedExecution"] == {"active": True}
    # It waits for StackSets trusted access and for the bucket Config checks on delivery.
    needed = {find.one("pulumi-python:dynamic/landingzone:StackSetsTrustedAccess",
                       "stacksets-trusted-access").urn,
              find.one("aws:s3/bucketPolicy:BucketPolicy", "aws-config-bucket-policy").urn,
              find.one("aws:kms/key:Key", "aws-config-key").urn}
    assert needed <= set(stack_set.dependencies), stack_set.urn
    instance = find.one(INSTANCES, f"aws-config-{HOME}-instances")
    assert instance.inputs["regions"] == [HOME] and instance.inputs["retainStacks"] is True
    assert instance.inputs["deploymentTargets"] == {"organizationalUnitIds": ["r-ex01"]}
    if not inventory.preview:
        assert json.loads(inputs["templateBody"])["Resources"]["ConfigRecorder"][
            "Properties"]["Bucket"] == BUCKET


def test_three_governed_regions_three_stack_sets_and_management_stacks(three_regions):
    parts = config_parts(three_regions)
    governed = sorted([HOME, *THREE])
    assert sorted(r.name for r in parts if r.type == STACK_SET) == [
        f"aws-config-{r}" for r in governed]
    assert sorted(r.inputs["regions"][0] for r in parts if r.type == INSTANCES) == governed
    stacks = {r.inputs["region"]: r for r in parts if r.type == STACK}
    assert sorted(stacks) == governed
    for region, stack in stacks.items():
        assert stack.name == f"aws-config-master-{region}"
        assert stack.inputs["name"] == f"acme-lz-aws-config-{region}"
        assert stack.inputs["capabilities"] == ["CAPABILITY_NAMED_IAM"]
        assert stack.retain_on_delete, stack.urn
        body = json.loads(stack.inputs["templateBody"])
        # Global resource types (IAM) are recorded once: in the home region.
        assert body["Resources"]["ConfigRecorder"]["Properties"]["GlobalTypes"] == str(
            region == HOME).lower()
    [aggregator] = [r for r in parts if r.type == AGGREGATOR]
    assert aggregator.inputs["organizationAggregationSource"]["regions"] == [HOME, *sorted(THREE)]


def test_the_management_account_records_through_its_own_provider(inventory, find):
    stack = find.one(STACK, f"aws-config-master-{HOME}")
    assert find.provider_of(stack).name == "management", stack.urn
    assert stack.inputs["region"] == HOME
    assert find.one("aws:s3/bucketPolicy:BucketPolicy",
                    "aws-config-bucket-policy").urn in stack.dependencies


def test_history_bucket_and_key_live_in_the_log_archive(inventory, find):
    key = find.one("aws:kms/key:Key", "aws-config-key")
    bucket = find.one("aws:s3/bucket:Bucket", "aws-config-bucket")
    for part in (key, bucket):
        assert find.provider_of(part).name == "account-access-log_archive", part.urn
    assert key.protect and key.inputs["enableKeyRotation"] is True
    assert bucket.protect and bucket.inputs["bucket"] == BUCKET
    encryption = find.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws-config-bucket-encryption")
    assert encryption.inputs["rules"][0]["applyServerSideEncryptionByDefault"][
        "sseAlgorithm"] == "aws:kms"
    lifecycle = find.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                         "aws-config-bucket-lifecycle")
    assert lifecycle.inputs["rules"][0]["expiration"] == {"days": 2557}


def test_only_config_of_the_organization_may_write_history(update_inventory, finder):
    find = finder(update_inventory)
    organization = update_inventory.outputs["organization_id"]
    statements = find.policy(find.one("aws:s3/bucketPolicy:BucketPolicy",
                                      "aws-config-bucket-policy"))["Statement"]
    allows = [s for s in statements if s["Effect"] == "Allow"]
    # Allowed: Config, for accounts of this organization, under AWSLogs/*/Config/ only.
    assert {s["Principal"]["Service"] for s in allows} == {CONFIG}
    assert all(s["Condition"]["StringEquals"]["aws:SourceOrgID"] == organization
               for s in allows)
    [write] = [s for s in allows if s["Action"] == "s3:PutObject"]
    assert write["Resource"] == f"arn:aws:s3:::{BUCKET}/AWSLogs/*/Config/*"
    # Denied: anything without TLS; nobody else is granted anything.
    [deny] = [s for s in statements if s["Effect"] == "Deny"]
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    key_policy = find.policy(find.one("aws:kms/key:Key", "aws-config-key"))["Statement"]
    [use] = [s for s in key_policy if s["Principal"] == {"Service": CONFIG}]
    assert use["Action"] == ["kms:Decrypt", "kms:GenerateDataKey"]
    assert use["Condition"] == {"StringEquals": {"aws:SourceOrgID": organization}}
    [admin] = [s for s in key_policy if s is not use]
    assert not any(a.startswith(("kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"))
                   for a in admin["Action"])


def test_trusted_access_then_delegation_then_aggregator(inventory, find):
    organization = find.one("aws:organizations/organization:Organization", "organization")
    assert CONFIG in organization.inputs["awsServiceAccessPrincipals"]
    delegation = find.one(DELEGATION, "aws-config-delegated-administrator")
    assert find.provider_of(delegation).name == "management", delegation.urn
    assert organization.urn in delegation.dependencies
    assert delegation.inputs["servicePrincipal"] == CONFIG
    assert delegation.retain_on_delete and delegation.import_id is None
    aggregator = find.one(AGGREGATOR, "aws-config-aggregator")
    assert find.provider_of(aggregator).name == "account-access-security_tooling"
    assert delegation.urn in aggregator.dependencies
    source = aggregator.inputs["organizationAggregationSource"]
    assert source["regions"] == [HOME] and "allRegions" not in source
    role = find.one("aws:iam/role:Role", "aws-config-aggregator-role")
    assert find.provider_of(role).name == "account-access-security_tooling"
    assert role.inputs["name"] == "acme-lz-aws-config-aggregator"
    attachment = find.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                          "aws-config-aggregator-role-policy")
    assert attachment.inputs["policyArn"].endswith("/AWSConfigRoleForOrganizations")
    assert attachment.urn in aggregator.dependencies
    if not inventory.preview:
        security = inventory.outputs["accounts"]["security_tooling"]["id"]
        assert delegation.inputs["accountId"] == security
        [trust] = find.policy(role, "assumeRolePolicy")["Statement"]
        assert trust["Principal"] == {"Service": CONFIG}
        assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": security}}


def test_every_region_when_asked(example_with, finder):
    find = finder(example_with(security_baseline={"aws_config": {"aggregate_all_regions": True}}))
    source = find.one(AGGREGATOR, "aws-config-aggregator").inputs["organizationAggregationSource"]
    assert source["allRegions"] is True and "regions" not in source


def test_every_account_created_in_the_run_waits_for_its_recorders(three_regions, finder):
    find = finder(three_regions)
    gates = [g for g in three_regions.of_type(GATE) if g.name.startswith("aws-config-")]
    assert sorted(g.name for g in gates) == [f"aws-config-{k}-baseline" for k in MEMBERS]
    instances = {r.urn for r in config_parts(three_regions) if r.type == INSTANCES}
    for gate in gates:
        assert instances <= set(gate.dependencies), gate.urn
        assert sorted(tuple(p) for p in gate.inputs["stack_sets"]) == sorted(
            (f"acme-lz-aws-config-{r}", r) for r in [HOME, *THREE])
    assert find.one(GATE, "aws-config-dev-baseline")


def test_switched_off_or_without_security_account_nothing_is_built(example_with, example_data,
                                                                   config_from, tmp_path):
    off = example_with(security_baseline={"aws_config": {"enabled": False}})
    assert not config_parts(off) and off.outputs["aws_config"] is None
    del example_data["organization"]["key_accounts"]["security_tooling"]
    assert not config_parts(run_program(config_from(example_data, tmp_path)))


def test_an_existing_delegated_administrator_is_imported_not_registered_again(
        example_data, config_from, tmp_path, finder):
    example_data["accounts"]["security_tooling"]["id"] = "333333333333"
    config = config_from(example_data, tmp_path)
    fake = dataclasses.replace(fake_aws_for(config),
                               delegated_administrators={CONFIG: ("333333333333",)})
    found = finder(run_offline(lambda: build(config), fake=fake))
    delegation = found.one(DELEGATION, "aws-config-delegated-administrator")
    assert delegation.import_id == f"333333333333/{CONFIG}"
    assert delegation.inputs["accountId"] == "333333333333"
    # Another account as administrator: AWS allows one, so `pulumi up` stops instead of
    # taking the aggregator's seat from it (components/delegated_admin.py).
    other = dataclasses.replace(fake, delegated_administrators={CONFIG: ("444444444444",)})
    with pytest.raises(Exception, match="config.amazonaws.com's delegated administrator is "
                       "account 444444444444, not the security tooling account 333333333333"):
        run_offline(lambda: build(config), fake=other)


def test_without_a_log_archive_provider_the_history_stays_in_the_security_account(
        example_with, finder):
    """The log archive gets a provider for audit logging or GuardDuty's findings export;
    without both, Config adds none and keeps its history in the security tooling account."""
    no_reader = {"permission_sets": {"audit_log_reader": {"policies": ["ReadOnlyAccess"]}}}
    inventory = example_with(False, audit_logging={"enabled": False}, sso=no_reader,  # LZ257
                             security_baseline={"guardduty": {"export_findings": False}})
    bucket = finder(inventory).one("aws:s3/bucket:Bucket", "aws-config-bucket")
    assert finder(inventory).provider_of(bucket).name == "account-access-security_tooling"
    # The findings export alone keeps the archive's provider: the history goes there.
    inventory = example_with(False, audit_logging={"enabled": False}, sso=no_reader)
    bucket = finder(inventory).one("aws:s3/bucket:Bucket", "aws-config-bucket")
    assert finder(inventory).provider_of(bucket).name == "account-access-log_archive"


def test_the_template_adopts_through_its_function_and_keeps_what_records(example_config):
    template = recorder_template(example_config, "eu-west-1", BUCKET, "arn:aws:kms:k")
    resources = template["Resources"]
    assert sorted(resources) == ["ConfigRecorder", "Function", "FunctionRole", "RecorderRole"]
    # What records survives the stack: the recorder and its role are retained.
    for kept in ("ConfigRecorder", "RecorderRole"):
        assert resources[kept]["DeletionPolicy"] == "Retain", kept
    assert "DeletionPolicy" not in resources["Function"]
    assert resources["Function"]["Properties"]["Code"] == {"ZipFile": function_source()}
    recorder = resources["ConfigRecorder"]["Properties"]
    assert (recorder["GlobalTypes"], recorder["Frequency"], recorder["KmsKeyArn"]) == (
        "false", "CONTINUOUS", "arn:aws:kms:k")
    # The names protect_security_services exempts and guards (tests/policies/test_scps.py).
    assert resources["FunctionRole"]["Properties"]["RoleName"] == \
        "acme-lz-aws-config-recorder-${AWS::Region}"
    assert resources["Function"]["Properties"]["FunctionName"] == "acme-lz-aws-config-recorder"
    # The function may pass only the recorder's role.
    [policy] = resources["FunctionRole"]["Properties"]["Policies"]
    [_, pass_role] = policy["PolicyDocument"]["Statement"]
    assert pass_role == {"Effect": "Allow", "Action": "iam:PassRole",
                         "Resource": {"Fn::GetAtt": ["RecorderRole", "Arn"]}}
    # The role Config records as is known to the guardrails by its path.
    assert resources["RecorderRole"]["Properties"]["Path"] == "/acme-lz-aws-config-recorder/"
    trust = resources["RecorderRole"]["Properties"]["AssumeRolePolicyDocument"]
    assert trust["Statement"][0]["Condition"] == {
        "StringEquals": {"aws:SourceAccount": "${AWS::AccountId}"}}
    daily = recorder_template(example_config.model_copy(update={
        "security_baseline": example_config.security_baseline.model_copy(update={
            "aws_config": example_config.security_baseline.aws_config.model_copy(
                update={"recording_frequency": RecordingFrequency.DAILY})})}),
        HOME, BUCKET, "k")["Resources"]["ConfigRecorder"]["Properties"]
    assert (daily["GlobalTypes"], daily["Frequency"]) == ("true", "DAILY")


def test_rendered_template_is_canonical_and_substitutes_pseudo_parameters(example_config):
    body = render_template(recorder_template(example_config, HOME, BUCKET, "k"), "AWS Config")
    assert body == render_template(recorder_template(example_config, HOME, BUCKET, "k"), "x")
    role = json.loads(body)["Resources"]["RecorderRole"]["Properties"]
    assert role["ManagedPolicyArns"] == [
        {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWS_ConfigRole"}]


def test_the_function_source_fits_inline(monkeypatch, tmp_path):
    assert len(function_source()) <= 4096
    too_long = tmp_path / "config_recorder_function.py"
    too_long.write_text("#" * 4097)
    monkeypatch.setattr("components.aws_config_template.FUNCTION_SOURCE", too_long)
    with pytest.raises(ValueError, match="4097 characters; an inline Lambda function takes 4096"):
        function_source()


@pytest.mark.parametrize("accounts", [10, 1000])
def test_at_scale_the_providers_stay_constant_and_members_hold_no_resource(accounts, tmp_path):
    """The benchmark organization with a security tooling account, 3 governed regions."""
    spec = importlib.util.spec_from_file_location("plan_scale", BENCHMARK)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    data = bench.organization(accounts)
    data["organization"]["governed_regions"] = THREE
    data["organization"]["key_accounts"]["security_tooling"] = "security_tooling"
    data["accounts"]["security_tooling"] = {"name": "Security Tooling",
                                            "email": "platform+security@example.invalid",
                                            "organizational_unit": "security"}
    path = tmp_path / "organization.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    plan = make_plan(load(path, use_local=False).config)
    processes = plan.provider_processes()
    # management, state account, log archive, security tooling; one Python process
    assert (processes.aws, processes.dynamic) == (4, 1)
    summary = plan_document(plan)["summary"]
    assert set(summary["by_account"]) == {"master", "log_archive", "shared_services",
                                          "security_tooling", NO_ACCOUNT}
    parts = config_parts(plan.inventory)
    assert sum(r.type == STACK_SET for r in parts) == 3
    assert sum(r.type == STACK for r in parts) == 3
