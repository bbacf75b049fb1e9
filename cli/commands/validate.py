"""Check the organization YAML: structure, tokens, references, uniqueness and AWS limits.

Prints a one-line summary and exits 0, or every problem (file:line: key: what, fix) and exits 2.
"""

from __future__ import annotations

import argparse

from cli import console
from cli.console import plural
from cli.commands.common import add_config_argument, load_config

NAME = "validate"
HELP = "check the config offline and summarise it"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)


def summary(loaded) -> str:
    c = loaded.config
    counts = [(len(c.accounts), "account"), (len(c.organizational_units), "organizational unit"),
              (len(c.sso.users), "user"), (len(c.sso.groups), "group"),
              (len(c.sso.permission_sets), "permission set")]
    parts = ", ".join(plural(n, word) for n, word in counts)
    # Every file that went into the result, so a merged local override is never a surprise.
    return f"{' + '.join(loaded.files)}: valid ({parts})"


def run(args: argparse.Namespace) -> int:
    loaded = load_config(args)
    console.out.print(summary(loaded), markup=False)
    return 0
