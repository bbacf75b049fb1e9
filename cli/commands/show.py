"""Print the fully resolved config: tokens expanded, shorthand normalized, defaults filled in,
plus the AWS names derived from it (emails, bucket names, backend URL), with no AWS access."""

from __future__ import annotations

import argparse

import yaml

from config.guardrails import audit_logging_on, planned_scps
from config.naming import (
    access_log_bucket_name,
    audit_bucket_name,
    audit_kms_alias,
    audit_trail_name,
    backend_url,
    guardrail_policy_name,
    landing_zone_secrets_provider,
    secrets_provider,
    state_bucket_name,
)
from config.topology import managed_accounts
from cli import console
from cli.commands.common import add_config_argument, load_config

NAME = "show"
HELP = "print the resolved config and derived names"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    parser.add_argument("--format", choices=("yaml", "json"), default="yaml",
                        help="output format (default: yaml)")


def resolved(loaded) -> dict:
    config = loaded.config
    data = config.model_dump(mode="json", exclude_none=True)
    data["derived"] = {
        "sources": list(loaded.files),
        "account_emails": {k: a.email for k, a in sorted(config.accounts.items())},
        # Named by account id: an account still to be created shows the placeholder.
        "access_log_buckets": {
            k: [access_log_bucket_name(config, config.accounts[k].id or "{account_id}", region)
                for region in config.governed_regions]
            for k in managed_accounts(config)},
    }
    if config.state_backend.enabled:
        data["derived"]["state_backend"] = {
            "bucket": state_bucket_name(config), "backend_url": backend_url(config),
            "secrets_provider": secrets_provider(config),
            "landing_zone_secrets_provider": landing_zone_secrets_provider(config)}
    if audit_logging_on(config):
        data["derived"]["audit_logging"] = {
            "trail": audit_trail_name(config), "bucket": audit_bucket_name(config),
            "kms_alias": audit_kms_alias(config)}
    data["derived"]["service_control_policies"] = {
        guardrail_policy_name(config, scp): {"guardrails": list(scp.guardrails),
                                             "targets": list(scp.targets)}
        for scp in planned_scps(config)}
    return data


def run(args: argparse.Namespace) -> int:
    data = resolved(load_config(args))
    if args.format == "json":
        console.print_json(data)
    else:
        console.out.print(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), end="",
                          markup=False)
    return 0
