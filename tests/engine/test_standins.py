"""The engine suite's own instruments, checked without the engine (part of `./lz test`)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import boto3
from moto import mock_aws
from moto.organizations import models as org_models
from pulumi.runtime.proto import language_pb2

from cli.plan import make_plan
from components.aws_config_template import recorder_template
from components.stack_set_fan_out import render_template
from config import load
from tests.engine.harness import ROOT, metastructure_fixture
from tests.engine.standins.aws_provider import HANDLERS, Aws, changed_inputs, runnable_in_moto
from tests.engine.standins.language_host import activated_environment, run_arguments

RECIPE = Path(__file__).resolve().parent / "recipe" / "build.sh"
BUCKET = HANDLERS["aws:s3/bucket:Bucket"]
SH = "aws:securityhub/"


def test_diff_sees_exactly_the_inputs_that_differ():
    olds = {"bucket": "logs", "arn": "arn:aws:s3:::logs", "tagsAll": {"a": "b"}}
    assert changed_inputs(BUCKET, olds, {"bucket": "logs"}) == []
    assert changed_inputs(BUCKET, olds, {"bucket": "other"}) == ["bucket"]
    # an input that was set and is now absent is a change; computed outputs never are
    assert changed_inputs(BUCKET, {**olds, "objectLockEnabled": True},
                          {"bucket": "logs"}) == ["objectLockEnabled"]


def test_the_program_runs_with_the_go_hosts_arguments():
    request = language_pb2.RunRequest(
        monitor_address="127.0.0.1:1", project="landing-zone", stack="bootstrap", pwd="/p",
        dryRun=True, parallel=8, organization="organization", args=["x"],
        info=language_pb2.ProgramInfo(root_directory="/p", entry_point="."))
    assert run_arguments(request, "127.0.0.1:2") == [
        "--monitor", "127.0.0.1:1", "--engine", "127.0.0.1:2", "--project", "landing-zone",
        "--root_directory", "/p", "--stack", "bootstrap", "--pwd", "/p", "--dry_run", "true",
        "--parallel", "8", "--organization", "organization", ".", "x"]


def test_the_virtualenv_is_activated_as_the_go_toolchain_does(tmp_path):
    env = activated_environment({"PATH": "/usr/bin", "PYTHONHOME": "/x"}, tmp_path)
    assert env == {"PATH": f"{tmp_path}/bin{os.pathsep}/usr/bin", "VIRTUAL_ENV": str(tmp_path)}


def test_the_recipe_exits_4_without_go(tmp_path):
    result = subprocess.run([str(RECIPE)], env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
                                                "XDG_CACHE_HOME": str(tmp_path)},
                            capture_output=True, text=True, check=False)
    assert result.returncode == 4
    assert "Go is required to build the Pulumi CLI v3.274.0" in result.stderr


def test_the_stand_in_serves_every_type_the_engine_suite_deploys():
    """The engine suite runs the example and the Metastructure fixture: a component that adds
    a type fails here first, before a slow engine run does (docs/testing.md says how to add a
    handler)."""
    for path in (ROOT / "config" / "organization.yaml", metastructure_fixture()):
        plan = make_plan(load(path, use_local=False).config)
        types = {r.type for r in plan.inventory.registrations
                 if r.custom and r.type.startswith("aws:")}
        assert types - set(HANDLERS) == set(), path


def test_security_hub_handlers_keep_central_configuration_in_moto(monkeypatch):
    """The admin designation and the organization configuration go to moto (which checks
    who calls and that CENTRAL comes with auto-enable off); the objects moto lacks are
    records with ARNs of the calling account and region."""
    delegable = org_models.FakeDelegatedAdministrator
    monkeypatch.setattr(delegable, "SUPPORTED_SERVICES",  # as the engine suite's moto server
                        [*delegable.SUPPORTED_SERVICES, "securityhub.amazonaws.com"])
    with mock_aws():
        organizations = boto3.client("organizations")
        organizations.create_organization(FeatureSet="ALL")
        member = organizations.create_account(AccountName="Security", Email="s@example.invalid")[
            "CreateAccountStatus"]["AccountId"]
        management = Aws()
        security = Aws(role_arn=f"arn:aws:iam::{member}:role/OrganizationAccountAccessRole")
        assert HANDLERS[SH + "organizationAdminAccount:OrganizationAdminAccount"].create(
            management, {"adminAccountId": member}) == (member, {})
        assert [a["Id"] for a in organizations.list_delegated_administrators(
            ServicePrincipal="securityhub.amazonaws.com")["DelegatedAdministrators"]] == [member]
        configuration = HANDLERS[SH + "organizationConfiguration:OrganizationConfiguration"]
        assert configuration.create(security, {
            "autoEnable": False, "autoEnableStandards": "NONE",
            "organizationConfiguration": {"configurationType": "CENTRAL"}}) == (member, {})
        hub = security.client("securityhub")
        assert hub.describe_organization_configuration()["OrganizationConfiguration"][
            "ConfigurationType"] == "CENTRAL"
        policy_id, outputs = HANDLERS[SH + "configurationPolicy:ConfigurationPolicy"].create(
            security, {"name": "baseline"})
        assert policy_id.startswith(f"arn:aws:securityhub:us-east-1:{member}:configuration-policy/")
        assert outputs == {"arn": policy_id}
        association = HANDLERS[SH + "configurationPolicyAssociation:ConfigurationPolicyAssociation"]
        assert association.create(security, {"targetId": "r-ex01", "policyId": policy_id}) == (
            "r-ex01", {})
        assert association.replace_on == {"targetId"}
        configuration.delete(security, member, {})
        assert hub.describe_organization_configuration()["OrganizationConfiguration"][
            "ConfigurationType"] == "LOCAL"


def test_publishing_destination_is_a_record_with_awss_import_id():
    """moto has no publishing destinations: the stand-in keeps them with AWS's id shape, the
    detector forcing a replacement, the destination and key changing in place."""
    handler = HANDLERS["aws:guardduty/publishingDestination:PublishingDestination"]
    props = {"detectorId": "d" * 32, "region": "eu-west-1", "destinationType": "S3",
             "destinationArn": "arn:aws:s3:::findings", "kmsKeyArn": "arn:aws:kms:k"}
    destination_id, _ = handler.create(Aws(), props)
    detector, _, own = destination_id.partition(":")
    assert detector == "d" * 32 and len(own) == 32
    assert handler.update(Aws(), destination_id, props, {**props, "kmsKeyArn": "arn:aws:kms:k2"}
                          ) == {}
    assert handler.read(Aws(), destination_id)["kmsKeyArn"] == "arn:aws:kms:k2"
    assert changed_inputs(handler, props, {**props, "detectorId": "e" * 32}) == ["detectorId"]
    assert {"detectorId", "region"} == handler.replace_on
    handler.delete(Aws(), destination_id, props)
    assert handler.read(Aws(), destination_id) is None


def test_moto_gets_the_recorder_template_without_what_it_cannot_run():
    """moto fails CreateStackInstances on AWS Config's Lambda-backed custom resource; the
    stand-in hands it the template without the custom resource, the function and the output
    naming it, and keeps the roles (the guardrails' exempt function role included)."""
    config = load(ROOT / "config" / "organization.yaml").config
    body = render_template(recorder_template(config, "us-east-1", "history", "arn:aws:kms:k"),
                           "AWS Config")
    runnable = json.loads(runnable_in_moto(body))
    assert sorted(runnable["Resources"]) == ["FunctionRole", "RecorderRole"]
    assert runnable["Outputs"] == {}
    # A template with nothing moto cannot run is handed on byte for byte.
    plain = json.dumps({"Resources": {"Logs": {"Type": "AWS::S3::Bucket"}}})
    assert runnable_in_moto(plain) is plain
    with mock_aws():
        boto3.client("organizations", region_name="us-east-1").create_organization(
            FeatureSet="ALL")
        aws = Aws(region="us-east-1")
        stack_id, _ = HANDLERS["aws:cloudformation/stack:Stack"].create(aws, {
            "name": "acme-aws-config-us-east-1", "templateBody": body,
            "capabilities": ["CAPABILITY_NAMED_IAM"]})
        stack = boto3.client("cloudformation", region_name="us-east-1").describe_stacks(
            StackName=stack_id)["Stacks"][0]
        assert stack["StackStatus"] == "CREATE_COMPLETE"
