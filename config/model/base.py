"""Shared model settings: unknown keys are errors, loaded configs are immutable."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, WithJsonSchema


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _as_list(value: Any) -> Any:
    """YAML shorthand: a single value stands for a list of one."""
    if value is None:
        return []
    if isinstance(value, (str, int)):
        return [value]
    return value


# The JSON Schema describes what the YAML may say (the shorthand included), not the normalized
# list, so editors accept `groups: admins` as the loader does.
def str_or_list_schema(*, nullable: bool = True) -> dict[str, Any]:
    """`key` or `[key, ...]` (or nothing); a fresh dict, as pydantic adds titles to it."""
    shapes: list[dict[str, Any]] = [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
    return {"anyOf": [*shapes, {"type": "null"}] if nullable else shapes}


StrList = Annotated[list[str], BeforeValidator(_as_list), WithJsonSchema(str_or_list_schema())]
Tags = dict[str, str]
