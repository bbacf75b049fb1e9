"""Write a config file from an existing organization, so landing-zone can adopt it.

Reads OUs, accounts, IAM Identity Center groups, users, memberships, permission sets (with
their AWS-managed, customer-managed and inline policies) and assignments, and writes a config
in which every OU, account, group and user carries its `id`: `pulumi up` imports them instead
of creating new ones. The security services' delegated administrator becomes the security
tooling account, and the services running stay on. The file is validated before it is written; notes at its top list what
to review. Read-only in AWS.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cli import console, outputs
from cli.console import plural
from cli.aws.inventory import NotInOrganization
from cli.aws.progress import status
from cli.aws.session import aws_errors, open_session
from cli.commands.common import add_aws_arguments
from cli.errors import EXIT_CONFIG, EXIT_OK, AwsError, UsageError
from cli.importer import HEADER, import_organization, to_yaml, validate
from config import ConfigError

NAME = "import"
HELP = "write a config file from an existing organization (to adopt it)"
OUTPUT = outputs.Output("--output", "./lz import", lambda head: head.startswith(HEADER),
                        writes_config=True)


def key_account(value: str) -> tuple[str, str]:
    role, sep, key = value.partition("=")
    if not sep or not role or not key:
        raise argparse.ArgumentTypeError("expected ROLE=KEY, e.g. log_archive=log_archive")
    return role, key


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_aws_arguments(parser, region_default="the profile's; the Identity Center home region")
    parser.add_argument("--output", "-o", type=Path, metavar="FILE",
                        help="write the config here (default: print it)")
    parser.add_argument("--force", action="store_true",
                        help="replace FILE although ./lz import did not write it")
    parser.add_argument("--namespace", help="tokens.namespace, the prefix of bucket names "
                        "(default: lz-<organization id>)")
    parser.add_argument("--key-account", action="append", type=key_account, default=[],
                        metavar="ROLE=KEY", help="a key account by its imported key, e.g. "
                        "terraform_state=shared_services (repeatable)")
    parser.add_argument("--role-name", default="OrganizationAccountAccessRole",
                        help="role to read customer policies in member accounts with")


def run(args: argparse.Namespace) -> int:
    if args.output:
        outputs.check(args.output, OUTPUT, force=args.force)
    aws = open_session(args.profile, args.region)
    try:
        with aws_errors(aws), status("import") as progress:
            result = import_organization(aws, aws.region, namespace=args.namespace,
                                         key_accounts=dict(args.key_account),
                                         role_name=args.role_name, progress=progress)
    except NotInOrganization:
        raise AwsError("the caller's account belongs to no AWS Organization.",
                       "Use credentials of the organization's management account.") from None
    except ValueError as error:
        raise UsageError(str(error)) from None
    text = to_yaml(result)
    target = args.output.resolve().parent if args.output else None
    if args.output:
        outputs.write(args.output, text, OUTPUT.flag)
    else:
        console.out.print(text, end="", markup=False)
    where = str(args.output) if args.output else "the printed config"
    try:
        validate(text, target, where)
    except ConfigError as error:
        console.report_problems(error.problems)
        console.err.print(f"{where} does not validate yet: fix the problems above (the file "
                          "names its own lines), then run `./lz validate`.", style="red")
        return EXIT_CONFIG
    counts = ", ".join(plural(n, what) for what, n in result.counts().items())
    console.err.print(f"{where}: {counts}; valid.", markup=False)
    for note in result.notes:
        console.err.print(f"note: {note}", style="yellow", markup=False)
    if args.output:
        console.err.print(f"next: `./lz plan {args.output}` shows what adopting it changes.",
                          markup=False)
    return EXIT_OK
