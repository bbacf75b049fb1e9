"""Run the Pulumi program offline (no AWS, no Pulumi CLI) and show what `pulumi up` would
register: the resource tree with each resource's account, counts by type and by account, and
warnings (protected resources, accounts created or adopted, pending releases).

`--preview` runs as `pulumi preview` would on a fresh organization: ids of new resources are
unknown. `--json` writes every resource (URN, type, parent, provider, account, inputs,
dependencies); `--diagram` writes the organization as a Mermaid chart.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from cli import console
from cli.commands.common import add_config_argument, load_config
from cli.errors import UsageError
from cli.plan import make_plan, plan_document, print_plan, write_diagram

NAME = "plan"
HELP = "show what the program would build, offline"
STDOUT = "-"
DIAGRAM_SUFFIXES = (".mmd", ".md")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    parser.add_argument("--preview", action="store_true",
                        help="run as `pulumi preview` would: ids of new resources are unknown")
    parser.add_argument("--json", nargs="?", const=STDOUT, metavar="FILE",
                        help="write every resource as JSON to FILE (default: stdout, instead "
                             "of the text plan)")
    parser.add_argument("--diagram", type=Path, metavar="FILE",
                        help="write the organization as a Mermaid chart (.mmd or .md)")


def run(args: argparse.Namespace) -> int:
    if args.diagram and args.diagram.suffix not in DIAGRAM_SUFFIXES:
        raise UsageError(f"--diagram {args.diagram}: use a .mmd or .md file name")
    config = load_config(args).config
    plan = make_plan(config, preview=args.preview)
    if args.json == STDOUT:
        console.print_json(plan_document(plan))
    else:
        print_plan(plan, console.out)
    if args.json and args.json != STDOUT:
        Path(args.json).write_text(json.dumps(plan_document(plan), indent=2, default=str) + "\n",
                                   encoding="utf-8")
        console.err.print(f"wrote {args.json}")
    if args.diagram:
        write_diagram(config, args.diagram)
        console.err.print(f"wrote {args.diagram}")
    return 0
