"""Fixtures of the engine suite (`./lz test --engine`): the real Pulumi CLI against moto."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from moto.cloudformation.responses import CloudFormationResponse
from moto.core.responses import ActionResult
from moto.organizations import models as org_models
from moto.server import ThreadedMotoServer
from moto.iam.access_control import PermissionResult
from moto.organizations.models import organizations_backends
from moto.s3.models import FakeBucket
from moto.ssoadmin import models as sso_models

from config import load
from tests.engine.harness import (ENGINE_BIN_ENV, ROOT, Engine, Moto, copy_project, free_port,
                                  sealed_environment)

UNKNOWN_TO_MOTO = ("S3_POLICY", "SECURITYHUB_POLICY", "DECLARATIVE_POLICY_EC2")
"""Organizations policy types moto 5.2 does not know (management policies of 2024-2025)."""


@pytest.fixture(scope="session")
def engine_bin() -> Path:
    found = os.environ.get(ENGINE_BIN_ENV)
    if not found or not (Path(found) / "pulumi").exists():
        pytest.fail(f"{ENGINE_BIN_ENV} does not name the engine's bin directory: run the engine "
                    "suite with `./lz test --engine`, which builds the CLI first.")
    return Path(found)


@pytest.fixture(scope="session")
def moto_server() -> Iterator[Moto]:
    """In this process, so its backends are the ones tests/cli's builders fill."""
    # moto 5.2 names permission sets `arn:aws:sso:::instance/ssoins-X/ps-Y`; AWS says
    # `arn:aws:sso:::permissionSet/ssoins-X/ps-Y` (tests/cli/test_import.py does the same).
    generate = sso_models.PermissionSet.generate_id
    sso_models.PermissionSet.generate_id = staticmethod(
        lambda instance_arn: generate(instance_arn).replace(":::instance/", ":::permissionSet/"))
    # moto judges a bucket-policy statement whose condition does not match as a deny
    # (IAMPolicyStatement.is_action_permitted, moto 5.2.5), so the TLS-only statement every
    # landing-zone bucket carries would refuse every request: bucket policies are stored and
    # read back, but not enforced, in this suite.
    enforce = FakeBucket.get_permission
    # moto 5.2 lacks StackSets' trusted-access calls (tests/cli/conftest.py answers them too):
    # answered as AWS does once access is activated.
    CloudFormationResponse.describe_organizations_access = (
        lambda _self: ActionResult({"Status": "ENABLED"}))
    CloudFormationResponse.activate_organizations_access = lambda _self: ActionResult({})
    # moto 5.2 knows none of UNKNOWN_TO_MOTO (Organizations management policies): accepted on
    # the root and stored like a tag policy (their ARN keeps tag_policy's form: nothing reads
    # it).
    for model in (org_models.FakeRoot, org_models.FakePolicy):
        model.SUPPORTED_POLICY_TYPES = [*model.SUPPORTED_POLICY_TYPES, *UNKNOWN_TO_MOTO]
    make_policy = org_models.FakePolicy.__init__

    def as_tag_policy(policy, organization, **kwargs):
        kind = kwargs.get("Type")
        unknown = kind in UNKNOWN_TO_MOTO
        make_policy(policy, organization, **({**kwargs, "Type": "TAG_POLICY"} if unknown else kwargs))
        if unknown:
            policy.type = kind

    org_models.FakePolicy.__init__ = as_tag_policy
    # moto 5.2 does not list Security Hub among the services with a delegated administrator
    # (AWS does: Organizations user guide, "Services that work with Organizations").
    org_models.FakeDelegatedAdministrator.SUPPORTED_SERVICES = [
        *org_models.FakeDelegatedAdministrator.SUPPORTED_SERVICES, "securityhub.amazonaws.com"]
    FakeBucket.get_permission = lambda _bucket, _action, _resource: PermissionResult.NEUTRAL
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield Moto(f"http://127.0.0.1:{port}")
    finally:
        server.stop()
        sso_models.PermissionSet.generate_id = staticmethod(generate)
        FakeBucket.get_permission = enforce


def new_organization(moto: Moto) -> None:
    """What the operator does by hand before the first `pulumi up` (guide steps 1-3):
    an organization with all features, and Identity Center enabled with Organizations."""
    organizations = moto.client("organizations")
    management_id = organizations.create_organization(FeatureSet="ALL")["Organization"][
        "MasterAccountId"]
    organizations.enable_aws_service_access(ServicePrincipal="sso.amazonaws.com")
    # moto names the management account "master"; AWS keeps the name and email it was made
    # with, which the example config states (verify's VF003 compares both).
    config = load(ROOT / "config" / "organization.yaml").config
    expected = config.accounts[config.management_account]
    account = organizations_backends[management_id]["aws"].get_account_by_id(management_id)
    account.name, account.email = expected.name, expected.email


def new_engine(moto: Moto, engine_bin: Path, workdir: Path) -> Engine:
    engine = Engine(copy_project(workdir / "project"),
                    sealed_environment(workdir / "home", moto, engine_bin))
    engine.pulumi("stack", "init", "bootstrap")
    return engine


@pytest.fixture
def moto(moto_server: Moto) -> Moto:
    moto_server.reset()
    return moto_server


@pytest.fixture
def engine(moto: Moto, engine_bin: Path, tmp_path: Path) -> Engine:
    new_organization(moto)
    return new_engine(moto, engine_bin, tmp_path)
