"""Fixtures of the engine suite (`./lz test --engine`): the real Pulumi CLI against moto."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterator
from pathlib import Path

import botocore.session
import pytest
from moto.cloudformation.responses import CloudFormationResponse
from moto.core.responses import ActionResult
from moto.organizations import models as org_models
from moto.server import ThreadedMotoServer
from moto.iam.access_control import PermissionResult
from moto.iam.aws_managed_policies import aws_managed_policies_data
from moto.iam.models import AWSManagedPolicy, IAMBackend
from moto.organizations.models import organizations_backends
from moto.s3.models import FakeBucket
from moto.ssoadmin import models as sso_models

from config import load
from tests.engine import moto_stacksets
from tests.engine.harness import (ENGINE_BIN_ENV, ROOT, Engine, Moto, copy_project, free_port,
                                  sealed_environment)


@pytest.fixture(scope="session")
def engine_bin() -> Path:
    found = os.environ.get(ENGINE_BIN_ENV)
    if not found or not (Path(found) / "pulumi").exists():
        pytest.fail(f"{ENGINE_BIN_ENV} does not name the engine's bin directory: run the engine "
                    "suite with `./lz test --engine`, which builds the CLI first.")
    return Path(found)


@pytest.fixture(scope="session")
def moto_server() -> Iterator[Moto]:
    """In this process, so its backends are the ones tests/cli's builders fill; moto's gaps
    that the program runs into are filled here (undone at the end)."""
    with pytest.MonkeyPatch.context() as patch:
        fill_moto_gaps(patch)
        port = free_port()
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        server.start()
        try:
            yield Moto(f"http://127.0.0.1:{port}")
        finally:
            server.stop()


def fill_moto_gaps(patch: pytest.MonkeyPatch) -> None:
    """What AWS does and moto 5.2.5 does not, as far as the program depends on it."""
    # moto 5.2 names permission sets `arn:aws:sso:::instance/ssoins-X/ps-Y`; AWS says
    # `arn:aws:sso:::permissionSet/ssoins-X/ps-Y` (tests/cli/test_import.py does the same).
    generate = sso_models.PermissionSet.generate_id
    patch.setattr(sso_models.PermissionSet, "generate_id", staticmethod(
        lambda instance_arn: generate(instance_arn).replace(":::instance/", ":::permissionSet/")))
    # moto judges a bucket-policy statement whose condition does not match as a deny
    # (IAMPolicyStatement.is_action_permitted, moto 5.2.5), so the TLS-only statement every
    # landing-zone bucket carries would refuse every request: bucket policies are stored and
    # read back, but not enforced, in this suite.
    patch.setattr(FakeBucket, "get_permission",
                  lambda _bucket, _action, _resource: PermissionResult.NEUTRAL)
    # moto 5.2 lacks StackSets' trusted-access calls (tests/cli/conftest.py answers them too):
    # answered as AWS does once access is activated.
    patch.setattr(CloudFormationResponse, "describe_organizations_access",
                  lambda _self: ActionResult({"Status": "ENABLED"}), raising=False)
    patch.setattr(CloudFormationResponse, "activate_organizations_access",
                  lambda _self: ActionResult({}), raising=False)
    # AWS managed policies exist in every account (the read-only roles attach ReadOnlyAccess).
    # moto can load all of them (MOTO_IAM_LOAD_MANAGED_POLICIES), but then builds ~1,600 in
    # every account's IAM backend, again at every reset: ~0.3 s per account, enough for a
    # reset after the 50-account scenario to time out. Each is made when first attached.
    for action in ("attach_role_policy", "attach_user_policy", "attach_group_policy"):
        patch.setattr(IAMBackend, action,
                      aws_managed_policy_on_demand(getattr(IAMBackend, action)))
    # Service-managed stack sets: recursive OU targets, auto-deployment (tests/engine/moto_stacksets.py).
    moto_stacksets.install(patch)
    # moto 5.2 knows five policy types; Organizations has more (S3_POLICY since 2025-11, the
    # security services' DECLARATIVE_POLICY_EC2, SECURITYHUB_POLICY...). Every type of
    # botocore's Organizations model is accepted, and a policy of a type moto lacks is stored
    # like a tag policy (its ARN keeps tag_policy's form: nothing reads it).
    known = org_models.FakePolicy.SUPPORTED_POLICY_TYPES
    every = botocore.session.get_session().get_service_model("organizations").shape_for(
        "PolicyType").enum
    for model in (org_models.FakeRoot, org_models.FakePolicy):
        patch.setattr(model, "SUPPORTED_POLICY_TYPES", [*known, *sorted(set(every) - set(known))])
    make_policy = org_models.FakePolicy.__init__

    def unknown_type_as_tag_policy(policy, organization, **kwargs):
        unknown = kwargs.get("Type") not in (None, *known)
        make_policy(policy, organization,
                    **({**kwargs, "Type": "TAG_POLICY"} if unknown else kwargs))
        if unknown:
            policy.type = kwargs["Type"]

    patch.setattr(org_models.FakePolicy, "__init__", unknown_type_as_tag_policy)
    # moto 5.2 does not list Security Hub among the services with a delegated administrator
    # (AWS does: Organizations user guide, "Services that work with Organizations").
    # Nor config.amazonaws.com (AWS Config's aggregator), nor GuardDuty's malware protection
    # principal among the trusted services (GuardDuty user guide, "Malware Protection for EC2").
    delegable = org_models.FakeDelegatedAdministrator
    patch.setattr(delegable, "SUPPORTED_SERVICES", [
        *delegable.SUPPORTED_SERVICES, "securityhub.amazonaws.com", "config.amazonaws.com"])
    trusted = org_models.FakeServiceAccess
    patch.setattr(trusted, "TRUSTED_SERVICES", [
        *trusted.TRUSTED_SERVICES, "malware-protection.guardduty.amazonaws.com"])


@functools.cache
def aws_managed_policies() -> dict[str, dict]:
    return json.loads(aws_managed_policies_data)


def aws_managed_policy_on_demand(attach):
    def attach_made_on_demand(backend: IAMBackend, policy_arn: str, principal: str) -> None:
        name = policy_arn.rsplit("/", 1)[-1]
        if policy_arn not in backend.managed_policies and name in aws_managed_policies():
            policy = AWSManagedPolicy.from_data(name, backend.account_id, backend.region_name,
                                                aws_managed_policies()[name])
            if policy.arn == policy_arn:
                backend.managed_policies[policy.arn] = policy
        attach(backend, policy_arn, principal)
    return attach_made_on_demand


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
