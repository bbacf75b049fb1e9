"""Every `./lz <command> [--flags]` in README.md and docs/ exists in the CLI, flags included.

The parser is the truth: `cli.main.build_parser()`. A renamed flag or a command that was
documented before it was written fails here with the file and line of each mention.
"""

from __future__ import annotations

import argparse
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest

from cli.main import build_parser

ROOT = Path(__file__).resolve().parents[2]
# `./lz test` is handled by the launcher itself (it runs pytest), not by the CLI.
LAUNCHER_COMMANDS = {"test"}
# Prose about the CLI rather than an invocation: "the ./lz commands", "the ./lz launcher".
NOT_INVOCATIONS = {"command", "commands", "launcher", "cli"}
# `./lz` and what follows up to the end of the code span, a shell operator, a comment or the
# next `./lz` on the same line.
MENTION = re.compile(r"(?<![\w/.])\./lz\b((?:(?!\./lz\b)[^`\n|;&)#])*)")


@dataclass(frozen=True)
class Mention:
    where: str
    command: str | None      # None: `./lz` alone or `./lz --help`
    flags: tuple[str, ...]


def documents() -> list[Path]:
    paths = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md")),
             *sorted((ROOT / "examples").rglob("README.md")),
             ROOT / "landing_zone_outputs" / "README.md"]
    return [p for p in paths if p.exists()]


def mentions(text: str, name: str) -> list[Mention]:
    found = []
    # A shell line continued with a backslash is one command.
    lines = re.sub(r"\\\n\s*", " ", text).splitlines()
    for number, line in enumerate(lines, 1):
        for match in MENTION.finditer(line):
            rest = match.group(1)
            try:
                tokens = shlex.split(rest)
            except ValueError:  # an unbalanced quote in prose
                tokens = rest.split()
            words = []
            for token in tokens:
                if token.startswith((">", "2>", "<<")):
                    break
                words.append(token)
            # Prose may end a command with punctuation: "run ./lz show, then ...".
            command = words[0].rstrip(",.:;") if words and not words[0].startswith("-") else None
            if command and command.lower() in NOT_INVOCATIONS:
                continue
            flags = tuple(w.split("=", 1)[0] for w in words if re.match(r"--?[A-Za-z]", w))
            found.append(Mention(f"{name}:{number}", command, flags))
    return found


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    [action] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def problems(found: list[Mention]) -> list[str]:
    commands = subcommands()
    top_level = set(build_parser()._option_string_actions)
    out = []
    for m in found:
        if m.command is None:
            out += [f"{m.where}: `./lz {f}` is not an option of lz" for f in m.flags
                    if f not in top_level]
        elif m.command in LAUNCHER_COMMANDS:
            continue
        elif m.command not in commands:
            out.append(f"{m.where}: `./lz {m.command}` is not a command (lz has: "
                       f"{', '.join(sorted(commands))})")
        else:
            accepted = set(commands[m.command]._option_string_actions)
            out += [f"{m.where}: `./lz {m.command} {f}`: {m.command} has no option {f} "
                    f"(it has: {', '.join(sorted(accepted))})"
                    for f in m.flags if f not in accepted]
    return out


def all_mentions() -> list[Mention]:
    return [m for path in documents()
            for m in mentions(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))]


def test_the_docs_mention_commands_at_all():
    found = all_mentions()
    assert len(found) >= 30
    assert {m.command for m in found} >= {"show", "validate", "plan", "bootstrap-policy"}


def test_every_documented_command_and_flag_exists():
    assert problems(all_mentions()) == []


def test_the_launcher_handles_test():
    assert '[ "${1:-}" = "test" ]' in (ROOT / "lz").read_text()


@pytest.mark.parametrize("text, expected", [
    ("run `./lz plan --diagram out.mmd` first", [("plan", ("--diagram",))]),
    ("./lz show --format=json | jq .", [("show", ("--format",))]),
    ("./lz plan \\\n   --preview --json plan.json", [("plan", ("--preview", "--json"))]),
    ("`./lz --help`", [(None, ("--help",))]),
    ("./lz validate config/x.yaml > out.txt --bogus", [("validate", ())]),
    ("see venv/bin/lz or ../lz, not ./lzx", []),
    ("first ./lz show, then ./lz validate.", [("show", ()), ("validate", ())]),
    ("cli/   the ./lz commands; cli/offline runs", []),
])
def test_mentions_are_extracted(text, expected):
    assert [(m.command, m.flags) for m in mentions(text, "t.md")] == expected


def test_wrong_commands_and_flags_are_reported():
    found = mentions("`./lz deploy` and `./lz plan --diagarm x` and `./lz --verbose`", "t.md")
    reported = problems(found)
    assert len(reported) == 3
    assert "t.md:1: `./lz deploy` is not a command" in reported[0]
    assert "plan has no option --diagarm" in reported[1]
    assert "`./lz --verbose` is not an option of lz" in reported[2]
