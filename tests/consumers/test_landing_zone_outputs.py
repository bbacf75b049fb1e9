"""LandingZoneOutputs under Pulumi's mocks: the StackReference is served by the mocks."""

from __future__ import annotations

import pulumi
import pytest

from landing_zone_outputs import (
    DEFAULT_STACK,
    AccountAccessRoleError,
    LandingZoneOutputs,
    MissingOutputError,
    UnknownKeyError,
    stack_name,
)
from landing_zone_outputs.testing import (
    MANAGEMENT_ACCOUNT_ID,
    StackReferenceMocks,
    provider_input,
    sample_outputs,
)

OUTPUTS = sample_outputs()
DEV = OUTPUTS["accounts"]["dev"]["id"]


@pytest.fixture(params=[False, True], ids=["up", "preview"])
def mocks(request, monkeypatch):
    # The AWS provider SDK defaults `region` from these: the checks below are about the stack.
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    pulumi.runtime.set_all_config({})  # nothing left by another test file on this worker
    # A StackReference reads the other stack in preview too, so both modes see real values.
    mocks = StackReferenceMocks({DEFAULT_STACK: OUTPUTS,
                                 "acme/landing-zone/prod": sample_outputs(partition="aws-us-gov")})
    pulumi.runtime.set_mocks(mocks, project="consumer", stack="dev", preview=request.param)
    yield mocks
    pulumi.runtime.set_all_config({})


def test_default_stack_name_is_the_self_managed_backend_one():
    assert DEFAULT_STACK == "organization/landing-zone/bootstrap" == stack_name()
    assert stack_name("prod", organization="acme") == "acme/landing-zone/prod"


@pulumi.runtime.test
def test_reads_ids_and_builds_role_arns(mocks):
    lz = LandingZoneOutputs()

    def check(values):
        org, root, mgmt, keys, dev_id, arn, custom, ou, logs, ps = values
        assert (org, root, mgmt) == ("o-exampleorg1", "r-ex01", MANAGEMENT_ACCOUNT_ID)
        assert keys == ["dev", "log_archive", "master", "prod", "security_tooling", "shared_services",
                        "test"]
        assert dev_id == DEV
        assert arn == f"arn:aws:iam::{DEV}:role/OrganizationAccountAccessRole"
        assert custom == f"arn:aws:iam::{DEV}:role/Deployer"
        assert ou == OUTPUTS["organizational_units"]["workloads"]["id"]
        assert logs == "acme-lz-dev-s3-access-logs"
        assert ps.endswith("/ps-admin0000000001")
        assert mocks.registered == []  # reading outputs registers nothing but the reference

    return pulumi.Output.all(
        lz.organization_id, lz.root_id, lz.management_account_id, lz.account_keys,
        lz.account_id("dev"), lz.role_arn("dev"), lz.role_arn("dev", "Deployer"),
        lz.organizational_unit_id("workloads"), lz.access_log_bucket("dev"),
        lz.permission_set_arn("admin")).apply(check)


@pulumi.runtime.test
def test_role_arn_takes_the_partition_from_the_account_arn(mocks):
    lz = LandingZoneOutputs("acme/landing-zone/prod", name="gov")

    def check(arn):
        assert arn.startswith("arn:aws-us-gov:iam::")
    return lz.role_arn("prod").apply(check)


@pulumi.runtime.test
def test_provider_uses_the_member_accounts_own_credentials_and_allows_only_that_account(mocks):
    """No role is assumed: the Deployer SSO profile (or a CI role) of dev is the credential."""
    lz = LandingZoneOutputs()
    provider = lz.provider("dev", region="eu-west-1", default_tags={"tags": {"team": "data"}})
    assert lz.provider("dev", region="eu-west-1") is provider  # cached, no duplicate URN

    def check(_):
        reg = mocks.named("landing-zone-dev-eu-west-1")
        assert reg.type == "pulumi:providers:aws"
        assert reg.inputs["region"] == "eu-west-1"
        assert provider_input(reg, "allowedAccountIds") == [DEV]
        assert provider_input(reg, "assumeRoles") in (None, [])
        assert provider_input(reg, "defaultTags") == {"tags": {"team": "data"}}
    return provider.id.apply(check)


