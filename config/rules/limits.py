"""AWS limits and formats that can be checked offline, so `pulumi up` does not fail halfway.

Sources: the API models botocore ships (identitystore, sso-admin, organizations: the
patterns and lengths below are theirs), Organizations quotas and API patterns
(https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html),
S3 bucket naming (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html),
IAM Identity Center quotas (https://docs.aws.amazon.com/singlesignon/latest/userguide/limits.html),
IAM quotas (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
"""

from __future__ import annotations

import ipaddress
import re
import string
import unicodedata
from urllib.parse import urlsplit

from config.documents import policy_text
from config.errors import Problem
from config.model import LandingZoneConfig
from config.naming import (
    ACCESS_LOG_PLACEHOLDERS,
    REQUIRED_ACCESS_LOG_PLACEHOLDERS,
    longest_access_log_bucket_name,
    state_bucket_name,
    state_bucket_source,
)
from config.regions import SUPPORTED_PARTITION, region_partition, region_problem
from config.topology import MAX_OU_DEPTH, ou_chain, ou_has_cycle

KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
USER_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]*$")
EMAIL = re.compile(r"^[^\s@]+@[^\s@]+\.[^\s@]+$")
ACCOUNT_NAME = re.compile(r"^[\x20-\x7e]{1,50}$")
ACCOUNT_ID = re.compile(r"^\d{12}$")
OU_ID = re.compile(r"^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$")
# The API's patterns (PermissionSetArn in the SSO Admin API reference, MembershipId in the
# Identity Store API reference).
PERMISSION_SET_ARN = re.compile(r"^arn:aws[a-z-]*:sso:::permissionSet/(sso)?ins-[a-zA-Z0-9.-]{16}"
                                r"/ps-[a-zA-Z0-9./-]{16}$")
# Identity Store ResourceId (users, groups and memberships share it), without the ARN form.
MEMBERSHIP_ID = re.compile(r"^([0-9a-f]{10}-)?[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-"
                           r"[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$")
USER_NAME_CHARS = 128     # identitystore UserName: 1-128
IDENTITY_TEXT_CHARS = 1024  # identitystore display names, descriptions, given/family names
IAM_POLICY_NAME = re.compile(r"^[\w+=,.@-]{1,128}$", re.ASCII)
IAM_PATH = re.compile(r"^(/[A-Za-z0-9.,+@=_-]+)*/$")
MAX_TAGS = 50             # Organizations, IAM and S3 (sso-admin allows 75)
# sso-admin RelayState: 1-240 characters of this set.
RELAY_STATE = re.compile(r"""^[a-zA-Z0-9&$@#\\/%?=~\-_'"|!:,.;*+\[\] (){}]{1,240}$""")
PERMISSION_SET_NAME = re.compile(r"^[\w+=,.@-]{1,32}$")
# sso-admin PermissionSetDescription.
PERMISSION_SET_DESCRIPTION = re.compile(r"^[\t\n\r\x20-\x7e\xa1-\xff]{1,700}$")
DURATION = re.compile(r"^PT(?:(\d+)H)?(?:(\d+)M)?$")
BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
BUCKET_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
BUCKET_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")
MANAGED_POLICY_CHARS = 6_144     # IAM: customer managed policy, whitespace not counted
# A permission set's inline policy becomes an inline policy of the role Identity Center makes in
# each account; IAM caps a role's inline policies at 10,240 characters (whitespace not counted),
# below Identity Center's own 32,768 (components/policies/inline.py).
INLINE_POLICY_CHARS = 10_240


def bucket_name_problem(name: str) -> str | None:
    """Why S3 would refuse this bucket name, or None."""
    if not BUCKET.match(name):
        return ("must be 3-63 characters of lowercase letters, digits, dots and hyphens, "
                "starting and ending with a letter or digit")
    if ".." in name:
        return "must not contain two adjacent dots"
    try:
        ipaddress.IPv4Address(name)
        return "must not look like an IP address"
    except ValueError:
        pass
    if name.startswith(BUCKET_PREFIXES) or name.endswith(BUCKET_SUFFIXES):
        return "uses a prefix or suffix that S3 reserves"
    return None


