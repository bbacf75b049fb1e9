"""Deep merge of override layers (the local file, then stack overrides) over the base file."""

from __future__ import annotations

from typing import Any

from config.source import KeyPath, Located


def deep_merge(base: Located, override: Located) -> Located:
    """Mappings merge key by key; any other value (lists included) replaces the base value.

    Positions follow the values: an error in an overridden key points at the override file.
    """
    lines = dict(base.lines)

    def merge(a: Any, b: Any, path: KeyPath) -> Any:
        if isinstance(a, dict) and isinstance(b, dict):
            out = dict(a)
            for key, value in b.items():
                child = (*path, key)
                out[key] = merge(a.get(key), value, child) if key in a else value
                if key not in a or not (isinstance(a[key], dict) and isinstance(value, dict)):
                    _replace_lines(lines, override.lines, child)
            return out
        return b

    data = merge(base.data, override.data, ())
    return Located(data=data, lines=lines)


def _replace_lines(lines: dict, source: dict, prefix: KeyPath) -> None:
    n = len(prefix)
    for key in [k for k in lines if k[:n] == prefix]:
        del lines[key]
    for key, value in source.items():
        if key[:n] == prefix:
            lines[key] = value
