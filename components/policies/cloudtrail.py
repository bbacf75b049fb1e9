"""The policies an organization trail needs: its bucket's, its key's and, when events also go
to CloudWatch Logs, its delivery role's. Values may be Outputs; callers render the documents
with `components.hardened_bucket.policy_json`.

Every grant to CloudTrail is pinned to our one trail with `aws:SourceArn` (the confused-deputy
guard AWS recommends). The trail ARN is built from its parts, not read from the trail, because
the trail must be created after the bucket policy and key policy that name it.
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi

VERSION = "2012-10-17"
CLOUDTRAIL = "cloudtrail.amazonaws.com"


def trail_arn(region: str, management_account_id: pulumi.Input[str],
              name: str) -> pulumi.Output[str]:
    """An organization trail belongs to the management account, in its home region."""
    return pulumi.Output.concat("arn:aws:cloudtrail:", region, ":", management_account_id,
                                ":trail/", name)


def bucket_policy_statements(*, bucket: str, trail: pulumi.Input[str],
                             management_account_id: pulumi.Input[str],
                             organization_id: pulumi.Input[str],
                             readers: Sequence[pulumi.Input[str]] = ()) -> list[dict]:
    """Statements for the log bucket (the hardened bucket adds its deny of non-TLS requests).

    CloudTrail's own three are the documented organization-trail policy: the ACL check, and
    writes under AWSLogs/<management account id>/ (the trail's own account) and
    AWSLogs/<organization id>/ (every member account), each pinned to the trail:
    https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html#org-trail-bucket-policy
    Readers may list the bucket and get log files, nothing else.
    """
    arn = f"arn:aws:s3:::{bucket}"
    from_trail = {"aws:SourceArn": trail}
    write = {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", **from_trail}}
    statements = [
        {"Sid": "AWSCloudTrailAclCheck20150319", "Effect": "Allow",
         "Principal": {"Service": CLOUDTRAIL}, "Action": "s3:GetBucketAcl", "Resource": arn,
         "Condition": {"StringEquals": from_trail}},
        {"Sid": "AWSCloudTrailWrite20150319", "Effect": "Allow",
         "Principal": {"Service": CLOUDTRAIL}, "Action": "s3:PutObject",
         "Resource": pulumi.Output.concat(arn, "/AWSLogs/", management_account_id, "/*"),
         "Condition": write},
        {"Sid": "AWSCloudTrailOrganizationWrite20150319", "Effect": "Allow",
         "Principal": {"Service": CLOUDTRAIL}, "Action": "s3:PutObject",
         "Resource": pulumi.Output.concat(arn, "/AWSLogs/", organization_id, "/*"),
         "Condition": write},
    ]
    if readers:
        statements.append(
            {"Sid": "AllowLogReaders", "Effect": "Allow", "Principal": {"AWS": list(readers)},
             "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": [arn, f"{arn}/*"]})
    return statements


# What a key administrator may do: AWS's "key administrators" statement, which grants no use
# of the key (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
KEY_ADMIN_ACTIONS = (
    "kms:CancelKeyDeletion", "kms:Create*", "kms:Delete*", "kms:Describe*", "kms:Disable*",
    "kms:Enable*", "kms:Get*", "kms:List*", "kms:Put*", "kms:Revoke*", "kms:RotateKeyOnDemand",
    "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource", "kms:Update*",
)


def key_administrator(sid: str, account_id: pulumi.Input[str]) -> dict:
    """The account (its IAM policies decide who) administers the key, without using it."""
    return {"Sid": sid, "Effect": "Allow",
            "Principal": {"AWS": pulumi.Output.concat("arn:aws:iam::", account_id, ":root")},
            "Action": list(KEY_ADMIN_ACTIONS), "Resource": "*"}


def sso_role_pattern(account_id: pulumi.Input[str], permission_set: str) -> pulumi.Output[str]:
    """Every role Identity Center makes for a permission set in an account: their path is
    /aws-reserved/sso.amazonaws.com/ (plus the region, outside us-east-1) and their name
    AWSReservedSSO_<permission set name>_<suffix>
    (https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html)."""
    return pulumi.Output.concat("arn:aws:iam::", account_id,
                                ":role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_",
                                permission_set, "_*")


def log_reader_policy(*, bucket: str, region: str, log_archive_account_id: str,
                      kms_alias: str) -> dict:
    """The built-in `audit_log_reader` customer policy: list the archive, get log files, and
    decrypt them through S3 with the log key, which is named by its alias (the key is made
    after Identity Center's policies: https://docs.aws.amazon.com/kms/latest/developerguide/alias-authorization.html).
    The key policy must also let the role in (key_policy's reader_permission_sets)."""
    arn = f"arn:aws:s3:::{bucket}"
    return {"Version": VERSION, "Statement": [
        {"Sid": "ListLogArchive", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": arn},
        {"Sid": "ReadLogFiles", "Effect": "Allow", "Action": "s3:GetObject",
         "Resource": f"{arn}/*"},
        {"Sid": "DecryptLogFilesThroughS3", "Effect": "Allow", "Action": "kms:Decrypt",
         "Resource": f"arn:aws:kms:{region}:{log_archive_account_id}:key/*",
         "Condition": {"ForAnyValue:StringEquals": {"kms:ResourceAliases": kms_alias},
                       "StringEquals": {"kms:ViaService": f"s3.{region}.amazonaws.com"}}},
    ]}


def key_policy(*, region: str, log_archive_account_id: pulumi.Input[str],
               management_account_id: pulumi.Input[str], trail: pulumi.Input[str],
               readers: Sequence[pulumi.Input[str]] = (),
               reader_permission_sets: Sequence[str] = ()) -> dict:
    """The log key: the log archive account administers it, CloudTrail encrypts with it for
    our trail only, readers decrypt through S3 only: the config's `readers`, and the roles of
    the permission sets holding the built-in `audit_log_reader` policy in the log archive
    account (its root principal, narrowed to those roles by `aws:PrincipalArn`).

    CloudTrail statements:
    https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
    and, for an organization trail, Control Tower's form, which adds kms:Decrypt (needed when
    the bucket uses an S3 Bucket Key, as ours does):
    https://docs.aws.amazon.com/controltower/latest/userguide/configure-kms-keys.html
    In a key policy, Resource "*" means this key.
    """
    from_trail = {"aws:SourceArn": trail}
    statements = [
        key_administrator("AllowLogArchiveAccountToAdministerKey", log_archive_account_id),
        {"Sid": "AllowCloudTrailToEncryptLogs", "Effect": "Allow",
         "Principal": {"Service": CLOUDTRAIL},
         "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*",
         "Condition": {
             "StringEquals": from_trail,
             "StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": pulumi.Output.concat(
                 "arn:aws:cloudtrail:*:", management_account_id, ":trail/*")}}},
        {"Sid": "AllowCloudTrailToDescribeKey", "Effect": "Allow",
         "Principal": {"Service": CLOUDTRAIL}, "Action": "kms:DescribeKey", "Resource": "*",
         "Condition": {"StringEquals": from_trail}},
    ]
    # Through S3 only: with a Bucket Key the decrypt carries the bucket's encryption context,
    # not the trail's, so the usual CloudTrail context condition would not match.
    through_s3 = {"kms:ViaService": f"s3.{region}.amazonaws.com"}
    if readers:
        statements.append(
            {"Sid": "AllowLogReadersToDecryptThroughS3", "Effect": "Allow",
             "Principal": {"AWS": list(readers)}, "Action": "kms:Decrypt", "Resource": "*",
             "Condition": {"StringEquals": through_s3}})
    if reader_permission_sets:
        statements.append(
            {"Sid": "AllowLogReaderPermissionSetsToDecryptThroughS3", "Effect": "Allow",
             "Principal": {"AWS": pulumi.Output.concat("arn:aws:iam::", log_archive_account_id,
                                                       ":root")},
             "Action": "kms:Decrypt", "Resource": "*",
             "Condition": {"StringEquals": through_s3, "ArnLike": {"aws:PrincipalArn": [
                 sso_role_pattern(log_archive_account_id, name)
                 for name in reader_permission_sets]}}})
    return {"Version": VERSION, "Statement": statements}


def log_group_arn(region: str, account_id: pulumi.Input[str], name: str) -> pulumi.Output[str]:
    """A log group's ARN as CloudWatch Logs puts it in its encryption context (no `:*`)."""
    return pulumi.Output.concat("arn:aws:logs:", region, ":", account_id, ":log-group:", name)


def log_group_key_policy(*, region: str, account_id: pulumi.Input[str],
                         log_group: pulumi.Input[str]) -> dict:
    """The key of the trail's CloudWatch Logs group: its account administers it, CloudWatch
    Logs of the home region uses it for that one log group only (AWS's documented statement:
    https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
    Readers need no key permission: CloudWatch Logs decrypts for whoever may read the group.
    """
    return {"Version": VERSION, "Statement": [
        key_administrator("AllowAccountToAdministerKey", account_id),
        {"Sid": "AllowCloudWatchLogsForTheTrailLogGroup", "Effect": "Allow",
         "Principal": {"Service": f"logs.{region}.amazonaws.com"},
         "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                    "kms:Describe*"],
         "Resource": "*",
         "Condition": {"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": log_group}}}]}


def cloudwatch_trust_policy(trail: pulumi.Input[str]) -> dict:
    """Only CloudTrail, and only for our trail, may assume the delivery role."""
    return {"Version": VERSION, "Statement": [
        {"Sid": "AllowCloudTrailForThisTrail", "Effect": "Allow",
         "Principal": {"Service": CLOUDTRAIL}, "Action": "sts:AssumeRole",
         "Condition": {"StringEquals": {"aws:SourceArn": trail}}}]}


def cloudwatch_delivery_policy(*, log_group_arn: pulumi.Input[str],
                               management_account_id: pulumi.Input[str],
                               organization_id: pulumi.Input[str], region: str) -> dict:
    """Create streams and put events in our log group, in the streams CloudTrail names for the
    management account and for the organization:
    https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html
    """
    streams = [
        pulumi.Output.concat(log_group_arn, ":log-stream:", management_account_id,
                             "_CloudTrail_", region, "*"),
        pulumi.Output.concat(log_group_arn, ":log-stream:", organization_id, "_*"),
    ]
    return {"Version": VERSION, "Statement": [
        {"Sid": "AWSCloudTrailCreateLogStream20141101", "Effect": "Allow",
         "Action": "logs:CreateLogStream", "Resource": streams},
        {"Sid": "AWSCloudTrailPutLogEvents20141101", "Effect": "Allow",
         "Action": "logs:PutLogEvents", "Resource": streams}]}
