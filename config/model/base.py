"""Shared model settings: unknown keys are errors, loaded configs are immutable."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _as_list(value: Any) -> Any:
    """YAML shorthand: a single value stands for a list of one."""
    if value is None:
        return []
    if isinstance(value, (str, int)):
        return [value]
    return value


StrList = Annotated[list[str], BeforeValidator(_as_list)]
Tags = dict[str, str]
