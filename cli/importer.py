"""`./lz import`: write a config from an existing organization so landing-zone can adopt it.

OUs, accounts, Identity Center groups, users and permission sets carry their `id`, so `pulumi up`
imports them instead of creating new ones; so does everything AWS would refuse to create twice:
memberships carry their membership id (`group_membership_ids`), and a permission set's
policies, inline policy and assignments are written as they are in AWS, which its `id` vouches
for (components/identity_center.py imports them). Customer-managed policies come back as
`sso.policies` with their documents: the landing zone provisions their statements inline. Keys are made from names (`Log Archive` -> `log_archive`), unique and in the
characters config keys allow. The result is validated with `config.load` before it is
returned, and everything that needs a human decision comes back as a note.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml
from botocore.exceptions import BotoCoreError, ClientError
from pydantic import ValidationError

from cli.aws import inventory as inv
from cli.aws import security as sec
from cli.aws.progress import Progress, silent
from cli.aws.session import AwsSession, is_credential_error
from config import ConfigError, Loaded, load
from config.assignments import AWS_MANAGED_POLICY_ARN
from config.model import LandingZoneConfig
from config.organization_features import (
    BASE_POLICY_TYPES,
    BASE_TRUSTED_SERVICES,
    Features,
    required_policy_types,
    required_trusted_services,
    summary,
)
from config.model.security import SecurityBaseline
from config.security_baseline import SECURITY_TOOLING
from config.source import YAML12_NUMBER

KEY_RE = re.compile(r"[^a-z0-9]+")
CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
USER_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]*$")
LOG_ARCHIVE_NAMES = re.compile(r"log.?archive|^logs?$|^audit$")


def make_key(name: str, taken: set[str], fallback: str) -> str:
    """A snake_case key for `name` (`Log Archive`, `PulumiStateWriter` -> `pulumi_state_writer`),
    unique within `taken` (which it joins)."""
    words = CAMEL_RE.sub("_", name)
    key = KEY_RE.sub("_", words.lower()).strip("_") or fallback
    if not key[0].isalnum():  # pragma: no cover - the regex leaves only [a-z0-9_]
        key = f"{fallback}_{key}"
    candidate, n = key, 1
    while candidate in taken:
        n += 1
        candidate = f"{key}_{n}"
    taken.add(candidate)
    return candidate


def policy_name(arn: str) -> str:
    """An AWS-managed policy as the config names it (`job-function/ViewOnlyAccess`); a name a
    config would read as a customer policy key (all lowercase) stays an ARN."""
    name = arn[len(AWS_MANAGED_POLICY_ARN):] if arn.startswith(AWS_MANAGED_POLICY_ARN) else arn
    return arn if name == name.lower() else name


@dataclass(frozen=True)
class ImportResult:
    data: dict[str, Any]
    notes: tuple[str, ...]
    organization_id: str

    def counts(self) -> dict[str, int]:
        """How many of each kind (singular names), for the summary line."""
        sso = self.data.get("sso", {})
        return {"organizational unit": len(self.data.get("organizational_units", {})),
                "account": len(self.data["accounts"]), "group": len(sso.get("groups", {})),
                "user": len(sso.get("users", {})),
                "permission set": len(sso.get("permission_sets", {}))}


class Importer:
    def __init__(self, aws: AwsSession, region: str, *, namespace: str | None = None,
                 key_accounts: Mapping[str, str] | None = None,
                 role_name: str = "OrganizationAccountAccessRole", progress: Progress = silent):
        self.aws, self.region, self.progress = aws, region, progress
        self.namespace, self.role_name = namespace, role_name
        self.requested_key_accounts = dict(key_accounts or {})
        self.notes: list[str] = []

    def run(self) -> ImportResult:
        live = inv.read_inventory(self.aws, self.region, progress=self.progress)
        org = live.organization
        ou_keys = self._ous(live)
        accounts, account_keys = self._accounts(live, ou_keys)
        master = account_keys[org.management_account_id]
        key_accounts = self._key_accounts(master, accounts)
        baseline = self._security_baseline(key_accounts, account_keys)
        data: dict[str, Any] = {
            "organization": {"id": org.id, "aws_region": self.region,
                             "key_accounts": key_accounts,
                             "tokens": {"namespace": self._namespace(org.id)}},
            "organizational_units": {k: v for k, v in ou_keys.values()},
            "accounts": accounts,
        }
        if baseline:
            data["security_baseline"] = baseline
        if live.identity_center is not None:
            data["sso"] = self._sso(live.identity_center, account_keys)
        else:
            self.notes.append(f"no IAM Identity Center instance in {self.region}: no sso section.")
        trails = [t for t in inv.read_trails(self.aws, self.region) if t.organization_trail]
        for trail in trails:
            self.notes.append(f"organization trail {trail.name} exists: landing-zone adds its own "
                              "trail when audit logging is on (set audit_logging.enabled: false "
                              "to keep only yours).")
        self.notes.append("guardrails (service control policies) are on by default and this file "
                          "has no `guardrails` section: add one to change them before `pulumi up` "
                          "(docs/guardrails.md).")
        services, types = self._required(data)
        self.notes.append("organization " + summary(
            Features.of(live.trusted_services, services),
            Features.of(org.enabled_policy_types, types)))
        return ImportResult(data, tuple(self.notes), org.id)

    def _required(self, data: dict[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Trusted services and policy types the written config needs, the security baseline's
        included; the landing zone's own when the data does not validate (the command reports
        its problems after writing it)."""
        try:
            config = LandingZoneConfig.model_validate(data)
        except ValidationError:
            return BASE_TRUSTED_SERVICES, BASE_POLICY_TYPES
        return required_trusted_services(config), required_policy_types(config)

    def _namespace(self, organization_id: str) -> str:
        if self.namespace:
            return self.namespace
        chosen = f"lz-{organization_id.removeprefix('o-')}"
        self.notes.append(f"tokens.namespace is {chosen} (prefix of every bucket name): choose a "
                          "short name of your own before `pulumi up`, or pass --namespace.")
        return chosen

    def _ous(self, live: inv.Inventory) -> dict[str, tuple[str, dict]]:
        """Live OU id -> (key, config entry), parents before children."""
        taken: set[str] = set()
        out: dict[str, tuple[str, dict]] = {}
        pending = [live.organization.root_id]
        while pending:
            parent = pending.pop(0)
            for ou in sorted((o for o in live.ous if o.parent_id == parent), key=lambda o: o.name):
                entry: dict[str, Any] = {"name": ou.name}
                if parent in out:
                    entry["parent"] = out[parent][0]
                entry["id"] = ou.id
                out[ou.id] = (make_key(ou.name, taken, "ou"), entry)
                pending.append(ou.id)
        return out

    def _accounts(self, live: inv.Inventory,
                  ou_keys: Mapping[str, tuple[str, dict]]) -> tuple[dict[str, dict], dict[str, str]]:
        taken: set[str] = set()
        accounts: dict[str, dict] = {}
        keys: dict[str, str] = {}
        management = live.organization.management_account_id
        for account in sorted(live.accounts, key=lambda a: (a.id != management, a.name, a.id)):
            if account.status != "ACTIVE":
                self.notes.append(f"account {account.id} ({account.name}) is {account.status}: "
                                  "left out.")
                continue
            key = make_key(account.name, taken, "account")
            entry: dict[str, Any] = {"name": account.name, "email": account.email}
            if account.parent_id in ou_keys:
                entry["organizational_unit"] = ou_keys[account.parent_id][0]
            entry["id"] = account.id
            accounts[key], keys[account.id] = entry, key
        return accounts, keys

    def _key_accounts(self, master: str, accounts: Mapping[str, dict]) -> dict[str, str]:
        roles = {"master": master}
        for role, key in self.requested_key_accounts.items():
            if key not in accounts:
                raise ValueError(f"--key-account {role}={key}: no account has the key '{key}' "
                                 f"(keys: {', '.join(sorted(accounts))}).")
            roles[role] = key
        if "log_archive" not in roles:
            guess = [k for k in accounts if LOG_ARCHIVE_NAMES.search(k)]
            if len(guess) == 1:
                roles["log_archive"] = guess[0]
                self.notes.append(f"key account log_archive is {guess[0]} (from its name).")
            else:
                self.notes.append("no log_archive key account: audit logging stays off until "
                                  "you name one (--key-account log_archive=KEY).")
        if "terraform_state" not in roles:
            self.notes.append(f"no terraform_state key account: the state bucket goes to the "
                              f"management account ({master}); --key-account "
                              "terraform_state=KEY chooses another.")
        return roles

    # -- the security baseline -----------------------------------------------------------------

    def _delegated_administrators(self) -> dict[str, tuple[str, ...]]:
        """Section key -> account ids registered as the service's delegated administrator."""
        self.progress("reading delegated administrators")
        return {section: inv.read_delegated_administrators(self.aws, principal)
                for section, principal in sec.DELEGATION_PRINCIPALS.items()}

    def _security_baseline(self, key_accounts: dict[str, str],
                           account_keys: Mapping[str, str]) -> dict[str, dict]:
        """The services a delegated administrator runs stay on (`enabled: true` written out);
        their administrator becomes the security tooling account when they agree on one.
        Adds `security_tooling` to `key_accounts` then."""
        titles = {key: service.TITLE for key, service in SecurityBaseline().services().items()}
        admins = {section: ids for section, ids in self._delegated_administrators().items()
                  if ids}
        candidates = sorted({account for ids in admins.values() for account in ids})
        described = "; ".join(f"{titles[section]}: "
                              f"{', '.join(account_keys.get(a, a) for a in ids)}"
                              for section, ids in admins.items())
        if SECURITY_TOOLING not in key_accounts:
            if len(candidates) == 1 and candidates[0] in account_keys:
                key_accounts[SECURITY_TOOLING] = account_keys[candidates[0]]
                self.notes.append(f"key account security_tooling is "
                                  f"{key_accounts[SECURITY_TOOLING]}: the delegated "
                                  f"administrator of {', '.join(titles[s] for s in admins)}.")
            elif candidates:
                self.notes.append(f"the delegated administrators are not one imported account "
                                  f"({described}): name the security tooling account with --key-account "
                                  "security_tooling=KEY; `./lz preflight` (PF012) names what "
                                  "the others need.")
            else:
                self.notes.append("no security service has a delegated administrator and no "
                                  "security_tooling key account is named: GuardDuty, Security "
                                  "Hub, AWS Config and IAM Access Analyzer stay off until you "
                                  "name one (--key-account security_tooling=KEY; "
                                  "docs/security-services.md).")
        off = [titles[s] for s in sec.DELEGATION_PRINCIPALS if s not in admins]
        if off and SECURITY_TOOLING in key_accounts:
            self.notes.append(f"{', '.join(off)} run nowhere yet: the security baseline turns "
                              "them on in every account and governed region (what each costs: "
                              "docs/security-services.md); `enabled: false` under "
                              "security_baseline keeps one off.")
        return {section: {"enabled": True} for section in admins}

    # -- Identity Center -----------------------------------------------------------------------

    def _sso(self, center: inv.LiveIdentityCenter, account_keys: Mapping[str, str]) -> dict:
        store = center.instance.identity_store_id
        groups, group_keys = self._groups(center)
        users, user_keys = self._users(center, group_keys,
                                       self._membership_ids(center, group_keys))
        ps_keys: dict[str, str] = {}
        taken: set[str] = set()
        permission_sets: dict[str, dict] = {}
        policies: dict[str, dict] = {}
        for ps in sorted(center.permission_sets, key=lambda p: p.name):
            key = make_key(ps.name, taken, "permission_set")
            ps_keys[ps.arn] = key
            permission_sets[key] = self._permission_set(ps, center, account_keys, policies)
        for a in center.assignments:
            account = account_keys.get(a.account_id)
            target = (groups if a.principal_type == "GROUP" else users).get(
                (group_keys if a.principal_type == "GROUP" else user_keys).get(a.principal_id, ""))
            if account is None or target is None or a.permission_set_arn not in ps_keys:
                self.notes.append(f"assignment of {a.principal_type} {a.principal_id} to account "
                                  f"{a.account_id} left out: its account or principal is not "
                                  "imported.")
                continue
            targets = target.setdefault("account_permission_sets", {})
            targets.setdefault(account, []).append(ps_keys[a.permission_set_arn])
        if policies:
            self.notes.append("customer-managed policies become statements of their permission "
                              "sets' inline policies: after the first `pulumi up`, detach the "
                              "customer-managed references from the permission sets (`./lz "
                              "verify` lists them) and delete the IAM policies in the accounts.")
        for entry in [*groups.values(), *users.values()]:
            if "account_permission_sets" in entry:
                entry["account_permission_sets"] = {
                    account: sorted(set(sets))
                    for account, sets in sorted(entry["account_permission_sets"].items())}
        if permission_sets:
            self.notes.append("permission sets carry their `id`: the first `pulumi up` imports "
                              "them with their policies and assignments; after it, delete a "
                              "set's `id` before attaching or assigning more to it.")
        sso: dict[str, Any] = {"start_url": f"https://{store}.awsapps.com/start"}
        for name, section in (("groups", groups), ("permission_sets", permission_sets),
                              ("policies", policies), ("users", users)):
            if section:
                sso[name] = section
        return sso

    def _groups(self, center: inv.LiveIdentityCenter) -> tuple[dict[str, dict], dict[str, str]]:
        taken: set[str] = set()
        groups, keys = {}, {}
        for group in sorted(center.groups, key=lambda g: g.name):
            key = make_key(group.name, taken, "group")
            entry: dict[str, Any] = {"name": group.name}
            if group.description:
                entry["description"] = group.description
            entry["id"] = group.id
            groups[key], keys[group.id] = entry, key
        return groups, keys

    def _membership_ids(self, center: inv.LiveIdentityCenter,
                        group_keys: Mapping[str, str]) -> dict[tuple[str, str], str]:
        """(group id, user id) -> membership id: pulumi-aws imports a membership by its id, and
        AWS refuses to create one twice (ConflictException)."""
        store = center.instance.identity_store_id
        out = {}
        for group_id in group_keys:
            for m in self.aws.paginate("identitystore", "list_group_memberships",
                                       "GroupMemberships", region=self.region,
                                       IdentityStoreId=store, GroupId=group_id):
                user_id = m.get("MemberId", {}).get("UserId")
                if user_id:
                    out[(group_id, user_id)] = m["MembershipId"]
        return out

    def _users(self, center: inv.LiveIdentityCenter, group_keys: Mapping[str, str],
               membership_ids: Mapping[tuple[str, str], str]
               ) -> tuple[dict[str, dict], dict[str, str]]:
        memberships: dict[str, dict[str, str | None]] = {}
        for group_id, user_id in center.memberships:
            if group_id in group_keys:
                memberships.setdefault(user_id, {})[group_keys[group_id]] = \
                    membership_ids.get((group_id, user_id))
        taken: set[str] = set()
        users, keys = {}, {}
        for user in sorted(center.users, key=lambda u: u.user_name):
            if USER_KEY.match(user.user_name) and user.user_name not in taken:
                key = user.user_name
                taken.add(key)
            else:
                key = make_key(user.user_name, taken, "user")
            # Always the live name: a user cannot be renamed, only replaced (losing password
            # and MFA), whatever key the config gives it.
            entry: dict[str, Any] = {
                "user_name": user.user_name, "email": user.email, "display_name": user.display_name,
                "name": {"given_name": user.given_name, "family_name": user.family_name}}
            if memberships.get(user.id):
                entry["groups"] = sorted(memberships[user.id])
            entry["id"] = user.id
            found = {g: m for g, m in sorted(memberships.get(user.id, {}).items()) if m}
            if found:
                entry["group_membership_ids"] = found
            users[key], keys[user.id] = entry, key
        return users, keys

    def _permission_set(self, ps: inv.LivePermissionSet, center: inv.LiveIdentityCenter,
                        account_keys: Mapping[str, str], policies: dict[str, dict]) -> dict:
        entry: dict[str, Any] = {"name": ps.name, "id": ps.arn}
        if ps.description:
            entry["description"] = ps.description
        entry["session_duration"] = ps.session_duration
        if ps.relay_state:
            entry["relay_state"] = ps.relay_state
        names = [policy_name(arn) for arn in ps.managed_policies]
        accounts = sorted({a.account_id for a in center.assignments
                           if a.permission_set_arn == ps.arn and a.account_id in account_keys})
        for name, path in ps.customer_policies:
            key = self._customer_policy(name, path, accounts, policies, ps.name)
            if key:
                names.append(key)
        if names:
            entry["policies"] = names
        if ps.inline_policy:
            entry["inline_policy"] = json.loads(ps.inline_policy)
        return entry

    def _customer_policy(self, name: str, path: str, accounts: Iterable[str],
                         policies: dict[str, dict], permission_set: str) -> str | None:
        """The key of a customer policy entry with the document read from an account where
        the permission set is provisioned (AWS keeps the document in IAM, one per account)."""
        for key, entry in policies.items():
            if (entry["name"], entry.get("path", "/")) == (name, path):
                return key
        for account_id in accounts:
            self.progress(f"reading customer policy {path}{name} in {account_id}")
            try:
                document = self._policy_document(account_id, name, path)
            # One unreadable account is no verdict: the next one may answer.
            except (BotoCoreError, ClientError) as error:
                if is_credential_error(error) and account_id == self.aws.identity().account_id:
                    raise
                continue
            key = make_key(name, set(policies), "policy")
            entry: dict[str, Any] = {"name": name}
            if path != "/":
                entry["path"] = path
            entry["document"] = document
            policies[key] = entry
            return key
        self.notes.append(f"permission set {permission_set}: the document of customer policy "
                          f"{path}{name} could not be read in any assigned account, so the policy "
                          "is left out; add it to sso.policies with its document and to the "
                          "permission set's policies.")
        return None

    def _get_policy(self, account_id: str, name: str, path: str) -> tuple[Any, str, dict]:
        session = self.aws.assume(account_id, self.role_name)
        arn = f"arn:{self.aws.identity().partition}:iam::{account_id}:policy{path}{name}"
        return session, arn, session.call("iam", "get_policy", PolicyArn=arn)["Policy"]

    def _policy_document(self, account_id: str, name: str, path: str) -> dict:
        session, arn, policy = self._get_policy(account_id, name, path)
        version = session.call("iam", "get_policy_version", PolicyArn=arn,
                               VersionId=policy["DefaultVersionId"])["PolicyVersion"]
        document = version["Document"]
        # boto3 decodes the URL-encoded document into a dict; some SDK paths leave a string.
        return json.loads(document) if isinstance(document, str) else document


