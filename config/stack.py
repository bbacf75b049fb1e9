"""A Pulumi stack's settings, and the one loader `pulumi up` and every `./lz` command share.

`__main__.py` gets the settings from the Pulumi engine, `./lz` reads them from
`Pulumi.<stack>.yaml` (and `Pulumi.yaml`'s project defaults) the way the engine would; both
then load the organization config through `load_stack`, so the offline plan, preflight and
verify check the very emails, bucket names and region that `pulumi up` builds.

The home region has one source of truth: `organization.aws_region`. Every provider takes it
from there, so the stack file needs no `aws:region`; one that names another region is an
error (LZ132), since `aws:region` would otherwise silently steer the management account's
lookups and resources into another region than the config's ARNs and policies expect.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from config.errors import ConfigError, Problem
from config.loader import Loaded, load
from config.source import read_yaml

PROJECT = "landing-zone"
DEFAULT_STACK = "bootstrap"
DEFAULT_CONFIG = "config/organization.yaml"
CONFIG_KEY, OVERRIDES_KEY = f"{PROJECT}:config", f"{PROJECT}:overrides"
REGION_KEY, PROFILE_KEY = "aws:region", "aws:profile"
SECURE = "secure"


@dataclass(frozen=True)
class StackSettings:
    """What a stack tells the program: `landing-zone:*` and the `aws:` settings it uses."""

    name: str = DEFAULT_STACK
    source: str = f"Pulumi.{DEFAULT_STACK}.yaml"
    """Where the settings come from, for messages."""
    config_path: str | None = None
    """`landing-zone:config`: the organization YAML, relative to the project directory."""
    overrides: Any = None
    """`landing-zone:overrides`: an object deep-merged over the YAML for this stack."""
    aws_region: str | None = None
    aws_profile: str | None = None
    lines: dict[str, int] = field(default_factory=dict)
    """Line of each key in `source`, when read from a file."""

    def problem(self, code: str, key: str, message: str, fix: str) -> Problem:
        return Problem(code, (key,), message, fix, file=self.source, line=self.lines.get(key))

    @property
    def config_arguments(self) -> dict[str, Any]:
        """The settings as the engine hands them to the program (`pulumi.Config`)."""
        values = {CONFIG_KEY: self.config_path, OVERRIDES_KEY: self.overrides,
                  REGION_KEY: self.aws_region, PROFILE_KEY: self.aws_profile}
        return {key: value for key, value in values.items() if value is not None}


def read_stack_file(project_dir: Path, stack: str = DEFAULT_STACK, *,
                    required: bool = False) -> StackSettings:
    """`Pulumi.<stack>.yaml` over the project's config defaults in `Pulumi.yaml`, as the
    engine reads them. A stack without a file has no settings (Pulumi allows that); with
    `required`, a missing file is an error (a misspelt `--stack`)."""
    path = project_dir / f"Pulumi.{stack}.yaml"
    values = _project_defaults(project_dir / "Pulumi.yaml")
    lines: dict[str, int] = {}
    if path.is_file():
        located = read_yaml(path)
        section = located.data.get("config") if isinstance(located.data, dict) else None
        if section is not None and not isinstance(section, dict):
            raise ConfigError([Problem("LZ130", ("config",), "the stack's `config` must be a "
                                       "mapping of settings.", "See Pulumi.bootstrap.yaml.",
                                       file=path.name, line=located.where(("config",))[1])])
        values.update(section or {})
        lines = {key: located.where(("config", key))[1] for key in section or {}}
    elif required:
        stacks = sorted(p.name[len("Pulumi."):-len(".yaml")]
                        for p in project_dir.glob("Pulumi.*.yaml"))
        raise ConfigError([Problem(
            "LZ130", (), f"no stack settings for stack '{stack}' ({path.name} not found).",
            f"Stacks with settings here: {', '.join(stacks) or 'none'}. Pass one of them to "
            "--stack, or create the file (`pulumi stack init`).", file=str(path))])
    settings = StackSettings(
        name=stack, source=path.name, config_path=values.get(CONFIG_KEY),
        overrides=values.get(OVERRIDES_KEY), aws_region=values.get(REGION_KEY),
        aws_profile=values.get(PROFILE_KEY), lines=lines)
    problems = [settings.problem("LZ131", key, f"{key} holds a secret (`secure:`) at "
                                 f"{where or 'its top'}, which only the Pulumi engine can decrypt.",
                                 "Nothing in the landing-zone config is secret: set it in plain "
                                 "text (`pulumi config set --path ...` without --secret).")
                for key in (CONFIG_KEY, OVERRIDES_KEY, REGION_KEY, PROFILE_KEY)
                for where in _secure_paths(values.get(key))]
    if problems:
        raise ConfigError(problems)
    return settings


def _project_defaults(path: Path) -> dict[str, Any]:
    """`config:` of Pulumi.yaml: `key: {default: ...}` or `{value: ...}`, or a bare value; a
    key without namespace belongs to the project."""
    data = read_yaml(path).data if path.is_file() else None
    section = data.get("config") if isinstance(data, dict) else None
    out: dict[str, Any] = {}
    for key, spec in (section.items() if isinstance(section, dict) else ()):
        name = key if ":" in key else f"{PROJECT}:{key}"
        if isinstance(spec, dict) and ("value" in spec or "default" in spec):
            out[name] = spec.get("value", spec.get("default"))
        elif not isinstance(spec, dict):
            out[name] = spec
    return out


def _secure_paths(value: Any, path: str = "") -> list[str]:
    """Where a stack value holds `{secure: ...}`, the form Pulumi stores secrets in."""
    if isinstance(value, dict):
        if set(value) == {SECURE}:
            return [path]
        return [p for key, item in value.items()
                for p in _secure_paths(item, f"{path}.{key}" if path else str(key))]
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in _secure_paths(item, f"{path}[{index}]")]
    return []


def load_stack(settings: StackSettings, project_dir: Path, *, path: str | Path | None = None,
               use_local: bool = True) -> Loaded:
    """The organization config as this stack deploys it: `path` (default: the stack's
    `landing-zone:config`) with the stack's overrides merged, and the home region checked
    against the stack's `aws:region`."""
    overrides = _overrides(settings)
    config_path = Path(path) if path else project_dir / (settings.config_path or DEFAULT_CONFIG)
    loaded = load(config_path, overrides=overrides, use_local=use_local)
    home = loaded.config.organization.aws_region
    if settings.aws_region and settings.aws_region != home:
        raise ConfigError([settings.problem(
            "LZ132", REGION_KEY, f"the stack's aws:region is {settings.aws_region}, but the "
            f"config's home region (organization.aws_region) is {home}.",
            f"The config is the one source of the home region: delete aws:region from "
            f"{settings.source} (`pulumi config rm aws:region -s {settings.name}`), or set "
            f"organization.aws_region to {settings.aws_region} if that is where IAM Identity "
            "Center runs.")])
    return loaded


def _overrides(settings: StackSettings) -> dict[str, Any] | None:
    """`landing-zone:overrides` as an object. `pulumi config set` without `--path` stores an
    object as a JSON string, which the engine parses (`Config.get_object`); so do we."""
    value = settings.overrides
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            value = None if not value.strip() else value
    if value is None or isinstance(value, dict):
        return value or None
    raise ConfigError([settings.problem(
        "LZ130", OVERRIDES_KEY, f"{OVERRIDES_KEY} must be an object (a mapping of config "
        f"sections), not {type(value).__name__}.",
        "e.g. `pulumi config set --path 'landing-zone:overrides.organization.tokens.namespace' "
        "acme-staging`.")])
