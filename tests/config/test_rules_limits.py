"""LZ31x: AWS limits and formats checked offline, so `pulumi up` does not fail halfway.

Each case is appended to the minimal org (first line 7) or replaces a piece of it, and asserts
the exact problems.
"""

from __future__ import annotations

import pytest

from config.rules import limits

BUCKET_RULE = ("must be 3-63 characters of lowercase letters, digits, dots and hyphens, starting "
               "and ending with a letter or digit. Adjust the name or the tokens that build it.")
SIX_LEVELS = """\
organizational_units:
  l1: {name: L1}
  l2: {name: L2, parent: l1}
  l3: {name: L3, parent: l2}
  l4: {name: L4, parent: l3}
  l5: {name: L5, parent: l4}
  l6: {name: L6, parent: l5}
"""

CASES = [
    pytest.param("keys", "sso:\n  groups:\n    'ops team': {name: Ops}\n", [
        "organization.yaml:9: error LZ318: sso.groups.ops team: key 'ops team' has characters "
        "landing-zone cannot use in resource names. Use letters, digits, '_', '-' and '.', "
        "starting with a letter or digit."], id="LZ318-key"),
    pytest.param("accounts", f"  dev: {{name: '{'x' * 51}', email: dev@example.com}}\n", [
        f"organization.yaml:7: error LZ310: accounts.dev.name: account name '{'x' * 51}' must be "
        "1-50 printable ASCII characters. Shorten or simplify the name."], id="LZ310-account-name"),
    pytest.param("accounts", "  dev: {name: Dev, email: dev.example.com}\n", [
        "organization.yaml:7: error LZ311: accounts.dev.email: 'dev.example.com' is not an email "
        "address AWS accepts (6-64 characters, name@domain.tld). Fix the address or the tokens "
        "that build it."], id="LZ311-account-email"),
    pytest.param("accounts", "  dev: {name: Dev, email: dev@example.com, id: '12345'}\n", [
        "organization.yaml:7: error LZ317: accounts.dev.id: account id '12345' must be exactly 12 "
        "digits. Quote it in YAML ('012345678901') so leading zeros survive."], id="LZ317-account-id"),
    pytest.param("organizational_units", "organizational_units:\n  a: {name: ''}\n", [
        "organization.yaml:8: error LZ310: organizational_units.a.name: OU names are 1-128 "
        "characters. Shorten the name."], id="LZ310-ou-name"),
    pytest.param("organizational_units", "organizational_units:\n  a: {name: A, id: ou-123}\n", [
        "organization.yaml:8: error LZ317: organizational_units.a.id: 'ou-123' is not an OU id "
        "(ou-xxxx-xxxxxxxx). Copy the id from the Organizations console."], id="LZ317-ou-id"),
    pytest.param("organizational_units", SIX_LEVELS, [
        "organization.yaml:13: error LZ312: organizational_units.l6.parent: OU 'l6' is 6 levels "
        "deep; AWS allows 5 below the root. Flatten the tree."], id="LZ312-ou-depth"),
    pytest.param("region", ("us-east-1", "useast1"), [
        "organization.yaml:2: error LZ319: organization.aws_region: 'useast1' is not an AWS "
        "region. Did you mean 'us-east-1'?"], id="LZ319-region-typo"),
    pytest.param("region", ("us-east-1", "eu-west-9"), [
        "organization.yaml:2: error LZ319: organization.aws_region: 'eu-west-9' is not an AWS "
        "region. Did you mean 'eu-west-3'?"], id="LZ319-region-well-formed-but-unknown"),
    pytest.param("region", ("us-east-1", "Europe"), [
        "organization.yaml:2: error LZ319: organization.aws_region: 'Europe' is not an AWS "
        "region. Use a region code such as us-east-1 or eu-west-1 (a region launched since this "
        "botocore release needs a newer botocore)."], id="LZ319-region-far-off"),
    pytest.param("region", ("us-east-1", "us-gov-west-1"), [
        "organization.yaml:2: error LZ324: organization.aws_region: 'us-gov-west-1' is in the "
        "aws-us-gov partition; landing-zone writes ARNs and service names of the aws partition "
        "only. Use a commercial region. AWS GovCloud (aws-us-gov), China (aws-cn) and the "
        "isolated partitions are not supported."], id="LZ324-govcloud"),
    pytest.param("permission_sets", "sso:\n  permission_sets:\n    admin: {name: Full Admin}\n", [
        "organization.yaml:9: error LZ313: sso.permission_sets.admin.name: permission set name "
        "'Full Admin' must be 1-32 characters of letters, digits and +=,.@_-. Shorten it; spaces "
        "are not allowed."], id="LZ313-permission-set-name"),
    pytest.param("permission_sets",
                 "sso:\n  permission_sets:\n    admin: {name: Admin, session_duration: PT13H}\n", [
        "organization.yaml:9: error LZ314: sso.permission_sets.admin.session_duration: session "
        "duration 'PT13H' must be an ISO 8601 duration from PT1H to PT12H. For example PT1H, PT4H "
        "or PT8H30M."], id="LZ314-session-duration"),
    *[pytest.param("permission_sets", "sso:\n  permission_sets:\n"
                   f"    admin: {{name: Admin, description: '{text}'}}\n", [
        "organization.yaml:9: error LZ310: sso.permission_sets.admin.description: permission set "
        "descriptions are 1-700 characters of Latin-1 text (no emoji or other scripts). Shorten "
        "or simplify the description."], id=f"LZ310-permission-set-description-{why}")
      for why, text in (("length", "d" * 701), ("characters", "Admins \u2713"))],
    pytest.param("permission_sets", "sso:\n  permission_sets:\n    admin:\n      name: Admin\n"
                 f"      inline_policy: {{Statement: [{{Sid: '{'s' * 10_300}'}}]}}\n", [
        "organization.yaml:11: error LZ316: sso.permission_sets.admin.inline_policy: inline policy "
        "is 10326 characters; the limit is 10240. Move statements into AWS-managed policies or "
        "split the permission set."],
        id="LZ316-inline-policy"),
    pytest.param("sso_ids", "sso:\n  permission_sets:\n    admin: {name: Admin, id: ps-0123}\n", [
        "organization.yaml:9: error LZ317: sso.permission_sets.admin.id: 'ps-0123' is not a "
        "permission set ARN (arn:aws:sso:::permissionSet/ssoins-.../ps-...). Copy the ARN from "
        "the IAM Identity Center console, or run `./lz import`."], id="LZ317-permission-set-arn"),
    pytest.param("sso_ids", "sso:\n  groups: {admins: {name: Admins}}\n  users:\n    jane:\n"
                 "      email: jane@example.com\n      name: {given_name: Jane, family_name: Doe}\n"
                 "      groups: admins\n      group_membership_ids: {admins: m-1}\n", [
        "organization.yaml:14: error LZ317: sso.users.jane.group_membership_ids.admins: 'm-1' is "
        "not an identity store membership id. Run `./lz import` to read it, or delete the entry "
        "to create the membership."], id="LZ317-membership-id"),
    pytest.param("sso_ids", "sso:\n  groups: {admins: {name: Admins, id: g-1}}\n  users:\n"
                 "    jane: {email: j@example.com, name: {given_name: J, family_name: D}, id: jane}\n", [
        "organization.yaml:8: error LZ317: sso.groups.admins.id: 'g-1' is not an identity store "
        "group id (a UUID, optionally after a 10-character prefix). Copy it from the IAM Identity "
        "Center console, or run `./lz import`.",
        "organization.yaml:10: error LZ317: sso.users.jane.id: 'jane' is not an identity store user "
        "id (a UUID, optionally after a 10-character prefix). Copy it from the IAM Identity Center "
        "console, or run `./lz import`."], id="LZ317-group-and-user-ids"),
    pytest.param("urls", "sso:\n  start_url: http://acme.awsapps.com/start\n  permission_sets:\n"
                 f"    admin: {{name: Admin, relay_state: 'https://x/<{'y' * 240}>'}}\n", [
        "organization.yaml:8: error LZ321: sso.start_url: 'http://acme.awsapps.com/start' is not "
        "an https URL. Copy the AWS access portal URL from the IAM Identity Center console "
        "(Settings), or leave it unset.",
        "organization.yaml:10: error LZ321: sso.permission_sets.admin.relay_state: relay state "
        "must be 1-240 characters of letters, digits and URL punctuation. Use the console URL to "
        "open, e.g. https://console.aws.amazon.com/s3/."], id="LZ321-urls"),
    pytest.param("keys", f"sso:\n  users:\n    {'u' * 129}: {{email: u@example.com, name: "
                 "{given_name: U, family_name: U}}\n", [
        f"organization.yaml:9: error LZ318: sso.users.{'u' * 129}: user name '{'u' * 20}...' is "
        "129 characters; Identity Center allows 128. Shorten it."], id="LZ318-user-name-length"),
    pytest.param("identity_store_text", "sso:\n  groups:\n"
                 f"    admins: {{name: '{'g' * 1025}', description: ''}}\n  users:\n"
                 "    jane: {email: j@example.com, display_name: '', name: {given_name: '', "
                 "family_name: Doe}}\n", [
        "organization.yaml:9: error LZ310: sso.groups.admins.description: description must be "
        "1-1024 characters (it is 0). Shorten it, or fill it in.",
        "organization.yaml:9: error LZ310: sso.groups.admins.name: name must be 1-1024 characters "
        "(it is 1025). Shorten it, or fill it in.",
        "organization.yaml:11: error LZ310: sso.users.jane.display_name: display name must be "
        "1-1024 characters (it is 0). Shorten it, or fill it in.",
        "organization.yaml:11: error LZ310: sso.users.jane.name.given_name: given name must be "
        "1-1024 characters (it is 0). Shorten it, or fill it in."], id="LZ310-identity-store-text"),
    pytest.param("customer_policies", "sso:\n  policies:\n    w:\n      name: State Writer\n"
                 f"      path: landing-zone\n      description: '{'d' * 1001}'\n"
                 "      document: {Statement: []}\n", [
        "organization.yaml:10: error LZ322: sso.policies.w.name: IAM policy name 'State Writer' "
        "must be 1-128 characters of letters, digits and +=,.@_-. Rename it; spaces are not "
        "allowed.",
        "organization.yaml:11: error LZ322: sso.policies.w.path: IAM path 'landing-zone' must be "
        "'/' or '/segment/.../' (letters, digits and .,+@=_-; up to 512). For example "
        "/landing-zone/.",
        "organization.yaml:12: error LZ322: sso.policies.w.description: IAM policy descriptions "
        "are at most 1000 characters. Shorten the description."], id="LZ322-customer-policy"),
    pytest.param("tags", "  dev: {name: Dev, email: dev@example.com, tags: {'aws:owner': x, "
                 "team: 'a;b'}}\ntags: {" + ", ".join(f"t{i}: v" for i in range(49)) + "}\n", [
        "organization.yaml:7: error LZ323: accounts.dev.tags: 52 tags with the top-level tags and "
        "landing-zone:managed; AWS allows 50 per resource. Drop some tags.",
        "organization.yaml:7: error LZ323: accounts.dev.tags.aws:owner: tag 'aws:owner': keys "
        "beginning with 'aws:' are reserved for AWS. Use letters, digits, spaces and _.:/=+-@ "
        "only.",
        "organization.yaml:7: error LZ323: accounts.dev.tags.team: tag 'team': has characters AWS "
        "refuses in tags. Use letters, digits, spaces and _.:/=+-@ only."], id="LZ323-tags"),
    pytest.param("policy_documents",
                 "sso:\n  policies:\n    big:\n      name: Big\n"
                 f"      document: {{Statement: [{{Sid: '{'s' * 10_300}'}}]}}\n", [
        "organization.yaml:11: error LZ316: sso.policies.big.document: policy is 10326 characters "
        "without whitespace; an inline policy holds 10240. Split it across permission sets, or "
        "move statements into AWS-managed policies."],
        id="LZ316-customer-policy"),
    pytest.param("policy_documents",
                 "sso:\n  policies:\n    big:\n      name: Big\n      customer_managed: true\n"
                 f"      document: {{Statement: [{{Sid: '{'s' * 6_200}'}}]}}\n", [
        "organization.yaml:12: error LZ316: sso.policies.big.document: policy is 6226 characters "
        "without whitespace; an IAM managed policy holds 6144. Split it into two "
        "customer-managed policies, or drop 'customer_managed'."],
        id="LZ316-customer-managed-policy"),
    pytest.param("user_emails",
                 "sso:\n  users:\n    jane: {email: jane, name: {given_name: Jane, family_name: Doe}}\n", [
        "organization.yaml:9: error LZ311: sso.users.jane.email: 'jane' is not an email address. "
        "Fix the address or the tokens that build it."], id="LZ311-user-email"),
    pytest.param("buckets", "access_logs: {bucket_name_format: '{namespace}-{acount}-logs'}\n", [
        "organization.yaml:7: error LZ320: access_logs.bucket_name_format: unknown placeholder(s) "
        "['acount']. Only {namespace}, {account_id} and {region} are filled in."],
        id="LZ320-placeholder"),
    pytest.param("buckets", "access_logs: {bucket_name_format: '{namespace}-{region}-logs'}\n", [
        "organization.yaml:7: error LZ320: access_logs.bucket_name_format: the format lacks "
        "['account_id']: every account and region needs its own bucket, named by one StackSets "
        "template. Put {account_id} and {region} in the format, e.g. "
        "'{namespace}-s3-access-logs-{account_id}-{region}'."], id="LZ320-account-id-missing"),
    pytest.param("buckets", ("{namespace: acme}", "{namespace: Acme}"), [
        f"organization.yaml:1: error LZ315: access_logs.bucket_name_format: bucket name "
        f"'Acme-s3-access-logs-123456789012-us-east-1' {BUCKET_RULE}",
        f"organization.yaml:4: error LZ315: organization.tokens.namespace: bucket name "
        f"'Acme-pulumi-state' {BUCKET_RULE}"], id="LZ315-bucket-name"),
]


