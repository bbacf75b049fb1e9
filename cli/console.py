"""Where output goes: results to stdout, diagnostics to stderr (so `--json` stays pipeable)."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from rich.console import Console

from config.errors import Problem, Severity

class _Stdout:
    """sys.stdout (looked up on every write, so tests may swap it) that goes quiet once its
    reader has gone: `./lz plan | head -1` still finishes and exits with the command's own
    code instead of a traceback and 1. As the Python docs advise for SIGPIPE, the descriptor
    is pointed at /dev/null so the interpreter's last flush cannot fail either."""

    reader_gone = False

    def write(self, text: str) -> int:
        if not self.reader_gone:
            try:
                sys.stdout.write(text)
            except BrokenPipeError:
                self._silence()
        return len(text)

    def flush(self) -> None:
        if not self.reader_gone:
            try:
                sys.stdout.flush()
            except BrokenPipeError:
                self._silence()

    def _silence(self) -> None:
        self.reader_gone = True
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):  # no real descriptor (a test's capture): nothing to flush
            pass

    def __getattr__(self, name: str) -> Any:  # isatty, encoding, fileno...: the real stream's
        return getattr(sys.stdout, name)


stdout = _Stdout()
# Colour only on a terminal; CI logs and pipes get plain text.
out = Console(file=stdout, highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True,
              no_color=bool(os.environ.get("NO_COLOR")))


def plural(count: int, noun: str) -> str:
    """`1 account`, `2 accounts`."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def print_json(data: Any) -> None:
    stdout.write(json.dumps(data, indent=2, sort_keys=False, default=str) + "\n")


def report_problems(problems: list[Problem] | tuple[Problem, ...]) -> None:
    for problem in problems:
        style = "yellow" if problem.severity is Severity.WARNING else "red"
        err.print(problem.render(), style=style, markup=False)
