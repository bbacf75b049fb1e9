"""AWS Config's names in the config: LZ218 when the recorder function's role would be longer
than IAM allows. The default access-log bucket name (LZ315) binds first; a shorter bucket
name format leaves the namespace room for this one to bind."""

from __future__ import annotations

import pytest

ORGANIZATION = """\
organization:
  aws_region: eu-west-1
  governed_regions: [eu-west-1, ap-southeast-1]
  key_accounts: {{master: master, security_tooling: security}}
  tokens: {{namespace: {namespace}}}
accounts:
  master: {{name: Management, email: root@example.com}}
  security: {{name: Security, email: security@example.com}}
access_logs: {{bucket_name_format: 'logs-{{account_id}}-{{region}}'}}
"""


def test_lz218_the_recorder_role_must_fit_iams_64_characters(problems):
    namespace = "n" * 30  # + "-aws-config-recorder-ap-southeast-1" (35) = 65
    assert problems(ORGANIZATION.format(namespace=namespace)) == [
        "organization.yaml:5: error LZ218: organization.tokens.namespace: AWS Config's recorder "
        f"role '{namespace}-aws-config-recorder-ap-southeast-1' is 65 characters; IAM allows 64. "
        "Shorten the namespace token by 1 characters, or set "
        "security_baseline.aws_config.enabled: false."]


@pytest.mark.parametrize("text", [
    ORGANIZATION.format(namespace="n" * 29),
    ORGANIZATION.format(namespace="n" * 30)
    + "security_baseline:\n  aws_config: {enabled: false}\n",
], ids=["64-characters", "config-off"])
def test_no_lz218_where_iam_accepts_the_names_or_config_is_off(problems, text):
    assert [p for p in problems(text) if "LZ218" in p] == []
