"""LZ25x/LZ35x: audit logging and guardrails, checked offline.

One minimal failing YAML per rule, appended to a small organization that has a log archive
account (its first appended line is line 8), asserting the exact rendered problems; then the
defaults, the quota arithmetic, and custom SCP files read by the loader.
"""

from __future__ import annotations

import json

import pytest

from config.guardrails import audit_logging_on, planned_scps
from config.rules import guardrails

BASE = """\
organization:
  aws_region: us-east-1
  key_accounts: {master: master, log_archive: logs}
  tokens: {namespace: acme}
accounts:
  master: {name: Management, email: root@example.com}
  logs: {name: Logs, email: logs@example.com}
"""
AUDIT_READERS = """\
sso:
  groups:
    auditors: {name: Auditors, account_permission_sets: %s}
  permission_sets:
    reader: {name: AuditLogReader, policies: [audit_log_reader]}
  policies:
    audit_log_reader: {name: AuditLogReader}
"""
DENY_ALL = "{Version: '2012-10-17', Statement: [{Effect: Deny, Action: 'ec2:*', Resource: '*'}]}"
READERS_FIX = ("Readers are managed account keys or IAM principal ARNs "
               "(arn:aws:iam::<account id>:role/<name>).")

CASES = [
    pytest.param("builtin_names", """\
guardrails:
  builtin:
    deny_root_users: root
""", ["organization.yaml:10: error LZ250: guardrails.builtin.deny_root_users: unknown built-in "
      "guardrail 'deny_root_users'. Did you mean 'deny_root_user'? Your own SCPs go under "
      "guardrails.custom."], id="LZ250-unknown-built-in"),
    pytest.param("builtin_names", """\
guardrails:
  builtin:
    protect_s3_public_access_block: root
""", ["organization.yaml:10: error LZ250: guardrails.builtin.protect_s3_public_access_block: "
      "unknown built-in guardrail 'protect_s3_public_access_block'. The organization's S3 "
      "policy (guardrails.s3_block_public_access) now sets every account's S3 public access "
      "block, and AWS refuses account-level changes while it is in force, so this SCP is gone: "
      "delete the key."], id="LZ250-retired-built-in"),
    pytest.param("targets", """\
guardrails:
  builtin:
    deny_root_user: ['ou:workload', dev, master]
organizational_units:
  workloads: {name: Workloads}
""", ["organization.yaml:10: error LZ251: guardrails.builtin.deny_root_user[0]: unknown "
      "organizational unit 'workload' in target 'ou:workload'. Did you mean 'workloads'?",
      "organization.yaml:10: error LZ251: guardrails.builtin.deny_root_user[1]: unknown target "
      "'dev'. Use one of 'logs', 'master'. Targets are 'root', 'ou:<OU key>' or account keys.",
      "organization.yaml:10: warning LZ359: guardrails.builtin.deny_root_user[2]: SCPs never "
      "apply to the management account: this attachment has no effect. Remove the management "
      "account from the targets."], id="LZ251-LZ359-targets"),
    pytest.param("targets", """\
guardrails:
  custom:
    mine: {document: %s, targets: ['ou:old']}
organizational_units:
  old: {name: Old, id: ou-ab12-cdef3456, action: remove}
""" % DENY_ALL, ["organization.yaml:10: error LZ251: guardrails.custom.mine.targets[0]: "
                 "organizational unit 'old' is being released. Attach the guardrail to a "
                 "managed OU."], id="LZ251-released-ou"),
    pytest.param("per_target_quota", "guardrails:\n  custom:\n" + "".join(
        f"    c{i}: {{document: {DENY_ALL}, targets: root}}\n" for i in range(3)),
        ["organization.yaml:12: error LZ350: guardrails.custom.c2: 5 SCPs would be attached to "
         "'root' (the shared built-in SCP (deny_leaving_organization, deny_root_user, "
         "deny_unencrypted_volumes, protect_account_access_role, protect_audit_logging, "
         "protect_state_backend); 'protect_security_services'; "
         "'c0'; 'c1'; 'c2'); AWS allows 5 per target and AWS's FullAWSAccess is one of "
         "them. Keep it to 4: attach some to a parent OU or the root (SCPs are inherited), or "
         "merge custom guardrails."], id="LZ350-quota"),
    pytest.param("custom_documents", """\
guardrails:
  custom:
    mine: {targets: root}
""", ["organization.yaml:10: error LZ254: guardrails.custom.mine: custom guardrail 'mine' has no "
      "document. Add 'document_file:' (a JSON file next to the config) or 'document:'."],
        id="LZ254-no-document"),
    pytest.param("custom_documents", "guardrails:\n  custom:\n    big: {targets: logs, document: "
                 "{Version: '2012-10-17', Statement: [{Effect: Deny, Action: ["
                 + ", ".join(f"'ec2:Action{i:04d}'" for i in range(300)) + "], Resource: '*'}]}}\n",
                 ["organization.yaml:10: error LZ351: guardrails.custom.big.document: SCP is 5182 "
                  "characters without whitespace; AWS allows 5120. Split it into two guardrails, "
                  "or use wildcards in actions."], id="LZ351-size"),
    pytest.param("custom_documents", """\
guardrails:
  custom:
    bad: {targets: logs, document: {Version: '2012-10-17', Statement: [{Effect: Deny, Principal: '*', Resource: '*'}]}}
""", ["organization.yaml:10: error LZ352: guardrails.custom.bad.document: statement 0 needs "
      "exactly one of Action and NotAction. See the SCP syntax in docs/guardrails.md.",
      "organization.yaml:10: error LZ352: guardrails.custom.bad.document: statement 0 names a "
      "Principal: SCPs apply to every principal of the accounts they are attached to and take "
      "none. See the SCP syntax in docs/guardrails.md."], id="LZ352-grammar"),
    pytest.param("policy_names", """\
guardrails:
  custom:
    deny_root_user: {targets: logs, document: %s}
    other: {name: acme-guardrails-root, targets: logs, document: %s}
""" % (DENY_ALL, DENY_ALL), [
        "organization.yaml:10: error LZ256: guardrails.custom.deny_root_user: 'deny_root_user' "
        "is a built-in guardrail name. Use guardrails.builtin.deny_root_user to attach the "
        "built-in, or give your own SCP another key.",
        "organization.yaml:11: error LZ256: guardrails.custom.other.name: SCP name "
        "'acme-guardrails-root' is already used by the shared built-in SCP "
        "(deny_leaving_organization, deny_root_user, deny_unencrypted_volumes, "
        "protect_account_access_role, protect_audit_logging, protect_state_backend). SCP names "
        "are unique in an organization: pick another "
        "name."], id="LZ256-names"),
    pytest.param("policy_names", """\
guardrails:
  custom:
    mine: {name: '%s', description: '%s', targets: logs, document: %s}
""" % ("n" * 129, "d" * 513, DENY_ALL), [
        "organization.yaml:10: error LZ256: guardrails.custom.mine.description: SCP descriptions "
        "are at most 512 characters. Shorten the description.",
        "organization.yaml:10: error LZ256: guardrails.custom.mine.name: SCP names are 1-128 "
        "characters. Shorten the name."], id="LZ256-lengths"),
    pytest.param("region_deny", """\
guardrails:
  builtin:
    deny_unapproved_regions: root
""", [], id="LZ353-region-deny-needs-no-list"),
    pytest.param("region_deny", """\
guardrails:
  builtin:
    deny_unapproved_regions: root
  allowed_regions: [eu-west-1, Europe]
""", ["organization.yaml:11: warning LZ353: guardrails.allowed_regions: "
      "guardrails.allowed_regions is the old name of organization.governed_regions: it makes "
      "us-east-1, Europe, eu-west-1 the governed regions (the baseline is built there). Move the "
      "list to organization.governed_regions and delete guardrails.allowed_regions.",
      "organization.yaml:11: error LZ353: guardrails.allowed_regions[1]: 'Europe' is not an AWS "
      "region. Use a region code such as us-east-1 or eu-west-1 (a region launched since this "
      "botocore release needs a newer botocore)."], id="LZ353-old-name"),
    pytest.param("audit_readers", """\
audit_logging:
  readers: [log, 'arn:aws:iam::123456789012:role/Auditor', 'arn:aws:iam::1234:role/x']
""", ["organization.yaml:9: error LZ253: audit_logging.readers[0]: unknown reader 'log'. Did you "
      f"mean 'logs'? {READERS_FIX}",
      "organization.yaml:9: error LZ253: audit_logging.readers[2]: unknown reader "
      f"'arn:aws:iam::1234:role/x'. Use one of 'logs', 'master'. {READERS_FIX}"],
        id="LZ253-readers"),
    pytest.param("audit_names", """\
audit_logging:
  trail_name: my--trail
  kms_alias: alias/aws/trail
  bucket: Acme_Logs
""", ["organization.yaml:9: error LZ356: audit_logging.trail_name: trail name 'my--trail' must be "
      "3-128 letters, digits, '.', '_' and '-', start and end with a letter or digit, with no "
      "two punctuation marks in a row. Adjust the name or the namespace token that builds it.",
      "organization.yaml:10: error LZ357: audit_logging.kms_alias: 'alias/aws/trail' is not a "
      "KMS alias name AWS accepts. Use alias/ followed by letters, digits, '/', '_' and '-' "
      "(alias/aws/ is reserved).",
      "organization.yaml:11: error LZ315: audit_logging.bucket: bucket name 'Acme_Logs' must be "
      "3-63 characters of lowercase letters, digits, dots and hyphens, starting and ending with "
      "a letter or digit. Adjust the name or the tokens that build it."], id="LZ356-LZ357-names"),
    pytest.param("audit_names", "audit_logging:\n  bucket: acme-pulumi-state\n", [
        "organization.yaml:9: error LZ305: audit_logging.bucket: bucket name 'acme-pulumi-state' "
        "is already used by the state bucket. S3 bucket names are global: make each one "
        "distinct."], id="LZ305-taken-bucket"),
    pytest.param("audit_lifecycle", """\
audit_logging:
  retention_days: 90
  transition_days: 90
  transition_storage_class: STANDARD_IA
""", ["organization.yaml:10: error LZ354: audit_logging.transition_days: log files would move to "
      "STANDARD_IA after 90 days but expire after 90: S3 refuses that lifecycle. Transition "
      "before retention_days, or set transition_days: null."], id="LZ354-transition-too-late"),
    pytest.param("audit_lifecycle", """\
audit_logging:
  transition_days: 10
  transition_storage_class: ONEZONE_IA
  object_lock: {days: 400}
  cloudwatch_logs: {enabled: true, retention_days: 100}
""", ["organization.yaml:9: error LZ354: audit_logging.transition_days: S3 moves objects to "
      "ONEZONE_IA after 30 days at the earliest. Use at least 30, or GLACIER_IR.",
      "organization.yaml:11: warning LZ361: audit_logging.object_lock.days: log files stay "
      "locked for 400 days, longer than their 365-day retention: they are deleted only when the "
      "lock ends. Lock for at most retention_days.",
      "organization.yaml:12: error LZ355: audit_logging.cloudwatch_logs.retention_days: "
      "CloudWatch Logs does not accept a retention of 100 days. Use one of 1, 3, 5, 7, 14, 30, "
      "60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."],
        id="LZ354-LZ355-LZ361-lifecycle"),
    pytest.param("audit_data_events", """\
audit_logging:
  data_events: [s3-objects, 'AWS::S3::Object']
""", ["organization.yaml:9: error LZ358: audit_logging.data_events[0]: 's3-objects' is not a "
      "CloudTrail resource type. Use the form AWS::Service::Type, e.g. AWS::S3::Object or "
      "AWS::Lambda::Function."], id="LZ358-data-events"),
    pytest.param("audit_reader_permission_sets", AUDIT_READERS % "{logs: reader, master: reader}",
                 ["organization.yaml:12: warning LZ362: sso.permission_sets.reader.policies[0]: "
                  "permission set 'reader' reads the audit log archive, which only its roles in "
                  "'logs' can decrypt; it is also assigned in master. Assign it in 'logs' only."],
                 id="LZ362-reader-outside-the-archive"),
    pytest.param("audit_reader_permission_sets",
                 AUDIT_READERS % "{logs: reader}" + "audit_logging: {enabled: false}\n",
                 ["organization.yaml:12: error LZ257: sso.permission_sets.reader.policies[0]: "
                  "permission set 'reader' reads the audit log archive (audit_log_reader), and "
                  "audit logging is off. Turn audit logging on, or remove audit_log_reader."],
                 id="LZ257-reader-without-audit-logging"),
]


