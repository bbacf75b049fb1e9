"""Each command module exposes `NAME`, `HELP`, `add_arguments(parser)` and `run(args) -> int`."""

from cli.commands import bootstrap_policy, plan, show, validate

COMMANDS = [show, validate, plan, bootstrap_policy]
