"""Custom resource handler: adopt or create this account's AWS Config recorder in this region.

Runs as an inline Lambda function (its source must stay under CloudFormation's 4,096 character
ZipFile limit, and use only the Lambda runtime's boto3). An account and region have one
customer-managed recorder and one delivery channel at most, and CloudFormation's own
AWS::Config::ConfigurationRecorder fails when one exists (MaxNumberOf...ExceededException).
So this reconciles instead: an existing recorder and channel keep their names and get the
landing zone's settings; otherwise both are made, named `default`. Service-linked recorders
(they carry a servicePrincipal) are not ours and are left alone. Delete does nothing: removing
the stack never stops recording.
"""
import json
import urllib.request

import boto3


def reconcile(config, props):
    """Put the recorder and channel, start recording; the recorder's name."""
    recorders = [r for r in config.describe_configuration_recorders()["ConfigurationRecorders"]
                 if "servicePrincipal" not in r]
    name = recorders[0]["name"] if recorders else "default"
    config.put_configuration_recorder(ConfigurationRecorder={
        "name": name, "roleARN": props["RoleArn"],
        "recordingGroup": {"allSupported": True,
                           "includeGlobalResourceTypes": props["GlobalTypes"] == "true"},
        "recordingMode": {"recordingFrequency": props["Frequency"]}})
    channels = config.describe_delivery_channels()["DeliveryChannels"]
    config.put_delivery_channel(DeliveryChannel={
        "name": channels[0]["name"] if channels else "default",
        "s3BucketName": props["Bucket"], "s3KmsKeyArn": props["KmsKeyArn"],
        "configSnapshotDeliveryProperties": {"deliveryFrequency": "TwentyFour_Hours"}})
    config.start_configuration_recorder(ConfigurationRecorderName=name)
    return name


def handler(event, _context):
    status, reason = "SUCCESS", ""
    name = event.get("PhysicalResourceId") or "default"
    try:
        if event["RequestType"] != "Delete":
            name = reconcile(boto3.client("config"), event["ResourceProperties"])
    except Exception as error:  # noqa: BLE001 - any failure must reach CloudFormation, or it waits an hour
        status, reason = "FAILED", str(error)[:1000]
    body = json.dumps({"Status": status, "Reason": reason, "PhysicalResourceId": name,
                       "StackId": event["StackId"], "RequestId": event["RequestId"],
                       "LogicalResourceId": event["LogicalResourceId"],
                       "Data": {"RecorderName": name}}).encode()
    request = urllib.request.Request(event["ResponseURL"], data=body, method="PUT",
                                     headers={"Content-Type": ""})
    urllib.request.urlopen(request, timeout=30).close()
