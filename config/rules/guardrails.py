"""Audit logging and guardrails: what AWS would refuse halfway through `pulumi up`, checked
offline. References are LZ25x, limits LZ35x-LZ36x (docs/guardrails.md lists them).

Sources: Organizations quotas (SCP size 5,120 characters without whitespace, 5 SCPs per root,
OU or account, AWS's FullAWSAccess among them)
https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html;
SCP syntax https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html;
trail names https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-trail-naming-requirements.html;
KMS aliases https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html;
S3 lifecycle transitions https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html;
CloudWatch Logs retention https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html.
"""

from __future__ import annotations

import re

from config.errors import Problem, Severity, did_you_mean
from config.assignments import assignments
from config.documents import AUDIT_LOG_READER_KEY
from config.guardrails import (
    Scp,
    attached_builtins,
    audit_logging_on,
    audit_reader_keys,
    planned_scps,
)
from config.model import OU_TARGET_PREFIX, LandingZoneConfig
from config.model.platform import BUILTIN_GUARDRAILS, RETIRED_BUILTINS, ROOT_TARGET, StorageClass
from config.naming import (
    audit_bucket_name,
    audit_kms_alias,
    audit_trail_name,
    guardrail_policy_name,
    matches_access_log_bucket,
    state_bucket_name,
)
from config.regions import region_problem
from config.rules.limits import bucket_name_problem, policy_size
from config.topology import is_managed, managed_accounts

MAX_SCP_CHARS = 5_120
MAX_OWN_SCPS_PER_TARGET = 4  # AWS allows 5, and FullAWSAccess stays attached
TRAIL_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|[._-](?=[A-Za-z0-9])){2,127}$")
KMS_ALIAS = re.compile(r"^alias/[A-Za-z0-9/_-]{1,250}$")
IAM_PRINCIPAL_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:(root|(role|user)/[\w+=,.@/-]+)$")
RESOURCE_TYPE = re.compile(r"^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$")
INFREQUENT_ACCESS = (StorageClass.STANDARD_IA, StorageClass.ONEZONE_IA)
INFREQUENT_ACCESS_MIN_DAYS = 30
LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
                      2192, 2557, 2922, 3288, 3653)


def attached(config: LandingZoneConfig) -> dict[tuple, list[str]]:
    """Key path of every attached guardrail -> its targets."""
    out: dict[tuple, list[str]] = {
        ("guardrails", "builtin", k): t for k, t in attached_builtins(config).items()}
    if config.guardrails.enabled:
        out.update({("guardrails", "custom", k, "targets"): c.targets
                    for k, c in config.guardrails.custom.items() if c.targets})
    return out


def builtin_names(config: LandingZoneConfig) -> list[Problem]:
    return [
        Problem("LZ250", ("guardrails", "builtin", name), f"unknown built-in guardrail '{name}'.",
                RETIRED_BUILTINS.get(name) or (did_you_mean(name, BUILTIN_GUARDRAILS)
                                               + " Your own SCPs go under guardrails.custom."))
        for name in config.guardrails.builtin if name not in BUILTIN_GUARDRAILS
    ]


def _target_problem(config: LandingZoneConfig, path: tuple, target: str) -> Problem | None:
    ous = config.organizational_units
    if target == ROOT_TARGET:
        return None
    if target.startswith(OU_TARGET_PREFIX):
        ou = target[len(OU_TARGET_PREFIX):]
        if ou not in ous:
            return Problem("LZ251", path, f"unknown organizational unit '{ou}' in target "
                           f"'{target}'.", did_you_mean(ou, ous))
        if ous[ou].action is not None:
            return Problem("LZ251", path, f"organizational unit '{ou}' is being released.",
                           "Attach the guardrail to a managed OU.")
        return None
    if target not in config.accounts:
        return Problem("LZ251", path, f"unknown target '{target}'.",
                       did_you_mean(target, config.accounts)
                       + " Targets are 'root', 'ou:<OU key>' or account keys.")
    if not is_managed(config, target):
        return Problem("LZ251", path, f"account '{target}' is being released.",
                       "Attach the guardrail to a managed account.")
    if target == config.management_account:
        return Problem("LZ359", path, "SCPs never apply to the management account: this "
                       "attachment has no effect.", "Remove the management account from the "
                       "targets.", severity=Severity.WARNING)
    return None


