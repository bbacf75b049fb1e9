"""docs/getting-started.md with home region eu-west-1 (issue 11, item 1 and the journey line).

The user edits only `config/organization.yaml` (tokens and `aws_region`), keeps the shipped
Pulumi.yaml and Pulumi.bootstrap.yaml, and runs the guide's offline commands; then
`pulumi up -s bootstrap` runs `__main__.py` with the stack file's settings. Every provider,
lookup and ARN of both must be in eu-west-1.
"""

from __future__ import annotations

import json
import re
import runpy
import shutil
from pathlib import Path

import pytest
import yaml

from cli.main import main
from cli.offline import Inventory, run_offline
from config import read_stack_file

REPO = Path(__file__).resolve().parents[2]
HOME = "eu-west-1"
TOKENS = {"owner": "platform-team", "domain": "example.invalid", "namespace": "zq-lz"}
AWS_PROVIDER = "pulumi:providers:aws"
ARN_REGION = re.compile(r"arn:aws[a-z-]*:[a-z0-9-]+:([a-z0-9-]*):")
REGION_IN_TEXT = re.compile(r"\b(?:us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d\b")


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A clone with the guide's step 1 done: tokens and home region set in the YAML only."""
    for name in ("Pulumi.yaml", "Pulumi.bootstrap.yaml"):
        shutil.copy(REPO / name, tmp_path / name)
    (tmp_path / "config").mkdir()
    text = (REPO / "config" / "organization.yaml").read_text()
    data = yaml.safe_load(text)
    text = text.replace(f"aws_region: {data['organization']['aws_region']}", f"aws_region: {HOME}")
    for token, value in TOKENS.items():
        text = re.sub(rf"(\n    {token}: )\S+", rf"\g<1>{value}", text, count=1)
    (tmp_path / "config" / "organization.yaml").write_text(text)
    monkeypatch.setattr("cli.commands.common.PROJECT_DIR", tmp_path)
    return tmp_path


def regions_in(value) -> set[str]:
    """Every region an ARN or a `region` setting names, anywhere in `value`."""
    text = json.dumps(value, default=str)
    return set(ARN_REGION.findall(text)) - {""} | set(REGION_IN_TEXT.findall(text))


def assert_all_in_home_region(inventory: Inventory) -> None:
    providers = {r.urn: r for r in inventory.registrations if r.type == AWS_PROVIDER}
    assert providers
    for urn, provider in providers.items():
        assert provider.inputs.get("region") == HOME, urn
    for token, provider in inventory.fake.invoke_providers:
        # No lookup falls to the default provider, which would read aws:region.
        assert provider in providers, f"{token} ran through {provider}"
    for reg in inventory.registrations:
        assert regions_in(reg.inputs) <= {HOME}, reg.urn
    assert regions_in(inventory.outputs) <= {HOME}


def test_the_guide_plans_in_the_home_region(project, capsys, tmp_path):
    assert main(["validate"]) == 0
    assert "config/organization.yaml: valid (" in capsys.readouterr().out
    assert main(["show", "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["organization"]["aws_region"] == HOME
    assert regions_in(shown["derived"]) == {HOME}  # backend URL, secrets provider
    assert main(["plan", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    for resource in document["resources"]:
        assert regions_in(resource["inputs"]) <= {HOME}, resource["urn"]
        if resource["type"] == AWS_PROVIDER:
            assert resource["inputs"]["region"] == HOME, resource["urn"]
    assert main(["plan", "--diagram", str(tmp_path / "org.md")]) == 0


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_pulumi_up_with_the_shipped_stack_file_runs_in_the_home_region(project, preview):
    """What `pulumi up -s bootstrap` hands `__main__.py`: the stack file's settings."""
    settings = read_stack_file(project, "bootstrap")
    arguments = {**settings.config_arguments,
                 "landing-zone:config": str(project / settings.config_path)}
    inventory = run_offline(lambda: runpy.run_path(str(REPO / "__main__.py"), run_name="__main__"),
                            preview=preview, config=arguments)
    assert_all_in_home_region(inventory)


@pytest.mark.parametrize("command", [["validate"], ["show"], ["plan"], ["preflight"],
                                     ["verify"], ["bootstrap-policy"]])
def test_a_stack_region_that_contradicts_the_config_is_refused(project, capsys, command):
    """One source of truth: a stack file still naming us-east-1 is an error with its fix."""
    stack_file = project / "Pulumi.bootstrap.yaml"
    stack_file.write_text(stack_file.read_text().replace(
        "config:\n", "config:\n  aws:region: us-east-1\n", 1))
    line = stack_file.read_text().splitlines().index("  aws:region: us-east-1") + 1
    assert main(command) == 2
    err = capsys.readouterr().err
    assert (f"Pulumi.bootstrap.yaml:{line}: error LZ132: aws:region: the stack's aws:region is "
            f"us-east-1, but the config's home region (organization.aws_region) is {HOME}.") \
        in err.replace("\n", " ")
    assert "`pulumi config rm aws:region -s bootstrap`" in err.replace("\n", " ")


def test_pulumi_up_refuses_a_contradicting_stack_region(project):
    with pytest.raises(Exception, match="LZ132") as caught:
        run_offline(lambda: runpy.run_path(str(REPO / "__main__.py"), run_name="__main__"),
                    config={"landing-zone:config": str(project / "config/organization.yaml"),
                            "aws:region": "us-east-1"})
    assert type(caught.value).__name__ == "RunError"
