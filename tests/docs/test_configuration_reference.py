"""docs/configuration.md is generated from the model and fails the suite when stale."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
import yaml

from config.model import LandingZoneConfig

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "configuration.md"


def _load_generator():
    # docs/ is not a package (nothing at runtime imports it); load the script by path.
    spec = importlib.util.spec_from_file_location("gen_config_reference",
                                                  ROOT / "docs" / "gen_config_reference.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while decorating
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


def test_committed_page_matches_the_model():
    assert PAGE.read_text(encoding="utf-8") == gen.render(), (
        "docs/configuration.md is stale: run `venv/bin/python docs/gen_config_reference.py` "
        "and commit the result")


def _schema_paths(node: dict, defs: dict, path: str, out: set[str]) -> None:
    """Every key path, found from the JSON Schema: a walk independent of the generator's."""
    if "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[1]]
    for shape in node.get("anyOf", []):
        _schema_paths(shape, defs, path, out)
    for key, child in node.get("properties", {}).items():
        child_path = f"{path}.{key}" if path else key
        out.add(child_path)
        _schema_paths(child, defs, child_path, out)
    values = node.get("additionalProperties")
    if isinstance(values, dict) and path:
        _schema_paths(values, defs, f"{path}.<*>", out)


def test_every_key_path_is_documented():
    schema = LandingZoneConfig.model_json_schema()
    paths: set[str] = set()
    _schema_paths(schema, schema.get("$defs", {}), "", paths)
    documented = set(re.findall(r"^\| `([^`]+)` \|", PAGE.read_text(encoding="utf-8"), re.M))
    # The page names map keys (<account>, <ou>, ...); the schema walk only knows "a key".
    normalized = {re.sub(r"<[^>]+>", "<*>", p) for p in documented}
    assert len(paths) > 50
    assert sorted(paths - normalized) == []
    assert sorted(normalized - paths) == []


def test_every_field_has_a_meaning():
    assert gen.UNDOCUMENTED not in gen.render()


def test_every_model_docstring_example_is_on_the_page_and_is_yaml():
    page = PAGE.read_text(encoding="utf-8")
    examples = [s.model.__doc__ for s in gen.sections() if s.model.__doc__ and "```yaml" in s.model.__doc__]
    assert len(examples) >= 8
    blocks = re.findall(r"```yaml\n(.*?)```", page, re.S)
    for block in blocks:
        assert isinstance(yaml.safe_load(block), dict), block
    for doc in examples:
        example = re.search(r"```yaml\n(.*?)```", gen.docstring_of(doc), re.S).group(1)
        assert example in blocks


@pytest.mark.parametrize("node, text", [
    ({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}},
                {"type": "null"}]}, "string or list of strings"),
    ({"type": "object", "additionalProperties": {"anyOf": [
        {"type": "string"}, {"type": "array", "items": {"type": "string"}}]}},
     "map of (string or list of strings)"),
    ({"type": "integer", "minimum": 60, "maximum": 3600}, "integer (≥ 60, ≤ 3600)"),
    ({"enum": ["remove"]}, "`remove`"),
    ({"type": "object", "additionalProperties": True}, "map"),
])
def test_type_rendering(node, text):
    assert gen.render_type(node, {}) == text


def test_check_mode_reports_stale_and_current(tmp_path, capsys):
    out = tmp_path / "configuration.md"
    out.write_text("# old\n", encoding="utf-8")
    assert gen.main(["--check", "--output", str(out)]) == 1
    assert "is stale" in capsys.readouterr().err
    assert gen.main(["--output", str(out)]) == 0
    assert gen.main(["--check", "--output", str(out)]) == 0
