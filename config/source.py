"""YAML text to plain data, remembering the line of every key.

PyYAML's own constructors forget positions and silently keep the last of two equal keys; both
would make our error messages worse, so the node tree is walked here instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from config.errors import ConfigError, Problem, dotted

try:  # libyaml is an optional speed-up; the pure-Python loader behaves the same.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

KeyPath = tuple[str | int, ...]


@dataclass
class Located:
    """Parsed data with the line of each key path, per source file."""

    data: Any
    lines: dict[KeyPath, tuple[str, int]] = field(default_factory=dict)

    def where(self, path: KeyPath) -> tuple[str | None, int | None]:
        """Closest known position for a key path (walks up to the parent)."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), (None, None))


# Bounds that keep a small hostile file from costing minutes and gigabytes (a 1 KB "billion
# laughs" file of nested aliases expands to millions of nodes) or crashing libyaml's recursive
# composer (a few thousand nested brackets overflow the C stack). A real config is under ten
# levels deep and its aliases, if any, repeat a few tags or lists.
MAX_DEPTH = 100
MAX_ALIAS_NODES = 10_000


def parse_yaml(text: str, file: str) -> Located:
    loader = _Loader(text)
    try:
        _check_bounds(loader, file)
        loader.dispose()
        loader = _Loader(text)
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise ConfigError([_syntax_problem(exc, file)]) from None
    finally:
        loader.dispose()
    located = Located(data=None, lines={(): (file, 1)})
    if node is None:
        located.data = {}
        return located
    problems: list[Problem] = []
    located.data = _walk(loader, node, (), file, located.lines, problems)
    if problems:
        raise ConfigError(problems)
    return located


def _syntax_problem(exc: yaml.MarkedYAMLError, file: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    what = exc.problem or str(exc)
    if exc.context:  # PyYAML splits its sentence: "while scanning a quoted scalar", "found ..."
        started = exc.context_mark.line + 1 if exc.context_mark else line
        what = f"{exc.context}{f' (line {started})' if started != line else ''}, {what}"
    return Problem(
        "LZ101", (), f"YAML syntax error: {what}.",
        "Check indentation and quoting on that line (strings holding ': ' or '{{' need quotes).",
        file=file, line=line)


def _check_bounds(loader, file: str) -> None:
    """Walk the parser's events (flat, no recursion) before anything is built: nesting deeper
    than MAX_DEPTH, an alias inside its own anchor, or aliases that together stand for more
    than MAX_ALIAS_NODES nodes are refused at the line that crosses the bound."""
    open_nodes: list[list] = [[None, 0]]  # [anchor, nodes so far] per open collection
    sizes: dict[str, int] = {}
    repeated = 0
    while (event := loader.get_event()) is not None:
        line = event.start_mark.line + 1
        if isinstance(event, yaml.CollectionStartEvent):
            if len(open_nodes) > MAX_DEPTH:
                raise ConfigError([Problem(
                    "LZ106", (), f"the YAML is nested more than {MAX_DEPTH} levels deep.",
                    "A landing-zone config is a few levels deep: flatten the structure.",
                    file=file, line=line)])
            open_nodes.append([event.anchor, 1])
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, size = open_nodes.pop()
            if anchor is not None:
                sizes[anchor] = size
            open_nodes[-1][1] += size
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor is not None:
                sizes[event.anchor] = 1
            open_nodes[-1][1] += 1
        elif isinstance(event, yaml.AliasEvent):
            if any(anchor == event.anchor for anchor, _ in open_nodes):
                raise ConfigError([_alias_problem(
                    f"alias '*{event.anchor}' refers to the node that contains it.", file, line)])
            size = sizes.get(event.anchor, 1)
            repeated += size
            if repeated > MAX_ALIAS_NODES:
                raise ConfigError([_alias_problem(
                    f"aliases repeat more than {MAX_ALIAS_NODES} nodes (this one, "
                    f"'*{event.anchor}', {size}).", file, line)])
            open_nodes[-1][1] += size


def _alias_problem(message: str, file: str, line: int) -> Problem:
    return Problem("LZ105", (), message, "Write the repeated values out, or use fewer, smaller "
                   "aliases ('&name' / '*name').", file=file, line=line)


def _walk(loader, node, path: KeyPath, file: str, lines, problems) -> Any:
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                problems.append(Problem(
                    "LZ102", path, "YAML merge keys ('<<') are not supported.",
                    "Write the keys out, or use the local override file.",
                    file=file, line=key_node.start_mark.line + 1))
                continue
            key = _scalar(loader, key_node)
            key = str(key) if not isinstance(key, str) else key
            child = (*path, key)
            if key in out:
                first = lines[child][1]
                problems.append(Problem(
                    "LZ103", child,
                    f"duplicate key '{key}' (first defined on line {first}).",
                    "Remove one of them: YAML keeps only the last, which hides mistakes.",
                    file=file, line=key_node.start_mark.line + 1))
                continue
            lines[child] = (file, key_node.start_mark.line + 1)
            out[key] = _walk(loader, value_node, child, file, lines, problems)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            child = (*path, index)
            lines[child] = (file, item.start_mark.line + 1)
            items.append(_walk(loader, item, child, file, lines, problems))
        return items
    return _scalar(loader, node)


_STR_TAG = "tag:yaml.org,2002:str"


def _scalar(loader, node) -> Any:
    """A plain string is its node's value (what SafeConstructor returns too); most scalars of
    a config are strings, so skipping the constructor for them speeds up large files."""
    if node.tag == _STR_TAG and isinstance(node, yaml.ScalarNode):
        return node.value
    return loader.construct_object(node, deep=True)


def read_yaml(path: Path) -> Located:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([Problem(
            "LZ100", (), "configuration file not found.",
            "Pass the path of your organization YAML, or create config/organization.yaml.",
            file=str(path))]) from None
    except (OSError, UnicodeDecodeError) as exc:  # unreadable or not UTF-8: say so plainly
        raise ConfigError([Problem("LZ100", (), f"cannot read the file: {exc}.",
                                   "Check its permissions and that it is UTF-8 text.",
                                   file=str(path))]) from None
    return parse_yaml(text, str(path))