@pytest.fixture
def audit_problems(problems):
    return lambda text: problems(BASE + text)


@pytest.mark.parametrize(("rule", "text", "expected"), CASES)
def test_rule(audit_problems, rule, text, expected):
    assert audit_problems(text) == expected


def test_allowed_regions_must_agree_with_the_governed_regions(problems):
    text = BASE.replace("  aws_region: us-east-1\n",
                        "  aws_region: us-east-1\n  governed_regions: [eu-west-1]\n")
    assert problems(text + "guardrails:\n  builtin:\n    deny_unapproved_regions: root\n"
                           "  allowed_regions: [us-east-1]\n") == [
        "organization.yaml:12: error LZ353: guardrails.allowed_regions: "
        "guardrails.allowed_regions (us-east-1) disagrees with organization.governed_regions "
        "(us-east-1, eu-west-1): the region deny leaves open exactly the governed regions. "
        "Delete guardrails.allowed_regions."]


def test_every_rule_has_a_case():
    assert {case.values[0] for case in CASES} | {"audit_log_archive_account"} == {
        rule.__name__ for rule in guardrails.RULES}


def test_explicit_audit_logging_needs_a_log_archive_account(minimal_problems):
    """LZ252: on by default only where a log archive account exists; asked for, it needs one."""
    assert minimal_problems("audit_logging:\n  enabled: true\n") == [
        "organization.yaml:8: error LZ252: audit_logging.enabled: audit logging needs a "
        "log_archive key account for its bucket and key. Add 'log_archive: <account key>' under "
        "organization.key_accounts, or remove audit_logging.enabled."]


