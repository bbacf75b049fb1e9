"""`./lz verify` of the security baseline (docs/security-services.md), in config terms: each
service per account and governed region, labelled `<account key> in <region>` like the
account baselines (VF012).

The organization-wide answers are read once from the delegated administrator (the security
tooling account, through the account access role): GuardDuty's and Security Hub's ListMembers,
AWS Config's organization aggregator sources; so the number of calls grows with regions, not
accounts. Alternate contacts are the exception: AWS has one GetAlternateContact per account
and contact type, made from the management account, with progress shown.
"""

from __future__ import annotations

from collections.abc import Callable

from botocore.exceptions import BotoCoreError, ClientError

from cli.aws import inventory as inv
from cli.aws import security as sec
from cli.aws.progress import Progress
from cli.aws.session import AwsSession, describe, is_credential_error
from cli.checks.verify import Difference, Drift, Item
from config.model import LandingZoneConfig
from config.naming import config_aggregator_name
from config.security_baseline import security_account, services_on

# AWS's word for a monitored member: GuardDuty's RelationshipStatus, Security Hub's
# MemberStatus, AWS Config's LastUpdateStatus of an aggregator source.
ENABLED = {"VF013": "Enabled", "VF014": "ENABLED", "VF015": "SUCCEEDED"}


class SecurityVerifier:
    """Appends one item per service, account and region to `items`."""

    def __init__(self, config: LandingZoneConfig, aws: AwsSession, live: inv.Inventory,
                 account_ids: dict[str, str], progress: Progress):
        self.config, self.aws, self.live, self.progress = config, aws, live, progress
        self.account_ids = account_ids
        self.items: list[Item] = []
        self.keys = {v: k for k, v in account_ids.items()}
        self.names = {a.id: a.name for a in live.accounts}
        self.active = sorted(a.id for a in live.accounts if a.status == "ACTIVE")
        self.home = config.organization.aws_region

    def run(self) -> list[Item]:
        on = services_on(self.config)
        readers: dict[str, Callable[[AwsSession], None]] = {
            "guardduty": self.guardduty, "security_hub": self.security_hub,
            "aws_config": self.aws_config, "access_analyzer": self.access_analyzer}
        delegated = [key for key in readers if key in on]
        if delegated:
            session = self._security_session(CHECK_OF[delegated[0]])
            if session is not None:
                for key in delegated:
                    self._guarded(key, lambda: readers[key](session))
        if "account_defaults" in on:
            self._guarded("account_defaults", self.alternate_contacts)
        return self.items

    # -- helpers ---------------------------------------------------------------------------

    def _label(self, account_id: str, region: str) -> str:
        key = self.keys.get(account_id) or f"{self.names.get(account_id, account_id)} " \
                                              "(not in the config)"
        return f"{key} in {region}"

    def _unknown(self, check: str, label: str, why: str) -> None:
        self.items.append(Item(check, label, Drift.UNKNOWN, "", (), why))

    def _guarded(self, service: str, read: Callable[[], None]) -> None:
        """A refused read leaves this service unknown; the rest of the report still counts."""
        try:
            read()
        except (BotoCoreError, ClientError) as error:
            if is_credential_error(error) and service == "account_defaults":
                raise
            title = self.config.security_baseline.services()[service].TITLE
            self._unknown(CHECK_OF[service], title,
                          f"cannot read it: {describe(error, self.aws).message}")

    def _security_session(self, check: str) -> AwsSession | None:
        """The delegated administrator's session; None (and one unknown item under `check`)
        when it cannot be had."""
        key = security_account(self.config)
        account_id = self.account_ids.get(key)
        if account_id is None:
            self._unknown(check, key, "the security tooling account is missing: no "
                          "delegated administrator to read the security services from")
            return None
        try:
            return self.aws.assume(account_id, self.config.account_access.role_name)
        except ClientError as error:
            if is_credential_error(error):
                raise
            self._unknown(check, key, f"cannot assume the account access role: "
                          f"{describe(error, self.aws).message}")
            return None

    def _administrator_lacks(self, check: str, region: str, detail: str) -> None:
        """One missing item for what the delegated administrator itself should have."""
        self.items.append(Item(check, f"{security_account(self.config)} in {region}",
                               Drift.MISSING, "", (), detail))

    def _members(self, check: str, region: str, live: dict[str, str], what: str, *,
                 with_admin: bool = False) -> None:
        """Every active account of the organization (the administrator itself only
        `with_admin`) is a member in `region` with the status AWS gives monitored members."""
        admin = None if with_admin else self.account_ids.get(security_account(self.config))
        expected = ENABLED[check]
        for account_id in self.active:
            if account_id == admin:
                continue
            label = self._label(account_id, region)
            status = live.get(account_id)
            if status is None:
                self.items.append(Item(check, label, Drift.MISSING, account_id, (),
                                       f"not a {what}"))
            elif status != expected:
                self.items.append(Item(check, label, Drift.DIFFERENT, account_id,
                                       (Difference("status", expected, status),)))
            else:
                self.items.append(Item(check, label, Drift.MATCH, account_id))

    # -- services --------------------------------------------------------------------------

    def guardduty(self, session: AwsSession) -> None:
        for region in self.config.governed_regions:
            self.progress(f"reading GuardDuty members in {region}")
            detectors = sec.detectors(session, region)
            if not detectors:
                self._administrator_lacks("VF013", region, "no GuardDuty detector in the "
                                          "delegated administrator")
                continue
            self._members("VF013", region, sec.guardduty_members(session, region, detectors[0]),
                          "GuardDuty member")

    def security_hub(self, session: AwsSession) -> None:
        for region in self.config.governed_regions:
            self.progress(f"reading Security Hub members in {region}")
            if not sec.hub_enabled(session, region):
                self._administrator_lacks("VF014", region, "Security Hub is not enabled in the "
                                          "delegated administrator")
                continue
            self._members("VF014", region, sec.securityhub_members(session, region),
                          "Security Hub member")

    def aws_config(self, session: AwsSession) -> None:
        """The organization aggregator in the home region collects every account and governed
        region: its sources' status is the recorders' delivery, for the whole organization.
        The landing zone's own (components/aws_config.py) when there are several."""
        self.progress("reading the AWS Config organization aggregator")
        found = [a for a in sec.aggregators(session, self.home) if a.organization_wide]
        ours = config_aggregator_name(self.config)
        aggregator = next((a for a in found if a.name == ours), found[0] if found else None)
        if aggregator is None:
            self._administrator_lacks("VF015", self.home, "no organization aggregator")
            return
        sources = sec.aggregator_sources(session, self.home, aggregator.name)
        for region in self.config.governed_regions:
            # The administrator records too: its own recorder is one of the sources.
            self._members("VF015", region, {account: status for (account, where), status
                                            in sources.items() if where == region},
                          f"source of aggregator {aggregator.name}", with_admin=True)

    def access_analyzer(self, session: AwsSession) -> None:
        for region in self.config.governed_regions:
            self.progress(f"reading IAM Access Analyzer in {region}")
            found = [a for a in sec.analyzers(session, region) if a.type == "ORGANIZATION"]
            if not found:
                self._administrator_lacks("VF016", region, "no organization analyzer")
                continue
            analyzer = found[0]
            diffs = [] if analyzer.status == "ACTIVE" else [
                Difference("status", "ACTIVE", analyzer.status)]
            self.items.append(Item("VF016", f"{security_account(self.config)} in {region}",
                                   Drift.DIFFERENT if diffs else Drift.MATCH,
                                   analyzer.name, tuple(diffs)))

    def alternate_contacts(self) -> None:
        """Every active account has its three alternate contacts; accounts created elsewhere
        (not in the config) get none from the program, so they show up here."""
        management = self.live.organization.management_account_id
        for n, account_id in enumerate(self.active, 1):
            self.progress(f"reading alternate contacts {n}/{len(self.active)}")
            present = sec.alternate_contacts(self.aws, None if account_id == management
                                             else account_id)
            missing = [kind for kind in sec.CONTACT_TYPES if kind not in present]
            key = self.keys.get(account_id) or \
                f"{self.names.get(account_id, account_id)} (not in the config)"
            if not missing:
                self.items.append(Item("VF017", key, Drift.MATCH, account_id))
            elif not present:
                self.items.append(Item("VF017", key, Drift.MISSING, account_id, (),
                                       "no alternate contact"))
            else:
                self.items.append(Item("VF017", key, Drift.DIFFERENT, account_id, (
                    Difference("alternate contacts", ", ".join(sec.CONTACT_TYPES),
                               ", ".join(present)),)))


CHECK_OF = {"guardduty": "VF013", "security_hub": "VF014", "aws_config": "VF015",
            "access_analyzer": "VF016", "account_defaults": "VF017"}
