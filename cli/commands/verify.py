"""Compare the live organization with the config and report drift in config terms.

OUs, accounts and their placement, Identity Center groups, users, memberships, permission
sets and assignments, the state and access-log buckets' security settings, the organization
trail and its bucket, and the security baseline per account and region (GuardDuty and Security
Hub members, AWS Config sources, Access Analyzer analyzers, alternate contacts). Each item matches, is missing, is different (both values shown) or is
present in AWS but not in the config. Exits 1 on any drift; `--json` for CI. Read-only.
"""

from __future__ import annotations

import argparse

from cli import console
from cli.aws.inventory import NotInOrganization
from cli.aws.progress import status
from cli.aws.session import aws_errors, open_session
from cli.checks.format import verify_json, verify_lines
from cli.checks.verify import verify
from cli.commands.common import add_aws_arguments, add_config_argument, load_config
from cli.errors import EXIT_FINDINGS, EXIT_OK, AwsError

NAME = "verify"
HELP = "compare the live organization with the config"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    add_aws_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


def run(args: argparse.Namespace) -> int:
    config = load_config(args).config
    aws = open_session(args.profile, args.region or config.organization.aws_region)
    try:
        with aws_errors(aws), status("verify") as progress:
            report = verify(config, aws, progress)
    except NotInOrganization:
        raise AwsError("the caller's account belongs to no AWS Organization.",
                       "Use credentials of the management account (e.g. an SSO admin profile "
                       "from `./lz sso-config`), and run `./lz preflight` first.") from None
    if args.json:
        console.print_json(verify_json(report))
    else:
        for text, style in verify_lines(report):
            console.out.print(text, style=style or None, markup=False)
    return EXIT_FINDINGS if report.drifted else EXIT_OK
