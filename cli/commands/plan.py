"""Run the Pulumi program offline (no AWS, no Pulumi CLI) and show what `pulumi up` would
register: the resource tree with each resource's account, counts by type and by account, and
warnings (protected resources, accounts created or adopted, pending releases).

`--preview` runs as `pulumi preview` would on a fresh organization: ids of new resources are
unknown. `--json` writes every resource (URN, type, parent, provider, account, inputs,
dependencies); `--diagram` writes the organization as a Mermaid chart.
`--terraform-plan` writes the AWS resources as a Terraform plan document for IaC scanners
(cli/plan/terraform_plan.py).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from cli import console, outputs
from cli.commands.common import add_config_argument, load_config, stack_settings
from cli.errors import LzError, UsageError

NAME = "plan"
HELP = "show what the program would build, offline"
STDOUT = "-"
DIAGRAM_SUFFIXES = (".mmd", ".md")
# Plan JSON begins with its "preview" key; a chart carries its marker comment (cli/plan/diagram).
PLAN_JSON = outputs.Output("--json", "./lz plan --json",
                           lambda head: head.startswith('{\n  "preview": '))
DIAGRAM = outputs.Output("--diagram", "./lz plan --diagram",
                         lambda head: "%% drawn by `./lz plan --diagram`" in head)
# A Terraform plan document begins with its "format_version" key (cli/plan/terraform_plan).
TERRAFORM_PLAN = outputs.Output("--terraform-plan", "./lz plan --terraform-plan",
                                lambda head: head.startswith('{\n  "format_version": '))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    parser.add_argument("--preview", action="store_true",
                        help="run as `pulumi preview` would: ids of new resources are unknown")
    parser.add_argument("--json", nargs="?", const=STDOUT, metavar="FILE",
                        help="write every resource as JSON to FILE (default: stdout, instead "
                             "of the text plan)")
    parser.add_argument("--terraform-plan", type=Path, metavar="FILE",
                        help="write the AWS resources as Terraform plan JSON for IaC scanners "
                             "(checkov -f FILE --framework terraform_plan)")
    parser.add_argument("--diagram", type=Path, metavar="FILE",
                        help="write the organization as a Mermaid chart (.mmd or .md)")
    parser.add_argument("--force", action="store_true",
                        help="replace a --json, --terraform-plan or --diagram FILE that ./lz plan did "
                             "not write")


def _reason(error: Exception) -> str:
    """A RunError is the program's own message for the user; anything else is named."""
    from pulumi import RunError  # only once the program ran: see `run`
    return str(error) if isinstance(error, RunError) else f"{type(error).__name__}: {error}"


def run(args: argparse.Namespace) -> int:
    # Imported here: the Pulumi SDK and pulumi-aws take most of a second to import, which
    # every other command (`./lz validate` runs on every pull request) would pay for nothing.
    from cli.plan import make_plan, organization_chart, plan_document, print_plan, terraform_plan
    if args.diagram and args.diagram.suffix not in DIAGRAM_SUFFIXES:
        raise UsageError(f"--diagram {args.diagram}: use a .mmd or .md file name")
    stack = stack_settings(args)
    loaded = load_config(args, settings=stack)
    protected = outputs.loader_files(loaded)
    json_file = Path(args.json) if args.json not in (None, STDOUT) else None
    for path, kind in ((json_file, PLAN_JSON), (args.diagram, DIAGRAM),
                       (args.terraform_plan, TERRAFORM_PLAN)):
        if path is not None:
            outputs.check(path, kind, force=args.force, protected=protected)
    try:
        plan = make_plan(loaded.config, preview=args.preview, stack=stack)
    except Exception as error:  # noqa: BLE001 - whatever stops the program stops `pulumi up`
        raise LzError(f"the program stopped: {_reason(error)}",
                      "`pulumi up` would stop the same way: fix what it names, then run "
                      "`./lz plan` again.") from None
    if args.json == STDOUT:
        console.print_json(plan_document(plan))
    else:
        print_plan(plan, console.out)
    if json_file is not None:
        outputs.write(json_file, json.dumps(plan_document(plan), indent=2, default=str) + "\n",
                      PLAN_JSON.flag)
        console.err.print(f"wrote {json_file}", markup=False)
    if args.terraform_plan:
        outputs.write(args.terraform_plan,
                      json.dumps(terraform_plan(plan), indent=2, default=str) + "\n",
                      TERRAFORM_PLAN.flag)
        console.err.print(f"wrote {args.terraform_plan}", markup=False)
    if args.diagram:
        outputs.write(args.diagram, organization_chart(loaded.config, args.diagram.suffix),
                      DIAGRAM.flag)
        console.err.print(f"wrote {args.diagram}", markup=False)
    return 0
