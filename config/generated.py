"""Files generated from the code and committed (the JSON Schema, docs/configuration.md, the
chart in docs/architecture.md): one write-or-check entry point, so each generator only renders
and CI fails the same way whenever one of them goes stale."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path


def generator_main(argv: Sequence[str] | None, *, prog: str, description: str, path: Path,
                   render: Callable[[str | None], str], why_stale: str) -> int:
    """`--check`: exit 1 when `path` differs from `render(current text)`; else write it."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 when the file is stale")
    parser.add_argument("--output", type=Path, default=path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    target: Path = args.output
    current = target.read_text(encoding="utf-8") if target.exists() else None
    fresh = render(current)
    if args.check:
        if current == fresh:
            print(f"{target} is up to date.")
            return 0
        print(f"{target} is stale: {why_stale}. Run `venv/bin/python {prog}` and commit the "
              "result.", file=sys.stderr)
        return 1
    target.write_text(fresh, encoding="utf-8")
    print(f"wrote {target}")
    return 0
