"""The CI workflow: valid against GitHub's published schema, least privilege, pinned actions."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "landing-zone.yml"
LOGIN = ROOT / ".github" / "scripts" / "pulumi-ci-login.sh"
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"


def validate(path: Path) -> subprocess.CompletedProcess:
    # check-jsonschema vendors the SchemaStore github-workflows schema: no network needed.
    return subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True, text=True, timeout=60)


def load() -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); GitHub reads it as "on".
    data = yaml.safe_load(WORKFLOW.read_text())
    data["on"] = data.pop(True)
    return data


def test_workflow_passes_the_github_workflow_schema():
    result = validate(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_rejects_a_broken_workflow(tmp_path):
    """The check above is only worth something if a bad file fails it."""
    broken = WORKFLOW.read_text().replace("runs-on: ubuntu-24.04", "runs_on: ubuntu-24.04", 1)
    bad = tmp_path / "broken.yml"
    bad.write_text(broken)
    assert validate(bad).returncode != 0


def test_every_action_is_pinned_to_a_commit():
    uses = re.findall(r"uses: (\S+)(.*)", WORKFLOW.read_text())
    assert len(uses) >= 10
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action
        assert re.search(r"# v\d+\.\d+\.\d+", comment), f"{action}: say which release"


def test_permissions_are_minimal():
    data = load()
    assert data["permissions"] == {"contents": "read"}
    jobs = data["jobs"]
    assert "permissions" not in jobs["checks"]
    assert jobs["preview"]["permissions"] == {
        "contents": "read", "id-token": "write", "pull-requests": "write"}
    assert jobs["deploy"]["permissions"] == {"contents": "read", "id-token": "write"}
    for job in jobs.values():
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False


def test_pull_requests_preview_and_main_deploys_behind_approval():
    data = load()
    assert data["on"] == {"pull_request": {"branches": ["main"]},
                          "push": {"branches": ["main"]}}
    preview, deploy = data["jobs"]["preview"], data["jobs"]["deploy"]
    assert "github.event_name == 'pull_request'" in preview["if"]
    assert "head.repo.full_name == github.repository" in preview["if"]  # no forks
    assert "environment" not in preview
    assert deploy["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert deploy["environment"] == "production"
    assert deploy["concurrency"]["cancel-in-progress"] is False
    assert preview["needs"] == deploy["needs"] == "checks"

    def pulumi_step(job):
        [step] = [s for s in job["steps"] if s.get("with", {}).get("command")]
        return step["with"]
    assert pulumi_step(preview)["command"] == "preview" and pulumi_step(preview)["diff"] is True
    assert pulumi_step(deploy)["command"] == "up"

    def role(job):
        [step] = [s for s in job["steps"]
                  if s.get("uses", "").startswith("aws-actions/configure-aws-credentials@")]
        return step["with"]["role-to-assume"]
    assert role(preview) == "${{ vars.LZ_PREVIEW_ROLE_ARN }}"
    assert role(deploy) == "${{ vars.LZ_DEPLOY_ROLE_ARN }}"


def test_checks_run_tests_validate_and_plan():
    runs = "\n".join(s.get("run", "") for s in load()["jobs"]["checks"]["steps"])
    for command in ("./lz test", "./lz validate", "./lz plan",
                    "python -m config.schema --check", "docs/gen_config_reference.py --check",
                    "docs/gen_diagram.py --check"):
        assert command in runs


def test_pulumi_cli_matches_the_pinned_sdk():
    pins = dict(line.split("==") for line in (ROOT / "requirements.txt").read_text().splitlines()
                if "==" in line and not line.startswith("#"))
    assert load()["env"]["PULUMI_VERSION"] == pins["pulumi"]


# --- the login script, with a stand-in `pulumi` (no Pulumi CLI here) ----------------------

@pytest.fixture
def fake_pulumi(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "pulumi.log"
    script = bin_dir / "pulumi"
    script.write_text(f'#!/bin/sh\necho "AWS_PROFILE=$AWS_PROFILE $*" >> {log}\n')
    script.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "HOME": str(tmp_path),
           "AWS_CONFIG_FILE": str(tmp_path / "aws" / "config")}
    return env, log, tmp_path


def test_login_script_logs_in_with_the_ci_role_and_points_the_stack_at_it(fake_pulumi):
    env, log, _ = fake_pulumi
    url = "s3://acme-lz-pulumi-state?region=us-east-1&awssdk=v2"
    result = subprocess.run([str(LOGIN), url, "bootstrap"], env=env, capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert log.read_text().splitlines() == [
        f"AWS_PROFILE=lz-management login {url}",
        "AWS_PROFILE=lz-management config set aws:profile lz-management --stack bootstrap"]


@pytest.mark.parametrize("args", [
    ["", "bootstrap"],
    ["file://~", "bootstrap"],
    ["s3://b?region=us-east-1"],
])
def test_login_script_refuses_unset_variables(fake_pulumi, args):
    env, log, _ = fake_pulumi
    result = subprocess.run([str(LOGIN), *args], env=env, capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 2
    assert "usage" in result.stderr or "backend_url" in result.stderr
    assert not log.exists()