@pytest.mark.parametrize("access_role", ["OrganizationAccountAccessRole", "LandingZoneAccess"])
def test_provider_refuses_the_account_access_role(mocks, access_role):
    """Whatever the landing zone calls it (the stack's account_role_name). The SDK re-raises
    errors of provider inputs as ValueError (AccountAccessRoleError is one) with the message."""
    assert issubclass(AccountAccessRoleError, ValueError)
    mocks.stacks[DEFAULT_STACK] = {**OUTPUTS, "account_role_name": access_role}
    lz = LandingZoneOutputs()
    _fails_with(lz.provider("dev", role_name=access_role).id, ValueError,
                f"role_name {access_role!r} is the account access role of the landing-zone "
                f"stack {DEFAULT_STACK}", "the Deployer permission set's SSO profile")


@pulumi.runtime.test
def test_provider_region_and_profile_default_to_the_stack_aws_config(mocks):
    pulumi.runtime.set_config("aws:region", "ap-southeast-2")
    pulumi.runtime.set_config("aws:profile", "acme-lz-prod-deployer")
    lz = LandingZoneOutputs()
    provider = lz.provider("prod", role_name="ReadOnly", session_name="ci")
    other = lz.provider("dev", name="explicit", profile="other")

    def check(_):
        reg = mocks.named("landing-zone-prod-ap-southeast-2")
        assert reg.inputs["region"] == "ap-southeast-2"
        assert reg.inputs["profile"] == "acme-lz-prod-deployer"
        assert mocks.named("explicit").inputs["profile"] == "other"
        prod = OUTPUTS["accounts"]["prod"]["id"]
        assert provider_input(reg, "assumeRoles") == [
            {"roleArn": f"arn:aws:iam::{prod}:role/ReadOnly", "sessionName": "ci"}]
    return pulumi.Output.all(provider.id, other.id).apply(check)


@pulumi.runtime.test
def test_management_account_provider_assumes_no_role(mocks):
    provider = LandingZoneOutputs().provider("master", name="mgmt")

    def check(_):
        reg = mocks.named("mgmt")
        assert provider_input(reg, "allowedAccountIds") == [MANAGEMENT_ACCOUNT_ID]
        assert provider_input(reg, "assumeRoles") in (None, [])
        # No aws:region or aws:profile in the stack: the AWS SDK's own chain decides.
        assert "region" not in reg.inputs and "profile" not in reg.inputs
    return provider.id.apply(check)


def _fails_with(output: pulumi.Output, error: type[Exception], *fragments: str):
    @pulumi.runtime.test
    def run():
        return output
    with pytest.raises(error) as caught:
        run()
    for fragment in fragments:
        assert fragment in str(caught.value)


def test_unknown_account_key_names_the_stack_and_the_valid_keys(mocks):
    lz = LandingZoneOutputs()
    _fails_with(lz.account_id("staging"), UnknownKeyError, "account 'staging'",
                DEFAULT_STACK, "dev, log_archive, master, prod, security_tooling, shared_services, test")


def test_unknown_key_also_fails_the_provider(mocks):
    lz = LandingZoneOutputs()

    @pulumi.runtime.test
    def run():
        return lz.provider("staging").id
    with pytest.raises(UnknownKeyError, match="account 'staging'"):
        run()


def test_unknown_ou_and_permission_set(mocks):
    lz = LandingZoneOutputs()
    _fails_with(lz.organizational_unit_id("sandbox"), UnknownKeyError,
                "organizational unit 'sandbox'", "dev, infrastructure")
    _fails_with(lz.permission_set_arn("root"), UnknownKeyError, "permission set 'root'",
                "admin, deployer")


def test_missing_output_says_which_stack(mocks):
    mocks.stacks["organization/other/dev"] = {"bucket": "x"}
    lz = LandingZoneOutputs("organization/other/dev", name="other")
    _fails_with(lz.account_id("dev"), MissingOutputError, "organization/other/dev",
                "no output 'accounts'")


# The SDK leaves coroutines of the failed read un-awaited when the program aborts.
@pytest.mark.filterwarnings("ignore:coroutine .* was never awaited:RuntimeWarning")
def test_unknown_stack_fails(mocks):
    lz = LandingZoneOutputs("organization/landing-zone/nope", name="nope")
    _fails_with(lz.organization_id, Exception, "unknown stack")
