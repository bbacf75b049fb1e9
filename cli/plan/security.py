"""The plan's "Security baseline by account and region": for each security service on, which
accounts and regions its resources reach, and how.

Read from what the program registers, never from a list of what each service is meant to
build: a service's resources are the custom resources under its component (type token
`landing-zone:<section key>:<Type>`), each placed by the account its provider reaches and its
`region` input (pulumi-aws 7's per-resource region; the provider's region otherwise). What a
resource type reaches beyond its own account is AWS's behaviour, kept in `MECHANISMS` with
its source; a type not listed there counts in its own account, so a service that gains
resources shows them without this module knowing it. Rows summarise accounts ("every
account (1,000)") instead of listing them, so the table stays short at any size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import IntEnum

from cli.offline import Registration
from cli.plan.model import ACCOUNT_TYPE, Plan
from config.model import LandingZoneConfig
from config.security_baseline import services_on
from config.topology import managed_accounts

COMPONENT_PACKAGE = "landing-zone"
POLICY_TYPE = "aws:organizations/policy:Policy"
ROOT_ID_PREFIX = "r-"
GLOBAL = "global"
"""Where resources of AWS's global APIs (Organizations, Account Management, Budgets, IAM) act."""
GLOBAL_MODULES = frozenset({"organizations", "account", "budgets", "iam"})
# SCPs and RCPs never reach the management account (Organizations user guide, "Service control
# policies"); management policies attached to the root reach every account ("Viewing effective
# declarative policies": "When you attach a declarative policy to the organization's root, it
# applies to all accounts in your organization").
AUTHORIZATION_POLICY_TYPES = frozenset({"SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"})
LISTED_ACCOUNTS = 4
"""Accounts a row names before it says "and N more"."""


class Reach(IntEnum):
    """Which accounts a resource acts on; the order rows are shown in."""

    TARGET = 0
    """The account its input names (an account the config creates or adopts), else its own."""
    OWN = 1
    """The account its provider reaches."""
    EVERY_ACCOUNT = 2
    """Every account of the organization, those that join later included."""
    MEMBERS = 3
    """Every member account, those that join later included; never the management account."""


@dataclass(frozen=True)
class Mechanism:
    """How one resource reaches accounts: `kind` says how, `detail` which part (a plan name)."""

    reach: Reach
    kind: str
    detail: str | None = None


@dataclass(frozen=True)
class BaselineRow:
    service: str
    accounts: str
    """The accounts reached, in config keys, summarised ("every account (6), new ones included")."""
    account_count: int
    regions: tuple[str, ...]
    """Governed regions, home first; (`global`,) for what AWS's global APIs hold."""
    how: tuple[str, ...]


def _input(reg: Registration, path: str) -> str | None:
    value = reg.inputs
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, str) else None


def _fixed(reach: Reach, kind: str, detail_input: str | None = None
           ) -> Callable[[Registration, dict[str, Registration]], Mechanism]:
    return lambda reg, _: Mechanism(reach, kind, detail_input and _input(reg, detail_input))


def _root_policy(reg: Registration, by_urn: dict[str, Registration]) -> Mechanism:
    """An Organizations policy attachment: the policy's type says whom the root's reaches."""
    policy_type = next((by_urn[d].inputs.get("type") for d in reg.dependencies
                        if d in by_urn and by_urn[d].type == POLICY_TYPE), None)
    if not (_input(reg, "targetId") or "").startswith(ROOT_ID_PREFIX):
        return Mechanism(Reach.TARGET, "Organizations policy", policy_type)
    reach = Reach.MEMBERS if policy_type in AUTHORIZATION_POLICY_TYPES else Reach.EVERY_ACCOUNT
    return Mechanism(reach, "Organizations policy at the root", policy_type)


