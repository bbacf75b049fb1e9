"""A small AWS policy evaluator: allow or deny for (principal, action, resource, context) over
the documents the landing zone builds.

It follows AWS's policy evaluation logic
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html and
its cross-account page) for what these documents use:
1. an explicit Deny in any applicable document wins: identity policies, the resource's policy,
   the SCPs of the principal's account, the RCPs of the resource's account (neither applies in
   the management account; service principals are outside SCPs);
2. SCPs and RCPs hold only denies besides FullAWSAccess / RCPFullAWSAccess, so they never
   grant and, absent a deny, let the request through;
3. then an Allow is needed: inside one account, from the identity policies or from a resource
   policy naming the principal itself; across accounts, from both. KMS key policies and role
   trust policies are required in every case, and a statement naming an account's root only
   delegates to that account's identity policies.
Left out because no document here uses them: NotPrincipal, permissions boundaries, session
policies, ACLs, VPC endpoint policies. Wildcards match as in ArnLike/StringLike (`*`, `?`),
and `*` in an ARN may span `:` here where AWS matches each ARN part alone: the documents only
put wildcards inside one part.

Libraries considered (none fits, so this grew out of the SCP evaluator of test_scps.py):
parliament (lint only, already used), policyuniverse and policy_sentry (expand and write
policies, no decisions), principalmapper (pmapper, a local simulator that reads live accounts
through boto3 and has no SCP-with-condition or RCP support, unmaintained since 2021),
cloudsplaining (risk findings), and @cloud-copilot/iam-simulate (a full simulator, but Node).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

NEGATED = {"StringNotEquals", "StringNotLike", "ArnNotLike", "ArnNotEquals"}


def listed(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def matches(patterns: Sequence[str], value: str, *, case: bool = True) -> bool:
    if not case:
        patterns, value = [p.lower() for p in patterns], value.lower()
    return any(fnmatch.fnmatchcase(value, p) for p in patterns)


def _test(operator: str, expected: list, value: str) -> bool:
    """One condition operator (without IfExists / set prefixes) on one present value."""
    base = operator
    if base in ("StringEquals", "ArnEquals"):
        return value in expected
    if base in ("StringLike", "ArnLike"):
        return matches(expected, value)
    if base in ("StringNotEquals", "ArnNotEquals"):
        return value not in expected
    if base in ("StringNotLike", "ArnNotLike"):
        return not matches(expected, value)
    if base == "Bool":
        return value.lower() in [str(e).lower() for e in expected]
    raise NotImplementedError(f"condition operator {operator}")


def condition_holds(condition: Mapping[str, Mapping[str, Any]], context: Mapping[str, Any]) -> bool:
    """Every operator and key must hold (AND); the values of one key are ORed (for negated
    operators: none may match). A missing key fails a positive operator, passes a negated one
    and passes anything with `IfExists`."""
    for operator, tests in condition.items():
        prefix, _, base = operator.rpartition(":")
        if_exists = base.endswith("IfExists")
        base = base.removesuffix("IfExists")
        for key, expected in tests.items():
            expected = listed(expected)
            if base == "Null":
                if (key not in context) != (str(expected[0]).lower() == "true"):
                    return False
                continue
            value = context.get(key)
            if value is None:
                if prefix == "ForAllValues" or if_exists or (base in NEGATED and not prefix):
                    continue
                return False
            values = listed(value)
            if prefix == "ForAnyValue":
                holds = any(_test(base, expected, v) for v in values)
            elif prefix == "ForAllValues":
                holds = all(_test(base, expected, v) for v in values)
            else:
                holds = _test(base, expected, values[0])
            if not holds:
                return False
    return True


@dataclass(frozen=True)
class Principal:
    """Who makes the request. `arn` is what `aws:PrincipalArn` holds: for a role session, the
    role's ARN; for a service, its service principal."""

    arn: str
    account: str
    policies: tuple[dict, ...] = ()
    """Identity policies (for a permission set: its AWS-managed, customer and inline ones)."""
    organization_id: str | None = None

    @property
    def is_service(self) -> bool:
        return not self.arn.startswith("arn:")


@dataclass(frozen=True)
class Resource:
    arn: str
    account: str
    policy: dict | None = None
    kind: str = "s3"
    """"s3" (a bucket policy, optional), "kms" (key policy, required) or "trust" (a role's
    trust policy, required); "none" for resources without resource policies."""
    organization_id: str | None = None


