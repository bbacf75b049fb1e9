"""Arguments several commands share, so each is spelled and documented once."""

from __future__ import annotations

import argparse

from config import Loaded, load
from cli import console


def add_config_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", metavar="PATH",
                        help="organization YAML (default: config/organization.yaml)")
    parser.add_argument("--no-local", action="store_true",
                        help="ignore the git-ignored local override file")


def load_config(args: argparse.Namespace) -> Loaded:
    loaded = load(args.path, use_local=not args.no_local)
    console.report_problems(loaded.warnings)
    return loaded


def add_aws_arguments(parser: argparse.ArgumentParser, *,
                      region_default: str = "organization.aws_region") -> None:
    parser.add_argument("--profile", help="AWS CLI profile (default: the environment's)")
    parser.add_argument("--region", help=f"AWS region (default: {region_default})")
