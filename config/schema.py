"""The JSON Schema of the organization YAML, generated from the model and checked in.

Editors read it through the modeline of config/organization.yaml
(`# yaml-language-server: $schema=./organization.schema.json`) to complete keys and flag typos
while typing. The model is the single source of truth: regenerate after changing it.

    venv/bin/python -m config.schema            # write config/organization.schema.json
    venv/bin/python -m config.schema --check    # exit 1 when the committed file is stale (CI)

The schema checks shape only (keys, types, the YAML shorthands); references, limits and
everything built from tokens are checked by `./lz validate`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from config.generated import generator_main

from config.model import LandingZoneConfig

SCHEMA_PATH = Path(__file__).resolve().parent / "organization.schema.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"  # the dialect pydantic generates
TITLE = "landing-zone organization config"
DESCRIPTION = ("One AWS Organization as YAML: organization, organizational_units, accounts, sso "
               "and landing-zone's own sections; a superset of Metastructure's format. "
               "Generated from config.model by `python -m config.schema`: do not edit.")


def schema() -> dict[str, Any]:
    generated = LandingZoneConfig.model_json_schema()
    generated.pop("title", None)
    generated.pop("description", None)
    defs = generated.pop("$defs", {})
    # Pydantic emits properties in field order (the order the docs use); the header and the
    # definitions get a fixed order here, so the file only changes when the model does.
    return {"$schema": DIALECT, "title": TITLE, "description": DESCRIPTION, **generated,
            "$defs": {name: defs[name] for name in sorted(defs)}}


def render() -> str:
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"


def is_current(path: Path = SCHEMA_PATH) -> bool:
    try:
        return path.read_text(encoding="utf-8") == render()
    except FileNotFoundError:
        return False


def main(argv: list[str] | None = None) -> int:
    return generator_main(argv, prog="-m config.schema", description=__doc__.split("\n")[0],
                          path=SCHEMA_PATH, render=lambda _: render(),
                          why_stale="the model changed")


if __name__ == "__main__":
    sys.exit(main())
