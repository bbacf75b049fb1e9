"""AWS region codes, read from botocore's endpoint data (the partitions file AWS ships with its
SDKs), so a new region arrives with a botocore upgrade instead of a hand-kept list.

Local data only: no network. Every partition counts (aws, aws-cn, aws-us-gov, ...): AWS accepts
each region in its own partition.
"""

from __future__ import annotations

import functools

import botocore.loaders

from config.errors import did_you_mean


# The program writes the commercial partition's ARNs and service names (arn:aws:...,
# *.amazonaws.com): a home region of another partition is refused (LZ324).
SUPPORTED_PARTITION = "aws"


@functools.cache
def _partitions() -> dict[str, str]:
    """Region code -> its partition (aws, aws-cn, aws-us-gov, ...)."""
    endpoints = botocore.loaders.create_loader().load_data("endpoints")
    return {code: partition["partition"] for partition in endpoints["partitions"]
            for code in partition["regions"]}


def region_codes() -> frozenset[str]:
    return frozenset(_partitions())


def region_partition(code: str) -> str | None:
    return _partitions().get(code)


# Regions launched before 2019-03-20 are on in every account; every region launched since is an
# opt-in region, off in each account until enabled there (AWS Account Management guide,
# "Enable or disable AWS Regions in your account",
# https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html). The list of
# default regions is closed, so any newer region botocore knows counts as opt-in.
DEFAULT_REGIONS = frozenset({
    "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1",
    "ap-southeast-2", "ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2",
    "eu-west-3", "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2"})


def is_opt_in(code: str) -> bool:
    """A commercial region each account must enable before anything can be made there."""
    return region_partition(code) == SUPPORTED_PARTITION and code not in DEFAULT_REGIONS


def region_problem(code: str) -> tuple[str, str] | None:
    """(what is wrong, the fix) for a code AWS does not know, or None."""
    if code in region_codes():
        return None
    hint = did_you_mean(code, region_codes())
    if not hint.startswith("Did you mean"):
        hint = ("Use a region code such as us-east-1 or eu-west-1 (a region launched since "
                "this botocore release needs a newer botocore).")
    return f"'{code}' is not an AWS region.", hint
