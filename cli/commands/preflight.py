"""Check the AWS organization is ready for the first `pulumi up`.

Each check prints PASS, WARN, FAIL or SKIP with its id (PF001...) and, when it fails, the fix:
credentials, management account, organization with all features, IAM Identity Center in the
home region, trusted access, the account access role, emails, account quota, configured ids,
bucket names. Exits 1 when any check fails. Read-only (plus one sts:AssumeRole).
"""

from __future__ import annotations

import argparse

from cli import console
from cli.aws.progress import status
from cli.aws.session import aws_errors, open_session
from cli.checks.format import preflight_json, preflight_lines
from cli.checks.preflight import run_preflight
from cli.commands.common import add_aws_arguments, add_config_argument, load_config
from cli.errors import EXIT_FINDINGS, EXIT_OK

NAME = "preflight"
HELP = "check the AWS organization is ready for the first pulumi up"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    add_aws_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")


def run(args: argparse.Namespace) -> int:
    config = load_config(args).config
    aws = open_session(args.profile, args.region or config.organization.aws_region)
    with aws_errors(aws), status("preflight") as progress:
        report = run_preflight(config, aws, progress)
    if args.json:
        console.print_json(preflight_json(report))
    else:
        for text, style in preflight_lines(report):
            console.out.print(text, style=style or None, markup=False)
    return EXIT_FINDINGS if report.failed else EXIT_OK
