"""Move the bootstrap stack from the local backend to the S3 backend `pulumi up` created, with
the KMS secrets provider, and prove nothing was lost. Drives the `pulumi` CLI.

The steps (`./lz migrate-state`), each through `PulumiCli` (one small subprocess runner that
tests point at a stand-in executable):

1. back up: `pulumi stack export` of the local stack, `Pulumi.yaml` and `Pulumi.<stack>.yaml`
   into `.lz/backups/<stack>-<time>/` (git-ignored);
2. log in to the S3 backend: every command gets the backend in `PULUMI_BACKEND_URL` (which
   overrides the project's and `pulumi login`'s backend, pulumi/pulumi#5789), so the operator's
   own `pulumi login` is never changed; `pulumi stack ls` proves the bucket answers;
3. `pulumi stack init` there. The DIY backends keep a stack's secrets settings in
   `Pulumi.<stack>.yaml`, and init rewrites them (a fresh passphrase salt), after which the
   config secrets no longer decrypt (pulumi/pulumi#9525): the file is restored right after;
4. `pulumi stack import` of the exported deployment;
5. `pulumi stack change-secrets-provider awskms://...`: config and state secrets re-encrypted
   with the KMS key (https://www.pulumi.com/docs/iac/cli/commands/pulumi_stack_change-secrets-provider/);
6. `pulumi stack export` of the new stack: the same resource count and URNs as before, and the
   KMS secrets provider, or nothing is kept;
7. point the project at the new backend (`backend.url` in Pulumi.yaml).

Nothing ever writes to the local backend (only `stack export` runs against it). When a step
fails or the states differ, the new stack is removed again (`--preserve-config`), both project
files are restored from the backup, and the error says what failed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cli.aws.progress import Progress, silent
from cli.errors import EXIT_FINDINGS, LzError, ToolMissing

INSTALL_HINT = ("Install the Pulumi CLI: `curl -fsSL https://get.pulumi.com | sh` (or `brew install "
                "pulumi/tap/pulumi`), see https://www.pulumi.com/docs/iac/download-install/, "
                "then open a new shell so `pulumi` is on PATH.")
LOCAL_BACKEND = "file://~"
PASSPHRASE_VARIABLES = ("PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE_FILE")


class PulumiFailed(LzError):
    """A `pulumi` command exited non-zero."""

    exit_code = EXIT_FINDINGS


class MigrationFailed(LzError):
    """The migration stopped; the local state and project files are as they were."""

    exit_code = EXIT_FINDINGS


@dataclass(frozen=True)
class Completed:
    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str


@dataclass
class PulumiCli:
    """Runs `pulumi` in the project directory, non-interactively, one backend per call."""

    executable: str
    cwd: Path
    env: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def find(cls, cwd: Path, env: Mapping[str, str] | None = None) -> PulumiCli:
        env = dict(os.environ if env is None else env)
        executable = shutil.which("pulumi", path=env.get("PATH"))
        if executable is None:
            raise ToolMissing("the pulumi CLI is not installed (no `pulumi` on PATH).", INSTALL_HINT)
        return cls(executable, cwd, env)

    def run(self, *args: str, backend: str | None = None, check: bool = True) -> Completed:
        env = {**self.env, "PULUMI_SKIP_UPDATE_CHECK": "true"}
        if backend:
            env["PULUMI_BACKEND_URL"] = backend
        argv = (self.executable, *args, "--non-interactive")
        try:
            proc = subprocess.run(argv, cwd=self.cwd, env=env, capture_output=True, text=True,
                                  check=False, timeout=900)
        except FileNotFoundError as error:
            raise ToolMissing(f"cannot run {self.executable}: {error}.", INSTALL_HINT) from error
        done = Completed(tuple(args), proc.returncode, proc.stdout, proc.stderr)
        if check and done.returncode != 0:
            raise PulumiFailed(f"`pulumi {' '.join(args)}` failed (exit {done.returncode}): "
                               f"{_last_lines(done.stderr or done.stdout)}")
        return done

    def version(self) -> str:
        return self.run("version").stdout.strip()


def _last_lines(text: str, count: int = 5) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return " | ".join(lines[-count:]) or "(no output)"


# -- what a deployment holds -------------------------------------------------------------------

@dataclass(frozen=True)
class StateSummary:
    resource_count: int
    urns: frozenset[str]
    secrets_provider: str
    """`passphrase`, `awskms://...` (a cloud provider's URL), `service`, or `none`."""
    pending_operations: int


def summarize(export: Mapping[str, Any]) -> StateSummary:
    """The parts of a `pulumi stack export` the migration compares."""
    deployment = export.get("deployment") or {}
    resources = deployment.get("resources") or []
    providers = deployment.get("secrets_providers") or {}
    kind = providers.get("type", "none")
    if kind == "cloud":
        kind = (providers.get("state") or {}).get("url", "cloud")
    return StateSummary(len(resources), frozenset(r.get("urn", "") for r in resources), kind,
                        len(deployment.get("pending_operations") or []))


def compare(before: StateSummary, after: StateSummary) -> list[str]:
    problems = []
    if before.resource_count != after.resource_count:
        problems.append(f"{before.resource_count} resources before, {after.resource_count} after")
    for label, urns in (("missing after the import", before.urns - after.urns),
                        ("new after the import", after.urns - before.urns)):
        if urns:
            shown = ", ".join(sorted(urns)[:3]) + (" ..." if len(urns) > 3 else "")
            problems.append(f"{len(urns)} URN(s) {label}: {shown}")
    return problems


# -- the project files -------------------------------------------------------------------------

BACKEND_BLOCK = re.compile(r"^backend:[^\n]*\n(?:[ \t]+[^\n]*\n|[ \t]*\n)*", re.MULTILINE)


def with_backend_url(project_yaml: str, url: str) -> str:
    """Pulumi.yaml with `backend.url` set (https://www.pulumi.com/docs/iac/concepts/projects/project-file/),
    every other line (and comment) kept."""
    block = f"backend:\n  url: {url}\n"
    if BACKEND_BLOCK.search(project_yaml):
        return BACKEND_BLOCK.sub(lambda _m: block, project_yaml, count=1)
    return project_yaml.rstrip("\n") + "\n" + block


def configured_secrets_provider(stack_yaml: str) -> str:
    """`secretsprovider:` of Pulumi.<stack>.yaml; none means the backend's default
    (passphrase for DIY backends)."""
    match = re.search(r"^secretsprovider:\s*(\S+)", stack_yaml, re.MULTILINE)
    return match.group(1).strip("'\"") if match else "passphrase"


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.lz-tmp")
    temporary.write_text(text)
    os.replace(temporary, path)


# -- the migration -----------------------------------------------------------------------------

@dataclass(frozen=True)
class MigrationPlan:
    stack: str
    project_dir: Path
    source_url: str
    target_url: str
    """Where the stack goes, as the commands reach it (may carry `&profile=`)."""
    project_backend_url: str
    """What Pulumi.yaml will say."""
    secrets_provider: str
    backup_root: Path

    @property
    def stack_file(self) -> Path:
        return self.project_dir / f"Pulumi.{self.stack}.yaml"

    @property
    def project_file(self) -> Path:
        return self.project_dir / "Pulumi.yaml"


@dataclass(frozen=True)
class MigrationResult:
    plan: MigrationPlan
    before: StateSummary
    after: StateSummary
    backup_dir: Path
    pulumi_version: str
    already_migrated: bool = False


@dataclass
class _Rollback:
    created_stack: bool = False
    files: dict[Path, bytes | None] = field(default_factory=dict)


class Migration:
    def __init__(self, plan: MigrationPlan, cli: PulumiCli, progress: Progress = silent,
                 clock=time.gmtime):
        self.plan, self.cli, self.progress, self.clock = plan, cli, progress, clock
        self.rollback = _Rollback()

    def run(self) -> MigrationResult:
        plan = self.plan
        if not plan.project_file.is_file():
            raise MigrationFailed(f"no Pulumi.yaml in {plan.project_dir}.",
                                  "Run from the landing-zone directory or pass --cwd.")
        version = self.cli.version()
        self.progress("backing up the local stack")
        try:
            backup, before = self._backup()
        except PulumiFailed as error:
            raise MigrationFailed(
                f"cannot export the local stack {plan.stack}: {error.message}",
                f"Nothing was changed. Check that the stack is in {plan.source_url} "
                f"(`PULUMI_BACKEND_URL={plan.source_url} pulumi stack ls`); pass --from with "
                "its backend URL if it lives elsewhere.") from error
        self._preconditions(before)
        self.progress("checking the S3 backend")
        existing = self._target_stacks()
        if plan.stack in existing:
            after = self._export_target(backup / "target-existing.json")
            problems = compare(before, after)
            if after.secrets_provider != plan.secrets_provider:
                problems.append(f"its secrets provider is {after.secrets_provider}")
            if problems:
                raise MigrationFailed(
                    f"stack {plan.stack} already exists in {plan.project_backend_url} and "
                    f"differs from the local one ({'; '.join(problems)}).",
                    f"Nothing was changed. If it is a failed earlier attempt, remove it with "
                    f"`PULUMI_BACKEND_URL='{plan.target_url}' pulumi stack rm {plan.stack} "
                    "--force --preserve-config` and run again.")
            self._point_project()
            return MigrationResult(plan, before, after, backup, version, already_migrated=True)
        try:
            after = self._move(backup, before)
        except (LzError, OSError, ValueError) as error:
            self._undo(backup)
            message = error.message if isinstance(error, LzError) else str(error)
            raise MigrationFailed(
                f"state migration stopped: {message}",
                f"The local stack was not changed and the project files were restored; the "
                f"backup is in {backup}. Fix the cause and run `./lz migrate-state` again.") \
                from error
        return MigrationResult(plan, before, after, backup, version)

    def _backup(self) -> tuple[Path, StateSummary]:
        plan = self.plan
        stamp = time.strftime("%Y%m%dT%H%M%SZ", self.clock())
        plan.backup_root.mkdir(parents=True, exist_ok=True)
        backup, n = plan.backup_root / f"{plan.stack}-{stamp}", 1
        while backup.exists():  # two runs within one second
            n += 1
            backup = plan.backup_root / f"{plan.stack}-{stamp}-{n}"
        backup.mkdir()
        os.chmod(backup, 0o700)  # the export holds resource ids and encrypted secrets
        for path in (plan.project_file, plan.stack_file):
            if path.is_file():
                shutil.copy2(path, backup / path.name)
        export = backup / f"{plan.stack}.export.json"
        self.cli.run("stack", "export", "--stack", plan.stack, "--file", str(export),
                     backend=plan.source_url)
        return backup, summarize(json.loads(export.read_text()))

    def _preconditions(self, before: StateSummary) -> None:
        plan = self.plan
        if before.resource_count == 0:
            raise MigrationFailed(
                f"the local stack {plan.stack} has no resources: there is nothing to move.",
                "Run `pulumi up -s bootstrap` first: it creates the state bucket too.")
        if before.pending_operations:
            raise MigrationFailed(
                f"the local stack has {before.pending_operations} pending operation(s) from an "
                "interrupted update.",
                "Run `pulumi refresh -s bootstrap` (or `pulumi stack export`, remove "
                "pending_operations, `pulumi stack import`) first.")
        stack_yaml = plan.stack_file.read_text() if plan.stack_file.is_file() else ""
        uses_passphrase = (before.secrets_provider == "passphrase"
                           or configured_secrets_provider(stack_yaml) == "passphrase")
        if uses_passphrase and not any(self.cli.env.get(v) for v in PASSPHRASE_VARIABLES):
            raise MigrationFailed(
                "the local stack uses the passphrase secrets provider, and neither "
                "PULUMI_CONFIG_PASSPHRASE nor PULUMI_CONFIG_PASSPHRASE_FILE is set.",
                "Export the passphrase of the local stack (the one `pulumi up` asked for) and "
                "run again; after the migration the KMS key replaces it.")

    def _target_stacks(self) -> set[str]:
        plan = self.plan
        try:
            listing = self.cli.run("stack", "ls", "--json", backend=plan.target_url)
        except PulumiFailed as error:
            raise MigrationFailed(
                f"cannot use the S3 backend {plan.target_url}: {error.message}",
                "Check that `pulumi up` created the state bucket (`./lz verify`) and that the "
                "credentials reach it: pass --profile with a profile of the state account "
                "(`./lz sso-config` writes them).") from error
        try:
            return {str(s.get("name", "")).split("/")[-1] for s in json.loads(listing.stdout or "[]")}
        except ValueError as error:
            raise MigrationFailed(f"`pulumi stack ls --json` printed no JSON: {error}.") from error

    def _export_target(self, path: Path) -> StateSummary:
        self.cli.run("stack", "export", "--stack", self.plan.stack, "--file", str(path),
                     backend=self.plan.target_url)
        return summarize(json.loads(path.read_text()))

    def _move(self, backup: Path, before: StateSummary) -> StateSummary:
        plan = self.plan
        for path in (plan.project_file, plan.stack_file):
            self.rollback.files[path] = path.read_bytes() if path.is_file() else None
        stack_yaml = self.rollback.files[plan.stack_file]
        provider = configured_secrets_provider(stack_yaml.decode() if stack_yaml else "")
        self.progress("creating the stack in the S3 backend")
        self.cli.run("stack", "init", plan.stack, "--secrets-provider", provider,
                     backend=plan.target_url)
        self.rollback.created_stack = True
        # pulumi/pulumi#9525: init rewrote the secrets settings; the local ones must stay.
        self._restore_file(plan.stack_file)
        self.progress("importing the deployment")
        self.cli.run("stack", "import", "--stack", plan.stack, "--file",
                     str(backup / f"{plan.stack}.export.json"), backend=plan.target_url)
        self.progress("re-encrypting secrets with the KMS key")
        self.cli.run("stack", "change-secrets-provider", plan.secrets_provider, "--stack",
                     plan.stack, backend=plan.target_url)
        self.progress("comparing the state before and after")
        after = self._export_target(backup / f"{plan.stack}.migrated.json")
        problems = compare(before, after)
        if after.secrets_provider != plan.secrets_provider:
            problems.append(f"the new stack's secrets provider is {after.secrets_provider}, not "
                            f"{plan.secrets_provider}")
        if problems:
            raise MigrationFailed("the migrated state differs: " + "; ".join(problems) + ".")
        self._point_project()
        return after

    def _point_project(self) -> None:
        self.progress("pointing Pulumi.yaml at the S3 backend")
        path = self.plan.project_file
        _write_atomically(path, with_backend_url(path.read_text(), self.plan.project_backend_url))

    def _restore_file(self, path: Path) -> None:
        content = self.rollback.files.get(path)
        if content is None:
            if path.exists():
                path.unlink()
        else:
            path.write_bytes(content)

    def _undo(self, backup: Path) -> None:
        """Put everything back; a failure here is reported, never raised over the cause."""
        plan = self.plan
        self.progress("rolling back")
        if self.rollback.created_stack:
            removed = self.cli.run("stack", "rm", plan.stack, "--yes", "--force",
                                   "--preserve-config", backend=plan.target_url, check=False)
            if removed.returncode != 0:
                (backup / "ROLLBACK-FAILED.txt").write_text(
                    f"Could not remove the partial stack {plan.stack} from {plan.target_url}:\n"
                    f"{removed.stderr}\nRemove it with `pulumi stack rm {plan.stack} --force "
                    "--preserve-config` before the next attempt.\n")
        for path in self.rollback.files:
            self._restore_file(path)


def migrate(plan: MigrationPlan, cli: PulumiCli, progress: Progress = silent) -> MigrationResult:
    return Migration(plan, cli, progress).run()


def with_profile(url: str, profile: str | None) -> str:
    """The S3 backend URL with the AWS profile the blob driver should use."""
    return f"{url}&profile={profile}" if profile else url
