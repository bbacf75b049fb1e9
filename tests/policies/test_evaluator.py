"""The evaluator's own rules, each against the AWS behaviour it models
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)."""

from __future__ import annotations

import pytest

from tests.policies.evaluator import Principal, Request, Resource, condition_holds, decide

A, B = "111111111111", "222222222222"
ALLOW_ALL = {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
ALICE = Principal(f"arn:aws:iam::{A}:role/alice", A, (ALLOW_ALL,), "o-example")
NOBODY = Principal(f"arn:aws:iam::{A}:role/nobody", A, (), "o-example")


def allow(principal, **extra) -> dict:
    return {"Statement": [{"Effect": "Allow", "Principal": {"AWS": principal},
                           "Action": "*", "Resource": "*", **extra}]}


@pytest.mark.parametrize(("condition", "context", "holds"), [
    ({"StringEquals": {"k": "v"}}, {}, False),              # a missing key fails a positive test
    ({"StringNotEquals": {"k": "v"}}, {}, True),            # and passes a negated one
    ({"StringEqualsIfExists": {"k": "v"}}, {}, True),
    ({"ForAnyValue:StringEquals": {"k": "v"}}, {}, False),
    ({"ForAnyValue:StringEquals": {"k": "v"}}, {"k": ["x", "v"]}, True),
    ({"ArnLike": {"k": ["arn:x:*", "arn:y:*"]}}, {"k": "arn:y:1"}, True),   # values are ORed
    ({"ArnNotLike": {"k": ["arn:x:*", "arn:y:*"]}}, {"k": "arn:y:1"}, False),
    ({"StringEquals": {"a": "1"}, "Bool": {"b": "true"}}, {"a": "1", "b": "false"}, False),
    ({"Null": {"k": "true"}}, {}, True),
])
def test_conditions(condition, context, holds):
    assert condition_holds(condition, context) is holds


def test_inside_one_account_either_side_allows():
    bucket = Resource("arn:aws:s3:::b/k", A, allow(NOBODY.arn))
    assert decide(Request(NOBODY, "s3:GetObject", bucket))
    assert decide(Request(ALICE, "s3:GetObject", Resource("arn:aws:s3:::b/k", A)))
    assert not decide(Request(NOBODY, "s3:GetObject", Resource("arn:aws:s3:::b/k", A)))


def test_across_accounts_both_sides_must_allow():
    assert not decide(Request(ALICE, "s3:GetObject", Resource("arn:aws:s3:::b/k", B)))
    assert decide(Request(ALICE, "s3:GetObject", Resource("arn:aws:s3:::b/k", B, allow(A))))
    assert not decide(Request(NOBODY, "s3:GetObject", Resource("arn:aws:s3:::b/k", B, allow(A))))


def test_a_key_policy_naming_the_root_delegates_to_identity_policies():
    key = Resource(f"arn:aws:kms:us-east-1:{A}:key/k", A, allow(f"arn:aws:iam::{A}:root"), "kms")
    assert decide(Request(ALICE, "kms:Decrypt", key))
    assert not decide(Request(NOBODY, "kms:Decrypt", key))
    assert not decide(Request(ALICE, "kms:Decrypt", Resource(key.arn, A, {"Statement": []}, "kms")))


def test_a_trust_naming_the_role_itself_needs_no_identity_policy_in_its_account():
    role = Resource(f"arn:aws:iam::{A}:role/r", A, allow(NOBODY.arn), "trust")
    assert decide(Request(NOBODY, "sts:AssumeRole", role))
    root_trust = Resource(role.arn, A, allow(f"arn:aws:iam::{A}:root"), "trust")
    assert not decide(Request(NOBODY, "sts:AssumeRole", root_trust))


def test_an_explicit_deny_anywhere_wins():
    deny = {"Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}
    bucket = Resource("arn:aws:s3:::b/k", A)
    assert not decide(Request(ALICE, "s3:GetObject", bucket), scps=[deny])
    assert not decide(Request(ALICE, "s3:GetObject", bucket), rcps=[deny])
    denied_by_bucket = Resource(bucket.arn, A, {"Statement": [{**deny["Statement"][0],
                                                               "Principal": "*"}]})
    assert not decide(Request(ALICE, "s3:GetObject", denied_by_bucket))


def test_scps_do_not_bind_service_principals():
    deny = {"Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}
    service = Principal("logging.s3.amazonaws.com", A)
    bucket = Resource("arn:aws:s3:::b/k", A, {"Statement": [
        {"Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"},
         "Action": "s3:PutObject", "Resource": "*"}]})
    assert decide(Request(service, "s3:PutObject", bucket), scps=[deny])