@pytest.mark.parametrize(("rule", "change", "expected"), CASES)
def test_rule(minimal_problems, rule, change, expected):
    assert minimal_problems(change) == expected


def test_every_rule_has_a_case():
    assert {case.values[0] for case in CASES} == {rule.__name__ for rule in limits.RULES}


def test_real_identity_center_ids_pass(minimal_problems):
    text = ("sso:\n  groups: {admins: {name: Admins}}\n  permission_sets:\n    admin:\n"
            "      name: Admin\n      id: arn:aws:sso:::permissionSet/ssoins-2938j0x8920sbj72/"
            "ps-80383020jr9302rk\n  users:\n    jane:\n      email: jane@example.com\n"
            "      name: {given_name: Jane, family_name: Doe}\n      groups: admins\n"
            "      group_membership_ids: {admins: 0123456789-0a1b2c3d-1111-2222-3333-444455556666}\n")
    assert minimal_problems(text) == []


def test_five_levels_are_allowed(minimal_problems):
    assert minimal_problems(SIX_LEVELS.replace("  l6: {name: L6, parent: l5}\n", "")) == []


@pytest.mark.parametrize("duration", ["PT1H", "PT12H", "PT8H30M", "PT90M", "PT720M"])
def test_session_durations_within_bounds(minimal_problems, duration):
    text = f"sso:\n  permission_sets:\n    admin: {{name: Admin, session_duration: {duration}}}\n"
    assert minimal_problems(text) == []