def test_defaults_are_valid_and_on_where_safe(load_text, minimal):
    with_archive = load_text(BASE).config
    assert load_text(BASE).warnings == ()
    assert audit_logging_on(with_archive)
    assert not audit_logging_on(load_text(minimal).config)  # no account to hold the logs
    assert with_archive.guardrails.builtin["deny_unapproved_regions"] == []
    [shared, services] = planned_scps(with_archive)
    assert shared.targets == ("root",) and len(shared.guardrails) == 6
    assert services.key == "protect_security_services" and services.targets == ("root",)


def test_every_built_in_on_one_target_and_one_custom_fit_the_quota(audit_problems):
    """All built-ins but the region deny and the security services' protection share one SCP:
    with those two, 3 of the 4 slots."""
    text = ("guardrails:\n  builtin:\n    deny_unapproved_regions: root\n"
            "  custom:\n"
            + "".join(f"    c{i}: {{document: {DENY_ALL}, targets: root}}\n" for i in range(1)))
    assert audit_problems(text) == []


def test_the_quota_counts_the_region_deny_on_its_own(audit_problems):
    text = ("guardrails:\n  builtin:\n    deny_unapproved_regions: logs\n    deny_root_user: logs\n"
            "  custom:\n"
            + "".join(f"    c{i}: {{document: {DENY_ALL}, targets: logs}}\n" for i in range(3)))
    assert audit_problems(text) == [
        "organization.yaml:15: error LZ350: guardrails.custom.c2: 5 SCPs would be attached to "
        "'logs' (the shared built-in SCP (deny_root_user); 'deny_unapproved_regions'; 'c0'; "
        "'c1'; 'c2'); AWS allows 5 per target and AWS's FullAWSAccess is one of them. Keep it "
        "to 4: attach some to a parent OU or the root (SCPs are inherited), or merge custom "
        "guardrails."]