def _configuration_policy_association(reg: Registration, _) -> Mechanism:
    # Associated with the root, a Security Hub CSPM configuration policy applies to every
    # account and OU that has no association of its own, new accounts included, in the home
    # region and every region the finding aggregator links (Security Hub user guide, "How
    # association works in central configuration").
    kind = "configuration policy, home region and the aggregator's linked regions"
    if (_input(reg, "targetId") or "").startswith(ROOT_ID_PREFIX):
        return Mechanism(Reach.EVERY_ACCOUNT, kind)
    return Mechanism(Reach.TARGET, kind)


def _finding_aggregator(reg: Registration, _) -> Mechanism:
    linked = reg.inputs.get("specifiedRegions")
    regions = f" {', '.join(linked)}" if isinstance(linked, list) and linked else ""
    return Mechanism(Reach.OWN, "finding aggregator", f"{_input(reg, 'linkingMode')}{regions}")


def _analyzer(reg: Registration, _) -> Mechanism:
    # An ORGANIZATION analyzer's zone of trust is the organization: it analyses every account's
    # resources (IAM user guide, "Using AWS Identity and Access Management Access Analyzer").
    kind = _input(reg, "type") or "ACCOUNT"
    if kind.startswith("ORGANIZATION"):
        return Mechanism(Reach.EVERY_ACCOUNT, "organization analyzer", kind)
    return Mechanism(Reach.OWN, "account analyzer", kind)


def _shown_by_another(reg: Registration, _) -> None:
    """A resource whose reach another one shows: a policy's attachment, a stack set's instances."""
    return None


ORGANIZATIONS_SEAT = "delegated administrator"
MECHANISMS: dict[str, Callable[[Registration, dict[str, Registration]], Mechanism | None]] = {
    "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount":
        _fixed(Reach.TARGET, ORGANIZATIONS_SEAT),
    "aws:securityhub/organizationAdminAccount:OrganizationAdminAccount":
        _fixed(Reach.TARGET, ORGANIZATIONS_SEAT),
    "aws:organizations/delegatedAdministrator:DelegatedAdministrator":
        _fixed(Reach.TARGET, ORGANIZATIONS_SEAT, "servicePrincipal"),
    # ALL: every account of the organization, new ones and existing ones (up to 24 hours),
    # GuardDuty API reference, UpdateOrganizationConfiguration `autoEnableOrganizationMembers`.
    "aws:guardduty/organizationConfiguration:OrganizationConfiguration":
        _fixed(Reach.EVERY_ACCOUNT, "organization auto-enable", "autoEnableOrganizationMembers"),
    "aws:guardduty/organizationConfigurationFeature:OrganizationConfigurationFeature":
        _fixed(Reach.EVERY_ACCOUNT, "protection plans auto-enabled", "name"),
    # The administrator's destination exports the findings of every member account of its
    # region (GuardDuty user guide, "Exporting generated GuardDuty findings to Amazon S3
    # buckets").
    "aws:guardduty/publishingDestination:PublishingDestination":
        _fixed(Reach.EVERY_ACCOUNT, "findings exported", "destinationArn"),
    "aws:securityhub/findingAggregator:FindingAggregator": _finding_aggregator,
    "aws:securityhub/organizationConfiguration:OrganizationConfiguration":
        _fixed(Reach.OWN, "organization configuration",
               "organizationConfiguration.configurationType"),
    "aws:securityhub/configurationPolicy:ConfigurationPolicy":
        _fixed(Reach.OWN, "configuration policy", "name"),
    "aws:securityhub/configurationPolicyAssociation:ConfigurationPolicyAssociation":
        _configuration_policy_association,
    "aws:organizations/policyAttachment:PolicyAttachment": _root_policy,
    POLICY_TYPE: _shown_by_another,  # its attachment says where it reaches
    "aws:accessanalyzer/analyzer:Analyzer": _analyzer,
    "aws:account/alternativeContact:AlternativeContact":
        _fixed(Reach.TARGET, "alternate contacts", "alternateContactType"),
    "aws:budgets/budget:Budget": _fixed(Reach.TARGET, "monthly cost budget with alerts"),
    # Service-managed StackSets deploy to every account under their OU targets, those that
    # join later too (auto-deployment), never to the management account (CloudFormation user
    # guide, "Create stack sets with service-managed permissions").
    "aws:cloudformation/stackInstances:StackInstances":
        _fixed(Reach.MEMBERS, "stack set fan-out (auto-deployment)"),
    "aws:cloudformation/stackSetInstance:StackSetInstance":
        _fixed(Reach.MEMBERS, "stack set fan-out (auto-deployment)"),
    "aws:cloudformation/stackSet:StackSet": _shown_by_another,  # its instances say where
    "aws:cfg/configurationAggregator:ConfigurationAggregator":
        _fixed(Reach.EVERY_ACCOUNT, "organization aggregator"),
    "aws:iam/serviceLinkedRole:ServiceLinkedRole":
        _fixed(Reach.OWN, "service-linked role", "awsServiceName"),
}


