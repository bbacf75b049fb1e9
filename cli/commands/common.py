"""Arguments several commands share, so each is spelled and documented once."""

from __future__ import annotations

import argparse
from pathlib import Path

from config import Loaded, StackSettings, load_stack, read_stack_file
from config.stack import DEFAULT_STACK
from cli import console

PROJECT_DIR = Path(__file__).resolve().parents[2]
"""The Pulumi project: Pulumi.yaml and the stack files live here."""


def add_config_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", metavar="PATH",
                        help="organization YAML (default: the stack's landing-zone:config, "
                             "config/organization.yaml)")
    parser.add_argument("--no-local", action="store_true",
                        help="ignore the git-ignored local override file")
    parser.add_argument("--stack", metavar="NAME",
                        help=f"read landing-zone:config, landing-zone:overrides and aws:* from "
                             f"Pulumi.NAME.yaml, as `pulumi up -s NAME` does (default: "
                             f"{DEFAULT_STACK})")


def stack_name(args: argparse.Namespace) -> str:
    return args.stack or DEFAULT_STACK


def stack_settings(args: argparse.Namespace, project_dir: Path | None = None) -> StackSettings:
    """A stack named with --stack must have settings; the default one may have none."""
    return read_stack_file(project_dir or PROJECT_DIR, stack_name(args),
                           required=args.stack is not None)


def load_config(args: argparse.Namespace, project_dir: Path | None = None,
                settings: StackSettings | None = None) -> Loaded:
    """The config as `pulumi up` of the stack loads it (config.load_stack)."""
    project_dir = project_dir or PROJECT_DIR
    settings = settings or stack_settings(args, project_dir)
    loaded = load_stack(settings, project_dir, path=args.path, use_local=not args.no_local)
    console.report_problems(loaded.warnings)
    return loaded


def add_aws_arguments(parser: argparse.ArgumentParser, *,
                      region_default: str = "organization.aws_region") -> None:
    parser.add_argument("--profile", help="AWS CLI profile (default: the environment's)")
    parser.add_argument("--region", help=f"AWS region (default: {region_default})")