def test_scps_on_different_targets_do_not_add_up(audit_problems):
    text = "guardrails:\n  custom:\n" + "".join(
        f"    c{i}: {{document: {DENY_ALL}, targets: {t}}}\n"
        for i, t in enumerate(["root", "root", "logs", "logs", "logs", "logs"]))
    assert audit_problems(text) == []


def test_guardrails_switched_off_are_not_counted_or_checked(audit_problems):
    text = ("guardrails:\n  enabled: false\n  builtin:\n    deny_unapproved_regions: root\n"
            "  custom:\n" + "".join(f"    c{i}: {{document: {DENY_ALL}, targets: root}}\n"
                                    for i in range(5)))
    assert audit_problems(text) == []


def test_audit_logging_off_skips_its_checks_and_its_protection(audit_problems, load_text):
    text = "audit_logging:\n  enabled: false\n  bucket: Not_A_Bucket\n"
    assert audit_problems(text) == []
    [shared, _] = planned_scps(load_text(BASE + text).config)
    assert "protect_audit_logging" not in shared.guardrails


def test_custom_scp_files_are_read_beside_the_config(write, load_text):
    document = {"Version": "2012-10-17", "Statement": [
        {"Sid": "DenyLargeInstances", "Effect": "Deny", "Action": "ec2:RunInstances",
         "Resource": "*", "Condition": {"StringLike": {"ec2:InstanceType": "*.metal"}}}]}
    write(json.dumps(document), "scps/deny-large.json")
    config = load_text(BASE + "guardrails:\n  custom:\n    deny_large:\n"
                              "      document_file: scps/deny-large.json\n"
                              "      targets: root\n").config
    assert config.guardrails.custom["deny_large"].document == document