def targets(config: LandingZoneConfig) -> list[Problem]:
    return [
        problem
        for path, names in attached(config).items()
        for index, target in enumerate(names)
        if (problem := _target_problem(config, (*path, index), target)) is not None
    ]


def per_target_quota(config: LandingZoneConfig) -> list[Problem]:
    """Counted as the program attaches them: built-ins sharing a target share one SCP."""
    by_target: dict[str, list[Scp]] = {}
    for scp in planned_scps(config):
        for target in scp.targets:
            by_target.setdefault(target, []).append(scp)
    out = []
    for target, attached_here in sorted(by_target.items()):
        if len(attached_here) > MAX_OWN_SCPS_PER_TARGET:
            listed = "; ".join(_label(scp) for scp in attached_here)
            out.append(Problem(
                "LZ350", _config_path(attached_here[-1]),
                f"{len(attached_here)} SCPs would be attached to '{target}' ({listed}); AWS "
                "allows 5 per target and AWS's FullAWSAccess is one of them.",
                f"Keep it to {MAX_OWN_SCPS_PER_TARGET}: attach some to a parent OU or the root "
                "(SCPs are inherited), or merge custom guardrails."))
    return out


def _config_path(scp: Scp) -> tuple:
    """Where the config attaches it (for a shared SCP: its last built-in)."""
    if scp.custom:
        return ("guardrails", "custom", scp.key)
    return ("guardrails", "builtin", scp.guardrails[-1])


def _label(scp: Scp) -> str:
    return f"the shared built-in SCP ({', '.join(scp.guardrails)})" if scp.shared else \
        f"'{scp.key}'"


def _document_path(key: str, config: LandingZoneConfig) -> tuple:
    custom = config.guardrails.custom[key]
    field = "document_file" if custom.document_file else "document"
    return ("guardrails", "custom", key, field)


def custom_documents(config: LandingZoneConfig) -> list[Problem]:
    out = []
    for key, custom in sorted(config.guardrails.custom.items()):
        if custom.document is None:
            out.append(Problem("LZ254", ("guardrails", "custom", key),
                               f"custom guardrail '{key}' has no document.",
                               "Add 'document_file:' (a JSON file next to the config) or "
                               "'document:'."))
            continue
        path = _document_path(key, config)
        size = policy_size(custom.document)
        if size > MAX_SCP_CHARS:
            out.append(Problem("LZ351", path, f"SCP is {size} characters without whitespace; "
                               f"AWS allows {MAX_SCP_CHARS}.",
                               "Split it into two guardrails, or use wildcards in actions."))
        out += [Problem("LZ352", path, message, "See the SCP syntax in docs/guardrails.md.")
                for message in _scp_grammar(custom.document)]
    return out


def _scp_grammar(document: dict) -> list[str]:
    """What Organizations would refuse in an SCP that is otherwise a policy document."""
    problems = []
    statements = document.get("Statement")
    statements = statements if isinstance(statements, list) else [statements]
    for index, statement in enumerate(statements):
        if not isinstance(statement, dict):
            problems.append(f"statement {index} is not an object.")
            continue
        if statement.get("Effect") not in ("Allow", "Deny"):
            problems.append(f"statement {index} needs \"Effect\": \"Allow\" or \"Deny\".")
        if ("Action" in statement) == ("NotAction" in statement):
            problems.append(f"statement {index} needs exactly one of Action and NotAction.")
        if {"Principal", "NotPrincipal"} & set(statement):
            problems.append(f"statement {index} names a Principal: SCPs apply to every "
                            "principal of the accounts they are attached to and take none.")
    return problems


