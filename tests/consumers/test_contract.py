"""The helper reads what the landing-zone program really exports (docs/dev/contracts.md).

The example organization is built offline, its stack outputs are served to a StackReference,
and every account key, OU key and access-log bucket is read back through LandingZoneOutputs.
"""

from __future__ import annotations

import pulumi
import pytest

from cli.offline import run_offline
from config import load
from landing_zone_outputs import AccountOutput, LandingZoneOutputs
from landing_zone_outputs.testing import StackReferenceMocks, sample_outputs

STACK = "organization/landing-zone/bootstrap"


@pytest.fixture(scope="module")
def program_outputs():
    from components import build
    config = load("config/organization.yaml", use_local=False).config
    outputs = run_offline(lambda: build(config)).outputs
    pulumi.runtime.set_all_config({})
    return outputs


@pytest.fixture
def served(program_outputs):
    mocks = StackReferenceMocks({STACK: program_outputs})
    pulumi.runtime.set_mocks(mocks, project="consumer", stack="dev", preview=False)
    return program_outputs


def test_every_account_entry_has_the_typed_fields(program_outputs):
    fields = set(AccountOutput.__annotations__)
    for key, entry in program_outputs["accounts"].items():
        assert set(entry) == fields, key


def test_sample_outputs_have_the_program_outputs_shape(program_outputs):
    """`sample_outputs()` (for consumers' unit tests) stays shaped like the real thing."""
    sample = sample_outputs()
    core = {"organization_id", "root_id", "management_account_id", "account_role_name",
            "accounts", "organizational_units", "state_backend", "access_log_buckets"}
    assert core <= set(sample) and core <= set(program_outputs)
    for key in set(sample) & set(program_outputs):
        if sample[key] is not None and program_outputs[key] is not None:
            assert type(sample[key]) is type(program_outputs[key]), key
    assert set(sample["accounts"]) == set(program_outputs["accounts"])
    assert set(sample["organizational_units"]) == set(program_outputs["organizational_units"])
    assert set(sample["state_backend"]) == set(program_outputs["state_backend"])


@pulumi.runtime.test
def test_helper_reads_every_key_the_program_exports(served):
    lz = LandingZoneOutputs(STACK)
    accounts, ous = sorted(served["accounts"]), sorted(served["organizational_units"])

    def check(values):
        ids = values[:len(accounts)]
        arns = values[len(accounts):2 * len(accounts)]
        ou_ids = values[2 * len(accounts):]
        assert ids == [served["accounts"][k]["id"] for k in accounts]
        role = served["account_role_name"]
        assert arns == [f"arn:aws:iam::{served['accounts'][k]['id']}:role/{role}"
                        for k in accounts]
        assert ou_ids == [served["organizational_units"][k]["id"] for k in ous]

    return pulumi.Output.all(*[lz.account_id(k) for k in accounts],
                             *[lz.role_arn(k) for k in accounts],
                             *[lz.organizational_unit_id(k) for k in ous]).apply(check)
