"""What the `audit_logging` and `guardrails` sections make: whether there is a trail, and which
service control policies (SCPs) exist and where each goes.

AWS allows 5 SCPs per root, OU or account, and its FullAWSAccess stays attached, so every slot
counts. Built-in guardrails attached to the same target therefore share one SCP there (as
Control Tower bundles its controls); only those whose size grows with the config
(OWN_SCP_BUILTINS: the region deny, with its list of regions) get an SCP of their own, so a
shared one stays far below the 5,120-character limit. Each custom guardrail is its own SCP.

The Guardrails component makes exactly these SCPs, and the config rules count them per target,
so what `./lz validate` accepts is what AWS accepts.
"""

from __future__ import annotations

from dataclasses import dataclass

from config.documents import AUDIT_LOG_READER_KEY
from config.model import OU_TARGET_PREFIX, LandingZoneConfig
from config.model.platform import BUILTIN_GUARDRAILS, OWN_SCP_BUILTINS, ROOT_TARGET
from config.security_baseline import services_on

NEEDS_AUDIT_LOGGING = "protect_audit_logging"
NEEDS_STATE_BACKEND = "protect_state_backend"
NEEDS_SECURITY_SERVICES = "protect_security_services"
NEEDS_ENCRYPTED_VOLUMES = "deny_unencrypted_volumes"
SHARED_PREFIX = "builtin:"


@dataclass(frozen=True)
class Scp:
    key: str
    """Stable id: `builtin:<target>` for a shared SCP, else the guardrail's own key."""
    guardrails: tuple[str, ...]
    """The built-ins it holds, or the one custom guardrail."""
    targets: tuple[str, ...]
    custom: bool = False

    @property
    def shared(self) -> bool:
        return self.key.startswith(SHARED_PREFIX)

    @property
    def slug(self) -> str:
        """Its part of logical names: `builtin-<target slug>` when shared, else its key."""
        return f"builtin-{target_slug(self.targets[0])}" if self.shared else self.key


def audit_logging_on(config: LandingZoneConfig) -> bool:
    """As set, else on whenever there is a log_archive key account to hold the archive (the
    example and every Metastructure file have one; a lone management account does not)."""
    enabled = config.audit_logging.enabled
    return bool(config.key_account("log_archive")) if enabled is None else enabled


def audit_reader_permission_sets(config: LandingZoneConfig) -> list[str]:
    """Names of the permission sets holding the built-in audit log reader policy: their roles
    in the log archive account may decrypt the log files (docs/audit-logging.md)."""
    return sorted(config.sso.permission_sets[key].name for key in audit_reader_keys(config))


def audit_reader_keys(config: LandingZoneConfig) -> list[str]:
    """Keys of the permission sets holding the built-in (document-less) audit log reader."""
    policy = config.sso.policies.get(AUDIT_LOG_READER_KEY)
    if policy is None or policy.document is not None:
        return []
    return sorted(k for k, ps in config.sso.permission_sets.items()
                  if AUDIT_LOG_READER_KEY in ps.policies)


def attached_builtins(config: LandingZoneConfig) -> dict[str, list[str]]:
    """Known built-in name -> its targets, for those attached somewhere."""
    if not config.guardrails.enabled:
        return {}
    chosen = {k: t for k, t in config.guardrails.builtin.items() if k in BUILTIN_GUARDRAILS and t}
    if not audit_logging_on(config):
        chosen.pop(NEEDS_AUDIT_LOGGING, None)  # nothing to protect
    if not config.state_backend.enabled:
        chosen.pop(NEEDS_STATE_BACKEND, None)
    services = services_on(config)
    if not services:
        chosen.pop(NEEDS_SECURITY_SERVICES, None)
    defaults = services.get("account_defaults")
    if not (defaults and defaults.require_encrypted_volumes):
        chosen.pop(NEEDS_ENCRYPTED_VOLUMES, None)
    return chosen


def planned_scps(config: LandingZoneConfig) -> list[Scp]:
    """Every SCP to create, in a stable order (shared ones by target, then by key)."""
    builtins = attached_builtins(config)
    by_target: dict[str, list[str]] = {}
    out = []
    for name, targets in sorted(builtins.items()):
        if name in OWN_SCP_BUILTINS:
            out.append(Scp(name, (name,), tuple(targets)))
            continue
        for target in targets:
            by_target.setdefault(target, []).append(name)
    shared = [Scp(f"{SHARED_PREFIX}{target}", tuple(names), (target,))
              for target, names in sorted(by_target.items())]
    custom = ([Scp(k, (k,), tuple(c.targets), custom=True)
               for k, c in sorted(config.guardrails.custom.items()) if c.targets]
              if config.guardrails.enabled else [])
    return [*shared, *out, *custom]


def target_slug(target: str) -> str:
    """A name part for a target: `root`, `ou-<key>`, `account-<key>`."""
    if target == ROOT_TARGET:
        return target
    if target.startswith(OU_TARGET_PREFIX):
        return f"ou-{target[len(OU_TARGET_PREFIX):]}"
    return f"account-{target}"
