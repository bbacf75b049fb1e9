"""AWS CLI SSO profiles for every account x permission set the landing zone assigns.

One `[sso-session <namespace>]` and one `[profile <namespace>-<account>-<permission set>]` per
(account, permission set) pair in the stack outputs' `sso.assignments`, in the format of
`aws configure sso` (https://docs.aws.amazon.com/cli/latest/userguide/sso-configure-profile-token.html).
Each written section carries a marker comment: merging replaces marked sections, removes
marked ones no longer assigned, and never touches any other line of the file.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cli.errors import ToolMissing, UsageError
from cli.state_migration import PulumiCli, PulumiFailed
from config.assignments import assignments
from config.model import LandingZoneConfig
from config.naming import dashed, prefixed

MARKER = "# managed by landing-zone `./lz sso-config`: changes here are overwritten"
SCOPES = "sso:account:access"


@dataclass(frozen=True)
class SsoSession:
    name: str
    start_url: str
    region: str


@dataclass(frozen=True)
class Profile:
    name: str
    account: str
    account_id: str
    permission_set: str
    role_name: str
    """The permission set's name: the role name the access portal shows."""
    region: str


@dataclass(frozen=True)
class SsoProfiles:
    session: SsoSession
    profiles: tuple[Profile, ...]
    warnings: tuple[str, ...] = ()


def config_file() -> Path:
    """Where the AWS CLI reads its config: AWS_CONFIG_FILE, else ~/.aws/config."""
    return Path(os.environ.get("AWS_CONFIG_FILE") or "~/.aws/config").expanduser()


# -- the stack outputs -------------------------------------------------------------------------

def read_outputs(path: Path | None, *, stack: str, project_dir: Path) -> dict[str, Any]:
    """The bootstrap stack's outputs: from a saved `pulumi stack output --json` file, else from
    the pulumi CLI (which raises ToolMissing, exit 4, when it is not installed)."""
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:  # missing, a folder, or not text
            why = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
            raise UsageError(f"--outputs {path}: cannot read it: {why}.",
                             "Save the outputs with `pulumi stack output --json -s bootstrap > "
                             "outputs.json`.") from None
        source = f"--outputs {path}"
    else:
        saved = " Or pass --outputs FILE, saved with `pulumi stack output --json -s bootstrap > FILE`."
        try:
            cli = PulumiCli.find(project_dir)
        except ToolMissing as error:
            raise ToolMissing(error.message, error.hint + saved) from None
        try:
            text = cli.run("stack", "output", "--json", "--stack", stack).stdout
        except PulumiFailed as error:
            raise PulumiFailed(error.message, "Has `pulumi up -s bootstrap` run, and does the "
                               "project reach its backend?" + saved) from None
        source = f"pulumi stack output -s {stack}"
    try:
        outputs = json.loads(text)
    except ValueError as error:
        raise UsageError(f"{source} is not JSON: {error}.",
                         "Use `pulumi stack output --json` (with --json).") from error
    if not isinstance(outputs, dict) or not isinstance(outputs.get("accounts"), dict):
        raise UsageError(f"{source} has no `accounts` output: not the landing-zone stack, or "
                         "`pulumi up` has not run yet.", "Run `pulumi up -s bootstrap` first.")
    return outputs


# -- the profiles ------------------------------------------------------------------------------

def session_name(config: LandingZoneConfig) -> str:
    return config.namespace or "landing-zone"


def profile_name(config: LandingZoneConfig, account: str, permission_set: str) -> str:
    return prefixed(config, f"{dashed(account)}-{dashed(permission_set)}")


def build(config: LandingZoneConfig, outputs: dict[str, Any]) -> SsoProfiles:
    """Profiles for the assignments the outputs report (the config's, when they report none)."""
    sso = outputs.get("sso") or {}
    start_url = sso.get("start_url") or config.sso.start_url
    if not start_url:
        raise UsageError("no AWS access portal URL: the outputs have no sso.start_url and the "
                         "config no sso.start_url.",
                         "Set sso.start_url (IAM Identity Center console > Settings).")
    region = config.organization.aws_region
    pairs = sorted({(a["account"], a["permission_set"]) for a in sso.get("assignments") or []}
                   or {(a.account, a.permission_set) for a in assignments(config)})
    accounts = outputs.get("accounts") or {}
    profiles, warnings = [], []
    for account, permission_set in pairs:
        account_id = (accounts.get(account) or {}).get("id")
        if not account_id:
            warnings.append(f"account {account} is not in the stack outputs yet: no profile")
            continue
        ps = config.sso.permission_sets.get(permission_set)
        if ps is None:
            warnings.append(f"permission set {permission_set} is not in the config: no profile")
            continue
        profiles.append(Profile(profile_name(config, account, permission_set), account,
                                str(account_id), permission_set, ps.name, region))
    return SsoProfiles(SsoSession(session_name(config), start_url, region), tuple(profiles),
                       tuple(warnings))


