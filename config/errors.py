"""Problems found in a configuration, and the one exception that carries them all.

Every problem names where it is (file, line, dotted key path), what is wrong and what to do,
so the operator never has to read a traceback to fix a YAML file.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from enum import Enum
from typing import Iterable


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One finding. `code` is stable (LZ1xx syntax, LZ2xx references, LZ3xx limits,
    LZ4xx lifecycle, LZ5xx Metastructure compatibility) so docs and CI can name it."""

    code: str
    key_path: tuple
    message: str
    fix: str = ""
    severity: Severity = Severity.ERROR
    file: str | None = None
    line: int | None = None

    @property
    def path(self) -> str:
        return dotted(self.key_path)

    def render(self) -> str:
        where = self.file or "<config>"
        if self.line:
            where = f"{where}:{self.line}"
        key = f" {self.path}:" if self.path else ""
        fix = f" {self.fix}" if self.fix else ""
        tag = "warning" if self.severity is Severity.WARNING else "error"
        return f"{where}: {tag} {self.code}:{key} {self.message}{fix}"


@dataclass
class ConfigError(Exception):
    """Raised once per load with every error of the file, never just the first."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(p.render() for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]


def dotted(path: tuple) -> str:
    """('accounts', 'dev', 'tags', 0) -> 'accounts.dev.tags[0]'."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint sentence naming the closest choice, or listing what is allowed."""
    options = sorted(str(c) for c in choices)
    close = difflib.get_close_matches(str(word), options, n=1, cutoff=0.6)
    if close:
        return f"Did you mean '{close[0]}'?"
    if not options:
        return "There is nothing to refer to yet: define it first."
    shown = ", ".join(f"'{o}'" for o in options[:8])
    more = f" and {len(options) - 8} more" if len(options) > 8 else ""
    return f"Use one of {shown}{more}."
