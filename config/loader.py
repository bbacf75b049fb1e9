"""From files to a validated, frozen LandingZoneConfig, in one direction:

YAML with positions -> local override and stack overrides merged -> tokens expanded ->
policy files read -> pydantic structure -> cross-reference rules. No network I/O anywhere.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from config.documents import DocumentError, read_document
from config.errors import ConfigError, Problem, Severity, did_you_mean
from config.merge import deep_merge
from config.model import LandingZoneConfig
from config.rules import check
from config.source import Located, read_yaml
from config.tokens import expand_tokens

DEFAULT_CONFIG = Path(__file__).resolve().parent / "organization.yaml"
STACK_OVERRIDES = "Pulumi stack config landing-zone:overrides"


@dataclass(frozen=True)
class Loaded:
    config: LandingZoneConfig
    path: Path
    files: tuple[str, ...]
    warnings: tuple[Problem, ...] = field(default=())

    @property
    def base_dir(self) -> Path:
        return self.path.parent


def local_override_path(path: Path, data: dict) -> Path | None:
    """`organization.local.yaml` beside the file, or Metastructure's `config_override_path`."""
    candidates = [path.with_name(f"{path.stem}.local{path.suffix}")]
    named = data.get("config_override_path") if isinstance(data, dict) else None
    if isinstance(named, str):
        candidates += [path.parent / named, Path.cwd() / named]
    return next((c for c in candidates if c.is_file()), None)


def load(path: str | Path | None = None, *, overrides: dict[str, Any] | None = None,
         use_local: bool = True) -> Loaded:
    path = Path(path) if path else DEFAULT_CONFIG
    located = read_yaml(path)
    unquoted = _unquoted_ids(located)
    files = [str(path)]
    if not isinstance(located.data, dict):
        raise ConfigError([Problem("LZ104", (), "the file must be a YAML mapping of sections.",
                                   "Start from config/organization.yaml.", file=str(path), line=1)])
    local = local_override_path(path, located.data) if use_local else None
    if local is not None:
        layer = read_yaml(local)
        unquoted += _unquoted_ids(layer)
        if isinstance(layer.data, dict):
            located = deep_merge(located, layer)
            files.append(str(local))
    if overrides:
        # Every overridden key is placed in the stack config, so its errors name the stack
        # config rather than the base file line of its parent.
        lines = {key_path: (STACK_OVERRIDES, None) for key_path in _key_paths(overrides)}
        layer = Located(data=overrides, lines=lines)
        located = deep_merge(located, layer)
        files.append(STACK_OVERRIDES)

    data, token_errors = expand_tokens(located.data)
    problems = unquoted + [Problem("LZ110", e.path, e.message, e.fix) for e in token_errors]
    problems += _read_policy_files(data, path.parent)

    config = None
    if not problems:
        try:
            config = LandingZoneConfig.model_validate(data)
        except ValidationError as exc:
            reported = {p.key_path for p in unquoted}  # said once, as "quote it"
            problems += [p for p in _from_pydantic_errors(exc.errors(), data)
                         if p.key_path not in reported]
    if config is not None:
        problems += check(config)

    placed = [_place(p, located) for p in problems]
    if any(p.severity is Severity.ERROR for p in placed):
        raise ConfigError(sorted(placed, key=_order))
    return Loaded(config=config, path=path, files=tuple(files),
                  warnings=tuple(sorted(placed, key=_order)))


def _unquoted_ids(located: Located) -> list[Problem]:
    """An unquoted id that is a number to YAML: PyYAML drops leading zeros of some (012 is
    octal) and keeps others as text, YAML 1.2 tools (editors checking the JSON Schema) read
    all of them as numbers. Ids are text: say so where it is written."""
    problems = []
    for key_path, text in located.numbers.items():
        if key_path[-1] == "id":
            file, line = located.lines[key_path]
            problems.append(Problem("LZ317", key_path, f"id {text} is not quoted, so YAML reads "
                                    "a number, not the id's text.", f"Quote it: id: '{text}'.",
                                    file=file, line=line))
    return problems


def _order(p: Problem) -> tuple:
    return (p.file or "", p.line or 0, p.code, p.path)


