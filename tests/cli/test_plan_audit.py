"""`./lz plan` of the example organization shows the trail, the log archive and the guardrails,
and `--json` carries their inputs (what an operator reviews before the first `pulumi up`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.main import main

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "organization.yaml"


def run_plan(capsys, *args: str) -> str:
    assert main(["plan", str(EXAMPLE), "--no-local", *args]) == 0
    return capsys.readouterr().out


def test_the_text_plan_shows_trail_archive_and_guardrails(capsys):
    out = run_plan(capsys)
    assert "audit  landing-zone:audit:AuditLogging" in out
    assert "audit-trail  aws:cloudtrail:Trail  @master  [protected]" in out
    assert "audit-key  aws:kms:Key  @log_archive  [protected]" in out
    assert "audit-bucket  aws:s3:Bucket  @log_archive  [protected, retained on delete]" in out
    assert "audit-bucket-policy  aws:s3:BucketPolicy  @log_archive" in out
    assert "guardrails  landing-zone:guardrails:Guardrails" in out
    assert "guardrails-builtin-root  aws:organizations:Policy  @master" in out
    assert "guardrails-builtin-root-root  aws:organizations:PolicyAttachment  @master" in out


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_the_json_plan_carries_their_inputs(capsys, preview):
    document = json.loads(run_plan(capsys, "--json", *(["--preview"] if preview else [])))
    by_name = {(r["type"], r["name"]): r for r in document["resources"]}
    trail = by_name[("aws:cloudtrail/trail:Trail", "audit-trail")]
    assert trail["account"] == "master" and trail["protect"]
    assert {k: trail["inputs"][k] for k in ("name", "s3BucketName", "isOrganizationTrail",
                                            "isMultiRegionTrail", "includeGlobalServiceEvents",
                                            "enableLogFileValidation")} == {
        "name": "acme-lz-organization-trail", "s3BucketName": "acme-lz-audit-logs",
        "isOrganizationTrail": True, "isMultiRegionTrail": True,
        "includeGlobalServiceEvents": True, "enableLogFileValidation": True}
    policy = by_name[("aws:s3/bucketPolicy:BucketPolicy", "audit-bucket-policy")]
    assert policy["account"] == "log_archive"
    assert policy["urn"] in trail["dependencies"]
    key = by_name[("aws:kms/key:Key", "audit-key")]
    assert key["account"] == "log_archive" and key["inputs"]["enableKeyRotation"] is True
    scp = by_name[("aws:organizations/policy:Policy", "guardrails-builtin-root")]
    assert scp["inputs"]["name"] == "acme-lz-guardrails-root"
    assert scp["inputs"]["type"] == "SERVICE_CONTROL_POLICY"
    outputs = document["outputs"]
    assert outputs["audit"]["bucket"] == "acme-lz-audit-logs"
    assert outputs["guardrails"]["builtin:root"]["targets"] == ["root"]
    if not preview:
        bucket_policy = json.loads(policy["inputs"]["policy"])
        assert [s["Sid"] for s in bucket_policy["Statement"]] == [
            "AWSCloudTrailAclCheck20150319", "AWSCloudTrailWrite20150319",
            "AWSCloudTrailOrganizationWrite20150319", "DenyInsecureTransport"]
        statements = json.loads(scp["inputs"]["content"])["Statement"]
        assert {s["Sid"] for s in statements} >= {"DenyLeavingOrganization", "DenyRootUser",
                                                   "ProtectAccountAccessRole", "DenyTrailChanges"}
        assert outputs["audit"]["trail_arn"] == \
            "arn:aws:cloudtrail:us-east-1:111111111111:trail/acme-lz-organization-trail"
