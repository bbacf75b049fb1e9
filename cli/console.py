"""Where output goes: results to stdout, diagnostics to stderr (so `--json` stays pipeable)."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from rich.console import Console

from config.errors import Problem, Severity

# Colour only on a terminal; CI logs and pipes get plain text.
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True,
              no_color=bool(os.environ.get("NO_COLOR")))


def plural(count: int, noun: str) -> str:
    """`1 account`, `2 accounts`."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, sort_keys=False, default=str) + "\n")


def report_problems(problems: list[Problem] | tuple[Problem, ...]) -> None:
    for problem in problems:
        style = "yellow" if problem.severity is Severity.WARNING else "red"
        err.print(problem.render(), style=style, markup=False)
