"""The checked-in JSON Schema: current with the model, and as permissive as the loader for
the YAML shorthands, so editors never flag a file that `./lz validate` accepts."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from config import ConfigError, schema


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    document = json.loads(schema.SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(document)
    return jsonschema.Draft202012Validator(document)


def messages(validator, data) -> list[str]:
    return sorted(f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
                  for e in validator.iter_errors(data))


def test_committed_schema_is_current(capsys):
    """CI runs the same check: a model change without a regenerated schema fails here."""
    assert schema.main(["--check"]) == 0, "run `venv/bin/python -m config.schema` and commit"
    assert capsys.readouterr().out == f"{schema.SCHEMA_PATH} is up to date.\n"


def test_check_reports_a_stale_file(tmp_path, capsys):
    stale = tmp_path / "organization.schema.json"
    stale.write_text(schema.render().replace("Accounts by key.", "Accounts."), encoding="utf-8")
    assert schema.main(["--check", "--output", str(stale)]) == 1
    assert capsys.readouterr().err == (
        f"{stale} is stale: the model changed. Run `venv/bin/python -m config.schema` and commit "
        "the result.\n")
    assert schema.main(["--check", "--output", str(tmp_path / "missing.json")]) == 1


def test_write_then_check(tmp_path, capsys):
    target = tmp_path / "organization.schema.json"
    assert schema.main(["--output", str(target)]) == 0
    assert capsys.readouterr().out == f"wrote {target}\n"
    assert schema.is_current(target)
    assert target.read_text(encoding="utf-8").endswith("}\n")


def test_header_and_stable_order():
    rendered = schema.render()
    document = json.loads(rendered)
    assert list(document)[:3] == ["$schema", "title", "description"]
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert list(document["$defs"]) == sorted(document["$defs"])
    assert rendered == schema.render()


def test_the_example_modeline_points_at_the_schema(example_path):
    first_line = example_path.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=./organization.schema.json"
    assert (example_path.parent / "organization.schema.json") == schema.SCHEMA_PATH


def test_the_example_is_valid(validator, example_path):
    assert messages(validator, yaml.safe_load(example_path.read_text(encoding="utf-8"))) == []


def test_the_metastructure_file_is_valid(validator, metastructure_path):
    data = yaml.safe_load(metastructure_path.read_text(encoding="utf-8"))
    assert messages(validator, data) == []


def org(sso: dict) -> dict:
    return {"organization": {"aws_region": "us-east-1"},
            "accounts": {"master": {"name": "M", "email": "m@example.com"}}, "sso": sso}


@pytest.mark.parametrize("value", [
    "admin", ["admin", "read"], {"dev": "admin", "ou:work": ["admin", "read"], "*": "read"}, None,
])
def test_account_permission_set_shapes(validator, value):
    group = {"name": "G", "account_permission_sets": value}
    user = {"email": "u@example.com", "name": {"given_name": "U", "family_name": "V"},
            "account_permission_sets": value}
    assert messages(validator, org({"groups": {"g": group}, "users": {"u": user}})) == []


@pytest.mark.parametrize("value", ["admins", ["admins", "ops"], None])
def test_groups_and_policies_shapes(validator, value):
    user = {"email": "u@example.com", "name": {"given_name": "U", "family_name": "V"},
            "groups": value}
    permission_set = {"name": "P", "policies": value}
    assert messages(validator, org({"users": {"u": user}, "permission_sets": {"p": permission_set}})) == []


def test_the_schema_rejects_what_the_loader_rejects(validator):
    """Not vacuous: typos and wrong shapes are flagged in the editor too."""
    data = org({"groups": {"g": {"name": "G", "account_permission_sets": 5, "colour": "x"}},
                "permission_sets": {"p": {"name": "P", "policies": {"a": "b"}}}})
    data["accounts"]["master"]["emial"] = data["accounts"]["master"].pop("email")
    data["organization"]["aws_region"] = ["us-east-1"]
    assert messages(validator, data) == [
        "accounts.master: 'email' is a required property",
        "accounts.master: Additional properties are not allowed ('emial' was unexpected)",
        "organization.aws_region: ['us-east-1'] is not of type 'string'",
        "sso.groups.g.account_permission_sets: 5 is not valid under any of the given schemas",
        "sso.groups.g: Additional properties are not allowed ('colour' was unexpected)",
        "sso.permission_sets.p.policies: {'a': 'b'} is not valid under any of the given schemas",
    ]


SHAPES = ["admin", ["admin", "read"], {"master": "admin"}, {"master": ["admin"]}, None, 5,
          {"master": None}, {"master": 5}, [5], {"a": {"b": "c"}}, True]


@pytest.mark.parametrize("value", SHAPES)
@pytest.mark.parametrize("field", ["account_permission_sets", "groups", "policies"])
def test_schema_and_loader_agree_on_shapes(validator, load_text, field, value):
    """What the editor accepts, the loader accepts, and the other way round."""
    data = {"organization": {"aws_region": "us-east-1", "key_accounts": {"master": "master"}},
            "accounts": {"master": {"name": "M", "email": "m@example.com"}},
            "sso": {"permission_sets": {"admin": {"name": "Admin"}, "read": {"name": "Read"}},
                    "groups": {"admin": {"name": "A"}, "read": {"name": "R"}},
                    "policies": {"admin": {"name": "PA", "document": {"Statement": []}},
                                 "read": {"name": "PR", "document": {"Statement": []}}}}}
    user = {"email": "u@example.com", "name": {"given_name": "U", "family_name": "V"}, field: value}
    if field == "policies":
        data["sso"]["permission_sets"]["p"] = {"name": "P", "policies": value}
    else:
        data["sso"]["users"] = {"u": user}
    schema_accepts = messages(validator, data) == []
    try:
        load_text(yaml.safe_dump(data))
        loader_accepts = True
    except ConfigError as exc:
        assert {p.code for p in exc.problems} == {"LZ122"}, str(exc)
        loader_accepts = False
    assert schema_accepts == loader_accepts
