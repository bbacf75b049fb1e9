"""The Pulumi program: load the organization config, build the landing zone, export its outputs.

Stack settings: `landing-zone:config` (the YAML, relative to this directory) and
`landing-zone:overrides` (an object deep-merged over it, for this stack only). `./lz` reads the
same settings from Pulumi.<stack>.yaml and loads through the same `config.load_stack`.
"""

from __future__ import annotations

from pathlib import Path

import pulumi

from components import build
from config import ConfigError, LandingZoneConfig, StackSettings, load_stack

PROJECT_DIR = Path(__file__).resolve().parent


def stack_settings() -> StackSettings:
    """The settings the engine hands the program (objects arrive as JSON strings)."""
    landing_zone, aws = pulumi.Config("landing-zone"), pulumi.Config("aws")
    stack = pulumi.get_stack()
    return StackSettings(name=stack, source=f"Pulumi.{stack}.yaml",
                         config_path=landing_zone.get("config"),
                         overrides=landing_zone.get("overrides"),
                         aws_region=aws.get("region"), aws_profile=aws.get("profile"))


def load_stack_config() -> LandingZoneConfig:
    """The config this stack names; bad input fails with every problem, not a traceback."""
    try:
        loaded = load_stack(stack_settings(), PROJECT_DIR)
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
