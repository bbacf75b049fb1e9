"""Print the inline policy for the `bootstrap-admin` IAM user (step 3 of the guide).

Attach AWS-managed AdministratorAccess to the user as well; this inline policy lets it assume
the role Organizations creates in every member account, which the program and the readiness
check use to reach new accounts.
"""

from __future__ import annotations

import argparse

from cli import console
from cli.commands.common import add_config_argument, load_config

NAME = "bootstrap-policy"
HELP = "print the bootstrap-admin inline IAM policy"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)


def bootstrap_policy(role_name: str) -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "AssumeOrganizationAccessRole",
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Resource": f"arn:aws:iam::*:role/{role_name}",
        }],
    }


def run(args: argparse.Namespace) -> int:
    loaded = load_config(args)
    console.print_json(bootstrap_policy(loaded.config.account_access.role_name))
    return 0
