"""Each command module exposes `NAME`, `HELP`, `add_arguments(parser)` and `run(args) -> int`."""

from cli.commands import bootstrap_policy, show, validate

COMMANDS = [show, validate, bootstrap_policy]
