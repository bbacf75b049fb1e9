"""The EC2 declarative policy: the document AWS's syntax page describes, per setting."""

from __future__ import annotations

from components.policies.ec2_declarative import EXCEPTION_MESSAGE, ec2_declarative_policy
from config.model.security.account_defaults import Ec2Settings


def test_the_defaults_exactly():
    assert ec2_declarative_policy(Ec2Settings()) == {"ec2_attributes": {
        "exception_message": {"@@assign": EXCEPTION_MESSAGE},
        "serial_console_access": {"status": {"@@assign": "disabled"}},
        "image_block_public_access": {"state": {"@@assign": "block_new_sharing"}},
        "snapshot_block_public_access": {"state": {"@@assign": "block_all_sharing"}},
        "instance_metadata_defaults": {
            "http_tokens": {"@@assign": "required"},
            "http_tokens_enforced": {"@@assign": "enabled"},
            "http_put_response_hop_limit": {"@@assign": "2"}}}}


def test_vpc_block_public_access_only_when_asked_for():
    assert "vpc_block_public_access" not in ec2_declarative_policy(Ec2Settings())["ec2_attributes"]
    document = ec2_declarative_policy(Ec2Settings(vpc_block_public_access="block_ingress",
                                                  vpc_block_public_access_exclusions=False))
    assert document["ec2_attributes"]["vpc_block_public_access"] == {"internet_gateway_block": {
        "mode": {"@@assign": "block_ingress"}, "exclusions_allowed": {"@@assign": "disabled"}}}


def test_enforcement_only_with_tokens_required():
    optional = ec2_declarative_policy(Ec2Settings(imds_http_tokens="optional"))
    assert optional["ec2_attributes"]["instance_metadata_defaults"] == {
        "http_tokens": {"@@assign": "optional"}, "http_put_response_hop_limit": {"@@assign": "2"}}
    unenforced = ec2_declarative_policy(Ec2Settings(imds_http_tokens_enforced=False))
    assert "http_tokens_enforced" not in unenforced["ec2_attributes"]["instance_metadata_defaults"]


def test_settings_left_to_the_accounts_stay_out():
    nothing = Ec2Settings(serial_console_access=None, image_block_public_access=None,
                          snapshot_block_public_access=None, imds_http_tokens=None,
                          imds_hop_limit=None)
    assert ec2_declarative_policy(nothing) is None
    only_hops = ec2_declarative_policy(nothing.model_copy(update={"imds_hop_limit": -1}))
    assert only_hops["ec2_attributes"]["instance_metadata_defaults"] == {
        "http_put_response_hop_limit": {"@@assign": "-1"}}
