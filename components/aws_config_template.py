"""The CloudFormation template that sets up AWS Config in one account and region.

StackSets deploys it to every member account in each governed region; the management account
gets the same template as a stack of its own (StackSets never deploys there). It holds:
- the recorder's role, one per stack (CloudFormation names it, so regions never collide):
  trusted by Config of this account only, with AWS's `AWS_ConfigRole` managed policy. Not the
  AWSServiceRoleForConfig service-linked role: new accounts do not have it (Config creates it
  from the console or PutServiceLinkedConfigurationRecorder only), and
  AWS::IAM::ServiceLinkedRole fails in every account that already has it, which brownfield
  accounts often do (Security Hub, Control Tower, the console);
- an inline Lambda function named `<namespace>-aws-config-recorder` and its role, named per
  region `<namespace>-aws-config-recorder-<region>`: the guardrails let that role set up the
  recorder and keep everyone else from changing, passing or invoking either
  (components/policies/scps.py, `protect_security_services`); and the
  `Custom::ConfigRecorder` it serves
  (components/config_recorder_function.py): it adopts an existing recorder and delivery channel
  or makes them, because AWS::Config::ConfigurationRecorder fails when the account already has
  one (one customer-managed recorder per account and region).
Global resource types (IAM) are recorded in the home region only, so they are recorded once.
The recorder and its role are `DeletionPolicy: Retain`: deleting a stack never stops recording.
"""

from __future__ import annotations

from pathlib import Path

import pulumi

from components.policies.aws_config import config_trust
from components.stack_set_fan_out import render_template
from config.model import LandingZoneConfig
from config.naming import (
    config_recorder_function_name,
    config_recorder_function_role_name,
    config_recorder_role_path,
)

FUNCTION_SOURCE = Path(__file__).with_name("config_recorder_function.py")
MAX_INLINE_SOURCE_CHARACTERS = 4096  # AWS::Lambda::Function Code.ZipFile
LAMBDA_RUNTIME = "python3.12"
RECORDER = "ConfigRecorder"
RECORDER_ACTIONS = ("config:DescribeConfigurationRecorders", "config:DescribeDeliveryChannels",
                    "config:PutConfigurationRecorder", "config:PutDeliveryChannel",
                    "config:StartConfigurationRecorder")
RETAIN = {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}


def function_source() -> str:
    source = FUNCTION_SOURCE.read_text()
    if len(source) > MAX_INLINE_SOURCE_CHARACTERS:
        raise ValueError(f"{FUNCTION_SOURCE.name} is {len(source)} characters; an inline Lambda "
                         f"function takes {MAX_INLINE_SOURCE_CHARACTERS}")
    return source


def recorder_template(config: LandingZoneConfig, region: str, bucket: str,
                      kms_key_arn: str) -> dict:
    settings = config.security_baseline.aws_config
    lambda_trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
        "Action": "sts:AssumeRole"}]}
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "landing-zone: the AWS Config recorder of this account and region",
        "Resources": {
            "RecorderRole": {"Type": "AWS::IAM::Role", **RETAIN, "Properties": {
                "Path": config_recorder_role_path(config),
                "AssumeRolePolicyDocument": config_trust("${AWS::AccountId}"),
                "ManagedPolicyArns": [
                    "arn:${AWS::Partition}:iam::aws:policy/service-role/AWS_ConfigRole"]}},
            "FunctionRole": {"Type": "AWS::IAM::Role", "Properties": {
                "RoleName": config_recorder_function_role_name(config, "${AWS::Region}"),
                "AssumeRolePolicyDocument": lambda_trust,
                "ManagedPolicyArns": ["arn:${AWS::Partition}:iam::aws:policy/service-role/"
                                      "AWSLambdaBasicExecutionRole"],
                "Policies": [{"PolicyName": "reconcile-config-recorder", "PolicyDocument": {
                    "Version": "2012-10-17", "Statement": [
                        {"Effect": "Allow", "Action": list(RECORDER_ACTIONS), "Resource": "*"},
                        {"Effect": "Allow", "Action": "iam:PassRole",
                         "Resource": {"Fn::GetAtt": ["RecorderRole", "Arn"]}}]}}]}},
            "Function": {"Type": "AWS::Lambda::Function", "Properties": {
                "FunctionName": config_recorder_function_name(config), "Runtime": LAMBDA_RUNTIME, "Handler": "index.handler", "Timeout": 120,
                "Role": {"Fn::GetAtt": ["FunctionRole", "Arn"]},
                "Code": {"ZipFile": function_source()}}},
            RECORDER: {"Type": "Custom::ConfigRecorder", **RETAIN, "Properties": {
                "ServiceToken": {"Fn::GetAtt": ["Function", "Arn"]},
                "RoleArn": {"Fn::GetAtt": ["RecorderRole", "Arn"]},
                "GlobalTypes": str(region == config.organization.aws_region).lower(),
                "Frequency": settings.recording_frequency.value,
                "Bucket": bucket, "KmsKeyArn": kms_key_arn}},
        },
        "Outputs": {"RecorderName": {"Value": {"Fn::GetAtt": [RECORDER, "RecorderName"]}}},
    }


def config_template(config: LandingZoneConfig, region: str, bucket: pulumi.Input[str],
                    kms_key_arn: pulumi.Input[str]) -> pulumi.Output[str]:
    """The template body for `region`, once the bucket and key are known."""
    return pulumi.Output.all(bucket, kms_key_arn).apply(
        lambda known: render_template(recorder_template(config, region, *known), "AWS Config"))
