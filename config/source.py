"""YAML text to plain data, remembering the line of every key.

PyYAML's own constructors forget positions and silently keep the last of two equal keys; both
would make our error messages worse, so the node tree is walked here instead.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError

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
    # Unquoted mapping values a YAML 1.2 reader (an editor's JSON Schema check) takes for
    # numbers, as written: `id: 012345678901` is a string to PyYAML but not to them.
    numbers: dict[KeyPath, str] = field(default_factory=dict)

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
_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"
# YAML 1.2 core schema numbers (https://yaml.org/spec/1.2.2/#1023-core-schema).
_NUMBER_STARTS = frozenset("0123456789+-.")
YAML12_NUMBER = re.compile(r"^[-+]?(\d+|0o[0-7]+|0x[0-9a-fA-F]+|(\.\d+|\d+(\.\d*)?)([eE][-+]?\d+)?)$")


def parse_yaml(text: str, file: str) -> Located:
    loader = _Loader(text)
    try:
        return _Builder(loader, file).build()
    except yaml.MarkedYAMLError as exc:
        raise ConfigError([_syntax_problem(exc, file)]) from None
    finally:
        loader.dispose()


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


@dataclass
class _Open:
    """A mapping or sequence being built: where it is, what it holds so far, how many nodes
    it stands for (aliases included), and, in a mapping, the key waiting for its value."""

    value: Any
    path: KeyPath
    anchor: str | None
    lines: dict
    start: Any = None  # the parser's mark where it starts
    size: int = 1
    key: Any = None
    key_line: int = 0
    has_key: bool = False
    skip_value: bool = False


class _Builder:
    """Plain data straight from the parser's events, in one flat loop: PyYAML's composer
    would build a node tree first (recursively, which libyaml does in C without a depth
    check) and its constructors forget positions and keep the last of two equal keys."""

    def __init__(self, loader, file: str):
        self.loader, self.file = loader, file
        self.located = Located(data={}, lines={(): (file, 1)})
        self.problems: list[Problem] = []
        self.anchors: dict[str, tuple[Any, int, Any]] = {}  # value, nodes, start mark
        self.repeated = 0
        self.plain_tags: dict[str, str] = {}  # plain scalar -> the tag PyYAML resolves it to

    def build(self) -> Located:
        loader = self.loader
        loader.get_event()  # StreamStart
        if loader.check_event(yaml.StreamEndEvent):
            return self.located
        first = loader.get_event()  # DocumentStart
        stack: list[_Open] = [_Open(value=_NO_ROOT, path=(), anchor=None,
                                    lines=self.located.lines)]
        while not loader.check_event(yaml.DocumentEndEvent):
            event = loader.get_event()
            line = event.start_mark.line + 1
            if isinstance(event, yaml.ScalarEvent):  # the most frequent event first
                if event.anchor is not None:
                    self._check_anchor(event, stack)
                tag, value = self._scalar(event)
                if event.anchor is not None:
                    self.anchors[event.anchor] = (value, 1, event.start_mark)
                text = event.value
                plain = event.implicit[0] and not event.style  # libyaml: "", PyYAML: None
                number = (text if plain and text[:1] in _NUMBER_STARTS
                          and YAML12_NUMBER.match(text) else None)
                self._add(stack[-1], value, line, 1, merge=tag == _MERGE_TAG, number=number)
            elif isinstance(event, yaml.CollectionStartEvent):
                self._check_anchor(event, stack)
                parent = stack[-1]
                if len(stack) > MAX_DEPTH:
                    self._refuse("LZ106", f"the YAML is nested more than {MAX_DEPTH} levels deep.",
                                 "A landing-zone config is a few levels deep: flatten the "
                                 "structure.", line)
                path, lines = self._child_path(parent)
                collection: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
                stack.append(_Open(value=collection, path=path, anchor=event.anchor, lines=lines,
                                   start=event.start_mark))
            elif isinstance(event, yaml.CollectionEndEvent):
                done = stack.pop()
                if done.anchor is not None:
                    self.anchors[done.anchor] = (done.value, done.size, done.start)
                self._add(stack[-1], done.value, done.start.line + 1, done.size)
            else:  # an alias
                self._add(stack[-1], *self._alias(event, stack, line))
        loader.get_event()  # DocumentEnd
        if not loader.check_event(yaml.StreamEndEvent):
            extra = loader.get_event()
            raise ComposerError("expected a single document in the stream", first.start_mark,
                                "but found another document", extra.start_mark)
        self.located.data = stack[0].value if stack[0].value is not _NO_ROOT else {}
        if self.problems:
            raise ConfigError(self.problems)
        return self.located

    def _child_path(self, parent: _Open) -> tuple[KeyPath, dict]:
        """The path of the node about to start and where its lines go (nowhere when skipped)."""
        if parent.value is _NO_ROOT:
            return (), parent.lines
        if isinstance(parent.value, list):
            return (*parent.path, len(parent.value)), parent.lines
        if not parent.has_key or parent.skip_value:
            return (*parent.path, "?"), {}  # a complex key or a value that is dropped
        return (*parent.path, parent.key), parent.lines

    def _add(self, parent: _Open, value: Any, line: int, size: int, merge: bool = False,
             number: str | None = None) -> None:
        parent.size += size
        if parent.value is _NO_ROOT:  # the document's root
            parent.value = value
        elif isinstance(parent.value, list):
            parent.lines[(*parent.path, len(parent.value))] = (self.file, line)
            parent.value.append(value)
        elif not parent.has_key:
            parent.key, parent.key_line, parent.has_key = value, line, True
            parent.skip_value = self._refused_key(parent, value, line, merge)
        else:
            if not parent.skip_value:
                parent.value[parent.key] = value
                if number is not None and parent.lines is self.located.lines:
                    self.located.numbers[(*parent.path, parent.key)] = number
            parent.has_key = parent.skip_value = False

    def _refused_key(self, parent: _Open, key: Any, line: int, merge: bool) -> bool:
        """Record the key's line, or the problem with it (a merge key, a duplicate)."""
        if merge:
            self.problems.append(Problem(
                "LZ102", parent.path, "YAML merge keys ('<<') are not supported.",
                "Write the keys out, or use the local override file.", file=self.file, line=line))
            return True
        key = key if isinstance(key, str) else str(key)
        parent.key = key
        child = (*parent.path, key)
        if key in parent.value:
            first = parent.lines[child][1] if child in parent.lines else line
            self.problems.append(Problem(
                "LZ103", child, f"duplicate key '{key}' (first defined on line {first}).",
                "Remove one of them: YAML keeps only the last, which hides mistakes.",
                file=self.file, line=line))
            return True
        parent.lines[child] = (self.file, line)
        return False

    def _scalar(self, event) -> tuple[str, Any]:
        """The scalar's tag and value; a plain string skips the constructor (most scalars of a
        config are strings, which keeps large files fast)."""
        tag = event.tag
        if tag is None or tag == "!":
            if not event.implicit[0]:  # quoted or block: a string
                tag = _STR_TAG
            elif (tag := self.plain_tags.get(event.value)) is None:  # keys repeat: resolve once
                tag = self.plain_tags[event.value] = self.loader.resolve(
                    yaml.ScalarNode, event.value, event.implicit)
        if tag in (_STR_TAG, _MERGE_TAG):
            return tag, event.value
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        return tag, self.loader.construct_object(node, deep=True)

    def _alias(self, event, stack: list[_Open], line: int) -> tuple[Any, int, int]:
        if any(frame.anchor == event.anchor for frame in stack):
            self._refuse("LZ105", f"alias '*{event.anchor}' refers to the node that contains it.",
                         _ALIAS_FIX, line)
        if event.anchor not in self.anchors:
            raise ComposerError(None, None, f"found undefined alias {event.anchor!r}",
                                event.start_mark)
        value, size, _ = self.anchors[event.anchor]
        self.repeated += size
        if self.repeated > MAX_ALIAS_NODES:
            self._refuse("LZ105", f"aliases repeat more than {MAX_ALIAS_NODES} nodes (this one, "
                         f"'*{event.anchor}', {size}).", _ALIAS_FIX, line)
        return copy.deepcopy(value), line, size

    def _check_anchor(self, event, stack: list[_Open]) -> None:
        """PyYAML's composer refuses a second anchor of one name; so does this."""
        if event.anchor is None:
            return
        first = next((f.start for f in stack if f.anchor == event.anchor), None)
        if first is None and event.anchor in self.anchors:
            first = self.anchors[event.anchor][2]
        if first is not None:
            raise ComposerError(f"found duplicate anchor {event.anchor!r}; first occurrence",
                                first, "second occurrence", event.start_mark)

    def _refuse(self, code: str, message: str, fix: str, line: int) -> None:
        raise ConfigError([Problem(code, (), message, fix, file=self.file, line=line)])


_NO_ROOT = object()  # the document's value before it is read (`null` is a value)
_ALIAS_FIX = "Write the repeated values out, or use fewer, smaller aliases ('&name' / '*name')."


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
