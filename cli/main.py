"""`./lz`: argument parsing and the mapping of errors to exit codes; commands live in
cli/commands/, the work they do in library modules."""

from __future__ import annotations

import argparse
import sys

from config.errors import ConfigError
from cli import console
from cli.console import plural
from cli.commands import COMMANDS
from cli.errors import EXIT_CONFIG, LzError

EPILOG = ("Exit codes: 0 ok, 1 checks found problems, 2 bad config or usage, 3 AWS or "
          "credentials error, 4 a required tool is missing. Docs: docs/README.md")
TEST_COMMAND = ("`./lz test [PYTEST ARGS]` installs the test tools and runs the test suite "
                "(the launcher runs it, not this parser).")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lz", description="Operate a landing-zone AWS Organization defined in one YAML file.",
        epilog=f"{TEST_COMMAND} {EPILOG}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        cmd = sub.add_parser(command.NAME, help=command.HELP, description=command.__doc__,
                             formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG)
        command.add_arguments(cmd)
        cmd.set_defaults(run=command.run, command_parser=cmd)
    return parser


def parse(argv: list[str] | None) -> argparse.Namespace:
    """argparse leaves a command's unknown flags to the top-level parser, which shows the
    top-level usage; the command's own parser reports them here, with its usage (exit 2)."""
    args, unknown = build_parser().parse_known_args(argv)
    if unknown:
        args.command_parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    try:
        return args.run(args)
    except ConfigError as exc:
        console.report_problems(exc.problems)
        console.err.print(f"{plural(len(exc.errors), 'error')} in the config.", style="red")
        return EXIT_CONFIG
    except LzError as exc:
        console.err.print(f"error: {exc.message}", style="red", markup=False)
        if exc.hint:
            console.err.print(f"hint: {exc.hint}", markup=False)
        return exc.exit_code
    except KeyboardInterrupt:
        console.err.print("interrupted")
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
