"""examples/consumer runs under Pulumi's mocks, reading a mocked landing-zone stack."""

from __future__ import annotations

import runpy
from pathlib import Path

import pulumi
import pytest
import yaml

from landing_zone_outputs import DEFAULT_STACK, UnknownKeyError
from landing_zone_outputs.testing import StackReferenceMocks, provider_input, sample_outputs

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "consumer"
PROJECT = yaml.safe_load((EXAMPLE / "Pulumi.yaml").read_text())["name"]
OUTPUTS = sample_outputs()


@pytest.fixture(params=[False, True], ids=["up", "preview"])
def mocks(request):
    # Stack config left by another test file on this worker (run_offline sets aws:region)
    # would rename the provider: start clean.
    pulumi.runtime.set_all_config({})
    mocks = StackReferenceMocks({DEFAULT_STACK: OUTPUTS,
                                 "acme/landing-zone/prod": sample_outputs()})
    pulumi.runtime.set_mocks(mocks, project=PROJECT, stack="dev", preview=request.param)
    yield mocks
    pulumi.runtime.set_all_config({})


def run_example(config: dict[str, str] | None = None) -> dict:
    """Run examples/consumer/__main__.py as `pulumi up` would; return what it exported."""
    for key, value in (config or {}).items():
        pulumi.runtime.set_config(f"{PROJECT}:{key}", value)
    exported: dict = {}
    settled: list[pulumi.Output] = []

    def export(name, value):
        # Capture each export as a resolved value; the test waits for all of them.
        settled.append(pulumi.Output.from_input(value).apply(
            lambda v: exported.__setitem__(name, v)))

    @pulumi.runtime.test
    def program():
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(pulumi, "export", export)
            runpy.run_path(str(EXAMPLE / "__main__.py"), run_name="__main__")
        return pulumi.Output.all(*settled)

    program()
    return exported


def test_deploys_into_the_member_account_by_key(mocks):
    exported = run_example()
    dev = OUTPUTS["accounts"]["dev"]["id"]
    provider = mocks.named("landing-zone-dev")
    assert provider_input(provider, "allowedAccountIds") == [dev]
    # The member account's own credentials: no role, least of all the account access role.
    assert provider_input(provider, "assumeRoles") in (None, [])
    # Every resource of the example runs in the member account, through that provider.
    resources = [r for r in mocks.registered if not r.type.startswith("pulumi:providers:")]
    assert {r.type for r in resources} == {"aws:ssm/parameter:Parameter", "aws:s3/bucket:Bucket",
                                           "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                                           "aws:s3/bucketLogging:BucketLogging"}
    assert all(r.provider and "::landing-zone-dev::" in r.provider for r in resources)
    parameter = mocks.named("organization-id")
    assert parameter.inputs["value"] == OUTPUTS["organization_id"]
    assert "value" in parameter.secret_inputs  # the AWS provider marks SSM values secret
    logging = mocks.of_type("aws:s3/bucketLogging:BucketLogging")[0]
    assert logging.inputs["targetBucket"] == "acme-lz-dev-s3-access-logs"
    assert exported["account_id"] == dev
    assert exported["account_ids"] == {k: v["id"] for k, v in OUTPUTS["accounts"].items()}


def test_account_and_stack_come_from_config(mocks):
    exported = run_example({"account": "prod", "landingZoneStack": "acme/landing-zone/prod"})
    assert exported["account_id"] == OUTPUTS["accounts"]["prod"]["id"]
    assert mocks.named("landing-zone-prod").type == "pulumi:providers:aws"


def test_unknown_account_key_fails_with_the_valid_keys(mocks):
    with pytest.raises(UnknownKeyError, match=r"account 'staging'.*dev, log_archive, master"):
        run_example({"account": "staging"})


def test_pins_match_the_landing_zone_program():
    def pins(path: Path) -> dict[str, str]:
        lines = [l.split("#")[0].strip() for l in path.read_text().splitlines()]
        return dict(l.split("==") for l in lines if "==" in l)
    example, program = pins(EXAMPLE / "requirements.txt"), pins(ROOT / "requirements.txt")
    assert example == {k: program[k] for k in ("pulumi", "pulumi-aws")}
    assert "../../landing_zone_outputs" in (EXAMPLE / "requirements.txt").read_text()
