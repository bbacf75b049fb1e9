"""What `./lz plan` knows: the program's offline inventory, read in config terms.

The plan runs `components.build` itself under the recording mocks, so it shows exactly what
`pulumi up` would register (on a fresh organization), with no AWS and no Pulumi CLI.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from enum import Enum

from cli.console import plural
from cli.offline import FakeAws, Inventory, Registration, run_offline
from components import build
from components.account_access import TYPE as ACCOUNT_ACCESS_TYPE
from components.identity_center import instance_of
from config.model import AccountAction, LandingZoneConfig
from config.security_baseline import services_off_without_account
from config.organization_features import required_policy_types, required_trusted_services
from config.stack import StackSettings

ACCOUNT_TYPE = "aws:organizations/account:Account"
OU_TYPE = "aws:organizations/organizationalUnit:OrganizationalUnit"
NO_ACCOUNT = "(no AWS account)"
"""Where resources that live in no AWS account are counted: the program's own readiness
checks of new accounts (dynamic resources that only wait)."""
# The fake organization answers with the ids the config already knows, so the program's
# "is this the organization the config names?" checks pass as they would against AWS.
_DEFAULTS = FakeAws()


def fake_aws_for(config: LandingZoneConfig) -> FakeAws:
    return FakeAws(
        organization_id=config.organization.known_id or _DEFAULTS.organization_id,
        management_account_id=(config.accounts[config.management_account].id
                               or _DEFAULTS.management_account_id),
        region=config.organization.aws_region,
        sso_instance_arn=_adopted_instance_arn(config) or _DEFAULTS.sso_instance_arn)


def _adopted_instance_arn(config: LandingZoneConfig) -> str | None:
    """The Identity Center instance adopted permission sets belong to (their ARN names it),
    so a config `./lz import` wrote plans as it would against its organization."""
    for _, permission_set in sorted(config.sso.permission_sets.items()):
        if permission_set.id:
            partition = permission_set.id.split(":")[1]
            return f"arn:{partition}:sso:::instance/{instance_of(permission_set.id)}"
    return None


def run_program(config: LandingZoneConfig, *, preview: bool = False,
                stack: StackSettings | None = None) -> Inventory:
    """The very program `pulumi up` runs, offline, with the stack's settings as the engine
    hands them over (`stack`: Pulumi.<stack>.yaml; None: a stack without settings)."""
    return run_offline(lambda: build(config), preview=preview, fake=fake_aws_for(config),
                       config=stack.config_arguments if stack else None,
                       stack=(stack or StackSettings()).name)


class Level(str, Enum):
    INFO = "info"
    WARNING = "warning"


@dataclass(frozen=True)
class Note:
    """One plan finding. Codes are stable (LZ6xx) so docs and CI can name them."""

    code: str
    level: Level
    message: str


AWS_PROVIDER_TYPE = "pulumi:providers:aws"
DYNAMIC_TYPE_PREFIX = "pulumi-python:dynamic"
# One plugin process per distinct provider configuration, all alive for the whole update
# (pulumi/pulumi#19534). A pulumi-aws 7 process takes about 170 MB (pulumi-aws#5226) to
# 300-430 MB (pulumi-aws#5860, on 7.3.1).
AWS_PROCESS_MB = (170, 430)


@dataclass(frozen=True)
class ProviderProcesses:
    """The provider plugin processes one `pulumi up` of the stack starts."""

    stack: str
    aws: int
    """One per explicit aws provider (every aws resource of the program names one)."""
    dynamic: int
    """The one Python process that serves every dynamic resource (readiness gates)."""

    @property
    def aws_memory_mb(self) -> tuple[int, int]:
        low, high = AWS_PROCESS_MB
        return self.aws * low, self.aws * high

    def describe(self) -> str:
        low, high = self.aws_memory_mb
        dynamic = f" + {self.dynamic} Python process for dynamic resources" if self.dynamic else ""
        return (f"stack {self.stack}: `pulumi up` starts {self.aws} aws provider process(es){dynamic}; "
                f"at {AWS_PROCESS_MB[0]}-{AWS_PROCESS_MB[1]} MB each (pulumi-aws#5226, #5860) "
                f"the aws providers need {low / 1024:.1f}-{high / 1024:.1f} GB, held for the whole "
                "update (pulumi/pulumi#19534).")


@dataclass
class Plan:
    config: LandingZoneConfig
    inventory: Inventory
    notes: list[Note] = field(init=False)
    account_by_provider: dict[str, str] = field(init=False)
    children: dict[str | None, list[Registration]] = field(init=False)

    def __post_init__(self) -> None:
        self.account_by_provider = provider_accounts(self.inventory)
        self.children = defaultdict(list)
        # Registrations arrive in no fixed order: sort, so two plans of one config read alike.
        for reg in sorted(self.inventory.registrations, key=lambda r: (r.name, r.type)):
            parent = reg.parent if reg.parent in self.inventory.by_urn else None
            self.children[parent].append(reg)
        self.notes = notes(self.config, self.inventory)

    @property
    def preview(self) -> bool:
        return self.inventory.preview

    def shown_id(self, import_id: str) -> str:
        """An id the offline run had to invent (the organization the config names no id for)
        said as what `pulumi up` will find instead of as a made-up id."""
        if import_id == _DEFAULTS.organization_id and not self.config.organization.known_id:
            return "the management account's organization"
        return import_id

    def account_of(self, reg: Registration) -> str | None:
        """The account a resource lives in: the one its provider reaches (a provider: the
        account it reaches). None for components and program-side resources."""
        if reg.type.startswith("pulumi:providers:"):
            return self.account_by_provider.get(reg.urn)
        return self.account_by_provider.get(reg.provider) if reg.provider else None

    @property
    def resources(self) -> list[Registration]:
        """Custom resources (what AWS or a provider will hold), not components."""
        return [r for r in self.inventory.registrations if r.custom]

    def count_by_type(self) -> Counter[str]:
        return Counter(r.type for r in self.resources)

    def provider_processes(self, stack: str = "landing-zone/bootstrap") -> ProviderProcesses:
        """Counted from what the program registers: the aws providers it creates, and one
        process for all dynamic resources (`pulumi-resource-pulumi-python`)."""
        aws = sum(r.type == AWS_PROVIDER_TYPE for r in self.inventory.registrations)
        default = any(r.custom and r.type.startswith("aws:") and r.provider is None
                      for r in self.inventory.registrations)
        dynamic = any(r.type.startswith(DYNAMIC_TYPE_PREFIX) for r in self.inventory.registrations)
        return ProviderProcesses(stack, aws + default, int(dynamic))

    def count_by_account(self) -> dict[str, int]:
        """Account key -> resources, accounts by key and NO_ACCOUNT last."""
        counts = Counter(self.account_of(r) or NO_ACCOUNT for r in self.resources)
        return dict(sorted(counts.items(), key=lambda item: (item[0] == NO_ACCOUNT, item[0])))


def make_plan(config: LandingZoneConfig, *, preview: bool = False,
              stack: StackSettings | None = None) -> Plan:
    return Plan(config, run_program(config, preview=preview, stack=stack))


def provider_accounts(inventory: Inventory) -> dict[str, str]:
    """Provider URN -> account key, as AccountAccess registered them."""
    out: dict[str, str] = {}
    for access in inventory.of_type(ACCOUNT_ACCESS_TYPE):
        for key, urn in inventory.registered_outputs.get(access.urn, {}).get("providers", {}).items():
            out[urn] = key
    return out


def notes(config: LandingZoneConfig, inventory: Inventory) -> list[Note]:
    return [*_protection_notes(inventory), *_account_notes(config, inventory),
            _organization_note(config), *_security_notes(config),
            *_release_notes(config)]


def _organization_note(config: LandingZoneConfig) -> Note:
    """Offline, what is on in the organization is unknown: say what is kept and added."""
    return Note("LZ607", Level.INFO,
                "The organization keeps every trusted service and policy type it has on "
                "(`pulumi up` reads them; `./lz preflight` PF005 lists them) and turns on, where "
                f"off: trusted access for {', '.join(required_trusted_services(config))}; policy "
                f"types {', '.join(required_policy_types(config))}.")


def _security_notes(config: LandingZoneConfig) -> list[Note]:
    """Say plainly what the security baseline leaves off for want of a security account."""
    off = services_off_without_account(config)
    if not off:
        return []
    return [Note("LZ608", Level.WARNING,
                 f"No security tooling account: {', '.join(off)} stay off. Name one under "
                 "organization.key_accounts.security_tooling (a member account), or turn them "
                 "off under security_baseline to silence this (docs/security-services.md).")]


def _names(regs: list[Registration], limit: int = 8) -> str:
    names = sorted(r.name for r in regs)
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


def _protection_notes(inventory: Inventory) -> list[Note]:
    protected = [r for r in inventory.registrations if r.custom and r.protect]
    if not protected:
        return []
    by_parent: dict[str | None, list[Registration]] = defaultdict(list)
    for reg in protected:
        by_parent[reg.parent].append(reg)
    groups = []
    for parent_urn, regs in sorted(by_parent.items(), key=lambda item: item[0] or ""):
        parent = inventory.by_urn.get(parent_urn)
        whole = parent is not None and len(regs) == len(inventory.children(parent)) > 3
        # A component protected as a whole (a hardened bucket) reads better as one item.
        groups.append(f"{parent.name} (all {len(regs)} parts)" if whole else _names(regs))
    out = [Note("LZ601", Level.INFO,
                f"{plural(len(protected), 'resource')} will be protected: the engine refuses to delete or "
                f"replace them: {'; '.join(groups)}.")]
    if any(r.type == ACCOUNT_TYPE for r in protected):
        out.append(Note(
            "LZ602", Level.WARNING,
            "Changing an account's email or name replaces it with a new AWS account in "
            "pulumi-aws 7; accounts are protected, so `pulumi up` stops instead. Change the "
            "name or email in AWS first (Account Management), run `pulumi refresh`, then "
            "change the config."))
    return out


def _account_notes(config: LandingZoneConfig, inventory: Inventory) -> list[Note]:
    accounts = inventory.of_type(ACCOUNT_TYPE)
    created = [r for r in accounts if r.import_id is None]
    adopted = [r for r in accounts if r.import_id is not None]
    out = [Note("LZ603", Level.INFO,
                f"Adopts the management account '{config.management_account}' by lookup "
                "(never created, never moved).")]
    if created:
        out.append(Note("LZ604", Level.WARNING,
                        f"Creates {plural(len(created), 'new AWS account')}: {_names(created)}. Each "
                        "email must not belong to any AWS account yet."))
    if adopted:
        out.append(Note("LZ605", Level.INFO,
                        f"Adopts {plural(len(adopted), 'existing account')} by id: {_names(adopted)}."))
    adopted_ous = [r for r in inventory.of_type(OU_TYPE) if r.import_id is not None]
    if adopted_ous:
        out.append(Note("LZ605", Level.INFO,
                        f"Adopts {plural(len(adopted_ous), 'existing OU')} by id: {_names(adopted_ous)}."))
    return out


_RELEASE_EFFECT = {
    AccountAction.REMOVE: "stays in the organization, unmanaged",
    AccountAction.DESTROY: "is removed from the organization (a standalone account)",
    AccountAction.CLOSE: "is CLOSED (close_on_deletion)",
}


def _release_notes(config: LandingZoneConfig) -> list[Note]:
    out = []
    for key, account in sorted(config.accounts.items()):
        if account.action in _RELEASE_EFFECT:
            out.append(Note(
                "LZ606", Level.WARNING,
                f"Account '{key}' is being released (action: {account.action.value}): this run "
                "unprotects it and drops everything inside it. Delete the entry after the next "
                f"`pulumi up`; the run after that, the account {_RELEASE_EFFECT[account.action]}."))
    for key, unit in sorted(config.organizational_units.items()):
        if unit.action is not None:
            out.append(Note(
                "LZ606", Level.WARNING,
                f"OU '{key}' is being released (action: {unit.action.value}): delete the entry "
                "after the next `pulumi up`; the OU then stays in AWS, unmanaged."))
    return out