def policy_size(document: dict) -> int:
    """Characters AWS counts: the document as the components send it (`policy_text`)."""
    return len(policy_text(document))


def keys(config: LandingZoneConfig) -> list[Problem]:
    sections = [("accounts", config.accounts, KEY), ("organizational_units", config.organizational_units, KEY),
                (("sso", "groups"), config.sso.groups, KEY), (("sso", "users"), config.sso.users, USER_KEY),
                (("sso", "permission_sets"), config.sso.permission_sets, KEY),
                (("sso", "policies"), config.sso.policies, KEY)]
    out = []
    for section, items, pattern in sections:
        base = section if isinstance(section, tuple) else (section,)
        for key in items:
            if not pattern.match(key):
                out.append(Problem("LZ318", (*base, key), f"key '{key}' has characters landing-zone "
                                   "cannot use in resource names.",
                                   "Use letters, digits, '_', '-' and '.', starting with a letter or digit."))
    out += [Problem("LZ318", ("sso", "users", key), f"user name '{user.user_name[:20]}...' is "
                    f"{len(user.user_name)} characters; Identity Center allows {USER_NAME_CHARS}.",
                    "Shorten it.")
            for key, user in config.sso.users.items() if len(user.user_name) > USER_NAME_CHARS]
    return out


def accounts(config: LandingZoneConfig) -> list[Problem]:
    out = []
    for key, a in config.accounts.items():
        if not ACCOUNT_NAME.match(a.name):
            out.append(Problem("LZ310", ("accounts", key, "name"),
                               f"account name '{a.name}' must be 1-50 printable ASCII characters.",
                               "Shorten or simplify the name."))
        if not EMAIL.match(a.email) or not 6 <= len(a.email) <= 64:
            out.append(Problem("LZ311", ("accounts", key, "email"),
                               f"'{a.email}' is not an email address AWS accepts (6-64 characters, "
                               "name@domain.tld).", "Fix the address or the tokens that build it."))
        if a.id is not None and not ACCOUNT_ID.match(a.id):
            out.append(Problem("LZ317", ("accounts", key, "id"),
                               f"account id '{a.id}' must be exactly 12 digits.",
                               "Quote it in YAML ('012345678901') so leading zeros survive."))
    return out


def organizational_units(config: LandingZoneConfig) -> list[Problem]:
    out = []
    for key, ou in config.organizational_units.items():
        if not 1 <= len(ou.name) <= 128:
            out.append(Problem("LZ310", ("organizational_units", key, "name"),
                               "OU names are 1-128 characters.", "Shorten the name."))
        if ou.id is not None and not OU_ID.match(ou.id):
            out.append(Problem("LZ317", ("organizational_units", key, "id"),
                               f"'{ou.id}' is not an OU id (ou-xxxx-xxxxxxxx).",
                               "Copy the id from the Organizations console."))
        if not ou_has_cycle(config, key) and len(ou_chain(config, key)) > MAX_OU_DEPTH:
            out.append(Problem("LZ312", ("organizational_units", key, "parent"),
                               f"OU '{key}' is {len(ou_chain(config, key))} levels deep; AWS "
                               f"allows {MAX_OU_DEPTH} below the root.",
                               "Flatten the tree."))
    return out


def region(config: LandingZoneConfig) -> list[Problem]:
    organization = config.organization
    named = [(("organization", "aws_region"), organization.aws_region),
             *((("organization", "governed_regions", i), r)
               for i, r in enumerate(organization.governed_regions))]
    problems = [Problem("LZ319", path, *problem)
                for path, r in named if (problem := region_problem(r))]
    if problems:
        return problems
    return [Problem("LZ324", path, f"'{r}' is in the {partition} partition; "
                    f"landing-zone writes ARNs and service names of the {SUPPORTED_PARTITION} "
                    "partition only.", "Use a commercial region. AWS GovCloud (aws-us-gov), "
                    "China (aws-cn) and the isolated partitions are not supported.")
            for path, r in named
            if (partition := region_partition(r)) != SUPPORTED_PARTITION]