@pytest.mark.parametrize("duration", ["PT59M", "PT12H1M", "PT", "P1D", "1H", "pt1h"])
def test_session_durations_out_of_bounds(minimal_problems, duration):
    text = f"sso:\n  permission_sets:\n    admin: {{name: Admin, session_duration: {duration}}}\n"
    [problem] = minimal_problems(text)
    assert f"LZ314: sso.permission_sets.admin.session_duration: session duration '{duration}'" in problem


@pytest.mark.parametrize(("name", "why"), [
    ("ab", "must be 3-63 characters of lowercase letters, digits, dots and hyphens, starting and "
           "ending with a letter or digit"),
    ("a" * 64, "must be 3-63 characters of lowercase letters, digits, dots and hyphens, starting "
               "and ending with a letter or digit"),
    ("bucket-", "must be 3-63 characters of lowercase letters, digits, dots and hyphens, starting "
                "and ending with a letter or digit"),
    ("my..bucket", "must not contain two adjacent dots"),
    ("192.168.1.1", "must not look like an IP address"),
    ("xn--bucket", "uses a prefix or suffix that S3 reserves"),
    ("sthree-bucket", "uses a prefix or suffix that S3 reserves"),
    ("bucket-s3alias", "uses a prefix or suffix that S3 reserves"),
    ("bucket--ol-s3", "uses a prefix or suffix that S3 reserves"),
    ("bucket--x-s3", "uses a prefix or suffix that S3 reserves"),
    ("my.bucket-1", None),
    ("a" * 63, None),
])
def test_bucket_name_rules(name, why):
    """https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html"""
    assert limits.bucket_name_problem(name) == why


