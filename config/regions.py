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


def region_problem(code: str) -> tuple[str, str] | None:
    """(what is wrong, the fix) for a code AWS does not know, or None."""
    if code in region_codes():
        return None
    hint = did_you_mean(code, region_codes())
    if not hint.startswith("Did you mean"):
        hint = ("Use a region code such as us-east-1 or eu-west-1 (a region launched since "
                "this botocore release needs a newer botocore).")
    return f"'{code}' is not an AWS region.", hint
