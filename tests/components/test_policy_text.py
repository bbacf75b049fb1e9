"""Every policy document reaches AWS exactly as the size rules measured it (issue 11, item 3).

AWS counts a document as sent; the rules (LZ351 SCP 5,120, LZ314/LZ315 IAM and inline
policy sizes) measure `policy_text`. A document rendered with spaces would pass the rule
and be refused by AWS.
"""

from __future__ import annotations

import json

import pytest

from cli.plan import run_program
from config import load
from config.documents import policy_text
from config.rules.guardrails import MAX_SCP_CHARS
from config.rules.limits import policy_size

from tests.components.conftest import EXAMPLE_CONFIG

STATEMENT = {"Effect": "Deny", "Action": "ec2:*", "Resource": "*"}
EXTRAS = {
    "guardrails": {"custom": {"no_ec2": {"document": {
        "Version": "2012-10-17", "Statement": [STATEMENT]}, "targets": ["root"]}}},
    "sso": {"permission_sets": {"admin": {"inline_policy": {
        "Version": "2012-10-17", "Statement": [STATEMENT]}}}},
}

# Every resource input that carries a policy document: (type, input).
POLICY_INPUTS = [
    ("aws:organizations/policy:Policy", "content"),
    ("aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy", "inlinePolicy"),
    ("aws:s3/bucketPolicy:BucketPolicy", "policy"),
    ("aws:kms/key:Key", "policy"),
]


@pytest.fixture(scope="module")
def sent():
    config = load(EXAMPLE_CONFIG, overrides=EXTRAS, use_local=False).config
    return run_program(config)


@pytest.mark.parametrize(("type_", "field"), POLICY_INPUTS)
def test_documents_are_sent_as_measured(sent, type_, field):
    documents = [(r.urn, r.inputs[field]) for r in sent.of_type(type_)]
    assert documents, f"no {type_} in the plan"
    for urn, text in documents:
        assert text == policy_text(json.loads(text)), urn
        assert len(text) == policy_size(json.loads(text)), urn


def test_an_scp_at_the_limit_is_sent_at_the_limit():
    padding = MAX_SCP_CHARS - policy_size({"Version": "2012-10-17", "Statement": [
        {**STATEMENT, "Sid": ""}]})
    document = {"Version": "2012-10-17", "Statement": [{**STATEMENT, "Sid": "S" * padding}]}
    extras = {"guardrails": {"custom": {"big": {"document": document, "targets": ["root"]}}}}
    config = load(EXAMPLE_CONFIG, overrides=extras, use_local=False).config  # LZ351 passes
    scp = next(r for r in run_program(config).of_type("aws:organizations/policy:Policy")
               if "S" * padding in r.inputs["content"])
    assert len(scp.inputs["content"]) == MAX_SCP_CHARS