@dataclass(frozen=True)
class Request:
    principal: Principal
    action: str
    resource: Resource
    context: Mapping[str, Any] = field(default_factory=dict)

    def keys(self) -> dict[str, Any]:
        principal = self.principal
        out: dict[str, Any] = {"aws:RequestedRegion": "us-east-1",
                               "aws:ResourceAccount": self.resource.account}
        if self.resource.organization_id:
            out["aws:ResourceOrgID"] = self.resource.organization_id
        if not principal.is_service:
            out.update({"aws:PrincipalArn": principal.arn, "aws:PrincipalAccount": principal.account})
            if principal.organization_id:
                out["aws:PrincipalOrgID"] = principal.organization_id
        return {**out, **self.context}


def statement_applies(statement: dict, action: str, resource: str,
                      context: Mapping[str, Any]) -> bool:
    """Action (NotAction), Resource (NotResource) and Condition; Principal is checked apart."""
    if "NotPrincipal" in statement:
        raise NotImplementedError("NotPrincipal")
    if "Action" in statement:
        if not matches(listed(statement["Action"]), action, case=False):
            return False
    elif matches(listed(statement["NotAction"]), action, case=False):
        return False
    if "Resource" in statement:
        if not matches(listed(statement["Resource"]), resource):
            return False
    elif "NotResource" in statement and matches(listed(statement["NotResource"]), resource):
        return False
    return condition_holds(statement.get("Condition", {}), context)


def matching(documents: Sequence[dict], effect: str, request: Request) -> list[str]:
    """Sids (or indexes) of the statements of that effect that apply to the request."""
    context = request.keys()
    return [statement.get("Sid", str(index))
            for document in documents for index, statement in enumerate(document["Statement"])
            if statement["Effect"] == effect
            and statement_applies(statement, request.action, request.resource.arn, context)]


def _principal_match(statement: dict, principal: Principal) -> str | None:
    """'direct' (names it, or everyone), 'account' (names its account's root) or None."""
    named = statement.get("Principal")
    if named == "*":
        return "direct"
    if principal.is_service:
        return "direct" if principal.arn in listed(named.get("Service", [])) else None
    for value in listed(named.get("AWS", [])):
        if value == "*" or value == principal.arn:
            return "direct"
        if value in (principal.account, f"arn:aws:iam::{principal.account}:root"):
            return "account"
    return None


def _resource_grant(request: Request) -> str | None:
    """How the resource policy lets the principal in: 'direct', 'account' or None."""
    policy = request.resource.policy
    if policy is None:
        return None
    context = request.keys()
    found = None
    for statement in policy["Statement"]:
        if statement["Effect"] != "Allow":
            continue
        how = _principal_match(statement, request.principal)
        if how and statement_applies(statement, request.action, request.resource.arn, context):
            if how == "direct":
                return how
            found = how
    return found


def _resource_denies(request: Request) -> list[str]:
    policy = request.resource.policy
    if policy is None:
        return []
    context = request.keys()
    return [s.get("Sid", "?") for s in policy["Statement"]
            if s["Effect"] == "Deny" and _principal_match(s, request.principal)
            and statement_applies(s, request.action, request.resource.arn, context)]


@dataclass(frozen=True)
class Decision:
    allowed: bool
    why: str

    def __bool__(self) -> bool:
        return self.allowed


def decide(request: Request, *, scps: Sequence[dict] = (), rcps: Sequence[dict] = ()) -> Decision:
    """`scps`: those of the principal's account, `rcps`: those of the resource's account
    (pass none for the management account: neither kind applies there)."""
    principal = request.principal
    own_scps = [] if principal.is_service else scps
    for kind, sids in (("SCP", matching(own_scps, "Deny", request)),
                       ("RCP", matching(rcps, "Deny", request) if not principal.is_service else []),
                       ("identity policy", matching(principal.policies, "Deny", request)),
                       ("resource policy", _resource_denies(request))):
        if sids:
            return Decision(False, f"explicit deny in {kind}: {', '.join(sids)}")
    identity = bool(matching(principal.policies, "Allow", request))
    grant = _resource_grant(request)
    same_account = principal.account == request.resource.account
    if request.resource.kind in ("kms", "trust"):
        if grant is None:
            return Decision(False, f"the {request.resource.kind} policy does not allow it")
        if grant == "direct" and same_account:
            return Decision(True, "the resource policy names the principal")
        return Decision(identity, "resource policy and identity policy allow it" if identity
                        else "the resource policy delegates to the identity policies, which do not allow it")
    if same_account:
        allowed = identity or grant == "direct"
        return Decision(allowed, "allowed" if allowed else "no policy allows it (implicit deny)")
    allowed = identity and grant is not None
    return Decision(allowed, "allowed by both sides" if allowed else
                    "a cross-account request needs both an identity and a resource policy allow")