def _mechanism(reg: Registration, holder: Registration | None,
               by_urn: dict[str, Registration]) -> Mechanism | None:
    known = MECHANISMS.get(reg.type)
    if known is not None:
        return known(reg, by_urn)
    # Any other resource: kept where its provider puts it, named by its type, or by the
    # component that holds it (one hardened bucket, not its ten parts).
    _, module, name = (holder or reg).type.split(":", 2)
    return Mechanism(Reach.OWN, "other resources", f"{module.split('/')[0]}:{name}")


def _regions(reg: Registration, provider_region: dict[str, str], home: str) -> tuple[str, ...]:
    if reg.type.split(":")[1].split("/")[0] in GLOBAL_MODULES:
        return (GLOBAL,)
    regions = reg.inputs.get("regions")  # StackInstances: one resource, many regions
    if isinstance(regions, list) and regions:
        return tuple(regions)
    region = (_input(reg, "region") or _input(reg, "stackSetInstanceRegion")
              or provider_region.get(reg.provider or "") or home)
    return (region,)


def _descendants(plan: Plan, component: Registration
                 ) -> Iterator[tuple[Registration, Registration | None]]:
    """The AWS resources under a service's component, each with the component nested in it
    that holds it (a hardened bucket), if any."""
    pending: list[tuple[Registration, Registration | None]] = [
        (child, None) for child in plan.children.get(component.urn, [])]
    while pending:
        reg, holder = pending.pop()
        pending.extend((child, holder or (None if reg.custom else reg))
                       for child in plan.children.get(reg.urn, []))
        if reg.custom and reg.type.startswith("aws:"):
            yield reg, holder


@dataclass
class _Reached:
    """One (service, reach, kind, detail, source) with every account and region it reaches."""

    accounts: set[str]
    regions: set[str]


class _Coverage:
    """Accounts and regions in config terms."""

    def __init__(self, plan: Plan) -> None:
        config = plan.config
        self.config = config
        self.managed = set(managed_accounts(config))
        self.members = self.managed - {config.management_account}
        self.order = {r: i for i, r in enumerate(config.governed_regions)}
        by_email = {a.email.lower(): k for k, a in config.accounts.items() if a.email}
        self.account_by_urn = {
            r.urn: by_email[r.inputs["email"].lower()]
            for r in plan.inventory.of_type(ACCOUNT_TYPE)
            if isinstance(r.inputs.get("email"), str) and r.inputs["email"].lower() in by_email}

    def target(self, reg: Registration, own: str) -> str:
        """The account a resource names through its dependency on that account's resource."""
        return next((self.account_by_urn[d] for d in reg.dependencies if d in self.account_by_urn),
                    own)

    def accounts(self, reach: Reach, keys: set[str]) -> tuple[str, int]:
        if reach is Reach.EVERY_ACCOUNT:
            return f"every account ({len(self.managed):,}), new ones included", len(self.managed)
        if reach is Reach.MEMBERS:
            return (f"every member account ({len(self.members):,}), new ones included; never "
                    f"{self.config.management_account}", len(self.members))
        if keys == self.managed and len(keys) > 1:
            return f"all {len(keys):,} accounts", len(keys)
        if keys == self.members and len(keys) > 1:
            return f"all {len(keys):,} member accounts", len(keys)
        names = sorted(keys)
        more = f" and {len(names) - LISTED_ACCOUNTS:,} more" if len(names) > LISTED_ACCOUNTS else ""
        return ", ".join(names[:LISTED_ACCOUNTS]) + more, len(keys)

    def regions(self, regions: set[str]) -> tuple[str, ...]:
        return tuple(sorted(regions, key=lambda r: (self.order.get(r, len(self.order)), r)))


