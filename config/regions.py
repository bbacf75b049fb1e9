"""AWS region codes, read from botocore's endpoint data (the partitions file AWS ships with its
SDKs), so a new region arrives with a botocore upgrade instead of a hand-kept list.

Local data only: no network. Every partition counts (aws, aws-cn, aws-us-gov, ...): AWS accepts
each region in its own partition.
"""

from __future__ import annotations

import functools

import botocore.loaders

from config.errors import did_you_mean


@functools.cache
def region_codes() -> frozenset[str]:
    endpoints = botocore.loaders.create_loader().load_data("endpoints")
    return frozenset(code for partition in endpoints["partitions"]
                     for code in partition["regions"])


def region_problem(code: str) -> tuple[str, str] | None:
    """(what is wrong, the fix) for a code AWS does not know, or None."""
    if code in region_codes():
        return None
    hint = did_you_mean(code, region_codes())
    if not hint.startswith("Did you mean"):
        hint = ("Use a region code such as us-east-1 or eu-west-1 (a region launched since "
                "this botocore release needs a newer botocore).")
    return f"'{code}' is not an AWS region.", hint
