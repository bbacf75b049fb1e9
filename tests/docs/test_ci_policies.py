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
    assert len(policies()) == len(blocks) == 3


@pytest.mark.parametrize("name", [n for n, p in policies().items()
                                  if "Principal" not in json.dumps(p)])
def test_permission_policies_pass_parliament(name):
    # Placeholders stand where ids go; parliament checks actions, resources and conditions.
    text = (json.dumps(policies()[name])
            .replace("MANAGEMENT_ACCOUNT_ID", "111111111111")
            .replace("LANDING_ZONE_KMS_KEY_ARN", "arn:aws:kms:us-east-1:222222222222:key/lz")
            .replace("STATE_KMS_KEY_ARN", "arn:aws:kms:us-east-1:222222222222:key/example")
            .replace("ORGANIZATION_ID", "o-exampleorg1"))
    findings = [(f.issue, f.detail) for f in analyze_policy_string(text).findings]
    assert findings == []


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


def test_the_preview_role_reaches_member_accounts_only_through_the_read_only_role():
    """What it may do is the evaluator's to show (tests/policies/test_who_can_do_what.py)."""
    statements = {s["Sid"]: s for s in policies()["preview-permissions.json"]["Statement"]}
    assume = statements["ReadMemberAccountsThroughTheReadOnlyRole"]
    assert assume["Resource"] == "arn:aws:iam::*:role/landing-zone-read-only"
    assert assume["Condition"] == {"StringEquals": {"aws:ResourceOrgID": "ORGANIZATION_ID"}}
    assert statements["AssumeNoOtherRole"]["Effect"] == "Deny"
    assert statements["AssumeNoOtherRole"]["NotResource"] == assume["Resource"]