def _place(problem: Problem, located: Located) -> Problem:
    if problem.file is not None:
        return problem
    file, line = located.where(problem.key_path)
    return Problem(problem.code, problem.key_path, problem.message, problem.fix,
                   problem.severity, file, line)


# Where a JSON file may stand for a policy document: (section, field naming the file, field
# that receives the document, problem code for a file that cannot be read).
POLICY_FILES = (
    (("sso", "policies"), "document_file", "document", "LZ211"),
    (("sso", "permission_sets"), "inline_policy", "inline_policy", "LZ211"),
    (("guardrails", "custom"), "document_file", "document", "LZ255"),
)


def _read_policy_files(data: dict, base_dir: Path) -> list[Problem]:
    """Replace `document_file` / file-path `inline_policy` with the documents they name."""
    problems: list[Problem] = []
    for section, field_name, target, code in POLICY_FILES:
        items: Any = data
        for part in section:
            items = items.get(part) if isinstance(items, dict) else None
        for key, item in (items.items() if isinstance(items, dict) else ()):
            ref = item.get(field_name) if isinstance(item, dict) else None
            if not isinstance(ref, str):
                continue
            try:
                item[target] = read_document(base_dir, ref)
            except DocumentError as exc:
                problems.append(Problem(code, (*section, key, field_name), exc.message, exc.fix))
    return problems


def _key_paths(data: Any, path: tuple = ()) -> list[tuple]:
    """Every key path in plain data, the root included."""
    out = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _key_paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            out += _key_paths(value, (*path, index))
    return out


def _from_pydantic_errors(errors: list[dict], data: Any) -> list[Problem]:
    """Pydantic's errors as problems. A value that fits no member of a union (`str | int`)
    makes one problem naming every accepted type, not one problem per member."""
    problems: list[Problem] = []
    wrong_type: dict[tuple, list[dict]] = {}
    for err in errors:
        path = _data_path(err["loc"], data, err["type"])
        if err["type"] == "extra_forbidden":
            allowed = _allowed_keys(path[:-1])
            problems.append(Problem(
                "LZ120", path, f"unknown key '{path[-1]}'.",
                did_you_mean(path[-1], allowed) + " Unknown keys are rejected so typos never "
                "pass silently."))
        elif err["type"] == "missing":
            problems.append(Problem("LZ121", path, f"required key '{path[-1]}' is missing.",
                                    "Add it (see docs/configuration.md)."))
        else:
            wrong_type.setdefault(path, []).append(err)
    for path, group in wrong_type.items():
        wanted = [_lower_first(e["msg"]) for e in group]
        if len(wanted) > 1 and all(w.startswith(_SHOULD_BE) for w in wanted):
            wanted = [_SHOULD_BE + ", ".join(w[len(_SHOULD_BE):] for w in wanted[:-1])
                      + " or " + wanted[-1][len(_SHOULD_BE):]]
        got = _short(group[0].get("input"))
        problems.append(Problem("LZ122", path, f"{'; '.join(wanted)} (got {got}).",
                                "Fix the value's type or spelling (see docs/configuration.md)."))
    return problems


_SHOULD_BE = "input should be "


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _data_path(loc: tuple, data: Any, kind: str) -> tuple:
    """Pydantic's location minus its union-member tags ('str', 'dict[str,any]'), checked
    against the data; only a missing key is named although the data lacks it."""
    path: list = []
    node = data
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        if isinstance(node, dict) and part in node:
            node = node[part]
            path.append(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            path.append(part)
        elif last and kind == "missing":
            path.append(part)
    return tuple(path)


def _allowed_keys(path: tuple) -> list[str]:
    """Field names of the model at a data path (dict keys along the way are skipped)."""
    annotation: Any = LandingZoneConfig
    for part in path:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field_info = annotation.model_fields.get(part)
            if field_info is None:
                return []
            annotation = field_info.annotation
        elif typing.get_origin(annotation) is dict:
            annotation = typing.get_args(annotation)[1]
        else:
            return []
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """`Model | None` -> Model."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        return args[0]
    return annotation