@pytest.mark.parametrize(("email", "ok"), [
    ("a@b.co", True), ("first.last+tag@sub.example.com", True),
    ("a@b.c", False),                          # 5 characters: AWS wants at least 6
    (f"{'a' * 52}@example.com", True),         # 64 characters
    (f"{'a' * 53}@example.com", False),        # 65 characters
    ("two@at@example.com", False), ("no spaces@example.com", False), ("nodomain@example", False),
])
def test_account_email_syntax(minimal_problems, email, ok):
    problems = minimal_problems(f"  dev: {{name: Dev, email: '{email}'}}\n")
    assert (problems == []) is ok, problems


@pytest.mark.parametrize("region", ["us-east-1", "eu-central-2", "ap-southeast-4",
                                    "mx-central-1", "ap-southeast-7"])
def test_region_codes(minimal_problems, region):
    assert minimal_problems(("us-east-1", region)) == []


@pytest.mark.parametrize("region", ["us-gov-west-1", "us-gov-east-1", "cn-north-1",
                                    "cn-northwest-1", "us-isob-east-1", "eu-isoe-west-1"])
def test_regions_of_other_partitions_are_refused(minimal_problems, region):
    [problem] = minimal_problems(("us-east-1", region))
    assert " LZ324: " in problem, problem


def test_whitespace_does_not_count_toward_policy_size():
    document = {"Statement": [{"Sid": "s" * 10}]}
    assert limits.policy_size(document) == len('{"Statement":[{"Sid":"ssssssssss"}]}')


@pytest.mark.parametrize(("start_url", "relay_state"), [
    ("https://acme.awsapps.com/start", "https://console.aws.amazon.com/s3/home?region=eu-west-1#"),
    ("https://ssoins-0123456789abcdef.portal.eu-west-1.app.aws", "https://x/{a}[b](c)"),
])
def test_real_portal_urls_and_relay_states_pass(minimal_problems, start_url, relay_state):
    text = (f"sso:\n  start_url: {start_url}\n  permission_sets:\n"
            f"    admin: {{name: Admin, relay_state: '{relay_state}'}}\n")
    assert minimal_problems(text) == []


def test_regions_come_from_botocore():
    """Not a hand-kept list: every region of botocore's endpoint data, and nothing else."""
    import botocore.loaders
    from config.regions import region_codes
    endpoints = botocore.loaders.create_loader().load_data("endpoints")
    assert region_codes() == {r for p in endpoints["partitions"] for r in p["regions"]}
    assert "eu-west-1" in region_codes() and "eu-west-9" not in region_codes()
