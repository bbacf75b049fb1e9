"""Files the commands write (`plan --json/--diagram`, `import --output`, `sso-config --write`),
checked before any work is done, so a typo costs nothing and no file is ever lost:

- the path's folder exists and the file can be created or opened there (tried, not guessed:
  permission bits say nothing for root or on a read-only mount);
- a file the config loader reads (the organization YAML and its local override, policy
  documents, the Pulumi project and stack files) is never an output, even with --force; a
  command that writes configs (`import`) may still write organization YAML files;
- an existing file is replaced only when it is a previous output of the same command, which
  each command recognises by how its files begin, or with --force.

Every refusal is a UsageError (exit 2) naming the flag at fault; writes are atomic (a
temporary file beside the target, then a rename), so a failure leaves the old file whole.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from cli.errors import UsageError
from config import Loaded

# Names the loader or Pulumi read: refused as outputs whatever the folder.
CONFIG_NAMES = ("organization*.yaml", "organization*.yml", "*.local.yaml", "*.local.yml")
PROJECT_NAMES = ("Pulumi.yaml", "Pulumi.yml", "Pulumi.*.yaml", "Pulumi.*.yml")
HEAD_BYTES = 512


@dataclass(frozen=True)
class Output:
    """A kind of file one command writes."""

    flag: str                        # the option naming the file, for messages
    written_by: str                  # the command, for messages
    is_previous: Callable[[str], bool]  # does a file beginning with this text come from it?
    writes_config: bool = False      # the command's output is an organization YAML


def _config_name(path: Path, allowed_configs: bool) -> bool:
    names = PROJECT_NAMES if allowed_configs else PROJECT_NAMES + CONFIG_NAMES
    return any(fnmatch.fnmatchcase(path.name, pattern) for pattern in names)


def loader_files(loaded: Loaded) -> list[Path]:
    """The files `loaded` was read from: the config, its local override and the policy
    documents named by `document_file` (paths relative to the config's folder)."""
    config = loaded.config
    named = [p.document_file for p in config.sso.policies.values()]
    named += [g.document_file for g in config.guardrails.custom.values()]
    named += [p.inline_policy for p in config.sso.permission_sets.values()
              if isinstance(p.inline_policy, str)]
    paths = [Path(f) for f in loaded.files if Path(f).is_file()]
    return paths + [loaded.base_dir / n for n in named if n]


def _same_file(path: Path, others: Iterable[Path]) -> bool:
    return any(path.exists() and other.exists() and path.samefile(other) for other in others)


def check(path: Path, kind: Output, *, force: bool, protected: Iterable[Path] = ()) -> Path:
    """Raise UsageError unless `kind` may write `path`; returns it unchanged."""
    where = f"{kind.flag} {path}"
    if _config_name(path, kind.writes_config) or _same_file(path, protected):
        raise UsageError(f"{where}: that is a file the config or Pulumi reads, never an output.",
                         f"Name another file for {kind.flag}.")
    if path.is_dir():
        raise UsageError(f"{where} is a folder.", f"Name a file for {kind.flag}.")
    folder = path.parent
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "does not exist"
        raise UsageError(f"{where}: {folder} {what}.", "Create the folder first, or name a file "
                         "in an existing folder.")
    if path.exists() and not force and not kind.is_previous(_head(path)):
        raise UsageError(f"{where} exists and was not written by {kind.written_by}.",
                         f"Pass --force to replace it, or name another file for {kind.flag}.")
    _try_to_open(path, where)
    return path


def writable(path: Path, flag: str) -> Path:
    """For a file a command merges into itself (sso-config's AWS CLI config): that its folder
    exists or can be made (as the write would make it) and the file can be written."""
    where = f"{flag} {path}"
    if path.is_dir():
        raise UsageError(f"{where} is a folder.", "Point it at a file.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        raise UsageError(f"{where}: cannot create {path.parent}: {error.strerror}.",
                         "Point it at a file in a folder you can write.") from None
    _try_to_open(path, where)
    return path


def write(path: Path, text: str, kind_flag: str) -> None:
    """Atomic: a temporary file beside `path`, then a rename over it."""
    temporary = path.with_name(f".{path.name}.lz-tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise UsageError(f"{kind_flag} {path}: cannot write it: {error.strerror}.",
                         "Check the folder's permissions and free space.") from None


def _head(path: Path) -> str:
    try:
        with path.open("rb") as file:
            return file.read(HEAD_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return ""


def _try_to_open(path: Path, where: str) -> None:
    """Open for appending (which changes nothing in an existing file); a file made only to
    prove the folder writable is removed again."""
    existed = path.exists()
    try:
        with path.open("ab"):
            pass
    except OSError as error:
        raise UsageError(f"{where}: cannot write there: {error.strerror}.",
                         "Choose a writable folder, or fix its permissions.") from None
    if not existed:
        path.unlink()