def test_unreadable_custom_scp_files(write, audit_problems):
    """LZ255: the loader reads custom SCP files as it reads SSO policy files."""
    write('{"Version": "2012-10-17",\n "Statement": [}\n', "broken.json")
    assert audit_problems("""\
guardrails:
  custom:
    missing: {document_file: scps/missing.json, targets: root}
    broken: {document_file: broken.json, targets: root}
""") == [
        "organization.yaml:10: error LZ255: guardrails.custom.missing.document_file: policy file "
        "'scps/missing.json' not found (looked in scps). Paths are relative to the config "
        "file's directory.",
        "organization.yaml:11: error LZ255: guardrails.custom.broken.document_file: policy file "
        "'broken.json' is not valid JSON: Expecting value at line 2. Fix the JSON (a linter or "
        "`python -m json.tool`)."]


def test_an_oversized_custom_file_is_reported_at_its_file_name(write, audit_problems):
    document = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Action": [f"ec2:Action{i:04d}" for i in range(300)], "Resource": "*"}]}
    write(json.dumps(document, indent=2), "big.json")
    [problem] = audit_problems("guardrails:\n  custom:\n    big: {document_file: big.json, "
                               "targets: logs}\n")
    assert problem.startswith("organization.yaml:10: error LZ351: "
                              "guardrails.custom.big.document_file: SCP is 5182 characters")
