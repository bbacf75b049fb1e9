"""IAM Identity Center: groups, users, permission sets and customer-managed policies."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

from pydantic import Field, WithJsonSchema, field_validator

from config.model.base import Model, StrList, Tags, str_or_list_schema

EVERY_ACCOUNT = "*"
OU_TARGET_PREFIX = "ou:"


class PrincipalAction(str, Enum):
    REMOVE = "remove"


def normalize_targets(value: Any) -> Any:
    """The three shapes of `account_permission_sets`, normalized to target -> [permission sets].

    A key or a list means every active account (target `*`); a map names account keys or
    `ou:<key>` targets, each with a key or a list.
    """
    if value is None:
        return {}
    if isinstance(value, (str, list)):
        return {EVERY_ACCOUNT: value if isinstance(value, list) else [value]}
    if isinstance(value, dict):
        return {str(t): (v if isinstance(v, list) else [v]) for t, v in value.items()}
    return value


# What the YAML may say (see normalize_targets); the model holds the normalized map.
Targets = Annotated[dict[str, list[str]], WithJsonSchema({"anyOf": [
    *str_or_list_schema(nullable=False)["anyOf"],
    {"type": "object", "additionalProperties": str_or_list_schema(nullable=False)},
    {"type": "null"},
]})]


class Group(Model):
    """An Identity Center group and where its members get which permission sets.

    ```yaml
    groups:
      admins:
        name: Admins
        account_permission_sets: admin            # every active account
      deployers:
        name: Deployers
        account_permission_sets: {dev: deployer, 'ou:workloads': [deployer, read_only]}
    ```
    """

    name: str = Field(description="Group display name in the identity store (unique).")
    description: str | None = Field(None, description="Group description.")
    account_permission_sets: Targets = Field(
        default_factory=dict,
        description="Permission set key(s) for every active account, or a map of account key "
                    "/ 'ou:<OU key>' / '*' to permission set key(s).")
    id: str | None = Field(None, description="Existing identity store group id: adopt it.")
    action: PrincipalAction | None = Field(None, description="remove: stop managing the group.")

    @field_validator("account_permission_sets", mode="before")
    @classmethod
    def normalize_account_permission_sets(cls, value: Any) -> Any:
        return normalize_targets(value)


class PermissionSet(Model):
    """A permission set: AWS-managed and customer-managed policies, inline policy, boundary.

    ```yaml
    permission_sets:
      admin:
        name: Admin
        session_duration: PT4H
        policies: [AdministratorAccess, state_writer]
    ```
    """

    name: str = Field(description="Permission set name (1-32 characters of [A-Za-z0-9+=,.@_-]).")
    description: str | None = Field(None, description="Shown on the AWS access portal.")
    policies: StrList = Field(
        default_factory=list,
        description="Customer policy keys (from sso.policies) or AWS-managed policy names "
                    "(AdministratorAccess, job-function/ViewOnlyAccess) or ARNs.")
    session_duration: str = Field("PT1H", description="ISO 8601 duration, PT1H to PT12H.")
    relay_state: str | None = Field(None, description="URL the console opens after sign-in.")
    inline_policy: dict[str, Any] | str | None = Field(
        None, description="An IAM policy document, inline or as a JSON file path relative to "
                          "the config file.")
    permissions_boundary: str | None = Field(
        None, description="AWS-managed policy name/ARN or customer policy key used as the "
                          "permissions boundary.")
    tags: Tags = Field(default_factory=dict, description="Tags on the permission set.")
    id: str | None = Field(
        None, description="Existing permission set ARN (arn:aws:sso:::permissionSet/ssoins-.../"
                          "ps-...): adopt it, with the policies, inline policy and assignments "
                          "(of adopted principals in adopted accounts) the config gives it, as "
                          "`./lz import` writes them. Once a `pulumi up` has adopted it, delete "
                          "the id before attaching or assigning more: those are new, and "
                          "importing what does not exist fails.")


class CustomerPolicy(Model):
    """A customer policy: its statements join the inline policy of every permission set that
    lists it, which Identity Center provisions into every assigned account. With
    `customer_managed: true` it is an IAM policy of that name and path in every account
    instead (deployed by a StackSets stack set), attached to the permission set by reference,
    and it can be a permissions boundary.

    ```yaml
    policies:
      state_writer:
        name: StateWriter
        document_file: policies/state-writer.json
      workload_boundary:
        name: WorkloadBoundary
        path: /landing-zone/
        customer_managed: true
        document_file: policies/workload-boundary.json
    ```
    Metastructure's keys `sso_terraform_state_writer` and `unprotected_resource_writer`, and
    `audit_log_reader` (read and decrypt the trail's log files), get built-in documents when
    none is given.
    """

    name: str = Field(description="The policy's name (Metastructure's IAM policy name; unique).")
    description: str | None = Field(None, description="What the policy is for.")
    path: str = Field("/", description="The IAM path of the policy with `customer_managed`; "
                      "otherwise accepted for compatibility (and written by `./lz import`): the "
                      "statements are provisioned inline, and no IAM policy is created at it.")
    customer_managed: bool = Field(
        False, description="Deploy the document as an IAM policy of this name and path into "
                           "every account of the organization (a StackSets stack set; the "
                           "management account through its provider) and attach it to the "
                           "permission sets by reference, or as their permissions boundary. "
                           "Default: its statements join their inline policy.")
    document: dict[str, Any] | None = Field(None, description="Policy document, inline.")
    document_file: str | None = Field(None, description="Policy document as a JSON file path "
                                      "relative to the config file.")


class UserName(Model):
    given_name: str = Field(description="First name.")
    family_name: str = Field(description="Last name.")


class User(Model):
    """An Identity Center user. The key names it in the config (and in Pulumi); `user_name` is
    its sign-in name in AWS, the key unless set.

    ```yaml
    users:
      jane:
        user_name: jane.doe
        email: jane@example.com
        display_name: Jane Doe
        name: {given_name: Jane, family_name: Doe}
        groups: [admins]
    ```
    """

    user_name: str | None = Field(
        None, description="Sign-in name in the identity store (default: the key). AWS cannot "
                          "rename a user: changing it replaces the user, who loses password and "
                          "MFA. `./lz import` writes the live one.")
    email: str = Field(description="The user's one email address.")
    display_name: str | None = Field(None, description="Display name (default: given + family).")
    name: UserName = Field(description="Given and family name.")
    groups: StrList = Field(default_factory=list, description="Group key(s) the user joins.")
    account_permission_sets: Targets = Field(
        default_factory=dict, description="Direct assignments, same shapes as for groups.")
    id: str | None = Field(None, description="Existing identity store user id: adopt it.")
    group_membership_ids: dict[str, str] = Field(
        default_factory=dict,
        description="Group key -> identity store membership id of a membership that already "
                    "exists (written by `./lz import`): adopt it instead of creating it.")
    action: PrincipalAction | None = Field(None, description="remove: stop managing the user.")

    @field_validator("account_permission_sets", mode="before")
    @classmethod
    def normalize_account_permission_sets(cls, value: Any) -> Any:
        return normalize_targets(value)


class SSO(Model):
    """IAM Identity Center (SSO).

    ```yaml
    sso:
      start_url: https://my-alias.awsapps.com/start   # only with a portal alias
      groups: {...}
      permission_sets: {...}
      policies: {...}
      users: {...}
    ```
    """

    start_url: str | None = Field(None, description="AWS access portal URL, only if you chose "
                                  "an alias (default: derived from the identity store, "
                                  "https://<identity store id>.awsapps.com/start).")
    groups: dict[str, Group] = Field(default_factory=dict, description="Groups by key.")
    permission_sets: dict[str, PermissionSet] = Field(default_factory=dict,
                                                     description="Permission sets by key.")
    policies: dict[str, CustomerPolicy] = Field(default_factory=dict,
                                                description="Customer-managed policies by key.")
    users: dict[str, User] = Field(default_factory=dict, description="Users by key.")

    @field_validator("users", mode="before")
    @classmethod
    def user_name_defaults_to_the_key(cls, value: Any) -> Any:
        """Filled before validation, so `./lz show`, the program and verify read one value."""
        if not isinstance(value, dict):
            return value
        return {key: ({**user, "user_name": key} if isinstance(user, dict)
                      and user.get("user_name") is None else user)
                for key, user in value.items()}