HEADER = "# Written by `./lz import`"


class _Dumper(yaml.SafeDumper):
    """Quotes every string a YAML 1.2 reader takes for a number: PyYAML leaves `012345678901`
    plain (to YAML 1.1 it is text), which editors checking the JSON Schema read as an integer."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "'" if YAML12_NUMBER.match(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def to_yaml(result: ImportResult, *, now: datetime | None = None) -> str:
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
    header = [
        f"{HEADER} from organization {result.organization_id} on {stamp}.",
        "# Every OU, account, group, user and permission set carries its `id`: `pulumi up` "
        "adopts them.",
    ]
    if result.notes:
        header += ["#", "# Review before `./lz plan` / `pulumi up`:"]
        header += [f"# - {note}" for note in result.notes]
    body = yaml.dump(result.data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)
    return "\n".join(header) + "\n\n" + body


def validate(text: str, directory: Path | None = None, shown_as: str = "the config") -> Loaded:
    """`config.load` of the text from a temporary file in `directory` (where policy file paths
    resolve); problems name `shown_as` (the --output file), never the temporary file."""
    with tempfile.TemporaryDirectory(dir=directory) as tmp:
        path = Path(tmp) / "organization.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            return load(path, use_local=False)
        except ConfigError as error:
            raise ConfigError([replace(p, file=shown_as) if p.file == str(path) else p
                               for p in error.problems]) from None


def import_organization(aws: AwsSession, region: str, *, namespace: str | None = None,
                        key_accounts: Mapping[str, str] | None = None,
                        role_name: str = "OrganizationAccountAccessRole",
                        progress: Progress = silent) -> ImportResult:
    """Raises `inventory.NotInOrganization` when the caller's account is in no organization."""
    return Importer(aws, region, namespace=namespace, key_accounts=key_accounts,
                    role_name=role_name, progress=progress).run()
