"""Deep merge of override layers (the local file, then stack overrides) over the base file."""

from __future__ import annotations

from typing import Any

from config.source import KeyPath, Located


def deep_merge(base: Located, override: Located) -> Located:
    """Mappings merge key by key; any other value (lists included) replaces the base value.

    Positions follow the values: an error in an overridden key points at the override file.
    Each value's positions are copied from the layer it came from, in one pass over the result
    (linear: a local file overriding every account's email stays fast).
    """
    lines: dict[KeyPath, tuple] = {}

    def take(layer: Located, value: Any, path: KeyPath) -> Any:
        if path in layer.lines:
            lines[path] = layer.lines[path]
        if isinstance(value, dict):
            for key, item in value.items():
                take(layer, item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                take(layer, item, (*path, index))
        return value

    def merge(a: Any, b: Any, path: KeyPath) -> Any:
        if not (isinstance(a, dict) and isinstance(b, dict)):
            return take(override, b, path)
        if path in base.lines:  # a merged mapping stays where the base file defines it
            lines[path] = base.lines[path]
        out = {key: merge(value, b[key], (*path, key)) if key in b else take(base, value, (*path, key))
               for key, value in a.items()}
        for key, value in b.items():
            if key not in a:
                out[key] = take(override, value, (*path, key))
        return out

    data = merge(base.data, override.data, ())
    return Located(data=data, lines=lines)
