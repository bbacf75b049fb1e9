"""`./lz`: argument parsing and the mapping of errors to exit codes; commands live in
cli/commands/, the work they do in library modules."""

from __future__ import annotations

import argparse
import sys

from config.errors import ConfigError
from cli import console
from cli.commands import COMMANDS
from cli.errors import EXIT_CONFIG, LzError

EPILOG = ("Exit codes: 0 ok, 1 checks found problems, 2 bad config or usage, 3 AWS or "
          "credentials error, 4 a required tool is missing. Docs: docs/README.md")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lz", description="Operate a landing-zone AWS Organization defined in one YAML file.",
        epilog=EPILOG)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        cmd = sub.add_parser(command.NAME, help=command.HELP, description=command.__doc__,
                             formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG)
        command.add_arguments(cmd)
        cmd.set_defaults(run=command.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except ConfigError as exc:
        console.report_problems(exc.problems)
        n = len(exc.errors)
        console.err.print(f"{n} error{'s' if n != 1 else ''}: nothing was changed.", style="red")
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
