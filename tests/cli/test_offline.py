"""The offline runtime records what the engine would see, and refuses what it cannot answer."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws
import pytest

from cli.offline import FakeAws, run_offline
from cli.offline.mocks import UNKNOWN


def _program():
    provider = aws.Provider("mgmt", region="us-east-1")
    bucket = aws.s3.Bucket("logs", bucket="example-logs",
                           opts=pulumi.ResourceOptions(provider=provider, protect=True,
                                                       retain_on_delete=True))
    key = aws.kms.Key("key", opts=pulumi.ResourceOptions(provider=provider, depends_on=[bucket]))
    account = aws.organizations.Account("dev", name="Dev", email="dev@example.invalid",
                                        opts=pulumi.ResourceOptions(provider=provider,
                                                                    import_="222222222222"))
    org = aws.organizations.get_organization(opts=pulumi.InvokeOptions(provider=provider))
    return {"bucket_arn": bucket.arn, "key_id": key.id, "org": org.id, "account": account.id}


def test_update_mode_records_options_and_computed_outputs():
    inv = run_offline(_program)
    logs, key, dev = inv.named("logs"), inv.named("key"), inv.named("dev")
    provider = inv.named("mgmt")
    assert logs.protect and logs.retain_on_delete and not key.protect
    assert logs.provider == provider.urn == key.provider
    assert key.dependencies == (logs.urn,)
    assert inv.depends_on(key, logs) and inv.depends_on(key, provider)
    assert dev.import_id == "222222222222" and dev.id == "222222222222"
    assert inv.outputs == {"bucket_arn": "arn:aws:s3:::example-logs", "key_id": key.id,
                           "org": FakeAws().organization_id, "account": "222222222222"}


def test_preview_mode_leaves_ids_of_new_resources_unknown():
    inv = run_offline(_program, preview=True)
    assert inv.named("logs").id is None and inv.named("key").id is None
    assert inv.named("dev").id == "222222222222"  # an import keeps its id in preview
    assert inv.outputs["bucket_arn"] == UNKNOWN and inv.outputs["key_id"] == UNKNOWN
    assert inv.outputs["org"] == FakeAws().organization_id


def test_unknown_invoke_raises_instead_of_answering_empty():
    def program():
        aws.ec2.get_vpc(default=True)

    with pytest.raises(Exception, match="no answer for invoke aws:ec2/getVpc:getVpc"):
        run_offline(program)


def test_runs_are_independent():
    first = run_offline(_program)
    second = run_offline(_program)
    # Registration order follows asyncio scheduling; the set of URNs is what must not leak.
    assert sorted(r.urn for r in first.registrations) == sorted(r.urn for r in second.registrations)
    assert len(second.registrations) == 4


def test_urns_are_the_engines():
    """Found by the engine suite: pulumi's mock monitor keeps the stack and only the parent's
    last type in a URN; the engine keeps the parent's whole type chain and leaves out the stack."""
    class Outer(pulumi.ComponentResource):
        def __init__(self, name):
            super().__init__("test:index:Outer", name)
            inner = pulumi.ComponentResource("test:index:Inner", f"{name}-inner",
                                             opts=pulumi.ResourceOptions(parent=self))
            aws.s3.Bucket(f"{name}-bucket", bucket="example-nested",
                          opts=pulumi.ResourceOptions(parent=inner))

    def program():
        Outer("outer")
        aws.Provider("top", region="us-east-1")
        return {}

    inv = run_offline(program)
    prefix = "urn:pulumi:bootstrap::landing-zone::"
    assert inv.named("top").urn == f"{prefix}pulumi:providers:aws::top"
    assert inv.named("outer").urn == f"{prefix}test:index:Outer::outer"
    assert inv.named("outer-bucket").urn == (
        f"{prefix}test:index:Outer$test:index:Inner$aws:s3/bucket:Bucket::outer-bucket")


def test_resources_without_a_provider_get_the_engines_default_provider():
    """Found by the engine suite: the engine records a default provider for a custom resource
    registered without one (the readiness gates' dynamic provider); the mocks recorded none."""
    def program():
        aws.s3.Bucket("stray", bucket="example-stray")
        aws.Provider("explicit", region="us-east-1")
        return {}

    inv = run_offline(program)
    version = inv.named("stray").provider.rsplit("::", 1)[1]
    assert inv.named("stray").provider == (
        f"urn:pulumi:bootstrap::landing-zone::pulumi:providers:aws::{version}")
    assert version.startswith("default_7_")
    assert inv.named("explicit").provider is None  # providers have none of their own


def test_registrations_skip_the_sdks_source_positions_and_restore_them_after():
    """The SDK walks and formats the whole stack at every registration for source positions
    the mock monitor drops (a sixth of the 1,000-account plan): offline, none are taken."""
    from pulumi.runtime import resource as resource_runtime

    original = resource_runtime._get_stack_trace
    seen = []

    def program():
        seen.append(resource_runtime._get_stack_trace)
        return _program()

    run_offline(program)
    [offline] = seen
    assert offline is not original and offline().frames == []
    assert resource_runtime._get_stack_trace is original


def test_outputs_settle_leaf_by_leaf_in_preview():
    """Known parts of the stack outputs show in preview next to unknown ids, nested too."""
    def program():
        provider = aws.Provider("mgmt", region="us-east-1")
        bucket = aws.s3.Bucket("logs", bucket="example-logs",
                               opts=pulumi.ResourceOptions(provider=provider))
        return {"nested": {"name": "fixed", "ids": [bucket.id, pulumi.Output.from_input("x")]},
                "bucket": bucket.bucket}

    inv = run_offline(program, preview=True)
    assert inv.outputs == {"nested": {"name": "fixed", "ids": [UNKNOWN, "x"]},
                           "bucket": "example-logs"}
