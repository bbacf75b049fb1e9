"""One permission set's inline policy: its own statements and those of its customer policies.

Identity Center provisions a permission set's inline policy itself, as an inline policy of the
role it makes in every account the set is assigned to: a document that is the same in every
account needs no IAM policy per account, no provider per account and no ordering against the
assignments. Two limits bind, both counted on the JSON as sent, which is therefore rendered
with no whitespace:
- `PutInlinePolicyToPermissionSet` accepts at most 32,768 characters
  (https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_PutInlinePolicyToPermissionSet.html);
- the provisioned role's inline policies count against IAM's 10,240 characters of role policy
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), the tighter one.
Statement ids must stay unique in one document, so a clash is an error rather than a rename
that would change what a reader of either source document expects.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from config.rules.limits import INLINE_POLICY_CHARS as MAX_INLINE_POLICY_CHARS

VERSION = "2012-10-17"


class InlinePolicyError(ValueError):
    """The combined document breaks a limit; the message says which sources and what to do."""


def combined_inline_policy(permission_set: str,
                           sources: Sequence[tuple[str, dict[str, Any]]]) -> str:
    """The minified document of every (source name, document) statement, in the given order."""
    statements: list[dict] = []
    seen: dict[str, tuple[str, dict]] = {}
    for source, document in sources:
        found = document.get("Statement", [])
        for statement in found if isinstance(found, list) else [found]:
            sid = statement.get("Sid")
            if sid is not None and sid in seen and seen[sid][1] == statement:
                continue  # the same statement from two built-ins (e.g. the landing-zone denies)
            if sid is not None and sid in seen:
                raise InlinePolicyError(
                    f"sso.permission_sets.{permission_set}: statement id '{sid}' is in both "
                    f"{seen[sid][0]} and {source}, and one inline policy needs distinct ids. "
                    "Rename one of them.")
            if sid is not None:
                seen[sid] = (source, statement)
            statements.append(statement)
    body = json.dumps({"Version": VERSION, "Statement": statements}, separators=(",", ":"))
    if len(body) > MAX_INLINE_POLICY_CHARS:
        raise InlinePolicyError(
            f"sso.permission_sets.{permission_set}: its inline policy ({', '.join(s for s, _ in sources)}) "
            f"is {len(body)} characters; IAM accepts {MAX_INLINE_POLICY_CHARS} of inline policy "
            "per role. Split the permission set, move statements into AWS-managed policies, or "
            "shorten the documents.")
    return body
