"""The Pulumi program: load the organization config, build the landing zone, export its outputs.

Stack settings: `landing-zone:config` (the YAML, relative to this directory) and
`landing-zone:overrides` (an object deep-merged over it, for this stack only).
"""

from __future__ import annotations

from pathlib import Path

import pulumi

from components import build
from config import ConfigError, LandingZoneConfig, load

PROJECT_DIR = Path(__file__).resolve().parent
DEFAULT_CONFIG = "config/organization.yaml"


def load_stack_config() -> LandingZoneConfig:
    """The config this stack names; bad input fails with every problem, not a traceback."""
    settings = pulumi.Config("landing-zone")
    path = PROJECT_DIR / (settings.get("config") or DEFAULT_CONFIG)
    overrides = settings.get_object("overrides")
    if overrides is not None and not isinstance(overrides, dict):
        raise pulumi.RunError("landing-zone:overrides must be an object (a YAML mapping of "
                              "config sections), e.g. {organization: {tokens: {...}}}.")
    try:
        loaded = load(path, overrides=overrides)
    except ConfigError as error:
        count = len(error.errors)
        raise pulumi.RunError(f"{count} error{'s' if count != 1 else ''} in the landing-zone "
                              f"config; nothing was changed:\n{error}") from None
    for problem in loaded.warnings:
        pulumi.log.warn(problem.render())
    return loaded.config


def main() -> None:
    for key, value in build(load_stack_config()).items():
        pulumi.export(key, value)


main()
