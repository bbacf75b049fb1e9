"""`./lz preflight`: is this AWS organization ready for the first `pulumi up`?

Each check has a stable id, a one-line title, and on failure the fix. Checks that need
something an earlier check found missing (credentials, the organization) are skipped rather
than failing twice. Only read calls are made, plus one `sts:AssumeRole`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from botocore.exceptions import BotoCoreError, ClientError

from cli.aws import inventory as inv
from cli.aws import security as sec
from cli.aws.progress import Progress, silent
from cli.aws.session import AwsSession, describe, error_code, is_credential_error
from config.guardrails import audit_logging_on
from config.model import AccountAction, LandingZoneConfig
from config.naming import (
    access_log_bucket_name,
    audit_bucket_name,
    baseline_stack_sets,
    guardduty_findings_bucket_name,
    state_bucket_name,
)
from config.organization_features import (
    required_policy_types,
    required_trusted_services,
    Features,
    summary,
)
from config.security_baseline import guardduty_export_on, security_account, services_on
from config.topology import managed_accounts

SSO_PRINCIPAL = "sso.amazonaws.com"
CLOUDTRAIL_PRINCIPAL = "cloudtrail.amazonaws.com"
SECURITY_HUB_PRINCIPAL = "securityhub.amazonaws.com"
# Service Quotas code of Organizations' "Default maximum number of accounts"; Organizations
# quotas are served from us-east-1 only
# (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html).
ACCOUNT_QUOTA_CODE = "L-29A0C5DF"
DEFAULT_ACCOUNT_QUOTA = 10
QUOTAS_REGION = "us-east-1"
CROSS_ACCOUNT_ROLE_DOC = ("https://docs.aws.amazon.com/organizations/latest/userguide/"
                          "orgs_manage_accounts_access-cross-account-role.html")


class Status(str, Enum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    SKIP = "skip"


CHECKS: dict[str, str] = {
    "PF001": "AWS credentials resolve",
    "PF002": "the caller is in the management account",
    "PF003": "the organization exists with all features",
    "PF004": "IAM Identity Center is enabled in the home region",
    "PF005": "trusted access for IAM Identity Center and CloudTrail; what else is on",
    "PF006": "the caller can assume the account access role",
    "PF007": "no configured email belongs to another account",
    "PF008": "the account quota has room for the new accounts",
    "PF009": "configured ids exist in the organization",
    "PF010": "bucket names are free",
    "PF011": "StackSets can deploy the baseline to every account",
    "PF012": "no other account is GuardDuty's, AWS Config's or Access Analyzer's delegated "
             "administrator",
    "PF013": "security services already on are adopted, not duplicated",
    "PF014": "GuardDuty's findings export has no other destination",
    "PF030": "Security Hub's delegated administrator is the security tooling account",
}

# CloudFormation quotas (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html):
# the defaults, which an account may have raised. One stack set per governed region holds one
# instance per member account.
STACK_INSTANCES_PER_STACK_SET = 2_000
STACK_SETS_PER_ADMINISTRATOR = 1_000


@dataclass(frozen=True)
class CheckResult:
    id: str
    status: Status
    message: str
    fix: str = ""

    @property
    def title(self) -> str:
        return CHECKS[self.id]


@dataclass(frozen=True)
class PreflightReport:
    results: tuple[CheckResult, ...]

    @property
    def failed(self) -> bool:
        return any(r.status is Status.FAIL for r in self.results)

    def counts(self) -> dict[str, int]:
        return {s.value: sum(r.status is s for r in self.results) for s in Status}


class _Skip(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _new_accounts(config: LandingZoneConfig, live_emails: dict[str, inv.LiveAccount]) -> list[str]:
    """Config accounts `pulumi up` would create: no id, not released, email unused."""
    master = config.management_account
    return sorted(k for k, a in config.accounts.items()
                  if k != master and a.id is None and a.action in (None, AccountAction.DETACH)
                  and a.email.lower() not in live_emails)


class Preflight:
    """Runs the checks in order; each sees what the earlier ones learned."""

    def __init__(self, config: LandingZoneConfig, aws: AwsSession, progress: Progress = silent):
        self.config, self.aws, self.progress = config, aws, progress
        self.region = config.organization.aws_region
        self.identity = None
        self.org: inv.LiveOrganization | None = None
        self.ous: tuple[inv.LiveOu, ...] = ()
        self.accounts: tuple[inv.LiveAccount, ...] = ()
        self.instance: inv.LiveInstance | None = None
        self._managed_ids: frozenset[str] | None = None

    def run(self) -> PreflightReport:
        steps: list[tuple[str, Callable[[], CheckResult]]] = [
            ("PF001", self.credentials), ("PF002", self.management_account),
            ("PF003", self.organization), ("PF004", self.identity_center),
            ("PF005", self.trusted_access), ("PF006", self.assume_role),
            ("PF007", self.emails), ("PF008", self.quota), ("PF009", self.configured_ids),
            ("PF010", self.buckets), ("PF011", self.stacksets),
            ("PF012", self.delegated_administrators), ("PF013", self.security_services_found),
            ("PF014", self.findings_export), ("PF030", self.security_hub_admin),
        ]
        results = []
        for check_id, step in steps:
            self.progress(f"{check_id} {CHECKS[check_id]}")
            results.append(self._guarded(check_id, step))
        return PreflightReport(tuple(results))

    def _guarded(self, check_id: str, step: Callable[[], CheckResult]) -> CheckResult:
        try:
            return step()
        except _Skip as skip:
            return CheckResult(check_id, Status.SKIP, skip.reason)
        # Any AWS error fails this check, with the translated reason, and the next check runs.
        except (BotoCoreError, ClientError) as error:
            translated = describe(error, self.aws)
            return CheckResult(check_id, Status.FAIL, translated.message, translated.hint)

    def _need_identity(self) -> None:
        if self.identity is None:
            raise _Skip("needs working credentials (PF001)")

    def _need_org(self) -> inv.LiveOrganization:
        self._need_identity()
        if self.org is None:
            raise _Skip("needs the organization (PF003)")
        return self.org

    def _need_management(self) -> inv.LiveOrganization:
        org = self._need_org()
        if org.management_account_id != self.identity.account_id:
            raise _Skip("needs management account credentials (PF002)")
        return org

    # PF001
    def credentials(self) -> CheckResult:
        try:
            self.identity = self.aws.identity()
        except (BotoCoreError, ClientError) as error:
            translated = describe(error, self.aws)
            return CheckResult("PF001", Status.FAIL, translated.message, translated.hint)
        return CheckResult("PF001", Status.PASS,
                           f"{self.identity.arn} (account {self.identity.account_id})")

    # PF002
    def management_account(self) -> CheckResult:
        self._need_identity()
        try:
            self.org = inv.read_organization(self.aws)
        except ClientError as error:
            if is_credential_error(error):
                raise
            if error_code(error) in ("AccessDeniedException", "AccessDenied"):
                return CheckResult("PF002", Status.FAIL,
                                   f"{self.identity.arn} may not read the organization "
                                   "(organizations:DescribeOrganization is denied).",
                                   "Use the management account's bootstrap-admin credentials "
                                   "(AdministratorAccess), e.g. --profile bootstrap-admin.")
            raise
        if self.org is None:
            raise _Skip("account is in no organization (PF003)")
        caller = self.identity.account_id
        master_key = self.config.management_account
        configured = self.config.accounts[master_key].id
        if self.org.management_account_id != caller:
            return CheckResult(
                "PF002", Status.FAIL,
                f"account {caller} is a member of {self.org.id}, whose management account is "
                f"{self.org.management_account_id}.",
                f"Use credentials of the management account {self.org.management_account_id} "
                "(the bootstrap-admin IAM user), e.g. --profile bootstrap-admin.")
        if configured and configured != caller:
            return CheckResult(
                "PF002", Status.FAIL,
                f"accounts.{master_key}.id is {configured}, but the management account is "
                f"{caller}.",
                f"Set accounts.{master_key}.id to {caller}, or use the other organization's "
                "credentials.")
        return CheckResult("PF002", Status.PASS,
                           f"account {caller} manages organization {self.org.id}")

    # PF003
    def organization(self) -> CheckResult:
        self._need_identity()
        if self.org is None:
            return CheckResult(
                "PF003", Status.FAIL,
                f"account {self.identity.account_id} belongs to no AWS Organization.",
                "Enable IAM Identity Center in this account (it offers to create the "
                "organization), or run `aws organizations create-organization --feature-set ALL`.")
        known = self.config.organization.known_id
        if known and known != self.org.id:
            return CheckResult(
                "PF003", Status.FAIL,
                f"organization.id is {known}, but the caller's organization is {self.org.id}.",
                f"Set organization.id to {self.org.id}, or use the credentials of {known}.")
        if self.org.feature_set != "ALL":
            return CheckResult(
                "PF003", Status.FAIL,
                f"organization {self.org.id} has only {self.org.feature_set} features: service "
                "control policies, IAM Identity Center and organization trails need all features.",
                "Organizations console > Settings > Enable all features (each member account "
                "must accept), or `aws organizations enable-all-features`.")
        return CheckResult("PF003", Status.PASS, f"{self.org.id} has all features enabled")

    # PF004
    def identity_center(self) -> CheckResult:
        self._need_identity()
        instances = inv.read_instances(self.aws, self.region)
        owner = self.org.management_account_id if self.org else self.identity.account_id
        self.instance = inv.organization_instance(instances, owner)
        console_url = (f"https://{self.region}.console.aws.amazon.com/singlesignon/home"
                       f"?region={self.region}")
        if self.instance is None:
            return CheckResult(
                "PF004", Status.FAIL,
                f"no organization instance of IAM Identity Center in {self.region}.",
                "AWS has no API to create it: sign in to the management account, open "
                f"{console_url} and choose Enable (with AWS Organizations). If it is enabled in "
                "another region, set organization.aws_region to that region.")
        if self.instance.status != "ACTIVE":
            return CheckResult("PF004", Status.FAIL,
                               f"the IAM Identity Center instance is {self.instance.status}.",
                               f"Wait until it is ACTIVE in {console_url}, then re-run.")
        portal = f"https://{self.instance.identity_store_id}.awsapps.com/start"
        message = (f"{self.instance.arn} in {self.region} (identity store "
                   f"{self.instance.identity_store_id})")
        if not self.config.sso.start_url:
            return CheckResult("PF004", Status.WARN, message + "; sso.start_url is not set.",
                               f"Nothing to do unless you chose an access portal alias: the "
                               f"program and `./lz sso-config` use {portal}. With an alias, "
                               "set sso.start_url to it.")
        return CheckResult("PF004", Status.PASS, message)

    # PF005
    def trusted_access(self) -> CheckResult:
        org = self._need_management()
        trusted = inv.read_trusted_services(self.aws)
        on = summary(Features.of(trusted, required_trusted_services(self.config)),
                     Features.of(org.enabled_policy_types, required_policy_types(self.config)))
        if SSO_PRINCIPAL not in trusted:
            return CheckResult(
                "PF005", Status.FAIL,
                f"IAM Identity Center ({SSO_PRINCIPAL}) has no trusted access to the organization.",
                "Enable IAM Identity Center from the management account with AWS Organizations "
                "(its console does this), or run `aws organizations enable-aws-service-access "
                f"--service-principal {SSO_PRINCIPAL}`.")
        if audit_logging_on(self.config) and CLOUDTRAIL_PRINCIPAL not in trusted:
            return CheckResult(
                "PF005", Status.WARN,
                f"{SSO_PRINCIPAL} is trusted; {CLOUDTRAIL_PRINCIPAL} is not yet. {on}",
                "Nothing to do: `pulumi up` enables it before it creates the organization trail.")
        return CheckResult("PF005", Status.PASS, on)

    def _tree(self) -> None:
        if not self.accounts:
            self.ous, self.accounts = inv.read_tree(self.aws, self.org.root_id, self.progress)

    def _managed(self) -> frozenset[str]:
        """Live accounts tagged by landing-zone whose email the config names without an id."""
        if self._managed_ids is None:
            emails = {a.email.lower() for a in self.config.accounts.values() if a.id is None}
            self._managed_ids = frozenset(
                a.id for a in self.accounts
                if a.email.lower() in emails and inv.is_managed(self.aws, a.id))
        return self._managed_ids

    # PF006
    def assume_role(self) -> CheckResult:
        org = self._need_management()
        self._tree()
        role = self.config.account_access.role_name
        members = [a for a in self.accounts
                   if a.id != org.management_account_id and a.status == "ACTIVE"]
        configured = {a.id for a in self.config.accounts.values() if a.id}
        members.sort(key=lambda a: (a.id not in configured, a.id))
        if not members:
            raise _Skip(f"no member account yet: `pulumi up` assumes {role} into each new "
                        "account as soon as it accepts calls")
        target = members[0]
        arn = self.aws.role_arn(target.id, role)
        try:
            answered = self.aws.assume(target.id, role).identity().account_id
        except ClientError as error:
            if is_credential_error(error) or error_code(error) not in (
                    "AccessDenied", "AccessDeniedException"):
                raise
            return CheckResult(
                "PF006", Status.FAIL,
                f"{self.identity.arn} may not assume {arn} ({error_code(error)}).",
                f"Allow sts:AssumeRole on arn:aws:iam::*:role/{role} for the caller (`./lz "
                "bootstrap-policy` prints that policy). An account that joined by invitation has "
                f"no {role} until you create it: {CROSS_ACCOUNT_ROLE_DOC}")
        if answered != target.id:
            return CheckResult("PF006", Status.FAIL,
                               f"assumed {arn} but AWS answered as account {answered}.",
                               "Check account_access.role_name in the config.")
        return CheckResult("PF006", Status.PASS, f"assumed {arn} ({target.name})")

    # PF007
    def emails(self) -> CheckResult:
        org = self._need_management()
        self._tree()
        by_email = {a.email.lower(): a for a in self.accounts}
        by_id = {a.id: a for a in self.accounts}
        master = self.config.management_account
        problems, warnings = [], []
        for key, account in sorted(self.config.accounts.items()):
            live = by_email.get(account.email.lower())
            if key == master:
                if account.email.lower() != org.management_account_email.lower():
                    warnings.append(f"accounts.{key}.email is {account.email}, the management "
                                    f"account's is {org.management_account_email} (landing-zone "
                                    "does not change it)")
                continue
            if account.action not in (None, AccountAction.DETACH):
                continue
            if account.id is None and live is not None and live.id in self._managed():
                continue  # created by an earlier `pulumi up`: its id is in the stack's state
            if account.id is None and live is not None:
                problems.append(f"accounts.{key}.email {account.email} already belongs to "
                                f"account {live.id} ({live.name}): add `id: '{live.id}'` to "
                                f"accounts.{key} to adopt it, or choose another email")
            elif account.id and live is not None and live.id != account.id:
                problems.append(f"accounts.{key}.email {account.email} belongs to account "
                                f"{live.id}, not to accounts.{key}.id {account.id}")
            elif account.id and account.id in by_id and live is None:
                problems.append(f"accounts.{key}: the email of account {account.id} is "
                                f"{by_id[account.id].email}, the config says {account.email}: "
                                "changing an account's email replaces the account; set the "
                                "email AWS has")
        note = ("accounts outside the organization cannot be checked: AWS reports an email in "
                "use only when the account is created")
        if problems:
            return CheckResult("PF007", Status.FAIL, "; ".join(problems) + ".",
                               f"Fix the emails above ({note}).")
        if warnings:
            return CheckResult("PF007", Status.WARN, "; ".join(warnings) + ".", "")
        return CheckResult("PF007", Status.PASS,
                           f"{len(self.config.accounts)} configured emails are free or belong to "
                           f"their own accounts ({note})")

    def _account_quota(self) -> tuple[int, str]:
        try:
            quota = self.aws.call("service-quotas", "get_service_quota", region=QUOTAS_REGION,
                                  ServiceCode="organizations", QuotaCode=ACCOUNT_QUOTA_CODE)
            return int(quota["Quota"]["Value"]), ""
        # The quota is informative: without it the documented default still gives an answer.
        except ClientError as error:
            if is_credential_error(error):
                raise
            return DEFAULT_ACCOUNT_QUOTA, (f" (Service Quotas did not answer, {error_code(error)}: "
                                           f"assuming the default of {DEFAULT_ACCOUNT_QUOTA})")

    # PF008
    def quota(self) -> CheckResult:
        self._need_management()
        self._tree()
        new = _new_accounts(self.config, {a.email.lower(): a for a in self.accounts})
        existing = len(self.accounts)
        limit, note = self._account_quota()
        summary = (f"{existing} accounts in the organization + {len(new)} to create "
                   f"= {existing + len(new)} of a quota of {limit}{note}")
        if existing + len(new) > limit:
            return CheckResult(
                "PF008", Status.FAIL, summary + ".",
                "Request an increase in the Service Quotas console (region us-east-1) > AWS "
                f"Organizations > Default maximum number of accounts ({ACCOUNT_QUOTA_CODE}), or "
                "`aws service-quotas request-service-quota-increase --service-code organizations "
                f"--quota-code {ACCOUNT_QUOTA_CODE} --desired-value {existing + len(new) + 5} "
                "--region us-east-1`. Closed accounts count until they are permanently closed.")
        return CheckResult("PF008", Status.PASS, summary)

    # PF009
    def configured_ids(self) -> CheckResult:
        self._need_management()
        self._tree()
        accounts = {a.id: a for a in self.accounts}
        ous = {o.id for o in self.ous}
        problems, warnings, checked = [], [], 0
        for key, account in sorted(self.config.accounts.items()):
            if not account.id:
                continue
            checked += 1
            live = accounts.get(account.id)
            if live is None:
                problems.append(f"accounts.{key}.id {account.id} is not in {self.org.id}")
            elif live.status != "ACTIVE" and account.action is None:
                problems.append(f"accounts.{key}.id {account.id} is {live.status}")
            elif (live.name != account.name and key != self.config.management_account
                  and account.action in (None, AccountAction.DETACH)):
                problems.append(f"accounts.{key}.name is '{account.name}' but account "
                                f"{account.id} is named '{live.name}': renaming an account "
                                "replaces it; set the name AWS has")
        for key, ou in sorted(self.config.organizational_units.items()):
            if ou.id:
                checked += 1
                if ou.id not in ous:
                    problems.append(f"organizational_units.{key}.id {ou.id} is not in {self.org.id}")
                elif (live_ou := next(o for o in self.ous if o.id == ou.id)).name != ou.name:
                    warnings.append(f"OU {ou.id} is named '{live_ou.name}'; `pulumi up` renames "
                                    f"it to '{ou.name}'")
        checked += self._principal_ids(problems)
        if problems:
            return CheckResult("PF009", Status.FAIL, "; ".join(problems) + ".",
                               "Correct or remove these ids (`./lz import` writes a config with "
                               "the ids of an existing organization).")
        if warnings:
            return CheckResult("PF009", Status.WARN, "; ".join(warnings) + ".")
        if not checked:
            return CheckResult("PF009", Status.PASS, "no ids configured: everything is created")
        return CheckResult("PF009", Status.PASS, f"{checked} configured ids exist")

    def _principal_ids(self, problems: list[str]) -> int:
        """Adopted Identity Center groups and users exist in the identity store."""
        sso = self.config.sso
        wanted = [("groups", k, g.id, "describe_group", "GroupId") for k, g in sso.groups.items() if g.id]
        wanted += [("users", k, u.id, "describe_user", "UserId") for k, u in sso.users.items() if u.id]
        if not wanted or self.instance is None:
            return 0
        for section, key, principal_id, operation, param in sorted(wanted):
            try:
                self.aws.call("identitystore", operation, region=self.region,
                              IdentityStoreId=self.instance.identity_store_id,
                              **{param: principal_id})
            except ClientError as error:
                if error_code(error) != "ResourceNotFoundException":
                    raise
                problems.append(f"sso.{section}.{key}.id {principal_id} is not in identity store "
                                f"{self.instance.identity_store_id}")
        return len(wanted)

    def _expected_buckets(self) -> list[tuple[str, str, str]]:
        """(bucket, account key, the config key that names it)."""
        out = []
        if self.config.state_backend.enabled:
            owner = self.config.key_account("terraform_state") or self.config.management_account
            out.append((state_bucket_name(self.config), owner, "state_backend.bucket"))
        # Access-log buckets are named by account id: only accounts that exist can be checked.
        for key in managed_accounts(self.config):
            account_id = self._account_id(key)
            out += [(access_log_bucket_name(self.config, account_id, region), key,
                     "access_logs.bucket_name_format")
                    for region in self.config.governed_regions if account_id]
        if audit_logging_on(self.config):
            out.append((audit_bucket_name(self.config), self.config.key_account("log_archive"),
                        "audit_logging.bucket"))
        return out

    def _account_id(self, key: str) -> str | None:
        account = self.config.accounts[key]
        if account.id:
            return account.id
        if key == self.config.management_account:
            return self.org.management_account_id if self.org else self.identity.account_id
        return next((a.id for a in self.accounts if a.email.lower() == account.email.lower()), None)

    # PF010
    def buckets(self) -> CheckResult:
        self._need_identity()
        if self.org is not None and self.org.management_account_id == self.identity.account_id:
            self._tree()
        taken, ours, free = [], [], 0
        for bucket, key, source in self._expected_buckets():
            if inv.bucket_exists(self.aws, bucket) is False:
                free += 1
                continue
            owner = self._account_id(key)
            if owner and self._owns(owner, bucket):
                ours.append(f"{bucket} (account {key})")
            else:
                taken.append((bucket, source))
        if taken:
            names = ", ".join(b for b, _ in taken)
            keys = sorted({s for _, s in taken})
            return CheckResult(
                "PF010", Status.FAIL,
                f"bucket name(s) taken by another AWS account: {names}.",
                f"S3 bucket names are global: change {' or '.join(keys)} (or the namespace "
                "token that prefixes them) and check again with `./lz show`.")
        message = f"{free} bucket names are free"
        if ours:
            message += f"; already created by landing-zone: {', '.join(ours)}"
        return CheckResult("PF010", Status.PASS, message)

    def _owns(self, account_id: str, bucket: str) -> bool:
        try:
            session = self.aws.assume(account_id, self.config.account_access.role_name)
            return bucket in inv.owned_buckets(session)
        # Unable to look inside the account: the name may well be ours, but it is unproven.
        except ClientError as error:
            if is_credential_error(error) and account_id == self.identity.account_id:
                raise
            return False


    # PF011
    def stacksets(self) -> CheckResult:
        """Trusted access (DescribeOrganizationsAccess) and the quotas that bind at scale."""
        self._need_management()
        self._tree()
        new = _new_accounts(self.config, {a.email.lower(): a for a in self.accounts})
        members = len(self.accounts) - 1 + len(new)  # StackSets skips the management account
        baseline = baseline_stack_sets(self.config)
        ours = {stack_set.name for stack_set in baseline}
        others = [s for s in inv.read_stack_sets(self.aws, self.region) if s not in ours]
        policies = " and one of the customer-managed policies" if len(ours) > len(
            self.config.governed_regions) else ""
        summary = (f"{members} member accounts: {members} stack instances in each of "
                   f"{len(ours)} stack set(s) (one per governed region{policies}; quota "
                   f"{STACK_INSTANCES_PER_STACK_SET}), {len(others) + len(ours)} stack sets "
                   f"(quota {STACK_SETS_PER_ADMINISTRATOR})")
        if members > STACK_INSTANCES_PER_STACK_SET or \
                len(others) + len(ours) > STACK_SETS_PER_ADMINISTRATOR:
            return CheckResult(
                "PF011", Status.FAIL, summary + ": over a default CloudFormation quota.",
                "Request an increase in the Service Quotas console > AWS CloudFormation (stack "
                "instances per stack set, stack sets per administrator account).")
        status = inv.read_stacksets_access(self.aws, self.region)
        if status != "ENABLED":
            return CheckResult(
                "PF011", Status.WARN, f"StackSets trusted access is {status}; {summary}.",
                "Nothing to do: `pulumi up` activates it from CloudFormation "
                "(ActivateOrganizationsAccess) before it creates the stack sets.")
        return CheckResult("PF011", Status.PASS, f"StackSets trusted access is ENABLED; {summary}")

    # PF030
    def security_hub_admin(self) -> CheckResult:
        """Another account in Security Hub's delegated-administrator seat: `pulumi up` stops
        (it never replaces it), since removing that administrator deletes its Security Hub
        CSPM configuration policies and associations (components/security_hub.py)."""
        if "security_hub" not in services_on(self.config):
            return CheckResult("PF030", Status.PASS, "Security Hub is off: nothing to check")
        self._need_management()
        self._tree()
        key = security_account(self.config)
        wanted = self.config.accounts[key]
        live = {a.email.lower(): a.id for a in self.accounts}
        wanted_id = wanted.id or live.get(wanted.email.lower())
        admins = inv.read_delegated_administrators(self.aws, SECURITY_HUB_PRINCIPAL)
        if not admins:
            return CheckResult("PF030", Status.PASS, f"no delegated administrator yet: "
                               f"`pulumi up` designates '{key}'")
        if wanted_id in admins:
            return CheckResult("PF030", Status.PASS, f"'{key}' ({wanted_id}) already is: "
                               "`pulumi up` keeps it")
        return CheckResult(
            "PF030", Status.FAIL,
            f"Security Hub's delegated administrator is account {', '.join(admins)}, not "
            f"'{key}' ({wanted_id or 'to be created'}). Changing it deletes every Security Hub "
            "CSPM configuration policy and association of the organization; `pulumi up` will "
            "not do it.",
            "Name that account as organization.key_accounts.security_tooling, or deregister it "
            "on purpose (aws organizations deregister-delegated-administrator "
            f"--account-id <id> --service-principal {SECURITY_HUB_PRINCIPAL}), or set "
            "security_baseline.security_hub.enabled: false.")
    def _delegated_services(self) -> dict[str, str]:
        """Section key -> delegation principal of every service on that has a delegated
        administrator (account defaults have none: the management account sets them)."""
        return {key: sec.DELEGATION_PRINCIPALS[key] for key in services_on(self.config)
                if key in sec.DELEGATION_PRINCIPALS}

    def _delegated_services_but_security_hub(self) -> dict[str, str]:
        """Security Hub's seat is PF030's (changing it deletes its configuration policies)."""
        return {k: v for k, v in self._delegated_services().items() if k != "security_hub"}

    def _security_account_id(self) -> str | None:
        self._tree()
        return self._account_id(security_account(self.config))

    # PF012
    def delegated_administrators(self) -> CheckResult:
        """A service has one delegated administrator per organization: registering the
        security account fails while another account holds the role."""
        self._need_management()
        services = self._delegated_services_but_security_hub()
        if not services:
            raise _Skip("no security service with a delegated administrator is on but "
                        "Security Hub (PF030) (security_baseline; "
                        "organization.key_accounts.security_tooling)")
        key = security_account(self.config)
        security_id = self._security_account_id()
        names = {a.id: a.name for a in self.accounts}
        titles = self.config.security_baseline.services()
        taken, ours, free = [], [], []
        for section, principal in services.items():
            title = titles[section].TITLE
            admins = inv.read_delegated_administrators(self.aws, principal)
            others = [a for a in admins if a != security_id]
            if others:
                taken.append((title, principal, others))
            elif admins:
                ours.append(title)
            else:
                free.append(title)
        target = f"{key} ({security_id})" if security_id else f"{key} (not created yet)"
        if taken:
            problems = [f"{title}'s delegated administrator is "
                        f"{', '.join(f'{a} ({names.get(a, a)})' for a in others)}, not {target}"
                        for title, _, others in taken]
            commands = [f"`aws organizations deregister-delegated-administrator --account-id "
                        f"{a} --service-principal {principal}`"
                        for _, principal, others in taken for a in others]
            fix = ("Name that account as organization.key_accounts.security_tooling, or "
                   f"deregister it: {'; '.join(commands)}.")
            return CheckResult("PF012", Status.FAIL, "; ".join(problems) + ".", fix)
        parts = []
        if ours:
            parts.append(f"{target} is already the delegated administrator of "
                         f"{', '.join(ours)} (adopted)")
        if free:
            parts.append(f"`pulumi up` registers {target} for {', '.join(free)}")
        return CheckResult("PF012", Status.PASS, "; ".join(parts))

    # PF013
    def security_services_found(self) -> CheckResult:
        """Detectors, recorders, analyzers and hubs that exist in the management and security
        accounts, per governed region: the program adopts them (one detector and one customer
        recorder per account and region is all AWS allows)."""
        org = self._need_management()
        services = self._delegated_services()
        if not services:
            raise _Skip("no security service with a delegated administrator is on")
        accounts = [(self.config.management_account, org.management_account_id)]
        security_id = self._security_account_id()
        if security_id:
            accounts.append((security_account(self.config), security_id))
        found, unreadable = [], []
        for key, account_id in accounts:
            try:
                session = self.aws.assume(account_id, self.config.account_access.role_name)
            # The account's role refused: nothing in it can be read, the rest still can.
            except ClientError as error:
                if is_credential_error(error):
                    raise
                unreadable.append(f"{key} ({error_code(error)})")
                continue
            for region in self.config.governed_regions:
                self.progress(f"PF013 reading {key} in {region}")
                for section in services:
                    try:
                        found += [f"{key} in {region}: {what}"
                                  for what in FOUND_READERS[section](session, region)]
                    # One service unreadable in one region is reported, not fatal.
                    except (BotoCoreError, ClientError) as error:
                        if is_credential_error(error):
                            raise
                        unreadable.append(f"{key} in {region}: "
                                          f"{self.config.security_baseline.services()[section].TITLE}"
                                          f" ({describe(error, self.aws).message})")
        message = ("found, and adopted rather than duplicated: " + "; ".join(found) if found
                   else "none found in " + " or ".join(k for k, _ in accounts) +
                   ": `pulumi up` creates them")
        if unreadable:
            return CheckResult("PF013", Status.WARN,
                               f"{message}; could not read: {'; '.join(unreadable)}.",
                               "Check the caller may assume the account access role and read "
                               "these services (SecurityAudit covers them), then run again.")
        return CheckResult("PF013", Status.PASS, message)

    # PF014
    def findings_export(self) -> CheckResult:
        """The findings export is a publishing destination on the administrator's detector in
        each governed region. pulumi-aws has no lookup to adopt one that exists, so a
        destination made elsewhere would stay beside the landing zone's: say where it is."""
        self._need_management()
        if not guardduty_export_on(self.config):
            raise _Skip("GuardDuty's findings export is off (security_baseline.guardduty."
                        "export_findings, a log_archive key account)")
        security_id = self._security_account_id()
        if not security_id:
            raise _Skip("the security tooling account does not exist yet: nothing to read")
        session = self.aws.assume(security_id, self.config.account_access.role_name)
        ours = f"arn:aws:s3:::{guardduty_findings_bucket_name(self.config)}"
        others = []
        for region in self.config.governed_regions:
            self.progress(f"PF014 reading GuardDuty in {region}")
            for detector in sec.detectors(session, region):
                others += [f"{region}: detector {detector} destination {d.id} -> {d.arn}"
                           for d in sec.publishing_destinations(session, region, detector)
                           if not d.arn.startswith(ours)]
        if not others:
            return CheckResult("PF014", Status.PASS, "no other publishing destination: "
                               f"`pulumi up` exports to {ours} in every governed region")
        return CheckResult(
            "PF014", Status.WARN,
            f"GuardDuty already exports findings elsewhere: {'; '.join(others)}.",
            "The landing zone adds its own destination beside these. Delete the ones you no "
            "longer need (aws guardduty delete-publishing-destination --detector-id ... "
            "--destination-id ... --region ...), or set security_baseline.guardduty."
            "export_findings: false to keep yours alone.")


def _recorders_found(aws: AwsSession, region: str) -> list[str]:
    return [f"AWS Config recorder {r.name} ({'recording' if r.recording else 'stopped'})"
            for r in sec.recorders(aws, region)]


# What PF013 reports per service: one phrase per thing found.
FOUND_READERS: dict[str, Callable[[AwsSession, str], list[str]]] = {
    "guardduty": lambda aws, region: [f"GuardDuty detector {d}"
                                      for d in sec.detectors(aws, region)],
    "security_hub": lambda aws, region: (["Security Hub enabled"]
                                         if sec.hub_enabled(aws, region) else []),
    "aws_config": _recorders_found,
    "access_analyzer": lambda aws, region: [f"{a.type} analyzer {a.name} ({a.status})"
                                            for a in sec.analyzers(aws, region)],
}


def run_preflight(config: LandingZoneConfig, aws: AwsSession,
                  progress: Progress = silent) -> PreflightReport:
    return Preflight(config, aws, progress).run()
