"""`./lz verify`: the live organization compared with the config, reported in config terms.

Every config item is matched to its live counterpart (by `id` when the config has one, else by
what AWS keeps unique: OU name under its parent, account email, group display name, user name,
permission set name) and reported as one of:

- match: present, settings as configured;
- missing: in the config, not in AWS;
- different: present, with each differing field's expected and actual value;
- extra: present in AWS, absent from the config;
- unknown: could not be read (e.g. the account access role was refused).

Items the config releases (`action: remove`) are neither expected nor extra.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum

from botocore.exceptions import BotoCoreError, ClientError

from cli.aws import inventory as inv
from cli.aws.progress import Progress, silent
from cli.aws.session import AwsSession, describe, is_credential_error
from config.assignments import assignments, aws_managed_policy_arn, customer_policy_refs
from config.guardrails import audit_logging_on
from config.model import AccountAction, LandingZoneConfig
from config.naming import (
    access_log_bucket_name,
    audit_bucket_name,
    audit_trail_name,
    baseline_stack_sets,
    state_bucket_name,
)
from config.topology import managed_accounts, ou_order

SSO_PRINCIPAL = "sso.amazonaws.com"
CLOUDTRAIL_PRINCIPAL = "cloudtrail.amazonaws.com"
SCP = "SERVICE_CONTROL_POLICY"
PUBLIC_ACCESS_BLOCK = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy",
                       "RestrictPublicBuckets")
OWNER_ENFORCED = "BucketOwnerEnforced"


class Drift(str, Enum):
    MATCH = "match"
    MISSING = "missing"
    DIFFERENT = "different"
    EXTRA = "extra"
    UNKNOWN = "unknown"


KINDS: dict[str, str] = {
    "VF001": "organization",
    "VF002": "organizational unit",
    "VF003": "account",
    "VF004": "group",
    "VF005": "user",
    "VF006": "group membership",
    "VF007": "permission set",
    "VF008": "assignment",
    "VF009": "bucket",
    "VF010": "trail",
    "VF011": "Identity Center instance",
    "VF012": "account baseline",
    "VF013": "GuardDuty member",
    "VF014": "Security Hub member",
    "VF015": "AWS Config source",
    "VF016": "IAM Access Analyzer analyzer",
    "VF017": "account's alternate contacts",
}


@dataclass(frozen=True)
class Difference:
    field: str
    expected: str
    actual: str


@dataclass(frozen=True)
class Item:
    id: str
    key: str
    """The config key (e.g. `dev`, `GROUP admins -> dev: admin`), or the AWS name of an extra."""
    status: Drift
    aws_id: str = ""
    differences: tuple[Difference, ...] = ()
    detail: str = ""

    @property
    def kind(self) -> str:
        return KINDS[self.id]


@dataclass(frozen=True)
class VerifyReport:
    organization_id: str
    items: tuple[Item, ...]

    @property
    def drifted(self) -> bool:
        return any(i.status is not Drift.MATCH for i in self.items)

    def counts(self) -> dict[str, int]:
        return {d.value: sum(i.status is d for i in self.items) for d in Drift}


def _item(check: str, key: str, diffs: list[Difference], aws_id: str = "",
          detail: str = "") -> Item:
    return Item(check, key, Drift.DIFFERENT if diffs else Drift.MATCH, aws_id, tuple(diffs), detail)


def _diff(diffs: list[Difference], name: str, expected: object, actual: object) -> None:
    if expected != actual:
        diffs.append(Difference(name, _show(expected), _show(actual)))


def _show(value: object) -> str:
    if value in (None, "", (), frozenset(), set()):
        return "(none)"
    if isinstance(value, (set, frozenset, tuple, list)):
        return ", ".join(sorted(str(v) for v in value))
    return str(value)


def _statements(policy: object) -> list:
    if isinstance(policy, str):
        try:
            policy = json.loads(policy)
        except ValueError:
            return []
    found = policy.get("Statement", []) if isinstance(policy, dict) else []
    return found if isinstance(found, list) else [found]


def _missing_statements(config: LandingZoneConfig, key: str, live_inline: object) -> str:
    """The config's own statements (the set's inline policy, its customer policies' documents)
    that the live inline policy lacks, by Sid. Built-in documents (state writer, deployer) name
    ARNs only the program knows, so they are not compared."""
    sso = config.sso
    ps = sso.permission_sets[key]
    expected = list(_statements(ps.inline_policy))
    for policy in customer_policy_refs(config, key):
        expected += _statements(sso.policies[policy].document)
    live = {_canonical(s) for s in _statements(live_inline)}
    return ", ".join(str(s.get("Sid", f"#{i}")) for i, s in enumerate(expected)
                     if _canonical(s) not in live)


class Verifier:
    def __init__(self, config: LandingZoneConfig, aws: AwsSession, live: inv.Inventory,
                 progress: Progress = silent):
        self.config, self.aws, self.live, self.progress = config, aws, live, progress
        self.region = config.organization.aws_region
        self.items: list[Item] = []
        self.ou_ids: dict[str, str] = {}       # config OU key -> live id
        self.account_ids: dict[str, str] = {}  # config account key -> live id
        self.group_ids: dict[str, str] = {}
        self.user_ids: dict[str, str] = {}
        self.permission_set_arns: dict[str, str] = {}

    def run(self) -> VerifyReport:
        self.organization()
        self.organizational_units()
        self.accounts()
        self.identity_center()
        self.buckets()
        self.baseline()
        self.trail()
        self.security_baseline()
        return VerifyReport(self.live.organization.id, tuple(self.items))

    # -- organization --------------------------------------------------------------------------

    def organization(self) -> None:
        org, diffs = self.live.organization, []
        if self.config.organization.known_id:
            _diff(diffs, "id", self.config.organization.known_id, org.id)
        _diff(diffs, "feature set", "ALL", org.feature_set)
        wanted = {SSO_PRINCIPAL} | ({CLOUDTRAIL_PRINCIPAL} if audit_logging_on(self.config)
                                    else set())
        trusted = wanted & set(self.live.trusted_services)
        _diff(diffs, "trusted access", wanted, trusted)
        if self.config.guardrails.enabled:
            _diff(diffs, "service control policies", "enabled",
                  "enabled" if SCP in org.enabled_policy_types else "disabled")
        self.items.append(_item("VF001", org.id, diffs, org.id))

    # -- organizational units ------------------------------------------------------------------

    def _ou_label(self, live_id: str) -> str:
        if live_id == self.live.organization.root_id:
            return "root"
        key = next((k for k, v in self.ou_ids.items() if v == live_id), None)
        live = self.live.ou(live_id)
        name = live.name if live else live_id
        return f"{key} ({name})" if key else f"{name} ({live_id}, not in the config)"

    def organizational_units(self) -> None:
        ous = self.config.organizational_units
        released = {k for k, ou in ous.items() if ou.action is not None}
        live_by_id = {o.id: o for o in self.live.ous}
        claimed: set[str] = set()
        for key in ou_order(self.config):
            ou = ous[key]
            parent_id = (self.ou_ids.get(ou.parent) if ou.parent
                         else self.live.organization.root_id)
            live = live_by_id.get(ou.id) if ou.id else None
            if live is None and not ou.id:
                live = (next((o for o in self.live.ous if o.id not in claimed
                              and o.parent_id == parent_id and o.name == ou.name), None)
                        or self._unique(o for o in self.live.ous
                                        if o.id not in claimed and o.name == ou.name))
            if live is None:
                if key not in released:
                    detail = f"id {ou.id} is not in the organization" if ou.id else ""
                    self.items.append(Item("VF002", key, Drift.MISSING, ou.id or "", (), detail))
                continue
            claimed.add(live.id)
            self.ou_ids[key] = live.id
            if key in released:
                continue
            diffs: list[Difference] = []
            _diff(diffs, "name", ou.name, live.name)
            if parent_id != live.parent_id:
                expected = f"{ou.parent} ({ous[ou.parent].name})" if ou.parent else "root"
                diffs.append(Difference("parent", expected, self._ou_label(live.parent_id)))
            self.items.append(_item("VF002", key, diffs, live.id))
        for live in self.live.ous:
            if live.id not in claimed:
                self.items.append(Item("VF002", live.name, Drift.EXTRA, live.id, (),
                                       f"under {self._ou_label(live.parent_id)}"))

    @staticmethod
    def _unique(candidates: Iterable):
        found = list(candidates)
        return found[0] if len(found) == 1 else None

    # -- accounts ------------------------------------------------------------------------------

    def accounts(self) -> None:
        by_id = {a.id: a for a in self.live.accounts}
        by_email = {a.email.lower(): a for a in self.live.accounts}
        master = self.config.management_account
        claimed: set[str] = set()
        for key, account in sorted(self.config.accounts.items()):
            if account.id:
                live = by_id.get(account.id)
            elif key == master:
                live = by_id.get(self.live.organization.management_account_id)
            else:
                live = by_email.get(account.email.lower())
            if live is not None:
                claimed.add(live.id)
                self.account_ids[key] = live.id
            if account.action is AccountAction.REMOVE:
                continue
            if account.action in (AccountAction.DESTROY, AccountAction.CLOSE):
                if live is not None and live.status == "ACTIVE":
                    self.items.append(Item("VF003", key, Drift.DIFFERENT, live.id, (Difference(
                        "membership", "left the organization", "still in the organization"),)))
                else:
                    self.items.append(Item("VF003", key, Drift.MATCH, account.id or ""))
                continue
            if live is None:
                detail = f"id {account.id} is not in the organization" if account.id else ""
                self.items.append(Item("VF003", key, Drift.MISSING, account.id or "", (), detail))
                continue
            diffs: list[Difference] = []
            # The management account's name and email are not managed, but the config must
            # still say what they are: everything else derives names from it.
            _diff(diffs, "name", account.name, live.name)
            _diff(diffs, "email", account.email.lower(), live.email.lower())
            _diff(diffs, "status", "ACTIVE", live.status)
            expected_parent = (self.ou_ids.get(account.organizational_unit)
                               if account.organizational_unit else self.live.organization.root_id)
            if expected_parent != live.parent_id:
                ou = account.organizational_unit
                expected = (f"{ou} ({self.config.organizational_units[ou].name})" if ou
                            else "root")
                diffs.append(Difference("organizational unit", expected,
                                        self._ou_label(live.parent_id)))
            self.items.append(_item("VF003", key, diffs, live.id))
        for live in self.live.accounts:
            if live.id not in claimed:
                self.items.append(Item("VF003", live.name, Drift.EXTRA, live.id, (),
                                       f"{live.email}, {live.status}, in "
                                       f"{self._ou_label(live.parent_id)}"))

    # -- IAM Identity Center -------------------------------------------------------------------

    def identity_center(self) -> None:
        center = self.live.identity_center
        if center is None:
            self.items.append(Item("VF011", self.region, Drift.MISSING, "", (),
                                   "no organization instance of IAM Identity Center in this "
                                   "region: groups, users and assignments cannot be compared"))
            return
        self.groups(center)
        self.users(center)
        self.memberships(center)
        self.permission_sets(center)
        self.assignments(center)

    def _pair(self, check: str, configured: dict, live_items: list, *,
              live_id: Callable, live_name: Callable, config_name: Callable,
              found: dict[str, str], detail: Callable = lambda live: "") -> list[tuple]:
        """Pair config entries with live objects, by `id` when the entry has one, else by
        name; report entries AWS lacks and live objects no entry claims. Returns the pairs of
        entries still managed (`action` unset), for the caller to compare."""
        by_id = {live_id(live): live for live in live_items}
        by_name = {live_name(live): live for live in live_items}
        claimed, pairs = set(), []
        for key, entry in sorted(configured.items()):
            live = by_id.get(entry.id) if entry.id else by_name.get(config_name(key, entry))
            if live is not None:
                claimed.add(live_id(live))
                found[key] = live_id(live)
            if getattr(entry, "action", None) is not None:
                continue
            if live is None:
                self.items.append(Item(check, key, Drift.MISSING, entry.id or ""))
                continue
            pairs.append((key, entry, live))
        for live in live_items:
            if live_id(live) not in claimed:
                self.items.append(Item(check, live_name(live), Drift.EXTRA, live_id(live), (),
                                       detail(live)))
        return pairs

    def groups(self, center: inv.LiveIdentityCenter) -> None:
        for key, group, live in self._pair(
                "VF004", self.config.sso.groups, center.groups, live_id=lambda g: g.id,
                live_name=lambda g: g.name, config_name=lambda _, g: g.name,
                found=self.group_ids):
            diffs: list[Difference] = []
            _diff(diffs, "name", group.name, live.name)
            _diff(diffs, "description", group.description or "", live.description or "")
            self.items.append(_item("VF004", key, diffs, live.id))

    def users(self, center: inv.LiveIdentityCenter) -> None:
        for key, user, live in self._pair(
                "VF005", self.config.sso.users, center.users, live_id=lambda u: u.id,
                live_name=lambda u: u.user_name, config_name=lambda _, u: u.user_name,
                found=self.user_ids, detail=lambda u: u.email):
            given, family = user.name.given_name, user.name.family_name
            diffs: list[Difference] = []
            _diff(diffs, "user name", user.user_name, live.user_name)
            _diff(diffs, "email", user.email.lower(), live.email.lower())
            _diff(diffs, "display name", user.display_name or f"{given} {family}",
                  live.display_name)
            _diff(diffs, "given name", given, live.given_name)
            _diff(diffs, "family name", family, live.family_name)
            self.items.append(_item("VF005", key, diffs, live.id))

    def memberships(self, center: inv.LiveIdentityCenter) -> None:
        sso = self.config.sso
        expected = {(g, u) for u, user in sso.users.items() if user.action is None
                    for g in user.groups if g in sso.groups and sso.groups[g].action is None}
        group_keys = {v: k for k, v in self.group_ids.items()}
        user_keys = {v: k for k, v in self.user_ids.items()}
        names = {g.id: g.name for g in center.groups} | {u.id: u.user_name for u in center.users}
        live = set()
        for group_id, user_id in center.memberships:
            pair = (group_keys.get(group_id), user_keys.get(user_id))
            if None in pair:
                self.items.append(Item("VF006", f"{names.get(user_id, user_id)} in "
                                       f"{names.get(group_id, group_id)}", Drift.EXTRA))
                continue
            live.add(pair)
        for group, user in sorted(expected | live):
            key = f"{user} in {group}"
            if (group, user) not in live:
                self.items.append(Item("VF006", key, Drift.MISSING))
            elif (group, user) not in expected:
                released = (sso.users[user].action is not None
                            or sso.groups[group].action is not None)
                if not released:
                    self.items.append(Item("VF006", key, Drift.EXTRA))
            else:
                self.items.append(Item("VF006", key, Drift.MATCH))

    def permission_sets(self, center: inv.LiveIdentityCenter) -> None:
        sso = self.config.sso
        for key, ps, live in self._pair(
                "VF007", sso.permission_sets, center.permission_sets, live_id=lambda p: p.arn,
                live_name=lambda p: p.name, config_name=lambda _, p: p.name,
                found=self.permission_set_arns, detail=lambda p: p.description):
            managed = {aws_managed_policy_arn(p) for p in ps.policies if p not in sso.policies}
            diffs: list[Difference] = []
            _diff(diffs, "name", ps.name, live.name)
            _diff(diffs, "description", ps.description or "", live.description or "")
            _diff(diffs, "session duration", ps.session_duration, live.session_duration)
            _diff(diffs, "relay state", ps.relay_state or "", live.relay_state or "")
            _diff(diffs, "AWS-managed policies", frozenset(managed),
                  frozenset(live.managed_policies))
            # Customer policies are statements of the inline policy (components/policies/inline.py).
            _diff(diffs, "customer-managed policies", frozenset(),
                  frozenset(f"{path}{name}" for name, path in live.customer_policies))
            _diff(diffs, "inline policy lacks", "",
                  _missing_statements(self.config, key, live.inline_policy))
            self.items.append(_item("VF007", key, diffs, live.arn))

    def assignments(self, center: inv.LiveIdentityCenter) -> None:
        expected = {(a.principal_type, a.principal, a.account, a.permission_set)
                    for a in assignments(self.config)}
        keys = {("GROUP", v): k for k, v in self.group_ids.items()}
        keys |= {("USER", v): k for k, v in self.user_ids.items()}
        accounts = {v: k for k, v in self.account_ids.items()}
        permission_sets = {v: k for k, v in self.permission_set_arns.items()}
        live_names = {g.id: g.name for g in center.groups} | {u.id: u.user_name for u in center.users}
        ps_names = {p.arn: p.name for p in center.permission_sets}
        account_names = {a.id: a.name for a in self.live.accounts}
        live = set()
        for a in center.assignments:
            mapped = (a.principal_type, keys.get((a.principal_type, a.principal_id)),
                      accounts.get(a.account_id), permission_sets.get(a.permission_set_arn))
            if None in mapped:
                label = (f"{a.principal_type} {live_names.get(a.principal_id, a.principal_id)} "
                         f"-> {account_names.get(a.account_id, a.account_id)}: "
                         f"{ps_names.get(a.permission_set_arn, a.permission_set_arn)}")
                if not self._released(a, keys, accounts):
                    self.items.append(Item("VF008", label, Drift.EXTRA, a.account_id))
                continue
            live.add(mapped)
        for kind, principal, account, ps in sorted(expected | live):
            key = f"{kind} {principal} -> {account}: {ps}"
            if (kind, principal, account, ps) not in live:
                self.items.append(Item("VF008", key, Drift.MISSING))
            elif (kind, principal, account, ps) not in expected:
                if not self._released_keys(kind, principal, account):
                    self.items.append(Item("VF008", key, Drift.EXTRA, self.account_ids[account]))
            else:
                self.items.append(Item("VF008", key, Drift.MATCH, self.account_ids[account]))

    def _released_keys(self, kind: str, principal: str, account: str) -> bool:
        """Assignments of released principals or of accounts that are no longer assignable
        (removed, destroyed) are not the config's business; detached ones must be gone."""
        principals = self.config.sso.groups if kind == "GROUP" else self.config.sso.users
        action = self.config.accounts[account].action
        return (principals[principal].action is not None
                or action in (AccountAction.REMOVE, AccountAction.DESTROY, AccountAction.CLOSE))

    def _released(self, a: inv.LiveAssignment, keys: dict, accounts: dict) -> bool:
        principal = keys.get((a.principal_type, a.principal_id))
        account = accounts.get(a.account_id)
        return bool(principal and account and self._released_keys(a.principal_type, principal,
                                                                   account))

    # -- buckets and the trail -----------------------------------------------------------------

    def _session(self, account_key: str) -> AwsSession:
        account_id = self.account_ids.get(account_key)
        if account_id is None:
            raise LookupError(f"account {account_key} is missing")
        return self.aws.assume(account_id, self.config.account_access.role_name)

    def bucket(self, name: str, account_key: str, *, encryption: str, versioned: bool) -> None:
        self.progress(f"reading bucket {name}")
        try:
            live = inv.read_bucket(self._session(account_key), name)
        except LookupError as missing:
            self.items.append(Item("VF009", name, Drift.UNKNOWN, "", (), str(missing)))
            return
        # A refused role or read leaves this bucket unknown; the other items still count.
        except (BotoCoreError, ClientError) as error:
            if is_credential_error(error) and account_key == self.config.management_account:
                raise
            self.items.append(Item("VF009", name, Drift.UNKNOWN, "", (),
                                   f"cannot read it in account {account_key}: "
                                   f"{describe(error, self.aws).message}"))
            return
        if not live.exists:
            self.items.append(Item("VF009", name, Drift.MISSING, "", (),
                                   f"expected in account {account_key}"))
            return
        diffs: list[Difference] = []
        _diff(diffs, "encryption", encryption, live.encryption)
        if versioned:
            _diff(diffs, "versioning", "Enabled", live.versioning)
        pab = live.public_access_block or {}
        off = [flag for flag in PUBLIC_ACCESS_BLOCK if not pab.get(flag)]
        if off:
            diffs.append(Difference("public access block", "all four settings on",
                                    "(none)" if not pab else "off: " + ", ".join(off)))
        _diff(diffs, "object ownership", OWNER_ENFORCED, live.ownership)
        self.items.append(_item("VF009", name, diffs, self.account_ids[account_key],
                                detail=f"in account {account_key}"))

    def buckets(self) -> None:
        config = self.config
        if config.state_backend.enabled:
            state = config.key_account("terraform_state") or config.management_account
            self.bucket(state_bucket_name(config), state, encryption="aws:kms", versioned=True)
        # The management account's access-log buckets (StackSets never deploys there; the
        # member accounts' are checked as their baseline, VF012). SSE-S3: server access logs
        # cannot be delivered to SSE-KMS buckets.
        management = config.management_account
        if management in self.account_ids:
            for region in config.governed_regions:
                self.bucket(access_log_bucket_name(config, self.account_ids[management], region),
                            management, encryption="AES256", versioned=True)

    def baseline(self) -> None:
        """Every member account's stack instance of every baseline stack set (access-log
        buckets per governed region, customer-managed policies), read from the stack sets in
        the management account: no role in any member account is needed. Accounts outside
        the config (joined later) are shown too: they get the baseline."""
        management_id = self.account_ids.get(self.config.management_account)
        managed = set(managed_accounts(self.config))
        keys = {v: k for k, v in self.account_ids.items() if k in managed and v != management_id}
        names = {a.id: a.name for a in self.live.accounts}
        for stack_set, region, what, suffix in baseline_stack_sets(self.config):
            self.progress(f"reading stack set {stack_set}")
            instances = inv.read_stack_instances(self.aws, stack_set, self.region)
            if instances is None:
                self.items.append(Item("VF012", stack_set, Drift.MISSING, "", (),
                                       f"stack set of {what}"))
                continue
            # StackSets never deploys to the management account (its copies are checked apart).
            found = {i.account_id: i for i in instances
                     if i.region == region and i.account_id != management_id}
            for account_id in sorted(set(keys) | set(found)):
                key = keys.get(account_id) or f"{names.get(account_id, account_id)} (not in the config)"
                label = f"{key} {suffix}"
                instance = found.get(account_id)
                if instance is None:
                    self.items.append(Item("VF012", label, Drift.MISSING, account_id, (),
                                           f"no stack instance of {stack_set}"))
                    continue
                state = f"{instance.status}/{instance.detailed_status}"
                diffs = [] if instance.ready else [Difference("stack instance", "CURRENT/SUCCEEDED",
                                                              state)]
                self.items.append(_item("VF012", label, diffs, account_id,
                                        detail=instance.reason or state))

    def trail(self) -> None:
        """The organization trail (components/audit_logging.py) and its log archive bucket."""
        if not audit_logging_on(self.config):
            return
        self.progress("reading the organization trail")
        name, bucket = audit_trail_name(self.config), audit_bucket_name(self.config)
        trails = inv.read_trails(self.aws, self.region)
        trail = next((t for t in trails if t.name == name), None)
        if trail is None:
            self.items.append(Item("VF010", name, Drift.MISSING, "", (),
                                   f"no trail named {name} in {self.region}"))
        else:
            diffs: list[Difference] = []
            _diff(diffs, "organization trail", True, trail.organization_trail)
            _diff(diffs, "bucket", bucket, trail.bucket)
            _diff(diffs, "multi-region", True, trail.multi_region)
            _diff(diffs, "global service events", True, trail.global_events)
            _diff(diffs, "log file validation", True, trail.log_file_validation)
            _diff(diffs, "KMS encryption", "enabled", "enabled" if trail.kms_key_id else "(none)")
            _diff(diffs, "logging", "on", "on" if trail.logging else "off")
            self.items.append(_item("VF010", name, diffs, trail.arn))
        for other in trails:
            if other.organization_trail and other.name != name:
                self.items.append(Item("VF010", other.name, Drift.EXTRA, other.arn, (),
                                       f"another organization trail, into {other.bucket}"))
        archive = self.config.key_account("log_archive")
        if archive in self.account_ids:  # versioned and SSE-KMS, in the log archive account
            self.bucket(bucket, archive, encryption="aws:kms", versioned=True)

    def security_baseline(self) -> None:
        # Imported here: the security verifier builds on this module's records.
        from cli.checks.verify_security import SecurityVerifier
        self.items += SecurityVerifier(self.config, self.aws, self.live, self.account_ids,
                                       self.progress).run()


def _canonical(policy: object) -> str:
    """An IAM document as comparable text, whether it came as YAML data or AWS's JSON string."""
    if not policy:
        return ""
    if isinstance(policy, str):
        try:
            policy = json.loads(policy)
        except ValueError:
            return policy
    return json.dumps(policy, sort_keys=True, separators=(",", ":"))


def verify(config: LandingZoneConfig, aws: AwsSession, progress: Progress = silent) -> VerifyReport:
    """Raises `inventory.NotInOrganization` when the caller's account is in no organization."""
    live = inv.read_inventory(aws, config.organization.aws_region, progress=progress)
    return Verifier(config, aws, live, progress).run()
