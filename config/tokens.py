"""Handlebars-style tokens in config strings, as Metastructure wrote them.

Supported: `{{path.to.value}}` (and `{{{...}}}`), `{{#if path}}..{{else}}..{{/if}}`,
`{{#unless path}}..{{else}}..{{/unless}}`. A path reads the expanded config, so tokens may use
tokens; expansion repeats until nothing changes. An undefined path in `{{path}}` and a cycle
are errors; in `#if`/`#unless` an undefined path is simply false, as in Handlebars.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from config.errors import dotted
from config.source import KeyPath

_TAG = re.compile(r"\{\{\{?\s*(?P<body>[^{}]*?)\s*\}?\}\}")
_MAX_ROUNDS = 10


class TokenError(Exception):
    def __init__(self, path: KeyPath, message: str, fix: str):
        super().__init__(message)
        self.path, self.message, self.fix = path, message, fix


@dataclass
class _Block:
    kind: str  # "if" or "unless"
    condition: str
    then: list
    otherwise: list
    in_else: bool = False


class TokenExpander:
    """Expands every string of a config tree; memoised, so each value expands once."""

    def __init__(self, data: Any):
        self.data = data
        self._done: dict[KeyPath, Any] = {}
        self._failed: dict[KeyPath, TokenError] = {}
        self._stack: list[KeyPath] = []

    def expand_all(self) -> tuple[Any, list[TokenError]]:
        errors: list[TokenError] = []
        result = self._tree(self.data, (), errors)
        return result, errors

    def _tree(self, node: Any, path: KeyPath, errors: list[TokenError]) -> Any:
        if isinstance(node, dict):
            return {k: self._tree(v, (*path, k), errors) for k, v in node.items()}
        if isinstance(node, list):
            return [self._tree(v, (*path, i), errors) for i, v in enumerate(node)]
        if isinstance(node, str) and "{{" in node:
            try:
                return self.value_at(path)
            except TokenError as exc:
                # A broken value fails every value that uses it: report it once, where it is.
                if not any(exc is seen for seen in errors):
                    errors.append(exc)
                return node
        return node

    def value_at(self, path: KeyPath) -> Any:
        if path in self._done:
            return self._done[path]
        if path in self._failed:
            raise self._failed[path]
        if path in self._stack:
            raise _cycle_error(self._stack[self._stack.index(path):])
        raw = _lookup(self.data, path)
        if not (isinstance(raw, str) and "{{" in raw):
            return raw
        self._stack.append(path)
        try:
            text = raw
            for _ in range(_MAX_ROUNDS):
                expanded = self._render(text, path)
                if expanded == text or "{{" not in expanded:
                    text = expanded
                    break
                text = expanded
            else:
                raise TokenError(path, "tokens keep expanding to new tokens.",
                                 "Simplify the value: it never settles.")
        except TokenError as exc:
            self._failed[path] = exc
            raise
        finally:
            self._stack.pop()
        self._done[path] = text
        return text

    def _resolve(self, ref: str, at: KeyPath, *, required: bool) -> Any:
        parts = _ref_path(self.data, ref)
        try:
            _lookup(self.data, parts)
        except KeyError:
            if not required:
                return None
            raise TokenError(at, f"undefined token '{{{{{ref}}}}}'.",
                             f"Define {ref} in the config (for example under "
                             "organization.tokens) or fix the spelling.") from None
        value = self.value_at(parts)
        if required and isinstance(value, (dict, list)):
            raise TokenError(at, f"token '{{{{{ref}}}}}' is a {type(value).__name__}, not a value.",
                             "Point the token at a single value.")
        return value

    def _render(self, text: str, at: KeyPath) -> str:
        root: list = []
        stack: list[_Block] = []

        def target() -> list:
            if not stack:
                return root
            block = stack[-1]
            return block.otherwise if block.in_else else block.then

        pos = 0
        for match in _TAG.finditer(text):
            target().append(text[pos:match.start()])
            pos = match.end()
            body = match.group("body")
            if body.startswith("#"):
                kind, _, condition = body[1:].partition(" ")
                if kind not in ("if", "unless") or not condition.strip():
                    raise TokenError(at, f"unsupported block '{{{{{body}}}}}'.",
                                     "Only {{#if path}} and {{#unless path}} blocks are supported.")
                block = _Block(kind, condition.strip(), [], [])
                target().append(block)
                stack.append(block)
            elif body == "else":
                if not stack or stack[-1].in_else:
                    raise TokenError(at, "'{{else}}' outside an #if or #unless block.",
                                     "Open the block with {{#if path}} first.")
                stack[-1].in_else = True
            elif body.startswith("/"):
                if not stack or stack[-1].kind != body[1:].strip():
                    raise TokenError(at, f"'{{{{{body}}}}}' closes no open block.",
                                     "Match every {{#if}} with {{/if}} and {{#unless}} with {{/unless}}.")
                stack.pop()
            else:
                target().append(_Ref(body))
        target().append(text[pos:])
        if stack:
            raise TokenError(at, f"'{{{{#{stack[-1].kind}}}}}' is never closed.",
                             f"Add {{{{/{stack[-1].kind}}}}}.")
        return self._emit(root, at)

    def _emit(self, parts: list, at: KeyPath) -> str:
        out = []
        for part in parts:
            if isinstance(part, str):
                out.append(part)
            elif isinstance(part, _Ref):
                value = self._resolve(part.ref, at, required=True)
                out.append("" if value is None else _scalar_text(value))
            else:
                truthy = bool(self._resolve(part.condition, at, required=False))
                if part.kind == "unless":
                    truthy = not truthy
                out.append(self._emit(part.then if truthy else part.otherwise, at))
        return "".join(out)


@dataclass(frozen=True)
class _Ref:
    ref: str


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _cycle_error(members: list[KeyPath]) -> TokenError:
    """One error per cycle, named from its smallest member, whichever value led into it."""
    start = min(range(len(members)), key=lambda i: dotted(members[i]))
    ring = [*members[start:], *members[:start]]
    chain = " -> ".join(dotted(p) for p in [*ring, ring[0]])
    return TokenError(ring[0], f"token cycle: {chain}.",
                      "Break the cycle: one of these values must not refer back.")


def _ref_path(data: Any, ref: str) -> KeyPath:
    """`a.b.0` -> ('a', 'b', 0): a number is a list index only where the value is a list
    (mapping keys stay strings, as the YAML reader makes every key a string)."""
    parts: list[str | int] = []
    node = data
    for segment in ref.split("."):
        part: str | int = int(segment) if isinstance(node, list) and segment.isdigit() else segment
        parts.append(part)
        try:
            node = _lookup(node, (part,))
        except KeyError:
            node = None
    return tuple(parts)


def _lookup(data: Any, path: KeyPath) -> Any:
    node = data
    for part in path:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            raise KeyError(part)
    return node


def expand_tokens(data: Any) -> tuple[Any, list[TokenError]]:
    return TokenExpander(data).expand_all()