def sections(result: SsoProfiles) -> dict[str, list[str]]:
    """Section header -> its lines (marker first), in the order they are written."""
    s = result.session
    out = {f"[sso-session {s.name}]": [MARKER, f"sso_start_url = {s.start_url}",
                                        f"sso_region = {s.region}",
                                        f"sso_registration_scopes = {SCOPES}"]}
    for p in result.profiles:
        out[f"[profile {p.name}]"] = [MARKER, f"sso_session = {s.name}",
                                      f"sso_account_id = {p.account_id}",
                                      f"sso_role_name = {p.role_name}", f"region = {p.region}"]
    return out


def render(result: SsoProfiles) -> str:
    return "\n".join("\n".join([header, *lines]) + "\n" for header, lines in
                     sections(result).items())


# -- merging into the AWS CLI config -----------------------------------------------------------

@dataclass(frozen=True)
class Merge:
    text: str
    added: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]
    conflicts: tuple[str, ...]
    """Sections of the same name not written by us: left alone."""

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


def _blocks(text: str) -> list[tuple[str | None, list[str]]]:
    """(header or None for the preamble, raw lines with their newlines) in file order."""
    blocks: list[tuple[str | None, list[str]]] = [(None, [])]
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            blocks.append((" ".join(stripped.split()), [line]))
        else:
            blocks[-1][1].append(line)
    return blocks


def _managed(lines: list[str]) -> bool:
    return any(line.strip() == MARKER for line in lines)


def _body(header: str, lines: list[str]) -> list[str]:
    return [header + "\n", *(line + "\n" for line in lines), "\n"]


def merge(existing: str, result: SsoProfiles, *, force: bool = False) -> Merge:
    """`existing` with our sections replaced in place, new ones appended, stale marked ones
    (of this sso-session) removed; everything else byte for byte."""
    wanted = sections(result)
    session_line = f"sso_session = {result.session.name}"
    out: list[str] = []
    added, updated, unchanged, removed, conflicts = [], [], [], [], []
    seen: set[str] = set()
    for header, lines in _blocks(existing):
        if header is None:
            out.extend(lines)
            continue
        if header in wanted and header not in seen:
            seen.add(header)
            if not _managed(lines) and not force:
                conflicts.append(header)
                out.extend(lines)
                continue
            new = _body(header, wanted[header])
            if [line.rstrip("\n") for line in lines if line.strip()] == \
                    [line.rstrip("\n") for line in new if line.strip()]:
                unchanged.append(header)
            else:
                updated.append(header)
            out.extend(new)
            continue
        if _managed(lines) and any(line.strip() == session_line for line in lines):
            removed.append(header)
            continue
        out.extend(lines)
    missing = [h for h in wanted if h not in seen]
    if missing and out and not "".join(out).endswith("\n\n"):
        out.append("\n" if "".join(out).endswith("\n") else "\n\n")
    for header in missing:
        added.append(header)
        out.extend(_body(header, wanted[header]))
    text = "".join(out)
    if text.endswith("\n\n"):
        text = text.rstrip("\n") + "\n"
    return Merge(text, tuple(added), tuple(updated), tuple(unchanged), tuple(removed),
                 tuple(conflicts))


def write(path: Path, text: str) -> Path | None:
    """Write atomically with mode 0600, keeping the previous file as `<name>.bak`; returns the
    backup's path."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    backup = None
    if path.exists():
        backup = path.with_name(path.name + ".bak")
        backup.write_bytes(path.read_bytes())
        os.chmod(backup, 0o600)
    temporary = path.with_name(f".{path.name}.lz-tmp")
    temporary.write_text(text)
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)
    return backup
