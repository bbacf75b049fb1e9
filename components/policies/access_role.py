"""Who may assume the roles the landing zone reaches member accounts through.

- The account access role (`account_access.role_name`) is created by Organizations in every new
  account with AdministratorAccess and a trust in the whole management account
  (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_create-cross-account-role.html).
  Rewriting that trust would be one IAM role per account to manage; a resource control policy
  attached to the root narrows it for every account, present and future, at once: STS is a
  service RCPs apply to, they apply to any caller, the management account's included, and they
  never apply to resources of the management account itself
  (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html).
- The read-only role the program creates in member accounts trusts the CI preview role only.
"""

from __future__ import annotations

from collections.abc import Sequence

VERSION = "2012-10-17"
ASSUME_ACTIONS = ("sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession")
READ_ONLY_ACCESS = "arn:aws:iam::aws:policy/ReadOnlyAccess"


def role_arn_pattern(role_name: str) -> str:
    """The role in every account (ARNs of roles carry no region)."""
    return f"arn:aws:iam::*:role/{role_name}"


def only_operators_assume_access_role(*, access_role_name: str, operators: Sequence[str]) -> dict:
    """RCP: nobody but the operators assumes the account access role in a member account.

    RCPs hold only denies (RCPFullAWSAccess is the one allow) and need `Principal: "*"`
    (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html).
    """
    return {"Version": VERSION, "Statement": [
        {"Sid": "OnlyOperatorsAssumeTheAccountAccessRole", "Effect": "Deny", "Principal": "*",
         "Action": list(ASSUME_ACTIONS), "Resource": role_arn_pattern(access_role_name),
         "Condition": {"ArnNotLike": {"aws:PrincipalArn": list(operators)}}}]}


def read_only_trust_policy(*, management_account_id: str, preview_role_arn: str) -> dict:
    """The read-only role trusts one principal: the CI preview role of the management account.

    Named in a condition, not as the Principal: IAM refuses a trust naming a role that does not
    exist yet (docs/ci.md creates the preview role by hand, possibly after the first run).
    """
    return {"Version": VERSION, "Statement": [
        {"Sid": "TheCiPreviewRoleOnly", "Effect": "Allow",
         "Principal": {"AWS": f"arn:aws:iam::{management_account_id}:root"},
         "Action": "sts:AssumeRole",
         "Condition": {"ArnLike": {"aws:PrincipalArn": preview_role_arn}}}]}
