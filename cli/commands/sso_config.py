"""AWS CLI SSO profiles for every account x permission set the config assigns.

Reads the bootstrap stack's outputs (`pulumi stack output --json`, or a saved copy with
--outputs) and prints an `sso-session` section and one profile per pair, named
`<namespace>-<account>-<permission set>`. With --write they are merged into the AWS CLI config
(AWS_CONFIG_FILE, else ~/.aws/config): sections written earlier are updated or removed, every
other profile is left as it is, and the old file is kept as `config.bak`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cli import console
from cli.commands.common import PROJECT_DIR, add_config_argument, load_config, stack_name
from cli.errors import EXIT_FINDINGS, EXIT_OK
from cli.outputs import writable
from cli.sso_profiles import build, config_file, merge, read_outputs, render, write

NAME = "sso-config"
HELP = "write AWS CLI SSO profiles for every assigned account and permission set"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    parser.add_argument("--outputs", type=Path, metavar="FILE",
                        help="saved `pulumi stack output --json` (default: ask the pulumi CLI)")
    parser.add_argument("--cwd", type=Path, default=PROJECT_DIR, metavar="DIR",
                        help="the Pulumi project directory (default: this repository)")
    parser.add_argument("--write", action="store_true",
                        help="merge into the AWS CLI config instead of printing")
    parser.add_argument("--force", action="store_true",
                        help="also replace same-named sections that ./lz sso-config did not write")


def run(args: argparse.Namespace) -> int:
    config = load_config(args, args.cwd).config
    if args.write:  # before the stack is read: a bad path costs nothing
        writable(config_file(), "--write")
    outputs = read_outputs(args.outputs, stack=stack_name(args), project_dir=args.cwd)
    result = build(config, outputs)
    for warning in result.warnings:
        console.err.print(f"warning: {warning}", style="yellow", markup=False)
    example = result.profiles[0].name if result.profiles else "PROFILE"
    login = (f"next: `aws sso login --sso-session {result.session.name}`, then e.g. "
             f"`aws sts get-caller-identity --profile {example}`.")
    if not args.write:
        console.out.print(render(result), end="", markup=False)
        console.err.print(f"{len(result.profiles)} profiles for sso-session "
                          f"{result.session.name}; --write merges them into {config_file()}.",
                          markup=False)
        return EXIT_OK
    path = config_file()
    merged = merge(path.read_text() if path.exists() else "", result, force=args.force)
    backup = write(path, merged.text) if merged.changed else None
    counts = ", ".join(f"{len(v)} {k}" for k, v in (
        ("added", merged.added), ("updated", merged.updated), ("unchanged", merged.unchanged),
        ("removed", merged.removed)) if v)
    console.out.print(f"{path}: {counts or 'nothing to do'}"
                      + (f" (previous file: {backup})" if backup else "") + ".", markup=False)
    for header in merged.removed:
        console.out.print(f"  removed {header}: no longer assigned", markup=False)
    console.out.print(login, markup=False)
    if merged.conflicts:
        console.err.print(f"error: left alone (not written by ./lz sso-config): "
                          f"{', '.join(merged.conflicts)}.", style="red", markup=False)
        console.err.print("hint: rename or remove them, or pass --force to replace them.",
                          markup=False)
        return EXIT_FINDINGS
    return EXIT_OK
