"""The custom resource behind every account's recorder, against moto's AWS Config: it adopts an
existing recorder and channel (their names kept), makes `default` ones otherwise, starts
recording, never stops anything on delete, and always answers CloudFormation."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import boto3
import pytest
from moto import mock_aws

from components.config_recorder_function import handler, reconcile

ROLE = "arn:aws:iam::123456789012:role/landing-zone-recorder"
PROPS = {"RoleArn": ROLE, "GlobalTypes": "true", "Frequency": "CONTINUOUS",
         "Bucket": "acme-lz-aws-config-history", "KmsKeyArn": "arn:aws:kms:us-east-1:1:key/k"}


@pytest.fixture
def config():
    with mock_aws():
        yield boto3.client("config", region_name="us-east-1")


def recorder(config) -> dict:
    [found] = config.describe_configuration_recorders()["ConfigurationRecorders"]
    return found


def test_an_account_without_a_recorder_gets_default_ones_recording(config):
    assert reconcile(config, PROPS) == "default"
    found = recorder(config)
    assert (found["name"], found["roleARN"]) == ("default", ROLE)
    assert found["recordingGroup"]["allSupported"] is True
    assert found["recordingGroup"]["includeGlobalResourceTypes"] is True
    [channel] = config.describe_delivery_channels()["DeliveryChannels"]
    assert channel["name"] == "default" and channel["s3BucketName"] == PROPS["Bucket"]
    assert channel["s3KmsKeyArn"] == PROPS["KmsKeyArn"]
    [status] = config.describe_configuration_recorder_status()["ConfigurationRecordersStatus"]
    assert status["recording"] is True


def test_an_existing_recorder_and_channel_are_adopted_under_their_names(config):
    config.put_configuration_recorder(ConfigurationRecorder={
        "name": "aws-controltower-BaselineConfigRecorder", "roleARN": "arn:aws:iam::1:role/old",
        "recordingGroup": {"allSupported": False, "includeGlobalResourceTypes": False,
                           "resourceTypes": ["AWS::S3::Bucket"]}})
    config.put_delivery_channel(DeliveryChannel={"name": "theirs", "s3BucketName": "old"})
    assert reconcile(config, {**PROPS, "GlobalTypes": "false"}) == \
        "aws-controltower-BaselineConfigRecorder"
    found = recorder(config)  # still one recorder: adopted, not duplicated
    assert found["roleARN"] == ROLE and found["recordingGroup"]["allSupported"] is True
    assert found["recordingGroup"]["includeGlobalResourceTypes"] is False
    [channel] = config.describe_delivery_channels()["DeliveryChannels"]
    assert (channel["name"], channel["s3BucketName"]) == ("theirs", PROPS["Bucket"])


class Answers(BaseHTTPRequestHandler):
    """CloudFormation's pre-signed response URL: records what the function PUTs."""

    received: list[dict] = []

    def do_PUT(self):  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Answers.received.append(json.loads(body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *_args):
        pass


@pytest.fixture
def response_url():
    Answers.received = []
    server = HTTPServer(("127.0.0.1", 0), Answers)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/response"
    thread.join(timeout=5)
    server.server_close()


def event(kind: str, url: str, props: dict = PROPS) -> dict:
    return {"RequestType": kind, "ResponseURL": url, "StackId": "stack", "RequestId": "r1",
            "LogicalResourceId": "ConfigRecorder", "ResourceProperties": props}


def test_create_answers_success_with_the_recorder_name(config, response_url):
    handler(event("Create", response_url), None)
    [answer] = Answers.received
    assert (answer["Status"], answer["PhysicalResourceId"]) == ("SUCCESS", "default")
    assert answer["Data"] == {"RecorderName": "default"}


def test_delete_stops_nothing(config, response_url):
    reconcile(config, PROPS)
    handler({**event("Delete", response_url), "PhysicalResourceId": "default"}, None)
    assert Answers.received[0]["Status"] == "SUCCESS"
    [status] = config.describe_configuration_recorder_status()["ConfigurationRecordersStatus"]
    assert status["recording"] is True


def test_a_failure_is_reported_not_left_to_time_out(config, response_url):
    handler(event("Create", response_url, {k: v for k, v in PROPS.items() if k != "RoleArn"}),
            None)
    [answer] = Answers.received
    assert answer["Status"] == "FAILED" and "RoleArn" in answer["Reason"]
