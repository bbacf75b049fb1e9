"""The built-in `sso_terraform_state_writer` customer policy: use the Pulumi state backend.

What the backend and the secrets provider call, and nothing more:
- the self-managed S3 backend lists the bucket (stacks, history, locks under `.pulumi/`) and
  reads, writes and deletes objects (checkpoints and lock files);
- the bucket encrypts with SSE-KMS, so writing an object needs `kms:GenerateDataKey` and reading
  one (or finishing a multipart upload) needs `kms:Decrypt`
  (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html);
- the `awskms://` secrets provider encrypts and decrypts the stack's data key with `kms:Encrypt`
  and `kms:Decrypt` (gocloud.dev/secrets/awskms, which Pulumi uses: google/go-cloud
  secrets/awskms/kms.go).
`kms:DescribeKey` and the wider `kms:GenerateDataKey*` are left out: neither caller uses them.
Old state versions stay out of reach (no `s3:DeleteObjectVersion`), so history survives a
mistaken `pulumi stack rm`. The landing zone's own stack is read-only (a StackReference reads
its checkpoint) and its history, locks and secrets key are denied outright (its bucket and key
policies deny the same: components/policies/state_access.py).
"""

from __future__ import annotations

from collections.abc import Sequence

VERSION = "2012-10-17"
BUCKET_ACTIONS = ("s3:ListBucket",)
OBJECT_ACTIONS = ("s3:GetObject", "s3:PutObject", "s3:DeleteObject")
KEY_ACTIONS = ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey")


def landing_zone_state_denies(private_arns: Sequence[str],
                              checkpoint_arns: Sequence[str]) -> list[dict]:
    """Identity-side denies on the landing zone's own stack: nothing on its private objects and
    key, nothing but reading on its checkpoints (StackReference reads them)."""
    out = []
    if private_arns:
        out.append({"Sid": "DenyTheLandingZoneState", "Effect": "Deny",
                    "Action": ["s3:*", "kms:*"], "Resource": sorted(private_arns)})
    if checkpoint_arns:
        out.append({"Sid": "DenyWritingTheLandingZoneStack", "Effect": "Deny",
                    "NotAction": ["s3:GetObject", "s3:GetObjectVersion"],
                    "Resource": sorted(checkpoint_arns)})
    return out


def state_writer(*, bucket_arn: str, kms_key_arn: str, kms_alias: str | None = None,
                 landing_zone_state_arns: Sequence[str] = (),
                 landing_zone_checkpoint_arns: Sequence[str] = ()) -> dict:
    """Read and write Pulumi state in the bucket, with its key.

    `kms_alias`, for a backend this stack does not build: its key is known by alias only, so
    `kms_key_arn` covers the account's keys (`.../key/*`) and the alias pins the one
    (https://docs.aws.amazon.com/kms/latest/developerguide/alias-authorization.html).
    """
    use_key = {"Sid": "UseStateKey", "Effect": "Allow", "Action": list(KEY_ACTIONS),
               "Resource": kms_key_arn}
    if kms_alias is not None:
        use_key["Condition"] = {"ForAnyValue:StringEquals": {"kms:ResourceAliases": kms_alias}}
    statements = [
        {"Sid": "ListStateBucket", "Effect": "Allow", "Action": list(BUCKET_ACTIONS),
         "Resource": bucket_arn},
        {"Sid": "ReadWriteStateObjects", "Effect": "Allow", "Action": list(OBJECT_ACTIONS),
         "Resource": f"{bucket_arn}/*"},
        use_key,
    ]
    statements += landing_zone_state_denies(landing_zone_state_arns, landing_zone_checkpoint_arns)
    return {"Version": VERSION, "Statement": statements}