def _duration_minutes(value: str) -> int | None:
    match = DURATION.match(value)
    if not match or value == "PT":
        return None
    hours, minutes = match.groups()
    return int(hours or 0) * 60 + int(minutes or 0)


def permission_sets(config: LandingZoneConfig) -> list[Problem]:
    out = []
    for key, ps in config.sso.permission_sets.items():
        base = ("sso", "permission_sets", key)
        if not PERMISSION_SET_NAME.match(ps.name):
            out.append(Problem("LZ313", (*base, "name"),
                               f"permission set name '{ps.name}' must be 1-32 characters of "
                               "letters, digits and +=,.@_-.", "Shorten it; spaces are not allowed."))
        minutes = _duration_minutes(ps.session_duration)
        if minutes is None or not 60 <= minutes <= 720:
            out.append(Problem("LZ314", (*base, "session_duration"),
                               f"session duration '{ps.session_duration}' must be an ISO 8601 "
                               "duration from PT1H to PT12H.", "For example PT1H, PT4H or PT8H30M."))
        if ps.description is not None and not PERMISSION_SET_DESCRIPTION.match(ps.description):
            out.append(Problem("LZ310", (*base, "description"),
                               "permission set descriptions are 1-700 characters of Latin-1 "
                               "text (no emoji or other scripts).", "Shorten or simplify the "
                               "description."))
        if isinstance(ps.inline_policy, dict) and policy_size(ps.inline_policy) > INLINE_POLICY_CHARS:
            out.append(Problem("LZ316", (*base, "inline_policy"),
                               f"inline policy is {policy_size(ps.inline_policy)} characters; the "
                               f"limit is {INLINE_POLICY_CHARS}.", "Move statements into "
                               "AWS-managed policies or split the permission set."))
    return out


def sso_ids(config: LandingZoneConfig) -> list[Problem]:
    """Ids that adopt Identity Center objects: an id of the wrong shape fails the import."""
    out = []
    principals = [("groups", config.sso.groups), ("users", config.sso.users)]
    for section, items in principals:
        for key, item in items.items():
            if item.id is not None and not MEMBERSHIP_ID.match(item.id):
                out.append(Problem("LZ317", ("sso", section, key, "id"),
                                   f"'{item.id}' is not an identity store {section[:-1]} id (a "
                                   "UUID, optionally after a 10-character prefix).",
                                   "Copy it from the IAM Identity Center console, or run "
                                   "`./lz import`."))
    for key, ps in config.sso.permission_sets.items():
        if ps.id is not None and not PERMISSION_SET_ARN.match(ps.id):
            out.append(Problem("LZ317", ("sso", "permission_sets", key, "id"),
                               f"'{ps.id}' is not a permission set ARN "
                               "(arn:aws:sso:::permissionSet/ssoins-.../ps-...).",
                               "Copy the ARN from the IAM Identity Center console, or run "
                               "`./lz import`."))
    for key, user in config.sso.users.items():
        for group, membership in user.group_membership_ids.items():
            if not MEMBERSHIP_ID.match(membership):
                out.append(Problem("LZ317", ("sso", "users", key, "group_membership_ids", group),
                                   f"'{membership}' is not an identity store membership id.",
                                   "Run `./lz import` to read it, or delete the entry to create "
                                   "the membership."))
    return out