def baseline_rows(plan: Plan) -> list[BaselineRow]:
    """One row per service, accounts reached and regions; how, in the order AWS acts."""
    config = plan.config
    coverage = _Coverage(plan)
    by_urn = plan.inventory.by_urn
    provider_region = {r.urn: r.inputs["region"] for r in plan.inventory.registrations
                       if r.type.startswith("pulumi:providers:") and
                       isinstance(r.inputs.get("region"), str)}
    home = config.organization.aws_region
    on = services_on(config)
    # A service may have several components of its module (GuardDuty and its findings export).
    components: dict[str, list[Registration]] = defaultdict(list)
    for reg in plan.inventory.registrations:
        if reg.type.startswith(f"{COMPONENT_PACKAGE}:") and reg.type.split(":")[1] in on:
            components[reg.type.split(":")[1]].append(reg)

    rows: list[BaselineRow] = []
    for key, service in on.items():
        held = components.get(key)
        if not held:
            rows.append(BaselineRow(service.TITLE, "-", 0, (), (
                "on in the config; this program builds nothing for it yet",)))
            continue
        reached: dict[tuple[Reach, str, str | None, str], _Reached] = {}
        for reg, holder in (found for component in held
                            for found in _descendants(plan, component)):
            mechanism = _mechanism(reg, holder, by_urn)
            if mechanism is None:
                continue
            own = plan.account_of(reg) or "-"
            slot = reached.setdefault((mechanism.reach, mechanism.kind, mechanism.detail, own),
                                      _Reached(set(), set()))
            slot.accounts.add(coverage.target(reg, own) if mechanism.reach is Reach.TARGET
                              else own)
            slot.regions.update(_regions(reg, provider_region, home))
        rows.extend(_service_rows(service.TITLE, reached, coverage))
    return rows


def _service_rows(title: str, reached: dict[tuple[Reach, str, str | None, str], _Reached],
                  coverage: _Coverage) -> list[BaselineRow]:
    """Mechanisms that reach the same accounts in the same regions share one row."""
    grouped: dict[tuple[str, int, tuple[str, ...]], dict[str, list[str]]] = defaultdict(dict)
    order: dict[tuple[str, int, tuple[str, ...]], Reach] = {}
    for (reach, kind, detail, own), slot in sorted(
            reached.items(), key=lambda item: (item[0][0], item[0][1], item[0][2] or "")):
        accounts, count = coverage.accounts(reach, slot.accounts)
        row_key = (accounts, count, coverage.regions(slot.regions))
        in_itself = reach is Reach.OWN or (reach is Reach.TARGET and slot.accounts == {own})
        source = "" if in_itself else f" (from {own})"
        details = grouped[row_key].setdefault(kind + source, [])
        if detail and detail not in details:
            details.append(detail)
        order.setdefault(row_key, reach)
    return [BaselineRow(title, accounts, count, regions, tuple(
                f"{kind}: {', '.join(details)}" if details else kind
                for kind, details in hows.items()))
            for (accounts, count, regions), hows in sorted(
                grouped.items(), key=lambda item: (order[item[0]], item[0]))]


def services_off(config: LandingZoneConfig) -> list[str]:
    """Titles of the services the config has but `pulumi up` does not build."""
    on = services_on(config)
    return [s.TITLE for k, s in config.security_baseline.services().items() if k not in on]
