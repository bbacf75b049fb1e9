"""Permission sets carry several documents as one inline policy (components/policies/inline.py)."""

from __future__ import annotations

import json

import pytest

from components.policies.inline import InlinePolicyError, combined_inline_policy

DENY = {"Sid": "DenyTheLandingZoneState", "Effect": "Deny", "Action": "s3:*",
        "Resource": "arn:aws:s3:::state/.pulumi/history/landing-zone/*"}
ALLOW = {"Sid": "ListStateBucket", "Effect": "Allow", "Action": "s3:ListBucket",
         "Resource": "arn:aws:s3:::state"}


def doc(*statements: dict) -> dict:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def test_the_same_statement_from_two_documents_is_sent_once():
    body = combined_inline_policy("deployer", [("sso.policies.a", doc(DENY, ALLOW)),
                                               ("sso.policies.b", doc(DENY))])
    assert json.loads(body)["Statement"] == [DENY, ALLOW]


def test_one_id_for_two_different_statements_is_refused_with_both_sources():
    with pytest.raises(InlinePolicyError) as error:
        combined_inline_policy("deployer", [("sso.policies.a", doc(DENY)),
                                            ("sso.policies.b", doc({**DENY, "Action": "kms:*"}))])
    assert str(error.value) == (
        "sso.permission_sets.deployer: statement id 'DenyTheLandingZoneState' is in both "
        "sso.policies.a and sso.policies.b, and one inline policy needs distinct ids. "
        "Rename one of them.")
