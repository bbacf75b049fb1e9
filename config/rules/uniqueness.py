"""Names and emails AWS requires to be unique (compared after token expansion, which is where
Metastructure missed duplicates built from tokens)."""

from __future__ import annotations

from typing import Callable, Iterable

from config.errors import Problem
from config.model import LandingZoneConfig
from config.naming import matches_access_log_bucket, state_bucket_name, state_bucket_source


def _duplicates(code: str, what: str, items: Iterable[tuple[tuple, str]], fix: str,
                normalize: Callable[[str], str] = str) -> list[Problem]:
    first: dict[str, tuple] = {}
    out = []
    for path, value in items:
        seen = first.setdefault(normalize(value), path)
        if seen != path:
            out.append(Problem(code, path, f"{what} '{value}' is already used by "
                               f"{'.'.join(map(str, seen))}.", fix))
    return out


def account_emails(config: LandingZoneConfig) -> list[Problem]:
    return _duplicates("LZ301", "email", (
        (("accounts", k, "email"), a.email) for k, a in sorted(config.accounts.items())),
        "Every AWS account needs its own email: use a plus-alias (owner+key@domain).",
        normalize=str.lower)


def account_names(config: LandingZoneConfig) -> list[Problem]:
    return _duplicates("LZ302", "account name", (
        (("accounts", k, "name"), a.name) for k, a in sorted(config.accounts.items())),
        "Give each account a distinct name so people can tell them apart.")


def account_ids(config: LandingZoneConfig) -> list[Problem]:
    """Two keys adopting one account would import it twice: the second import fails."""
    return _duplicates("LZ306", "account id", (
        (("accounts", k, "id"), a.id) for k, a in sorted(config.accounts.items()) if a.id),
        "Each account id belongs to one account key: remove the duplicate.")


def identity_store_users(config: LandingZoneConfig) -> list[Problem]:
    """IAM Identity Center requires every user name and every user email to be unique
    (https://docs.aws.amazon.com/singlesignon/latest/userguide/users-groups-provisioning.html);
    both are compared without case, as sign-in and email are."""
    users = sorted(config.sso.users.items())
    return (
        _duplicates("LZ307", "user name", ((("sso", "users", k), u.user_name) for k, u in users),
                    "Identity Center user names are unique regardless of case: rename one.",
                    normalize=str.lower)
        + _duplicates("LZ307", "user email", ((("sso", "users", k, "email"), u.email)
                                              for k, u in users),
                      "Every Identity Center user needs an email of its own.",
                      normalize=str.lower))


def ou_sibling_names(config: LandingZoneConfig) -> list[Problem]:
    """AWS refuses two OUs of one name under one parent (DuplicateOrganizationalUnitException)."""
    by_parent: dict[str | None, list] = {}
    for key, ou in sorted(config.organizational_units.items()):
        by_parent.setdefault(ou.parent, []).append((("organizational_units", key, "name"), ou.name))
    out = []
    for items in by_parent.values():
        out += _duplicates("LZ303", "organizational unit name", items,
                           "Rename one: OU names must differ under the same parent.")
    return out


def sso_names(config: LandingZoneConfig) -> list[Problem]:
    sso = config.sso
    return (
        _duplicates("LZ304", "group name", ((("sso", "groups", k, "name"), g.name)
                                            for k, g in sorted(sso.groups.items())),
                    "Identity Center group names must be unique.")
        + _duplicates("LZ304", "permission set name",
                      ((("sso", "permission_sets", k, "name"), p.name)
                       for k, p in sorted(sso.permission_sets.items())),
                      "Permission set names must be unique in the Identity Center instance.")
        + _duplicates("LZ304", "policy name", ((("sso", "policies", k, "name"), p.name)
                                               for k, p in sorted(sso.policies.items())),
                      "Customer policy names must be unique: they become IAM policy names.")
    )


def bucket_names(config: LandingZoneConfig) -> list[Problem]:
    """The state bucket against the access-log buckets (which are distinct among themselves:
    rule LZ320 makes each name hold its account id and region)."""
    if not config.state_backend.enabled:
        return []
    bucket = state_bucket_name(config)
    if not matches_access_log_bucket(config, bucket):
        return []
    return [Problem("LZ305", state_bucket_source(config), f"bucket name '{bucket}' has the "
                    "shape of an access-log bucket name (access_logs.bucket_name_format).",
                    "S3 bucket names are global: make each one distinct.")]


RULES = [account_emails, account_names, account_ids, identity_store_users, ou_sibling_names,
         sso_names, bucket_names]