def policy_names(config: LandingZoneConfig) -> list[Problem]:
    """SCP names are unique in an organization; a custom key may not shadow a built-in."""
    out = [Problem("LZ256", ("guardrails", "custom", key), f"'{key}' is a built-in guardrail "
                   "name.", f"Use guardrails.builtin.{key} to attach the built-in, or give your "
                   "own SCP another key.")
           for key in sorted(config.guardrails.custom) if key in BUILTIN_GUARDRAILS]
    seen: dict[str, str] = {}
    for scp in planned_scps(config):
        name = guardrail_policy_name(config, scp)
        if name in seen:
            out.append(Problem("LZ256", (*_config_path(scp), "name"),
                               f"SCP name '{name}' is already used by {seen[name]}.",
                               "SCP names are unique in an organization: pick another name."))
        seen.setdefault(name, _label(scp))
    # Organizations CreatePolicy: Name 1-128, Description at most 512 characters (API model).
    for key, custom in sorted(config.guardrails.custom.items()):
        if custom.name is not None and not 1 <= len(custom.name) <= 128:
            out.append(Problem("LZ256", ("guardrails", "custom", key, "name"), "SCP names are "
                               "1-128 characters.", "Shorten the name."))
        if custom.description is not None and len(custom.description) > 512:
            out.append(Problem("LZ256", ("guardrails", "custom", key, "description"), "SCP "
                               "descriptions are at most 512 characters.",
                               "Shorten the description."))
    return out


def region_deny(config: LandingZoneConfig) -> list[Problem]:
    """`guardrails.allowed_regions` is the old name of `organization.governed_regions`: the
    region deny leaves open exactly the governed regions, so a region is governed or denied."""
    old = config.guardrails.allowed_regions
    out = [Problem("LZ353", ("guardrails", "allowed_regions", i), *problem)
           for i, r in enumerate(old) if (problem := region_problem(r))]
    if not old:
        return out
    home, governed = config.organization.aws_region, config.governed_regions
    if config.organization.governed_regions and {home, *old} != set(governed):
        out.append(Problem(
            "LZ353", ("guardrails", "allowed_regions"),
            f"guardrails.allowed_regions ({', '.join(sorted({home, *old}))}) disagrees with "
            f"organization.governed_regions ({', '.join(governed)}): the region deny leaves "
            "open exactly the governed regions.", "Delete guardrails.allowed_regions."))
    else:
        out.append(Problem(
            "LZ353", ("guardrails", "allowed_regions"),
            "guardrails.allowed_regions is the old name of organization.governed_regions: it "
            f"makes {', '.join(governed)} the governed regions (the baseline is built there).",
            "Move the list to organization.governed_regions and delete "
            "guardrails.allowed_regions.", severity=Severity.WARNING))
    return out


def audit_log_archive_account(config: LandingZoneConfig) -> list[Problem]:
    if not audit_logging_on(config) or config.key_account("log_archive"):
        return []
    return [Problem("LZ252", ("audit_logging", "enabled"),
                    "audit logging needs a log_archive key account for its bucket and key.",
                    "Add 'log_archive: <account key>' under organization.key_accounts, or remove "
                    "audit_logging.enabled.")]


def audit_readers(config: LandingZoneConfig) -> list[Problem]:
    managed = set(managed_accounts(config))
    return [
        Problem("LZ253", ("audit_logging", "readers", index), f"unknown reader '{reader}'.",
                did_you_mean(reader, managed) + " Readers are managed account keys or IAM "
                "principal ARNs (arn:aws:iam::<account id>:role/<name>).")
        for index, reader in enumerate(config.audit_logging.readers)
        if reader not in managed and not IAM_PRINCIPAL_ARN.match(reader)
    ] if audit_logging_on(config) else []


def audit_names(config: LandingZoneConfig) -> list[Problem]:
    """The trail, bucket and alias names AWS would refuse, and a bucket name already taken."""
    audit = config.audit_logging
    if not audit_logging_on(config):
        return []
    out = []
    trail = audit_trail_name(config)
    if not TRAIL_NAME.match(trail):
        out.append(Problem("LZ356", ("audit_logging", "trail_name"), f"trail name '{trail}' "
                           "must be 3-128 letters, digits, '.', '_' and '-', start and end with "
                           "a letter or digit, with no two punctuation marks in a row.",
                           "Adjust the name or the namespace token that builds it."))
    alias = audit_kms_alias(config)
    if not KMS_ALIAS.match(alias) or alias.startswith("alias/aws/"):
        out.append(Problem("LZ357", ("audit_logging", "kms_alias"), f"'{alias}' is not a KMS "
                           "alias name AWS accepts.", "Use alias/ followed by letters, digits, "
                           "'/', '_' and '-' (alias/aws/ is reserved)."))
    bucket = audit_bucket_name(config)
    path = ("audit_logging", "bucket")
    if why := bucket_name_problem(bucket):
        out.append(Problem("LZ315", path, f"bucket name '{bucket}' {why}.",
                           "Adjust the name or the tokens that build it."))
    taken = ("the access-log buckets (access_logs.bucket_name_format)"
             if matches_access_log_bucket(config, bucket) else
             "the state bucket" if config.state_backend.enabled
             and bucket == state_bucket_name(config) else None)
    if taken:
        out.append(Problem("LZ305", path, f"bucket name '{bucket}' is already used by "
                           f"{taken}.", "S3 bucket names are global: make each one distinct."))
    return out


