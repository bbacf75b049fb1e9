"""config.stack: Pulumi.<stack>.yaml read as the engine reads it, and the one loader that
`__main__.py` and every `./lz` command share (issue 11, items 1 and 6)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from config import ConfigError, StackSettings, load_stack, read_stack_file

REPO = Path(__file__).resolve().parents[2]
CONFIG = """\
organization:
  aws_region: eu-west-1
  key_accounts: {master: master}
  tokens: {namespace: acme}
accounts:
  master: {name: Management, email: management@example.invalid}
"""


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "Pulumi.yaml").write_text((REPO / "Pulumi.yaml").read_text())
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "organization.yaml").write_text(CONFIG)
    return tmp_path


def write_stack(project: Path, body: str, stack: str = "bootstrap") -> None:
    (project / f"Pulumi.{stack}.yaml").write_text(textwrap.dedent(body))


@pytest.mark.parametrize(("body", "expected"), [
    # objects as `pulumi config set --path` stores them
    ("config:\n  landing-zone:overrides:\n    organization:\n      tokens: {namespace: x}\n",
     {"organization": {"tokens": {"namespace": "x"}}}),
    # an object set without --path is a JSON string, which Config.get_object parses
    ("config:\n  landing-zone:overrides: '{\"organization\": {\"tokens\": {\"namespace\": \"x\"}}}'\n",
     {"organization": {"tokens": {"namespace": "x"}}}),
    ("config:\n  aws:profile: admin\n", None),
    ("secretsprovider: passphrase\n", None),
])
def test_overrides_are_read_as_the_engine_reads_them(project, body, expected):
    write_stack(project, body)
    loaded = load_stack(read_stack_file(project), project, use_local=False)
    namespace = (expected or {"organization": {"tokens": {"namespace": "acme"}}})[
        "organization"]["tokens"]["namespace"]
    assert loaded.config.organization.tokens["namespace"] == namespace


def test_project_defaults_fill_what_the_stack_file_leaves_out(project):
    assert read_stack_file(project, "bootstrap").config_path == "config/organization.yaml"


@pytest.mark.parametrize(("body", "code", "line", "message"), [
    ("config:\n  landing-zone:overrides:\n    secure: AAABAExample\n", "LZ131", 2,
     "landing-zone:overrides: landing-zone:overrides holds a secret (`secure:`) at its top, "
     "which only the Pulumi engine can decrypt."),
    ("config:\n  aws:profile: admin\n  landing-zone:overrides:\n    organization:\n"
     "      tokens:\n        namespace: {secure: AAABAExample}\n", "LZ131", 3,
     "landing-zone:overrides holds a secret (`secure:`) at organization.tokens.namespace"),
    ("config:\n  landing-zone:overrides: [a, b]\n", "LZ130", 2,
     "landing-zone:overrides must be an object (a mapping of config sections), not list."),
    ("config:\n  landing-zone:overrides: not json\n", "LZ130", 2,
     "landing-zone:overrides must be an object"),
    ("config:\n  aws:profile: admin\n  aws:region: us-east-1\n", "LZ132", 3,
     "aws:region: the stack's aws:region is us-east-1, but the config's home region "
     "(organization.aws_region) is eu-west-1."),
])
def test_bad_stack_settings_name_the_stack_file_line_and_fix(project, body, code, line, message):
    write_stack(project, body)
    with pytest.raises(ConfigError) as caught:
        load_stack(read_stack_file(project), project, use_local=False)
    [problem] = caught.value.problems
    assert (problem.code, problem.file, problem.line) == (code, "Pulumi.bootstrap.yaml", line)
    assert message in problem.render()
    assert problem.fix


def test_a_stack_region_equal_to_the_home_region_is_accepted(project):
    write_stack(project, "config:\n  aws:region: eu-west-1\n")
    settings = read_stack_file(project)
    assert load_stack(settings, project).config.organization.aws_region == "eu-west-1"
    assert settings.config_arguments["aws:region"] == "eu-west-1"


def test_a_named_stack_must_have_settings(project):
    write_stack(project, "config: {}\n", stack="staging")
    assert read_stack_file(project, "prod") == StackSettings(
        name="prod", source="Pulumi.prod.yaml", config_path="config/organization.yaml")
    with pytest.raises(ConfigError) as caught:
        read_stack_file(project, "prod", required=True)
    [problem] = caught.value.problems
    assert problem.code == "LZ130"
    assert problem.message == "no stack settings for stack 'prod' (Pulumi.prod.yaml not found)."
    assert problem.fix.startswith("Stacks with settings here: staging.")


def test_the_path_argument_replaces_the_stacks_config_but_keeps_its_overrides(project, tmp_path):
    other = tmp_path / "other.yaml"
    other.write_text(CONFIG.replace("namespace: acme", "namespace: other"))
    write_stack(project, "config:\n  landing-zone:overrides: {accounts: {master: "
                         "{name: Renamed}}}\n")
    loaded = load_stack(read_stack_file(project), project, path=other, use_local=False)
    assert loaded.path == other
    assert loaded.config.organization.tokens["namespace"] == "other"
    assert loaded.config.accounts["master"].name == "Renamed"