def policy_documents(config: LandingZoneConfig) -> list[Problem]:
    """Customer policies become statements of inline policies: each must fit one on its own
    (the program checks each permission set's combined document when it renders it). A
    `customer_managed` one is an IAM managed policy, which holds fewer characters."""
    out = []
    for key, policy in config.sso.policies.items():
        if policy.document is None:
            continue
        size = policy_size(policy.document)
        if policy.customer_managed and size > MANAGED_POLICY_CHARS:
            out.append(Problem("LZ316", ("sso", "policies", key, "document"),
                               f"policy is {size} characters without whitespace; an IAM managed "
                               f"policy holds {MANAGED_POLICY_CHARS}.", "Split it into two "
                               "customer-managed policies, or drop 'customer_managed'."))
        elif size > INLINE_POLICY_CHARS:
            out.append(Problem("LZ316", ("sso", "policies", key, "document"),
                               f"policy is {size} characters without whitespace; an inline "
                               f"policy holds {INLINE_POLICY_CHARS}.", "Split it across "
                               "permission sets, or move statements into AWS-managed policies."))
    return out


def urls(config: LandingZoneConfig) -> list[Problem]:
    """The access portal URL (written into AWS CLI profiles) and relay states (sent to
    sso-admin, which refuses other characters or more than 240 of them)."""
    out = []
    start = config.sso.start_url
    if start is not None:
        parts = urlsplit(start)
        if parts.scheme != "https" or not parts.hostname or " " in start:
            out.append(Problem("LZ321", ("sso", "start_url"),
                               f"'{start}' is not an https URL.",
                               "Copy the AWS access portal URL from the IAM Identity Center "
                               "console (Settings), or leave it unset."))
    for key, ps in config.sso.permission_sets.items():
        if ps.relay_state is not None and not RELAY_STATE.match(ps.relay_state):
            out.append(Problem("LZ321", ("sso", "permission_sets", key, "relay_state"),
                               "relay state must be 1-240 characters of letters, digits and "
                               "URL punctuation.", "Use the console URL to open, e.g. "
                               "https://console.aws.amazon.com/s3/."))
    return out


def identity_store_text(config: LandingZoneConfig) -> list[Problem]:
    """Group names and descriptions, user display, given and family names: 1-1024 characters
    (identitystore GroupDisplayName, SensitiveStringType)."""
    fields = [(("sso", "groups", k, "name"), g.name) for k, g in config.sso.groups.items()]
    fields += [(("sso", "groups", k, "description"), g.description)
               for k, g in config.sso.groups.items() if g.description is not None]
    for k, u in config.sso.users.items():
        fields += [(("sso", "users", k, "name", "given_name"), u.name.given_name),
                   (("sso", "users", k, "name", "family_name"), u.name.family_name)]
        if u.display_name is not None:
            fields.append((("sso", "users", k, "display_name"), u.display_name))
    return [Problem("LZ310", path, f"{path[-1].replace('_', ' ')} must be 1-{IDENTITY_TEXT_CHARS} "
                    f"characters (it is {len(value)}).", "Shorten it, or fill it in.")
            for path, value in fields if not 1 <= len(value) <= IDENTITY_TEXT_CHARS]


def customer_policies(config: LandingZoneConfig) -> list[Problem]:
    """IAM CreatePolicy: name 1-128 of [\\w+=,.@-], path `/` or `/a/b/` up to 512, description
    up to 1000 characters."""
    out = []
    for key, policy in config.sso.policies.items():
        base = ("sso", "policies", key)
        if not IAM_POLICY_NAME.match(policy.name):
            out.append(Problem("LZ322", (*base, "name"), f"IAM policy name '{policy.name}' must be "
                               "1-128 characters of letters, digits and +=,.@_-.",
                               "Rename it; spaces are not allowed."))
        if not IAM_PATH.match(policy.path) or len(policy.path) > 512:
            out.append(Problem("LZ322", (*base, "path"), f"IAM path '{policy.path}' must be '/' or "
                               "'/segment/.../' (letters, digits and .,+@=_-; up to 512).",
                               "For example /landing-zone/."))
        if policy.description is not None and len(policy.description) > 1000:
            out.append(Problem("LZ322", (*base, "description"), "IAM policy descriptions are at "
                               "most 1000 characters.", "Shorten the description."))
    return out


