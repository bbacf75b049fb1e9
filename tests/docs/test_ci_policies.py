"""The IAM policies docs/ci.md asks users to create: valid, linted, in step with the program."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from parliament import analyze_policy_string

PAGE = Path(__file__).resolve().parents[2] / "docs" / "ci.md"


def policies() -> dict[str, dict]:
    """File name (the backticked line above each block) -> parsed JSON."""
    text = PAGE.read_text(encoding="utf-8")
    found = {}
    for name, body in re.findall(r"^`([\w-]+\.json)`(?:(?!```).)*?```json\n(.*?)```", text, re.S | re.M):
        found[name] = json.loads(body)
    return found


def test_every_json_block_is_named_and_parses():
    blocks = re.findall(r"```json\n", PAGE.read_text(encoding="utf-8"))
    assert len(policies()) == len(blocks) == 6


@pytest.mark.parametrize("name", [n for n, p in policies().items()
                                  if "Principal" not in json.dumps(p)])
def test_permission_policies_pass_parliament(name):
    # Placeholders stand where ids go; parliament checks actions, resources and conditions.
    text = (json.dumps(policies()[name])
            .replace("MANAGEMENT_ACCOUNT_ID", "111111111111")
            .replace("STATE_ACCOUNT_ID", "222222222222")
            .replace("LOG_ARCHIVE_ACCOUNT_ID", "333333333333")
            .replace("STATE_KMS_KEY_ARN", "arn:aws:kms:us-east-1:222222222222:key/example")
            .replace("ORGANIZATION_ID", "o-exampleorg1"))
    findings = [(f.issue, f.detail) for f in analyze_policy_string(text).findings]
    assert findings == []


def test_state_writer_matches_the_policy_the_program_builds():
    state_writer = pytest.importorskip("components.policies.state_writer").state_writer
    assert policies()["state-write-permissions.json"] == state_writer(
        bucket_arn="arn:aws:s3:::STATE_BUCKET", kms_key_arn="STATE_KMS_KEY_ARN")


def test_preview_state_access_is_read_only():
    actions = {a for s in policies()["state-read-permissions.json"]["Statement"]
               for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])}
    assert actions == {"s3:ListBucket", "s3:GetObject", "kms:Decrypt"}


@pytest.mark.parametrize("name, subject", [
    ("preview-trust.json", "repo:OWNER/REPO:pull_request"),
    ("deploy-trust.json", "repo:OWNER/REPO:environment:production"),
])
def test_oidc_trust_is_scoped_to_the_repository_and_the_event(name, subject):
    [statement] = policies()[name]["Statement"]
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert statement["Principal"]["Federated"].endswith(
        ":oidc-provider/token.actions.githubusercontent.com")
    # StringEquals, not StringLike with wildcards and never ForAllValues (it matches when the
    # claim is absent): configure-aws-credentials README, "Claims and scoping permissions".
    assert statement["Condition"] == {"StringEquals": {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": subject}}


def test_the_preview_reaches_the_key_accounts_only():
    """No provider reaches any other member account (docs/scale.md): nor may the preview."""
    [_, key_accounts] = policies()["preview-permissions.json"]["Statement"]
    assert key_accounts["Resource"] == [
        "arn:aws:iam::STATE_ACCOUNT_ID:role/OrganizationAccountAccessRole",
        "arn:aws:iam::LOG_ARCHIVE_ACCOUNT_ID:role/OrganizationAccountAccessRole"]
    assert "Condition" not in key_accounts
