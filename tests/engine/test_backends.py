"""3f-3g: `./lz migrate-state` with the real CLI into an `s3://` backend with `awskms://`
secrets (both in moto), then `./lz sso-config` and the example consumer read the stack there.

In order (`-n 0`): the injected failure runs first, on the untouched local stack.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from tests.engine.conftest import new_engine, new_organization
from tests.engine.harness import ROOT, Engine, Moto, copy_project

pytestmark = pytest.mark.engine

CONFIG = "config/organization.yaml"
STATE_PROFILE = "state-admin"
SECRET = "engine-suite-secret"


@pytest.fixture(scope="module")
def deployed(moto_server: Moto, engine_bin: Path, tmp_path_factory) -> Engine:
    moto_server.reset()
    new_organization(moto_server)
    engine = new_engine(moto_server, engine_bin, tmp_path_factory.mktemp("backends"))
    engine.pulumi("config", "set", "--secret", "landing-zone:probe", SECRET)
    engine.pulumi("up", "--yes", "--skip-preview")
    # A profile of the state account, as `./lz sso-config` would give (here: a session of the
    # access role, as static keys: aws-sdk-go-v2's assume-role credential provider does not
    # follow AWS_ENDPOINT_URL and would call the real STS).
    state_account = engine.pulumi("stack", "output", "accounts", "--json").json()[
        "shared_services"]["id"]
    credentials = moto_server.client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{state_account}:role/OrganizationAccountAccessRole",
        RoleSessionName="engine-suite")["Credentials"]
    with open(engine.env["AWS_CONFIG_FILE"], "a") as config:
        config.write(f"[profile {STATE_PROFILE}]\nregion = us-east-1\n")
    with open(engine.env["AWS_SHARED_CREDENTIALS_FILE"], "a") as keys:
        keys.write(f"[{STATE_PROFILE}]\naws_access_key_id = {credentials['AccessKeyId']}\n"
                   f"aws_secret_access_key = {credentials['SecretAccessKey']}\n"
                   f"aws_session_token = {credentials['SessionToken']}\n")
    return engine


def local_state(engine: Engine) -> dict[str, str]:
    root = Path(engine.env["PULUMI_BACKEND_URL"].removeprefix("file://"))
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def migrate(engine: Engine, profile: str):
    return engine.lz("migrate-state", "--no-local", "--profile", profile,
                     "--from", engine.env["PULUMI_BACKEND_URL"], "--cwd", str(engine.project),
                     CONFIG, "--json", check=False)


def s3_backend(engine: Engine) -> dict[str, str]:
    """The environment of a command that reaches the migrated stack."""
    outputs = engine.pulumi("stack", "output", "state_backend", "--json").json()
    return {"PULUMI_BACKEND_URL": f"{outputs['backend_url']}&profile={STATE_PROFILE}",
            "AWS_PROFILE": STATE_PROFILE}


def urns(export: dict) -> list[str]:
    return sorted(r["urn"] for r in export["deployment"]["resources"])


def test_a_failure_midway_leaves_the_local_state_byte_identical(deployed: Engine):
    before = local_state(deployed)
    project_files = {p: (deployed.project / p).read_bytes()
                     for p in ("Pulumi.yaml", "Pulumi.bootstrap.yaml")}
    # The management account's profile reaches the bucket (moto enforces no bucket policy) but
    # not the state account's KMS alias: change-secrets-provider fails after init and import.
    result = migrate(deployed, "bootstrap-admin")
    assert result.returncode == 1, result.stdout + result.stderr
    assert local_state(deployed) == before
    assert {p: (deployed.project / p).read_bytes() for p in project_files} == project_files


def test_migrate_state_moves_the_stack_to_s3_with_kms_secrets(deployed: Engine):
    before = deployed.pulumi("stack", "export").json()
    result = migrate(deployed, STATE_PROFILE)
    assert result.returncode == 0, result.stdout + result.stderr
    target = s3_backend(deployed)
    after = deployed.pulumi("stack", "export", env=target).json()
    assert urns(after) == urns(before)
    assert deployed.pulumi("config", "get", "landing-zone:probe", env=target).stdout.strip() == SECRET
    assert "awskms://" in (deployed.project / "Pulumi.bootstrap.yaml").read_text()


def test_sso_config_reads_the_real_stack_outputs(deployed: Engine):
    target = s3_backend(deployed)
    accounts = deployed.pulumi("stack", "output", "accounts", "--json", env=target).json()
    result = deployed.lz("sso-config", "--no-local", "--cwd", str(deployed.project), CONFIG,
                         env=target)
    assert "[profile acme-lz-dev-admin]" in result.stdout
    assert f"sso_account_id = {accounts['dev']['id']}" in result.stdout


def test_the_example_consumer_previews_through_a_stack_reference(deployed: Engine, tmp_path):
    consumer = tmp_path / "consumer"
    shutil.copytree(ROOT / "examples" / "consumer", consumer)
    shutil.copytree(ROOT / "landing_zone_outputs", consumer / "landing_zone_outputs")
    (consumer / "venv").symlink_to(ROOT / "venv")
    reader = Engine(consumer, deployed.env)
    target = s3_backend(deployed)
    reader.pulumi("stack", "init", "dev", env=target)
    preview = reader.pulumi("preview", "--json", "--show-secrets", env=target).json()
    steps = {s["urn"].rsplit("::", 1)[1]: s for s in preview["steps"]}
    organization_id = deployed.pulumi("stack", "output", "organization_id", env=target).stdout
    parameter = steps["organization-id"]
    assert parameter["op"] == "create"
    # The preview masks it as a secret even with --show-secrets; when shown, it is the id.
    assert parameter["newState"]["inputs"]["value"] in (organization_id.strip(), "[secret]")