def tags(config: LandingZoneConfig) -> list[Problem]:
    """Organizations, IAM, S3 and sso-admin tags: keys 1-128 and values up to 256 characters
    of letters, digits, spaces and _.:/=+-@; `aws:` keys are AWS's; at most 50 per resource,
    counting the top-level `tags` and the managed marker every provider adds."""
    owners = [(("tags",), config.tags)]
    owners += [(("accounts", k, "tags"), a.tags) for k, a in config.accounts.items()]
    owners += [(("organizational_units", k, "tags"), o.tags)
               for k, o in config.organizational_units.items()]
    owners += [(("sso", "permission_sets", k, "tags"), p.tags)
               for k, p in config.sso.permission_sets.items()]
    out = []
    for path, owned in owners:
        for key, value in owned.items():
            why = _tag_problem(key, value)
            if why:
                out.append(Problem("LZ323", (*path, key), f"tag {key!r}: {why}.",
                                   "Use letters, digits, spaces and _.:/=+-@ only."))
        count = len({*config.tags, *owned}) + 1  # + landing-zone:managed
        if count > MAX_TAGS:
            out.append(Problem("LZ323", path, f"{count} tags with the top-level tags and "
                               f"landing-zone:managed; AWS allows {MAX_TAGS} per resource.",
                               "Drop some tags."))
    return out


def _tag_problem(key: str, value: str) -> str | None:
    if not 1 <= len(key) <= 128 or len(value) > 256:
        return "keys are 1-128 characters, values at most 256"
    if key.lower().startswith("aws:"):
        return "keys beginning with 'aws:' are reserved for AWS"
    if not all(_tag_char(ch) for ch in key + value):
        return "has characters AWS refuses in tags"
    return None


def _tag_char(ch: str) -> bool:
    """\\p{L}, \\p{Z}, \\p{N} or one of _.:/=+-@, the tag pattern of every API above."""
    return unicodedata.category(ch)[0] in "LZN" or ch in "_.:/=+-@"


def user_emails(config: LandingZoneConfig) -> list[Problem]:
    return [
        Problem("LZ311", ("sso", "users", key, "email"), f"'{u.email}' is not an email address.",
                "Fix the address or the tokens that build it.")
        for key, u in config.sso.users.items() if not EMAIL.match(u.email)
    ]


def buckets(config: LandingZoneConfig) -> list[Problem]:
    path = ("access_logs", "bucket_name_format")
    fields = {f for _, f, _, _ in string.Formatter().parse(config.access_logs.bucket_name_format) if f}
    if fields - ACCESS_LOG_PLACEHOLDERS:
        return [Problem("LZ320", path,
                        f"unknown placeholder(s) {sorted(fields - ACCESS_LOG_PLACEHOLDERS)}.",
                        "Only {namespace}, {account_id} and {region} are filled in.")]
    if missing := REQUIRED_ACCESS_LOG_PLACEHOLDERS - fields:
        return [Problem("LZ320", path, f"the format lacks {sorted(missing)}: every account and "
                        "region needs its own bucket, named by one StackSets template.",
                        "Put {account_id} and {region} in the format, e.g. "
                        "'{namespace}-s3-access-logs-{account_id}-{region}'.")]
    # An unknown governed region is LZ319's to report, not a bucket name's.
    known = not any(region_problem(r) for r in config.governed_regions)
    named = [(path, longest_access_log_bucket_name(config))] if known else []
    if config.state_backend.enabled:
        named.append((state_bucket_source(config), state_bucket_name(config)))
    return [Problem("LZ315", path, f"bucket name '{name}' {why}.", "Adjust the name or the tokens "
                    "that build it.") for path, name in named if (why := bucket_name_problem(name))]


RULES = [keys, accounts, organizational_units, region, permission_sets, sso_ids, policy_documents,
         urls, identity_store_text, customer_policies, tags, user_emails, buckets]
