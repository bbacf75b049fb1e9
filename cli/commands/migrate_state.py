"""Move the bootstrap stack from the local backend to the S3 state backend, with KMS secrets.

Backs up the local stack, creates it in the S3 bucket `pulumi up` made, imports the state,
re-encrypts secrets with the KMS key (`pulumi stack change-secrets-provider`), checks that the
resource count and every URN are unchanged, then sets `backend.url` in Pulumi.yaml. When
anything fails or differs it removes the half-made stack, restores the project files and
exits 1; the local state is only ever read. Needs the pulumi CLI (exit 4 without it).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from cli import console
from cli.aws.progress import status
from cli.commands.common import (
    PROJECT_DIR,
    add_aws_arguments,
    add_config_argument,
    load_config,
    stack_name,
)
from cli.errors import EXIT_OK, UsageError
from cli.state_migration import LOCAL_BACKEND, MigrationPlan, PulumiCli, migrate, with_profile
from config.naming import backend_url, landing_zone_secrets_provider

NAME = "migrate-state"
HELP = "move the bootstrap stack to the S3 backend with KMS secrets"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    add_aws_arguments(parser)
    parser.add_argument("--from", dest="source", default=LOCAL_BACKEND, metavar="URL",
                        help=f"backend the stack is in now (default: {LOCAL_BACKEND})")
    parser.add_argument("--cwd", type=Path, default=PROJECT_DIR, metavar="DIR",
                        help="the Pulumi project directory (default: this repository)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def plan_for(args: argparse.Namespace) -> MigrationPlan:
    config = load_config(args, args.cwd).config
    if not config.state_backend.enabled:
        raise UsageError("state_backend.enabled is false: there is no S3 backend to move to.",
                         "Enable the state backend and run `pulumi up` first.")
    home = config.organization.aws_region
    if args.region and args.region != home:
        raise UsageError(f"the state backend lives in organization.aws_region ({home}), not in "
                         f"{args.region}.", "Drop --region, or fix organization.aws_region.")
    url = backend_url(config)
    return MigrationPlan(stack=stack_name(args), project_dir=args.cwd.resolve(),
                         source_url=args.source,
                         target_url=with_profile(url, args.profile), project_backend_url=url,
                         secrets_provider=landing_zone_secrets_provider(config),
                         backup_root=args.cwd.resolve() / ".lz" / "backups")


def run(args: argparse.Namespace) -> int:
    plan = plan_for(args)
    env = None
    if args.profile:  # the awskms secrets provider reads credentials from the environment
        env = {**os.environ, "AWS_PROFILE": args.profile}
    cli = PulumiCli.find(plan.project_dir, env)
    with status("migrate-state") as progress:
        result = migrate(plan, cli, progress)
    if args.json:
        console.print_json({
            "stack": plan.stack, "backend": plan.project_backend_url,
            "secrets_provider": plan.secrets_provider, "resources": result.after.resource_count,
            "backup": str(result.backup_dir), "already_migrated": result.already_migrated,
            "pulumi": result.pulumi_version})
        return EXIT_OK
    what = ("was already in the S3 backend with identical state" if result.already_migrated
            else f"moved to {plan.project_backend_url}")
    lines = [
        f"stack {plan.stack} {what}: {result.after.resource_count} resources, every URN "
        f"unchanged; secrets encrypted with {plan.secrets_provider}.",
        f"Pulumi.yaml now has backend.url {plan.project_backend_url}; backup in "
        f"{result.backup_dir}.",
        "next: commit Pulumi.yaml and Pulumi.{0}.yaml; run `pulumi preview -s {0}` (with "
        "AWS_PROFILE set to an operator's profile, account_access.operators): it should show "
        "no changes.".format(
            plan.stack),
        "when satisfied, forget the local copy (AWS resources stay): `PULUMI_BACKEND_URL={0} "
        "pulumi stack rm {1} --force --preserve-config`.".format(plan.source_url, plan.stack),
    ]
    for line in lines:
        console.out.print(line, markup=False)
    return EXIT_OK