def audit_lifecycle(config: LandingZoneConfig) -> list[Problem]:
    audit = config.audit_logging
    if not audit_logging_on(config):
        return []
    out = []
    days, storage = audit.transition_days, audit.transition_storage_class
    if days is not None and days >= audit.retention_days:
        out.append(Problem("LZ354", ("audit_logging", "transition_days"),
                           f"log files would move to {storage.value} after {days} days but "
                           f"expire after {audit.retention_days}: S3 refuses that lifecycle.",
                           "Transition before retention_days, or set transition_days: null."))
    if days is not None and storage in INFREQUENT_ACCESS and days < INFREQUENT_ACCESS_MIN_DAYS:
        out.append(Problem("LZ354", ("audit_logging", "transition_days"),
                           f"S3 moves objects to {storage.value} after "
                           f"{INFREQUENT_ACCESS_MIN_DAYS} days at the earliest.",
                           f"Use at least {INFREQUENT_ACCESS_MIN_DAYS}, or GLACIER_IR."))
    lock = audit.object_lock
    if lock is not None and lock.days > audit.retention_days:
        out.append(Problem("LZ361", ("audit_logging", "object_lock", "days"),
                           f"log files stay locked for {lock.days} days, longer than their "
                           f"{audit.retention_days}-day retention: they are deleted only when "
                           "the lock ends.", "Lock for at most retention_days.",
                           severity=Severity.WARNING))
    retention = audit.cloudwatch_logs.retention_days
    if audit.cloudwatch_logs.enabled and retention not in LOG_RETENTION_DAYS:
        out.append(Problem("LZ355", ("audit_logging", "cloudwatch_logs", "retention_days"),
                           f"CloudWatch Logs does not accept a retention of {retention} days.",
                           "Use one of " + ", ".join(map(str, LOG_RETENTION_DAYS)) + "."))
    return out


def audit_data_events(config: LandingZoneConfig) -> list[Problem]:
    return [
        Problem("LZ358", ("audit_logging", "data_events", index), f"'{kind}' is not a CloudTrail "
                "resource type.", "Use the form AWS::Service::Type, e.g. AWS::S3::Object or "
                "AWS::Lambda::Function.")
        for index, kind in enumerate(config.audit_logging.data_events)
        if not RESOURCE_TYPE.match(kind)
    ]


def audit_reader_permission_sets(config: LandingZoneConfig) -> list[Problem]:
    """The built-in audit_log_reader reads the archive: it needs one, and works in its account."""
    archive = config.key_account("log_archive")
    out = []
    for key in audit_reader_keys(config):
        path = ("sso", "permission_sets", key, "policies",
                config.sso.permission_sets[key].policies.index(AUDIT_LOG_READER_KEY))
        if not audit_logging_on(config):
            out.append(Problem("LZ257", path, f"permission set '{key}' reads the audit log "
                               "archive (audit_log_reader), and audit logging is off.",
                               "Turn audit logging on, or remove audit_log_reader."))
            continue
        elsewhere = sorted({a.account for a in assignments(config)
                            if a.permission_set == key and a.account != archive})
        if elsewhere:
            out.append(Problem("LZ362", path, f"permission set '{key}' reads the audit log "
                               f"archive, which only its roles in '{archive}' can decrypt; "
                               f"it is also assigned in {', '.join(elsewhere)}.",
                               f"Assign it in '{archive}' only.", severity=Severity.WARNING))
    return out


RULES = [builtin_names, targets, per_target_quota, custom_documents, policy_names, region_deny,
         audit_log_archive_account, audit_readers, audit_names, audit_lifecycle,
         audit_data_events, audit_reader_permission_sets]
