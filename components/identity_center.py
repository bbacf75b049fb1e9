"""IAM Identity Center from the `sso` section: principals, permission sets, policies, assignments.

Identity Center has no creation API: it is enabled once in the console (see
`IDENTITY_CENTER_NOT_ENABLED`), and the program discovers its instance through the management
provider. Everything else is built here.

Customer policies (`sso.policies`) become statements of the inline policy of every permission
set that names them (components/policies/inline.py): Identity Center provisions the inline
policy into every account the set is assigned to, so no account needs an IAM policy of its own,
no account needs a provider, and an assignment only waits for its permission set to be complete
and, in an account created in this run, for that account's baseline (its stack instances,
components/access_logs.py). A customer policy with `customer_managed` is the explicit
exception (for boundaries and documents that must be IAM policies): it is deployed into every
account by components/customer_policies.py and attached by name and path, after it exists.

Logical names are built from config keys only (`<name>-<kind>-<key>[/<key>...]`); keys may
contain `-`, so multi-key names join them with `/`, which keys cannot contain. Adding a
permission set, a principal or an account therefore adds resources and never renames one.

`id` adopts an existing group or user (`import_` as `<identity store id>/<object id>`, the
format of pulumi-aws `identitystore.Group`/`User` and so also the id of one this program made:
the engine then sees nothing to import, pulumi/pulumi#17908). `action: remove` (with `id`,
rule LZ401) releases a principal in two runs, as OUs are released: the first keeps it
registered with `retain_on_delete` and revokes every grant landing-zone made to it, its
assignments and its group memberships, so an unmanaged user keeps no access through a managed
group; once the entry is deleted from the config, the engine forgets it and it stays in the
identity store, unmanaged.

Adopting what `./lz import` found (AWS refuses to create any of these twice: ConflictException,
EntityAlreadyExists) uses each resource's pulumi-aws import id (the `## Import` section of its
docstring), and only ids that are plain strings from the config, never an Output:
- a permission set with `id` (its ARN): `<arn>,<instance arn>`; its AWS-managed attachments
  `<policy arn>,<set arn>,<instance arn>` and its inline policy `<set arn>,<instance arn>`
  (which the first `pulumi up` then rewrites with the customer policies' statements). `id` therefore says "this
  entry describes the live set", which `./lz import` guarantees. Its permissions boundary is
  not imported: the importer cannot read it, and creating one is a Put that replaces any
  boundary in place (no conflict);
- an assignment whose permission set, principal and account (`id` in the config, the
  management account's too) are all adopted:
  `<principal id>,<GROUP|USER>,<account id>,AWS_ACCOUNT,<set arn>,<instance arn>`;
- a membership named in the user's `group_membership_ids`: `<identity store id>/<membership id>`;
Importing something that does not exist fails the preview, and only the first `pulumi up`
needs an import (the engine ignores `import_` for a resource already in its state). So once
that run has adopted a permission set, delete its `id` before attaching a policy to it or
assigning it to an adopted principal in an adopted account: those are new, and must be created.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from components.policies.cloudtrail import log_reader_policy
from components.policies.inline import InlinePolicyError, combined_inline_policy
from components.policies.state_writer import state_writer
from components.policies.unprotected_writer import unprotected_resource_writer
from components.state_backend import state_account
from config.assignments import (
    Assignment,
    assignments,
    aws_managed_policy_arn,
    aws_managed_policy_arns,
    customer_managed_boundary,
    customer_managed_refs,
    customer_policy_refs,
    STATE_WRITER_POLICY,
)
from config.documents import AUDIT_LOG_READER_KEY, policy_text
from config.guardrails import audit_logging_on
from config.model import LandingZoneConfig
from config.naming import (
    audit_bucket_name,
    audit_kms_alias,
    landing_zone_checkpoint_keys,
    landing_zone_private_keys,
    protected_bucket_arns,
    state_bucket_name,
    state_kms_alias,
)

TYPE = "landing-zone:sso:IdentityCenter"
STATE_WRITER_KEY = STATE_WRITER_POLICY
UNPROTECTED_WRITER_KEY = "unprotected_resource_writer"

Boundary = aws.ssoadmin.PermissionsBoundaryAttachmentPermissionsBoundaryArgs
BoundaryReference = (
    aws.ssoadmin.PermissionsBoundaryAttachmentPermissionsBoundaryCustomerManagedPolicyReferenceArgs)

IDENTITY_CENTER_NOT_ENABLED = (
    "IAM Identity Center is not enabled for this organization in {region}, and it has no "
    "creation API. As the management account, open the IAM Identity Center console "
    "(https://{region}.console.aws.amazon.com/singlesignon/home?region={region}), choose "
    "'Enable' and enable it with AWS Organizations in {region} (the config's "
    "organization.aws_region); then run `./lz preflight` and `pulumi up` again.")


@dataclass(frozen=True)
class IdentityCenterArgs:
    config: LandingZoneConfig
    account_ids: Mapping[str, pulumi.Input[str]]
    """Managed account key -> id, the management account included."""
    baseline: Mapping[str, pulumi.Resource]
    """Account created in this run -> the gate on its baseline: its assignments wait for it."""
    management_provider: aws.Provider
    state_bucket_arn: pulumi.Input[str] | None
    """The state backend's bucket and key, for the built-in policies (None: this stack builds
    no state backend; the state writer then names the bucket and key alias of the config)."""
    state_kms_key_arn: pulumi.Input[str] | None
    landing_zone_kms_key_arn: pulumi.Input[str] | None = None
    """The landing zone's own secrets key, which the built-in policies deny."""
    customer_policies_ready: Sequence[pulumi.Resource] = ()
    """What a customer-managed policy attachment waits for: the policies in every account
    (components/customer_policies.py)."""


def default_start_url(identity_store_id: str) -> str:
    """The access portal URL before anyone sets an alias: https://d-xxxxxxxxxx.awsapps.com/start."""
    return f"https://{identity_store_id}.awsapps.com/start"


def adoption_id(identity_store_id: str, object_id: str | None) -> str | None:
    """pulumi-aws imports identity store groups, users and group memberships as
    `<identity store id>/<id>`."""
    return f"{identity_store_id}/{object_id}" if object_id else None


def comma_id(*parts: str | None) -> str | None:
    """The comma-joined import id of the ssoadmin resources, or None when a part is unknown
    (not adopted): then the resource is created."""
    return ",".join(parts) if all(parts) else None  # type: ignore[arg-type]


def instance_of(arn: str) -> str:
    """`arn:aws:sso:::permissionSet/ssoins-X/ps-Y` and `arn:aws:sso:::instance/ssoins-X` -> `ssoins-X`."""
    return arn.split("/")[1]


class IdentityCenter(pulumi.ComponentResource):
    """Every SSO resource, through the management provider (given in the args)."""

    instance_arn: str
    identity_store_id: str
    start_url: str
    permission_sets: dict[str, pulumi.Output[str]]
    """Permission set key -> ARN."""
    groups: dict[str, pulumi.Output[str]]
    """Managed group key -> identity store group id (released groups are left out)."""
    users: dict[str, pulumi.Output[str]]
    """Managed user key -> identity store user id (released users are left out)."""
    assignments: list[dict[str, str]]
    """Each account assignment as {principal_type, principal, account, permission_set} keys."""
    outputs: dict[str, Any]
    """The `sso` stack output (docs/dev/contracts.md): the attributes above by name."""

    def __init__(self, name: str, args: IdentityCenterArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        self._name, self._args, self._config = name, args, args.config
        sso = self._config.sso
        self.instance_arn, self.identity_store_id = self._discover_instance()
        self.start_url = sso.start_url or default_start_url(self.identity_store_id)

        groups = {key: self._group(key) for key in sorted(sso.groups)}
        users = {key: self._user(key) for key in sorted(sso.users)}
        self._memberships(groups, users)
        permission_sets = {key: self._permission_set(key) for key in sorted(sso.permission_sets)}
        attachments = {key: self._attachments(key, ps) for key, ps in permission_sets.items()}
        principal_ids = {"GROUP": {k: g.group_id for k, g in groups.items()},
                         "USER": {k: u.user_id for k, u in users.items()}}
        granted = assignments(self._config)
        for grant in granted:
            self._assign(grant, principal_ids[grant.principal_type][grant.principal],
                         permission_sets[grant.permission_set], attachments[grant.permission_set])

        self.permission_sets = {k: ps.arn for k, ps in permission_sets.items()}
        self.groups = {k: g.group_id for k, g in groups.items() if sso.groups[k].action is None}
        self.users = {k: u.user_id for k, u in users.items() if sso.users[k].action is None}
        self.assignments = [{"principal_type": g.principal_type, "principal": g.principal,
                             "account": g.account, "permission_set": g.permission_set}
                            for g in granted]
        self.outputs = {"instance_arn": self.instance_arn,
                        "identity_store_id": self.identity_store_id,
                        "start_url": self.start_url, "permission_sets": self.permission_sets,
                        "groups": self.groups, "users": self.users,
                        "assignments": self.assignments}
        self.register_outputs(self.outputs)

    def _on_management(self, **options: Any) -> pulumi.ResourceOptions:
        """Identity Center and the identity store are reached through the management account."""
        return pulumi.ResourceOptions(parent=self, provider=self._args.management_provider,
                                      **options)

    def _discover_instance(self) -> tuple[str, str]:
        """A plain lookup: `import_` ids need the identity store id as a string, in preview too."""
        found = aws.ssoadmin.get_instances(
            opts=pulumi.InvokeOptions(parent=self, provider=self._args.management_provider))
        if not found.arns:
            raise pulumi.RunError(IDENTITY_CENTER_NOT_ENABLED.format(
                region=self._config.organization.aws_region))
        return found.arns[0], found.identity_store_ids[0]

    def _group(self, key: str) -> aws.identitystore.Group:
        group = self._config.sso.groups[key]
        return aws.identitystore.Group(
            f"{self._name}-group-{key}", identity_store_id=self.identity_store_id,
            display_name=group.name, description=group.description,
            opts=self._on_management(retain_on_delete=group.action is not None or None,
                                     import_=adoption_id(self.identity_store_id, group.id)))

    def _user(self, key: str) -> aws.identitystore.User:
        user = self._config.sso.users[key]
        given, family = user.name.given_name, user.name.family_name
        return aws.identitystore.User(
            # user_name is ForceNew (terraform-provider-aws identitystore resourceUserUpdate
            # cannot change it): it comes from the config's user_name, never from the key.
            f"{self._name}-user-{key}", identity_store_id=self.identity_store_id,
            user_name=user.user_name,
            display_name=user.display_name or f"{given} {family}",
            name=aws.identitystore.UserNameArgs(given_name=given, family_name=family),
            emails=aws.identitystore.UserEmailsArgs(value=user.email, primary=True),
            opts=self._on_management(retain_on_delete=user.action is not None or None,
                                     import_=adoption_id(self.identity_store_id, user.id)))

    def _memberships(self, groups: dict[str, aws.identitystore.Group],
                     users: dict[str, aws.identitystore.User]) -> None:
        """Memberships between managed principals; a released one loses its memberships."""
        sso = self._config.sso
        for user_key, user in sorted(sso.users.items()):
            if user.action is not None:
                continue
            for group_key in sorted({g for g in user.groups
                                     if g in sso.groups and sso.groups[g].action is None}):
                aws.identitystore.GroupMembership(
                    f"{self._name}-member-{group_key}/{user_key}",
                    identity_store_id=self.identity_store_id,
                    group_id=groups[group_key].group_id, member_id=users[user_key].user_id,
                    opts=self._on_management(import_=adoption_id(
                        self.identity_store_id, user.group_membership_ids.get(group_key))))

    def _permission_set(self, key: str) -> aws.ssoadmin.PermissionSet:
        ps = self._config.sso.permission_sets[key]
        if ps.id is not None and instance_of(ps.id) != instance_of(self.instance_arn):
            raise pulumi.RunError(
                f"sso.permission_sets.{key}.id ({ps.id}) belongs to another Identity Center "
                f"instance than this organization's ({self.instance_arn}): run `./lz import` "
                "against this organization, or delete the id to create the set.")
        return aws.ssoadmin.PermissionSet(
            f"{self._name}-ps-{key}", instance_arn=self.instance_arn, name=ps.name,
            description=ps.description, session_duration=ps.session_duration,
            relay_state=ps.relay_state, tags=ps.tags or None,
            opts=self._on_management(import_=comma_id(ps.id, self.instance_arn)))

    def _document(self, key: str) -> pulumi.Input[str]:
        """The YAML's document, else the built-in one of a Metastructure key."""
        document = self._config.sso.policies[key].document
        if document is not None:
            return policy_text(document)
        if key == STATE_WRITER_KEY:
            return self._state_writer_document()
        if key == UNPROTECTED_WRITER_KEY:
            # Bucket names are known from the config (state, log archive, every access-log
            # bucket); the audit key is covered by the landing-zone tag deny.
            args, config = self._args, self._config
            buckets = [] if args.state_bucket_arn is None else [args.state_bucket_arn]
            keys = [k for k in (args.state_kms_key_arn, args.landing_zone_kms_key_arn)
                    if k is not None]
            return pulumi.Output.all(buckets, keys, self._landing_zone_state()).apply(
                lambda arns: policy_text(unprotected_resource_writer(
                    protected_bucket_arns=sorted({*protected_bucket_arns(config), *arns[0]}),
                    protected_key_arns=arns[1],
                    access_role_name=config.account_access.role_name, **arns[2])))
        if key == AUDIT_LOG_READER_KEY:
            return self._log_reader_document()
        raise pulumi.RunError(f"sso.policies.{key} has no document (rule LZ211).")

    def _log_reader_document(self) -> pulumi.Output[str]:
        """Read the organization trail's archive (names from the config: the log key is made
        after Identity Center, so it is named by its alias)."""
        config = self._config
        archive = config.key_account("log_archive")
        if not (archive and audit_logging_on(config)):
            raise pulumi.RunError(f"sso.policies.{AUDIT_LOG_READER_KEY} reads the audit log "
                                  "archive, and audit logging is off (rule LZ257).")
        return pulumi.Output.from_input(self._args.account_ids[archive]).apply(
            lambda account_id: policy_text(log_reader_policy(
                bucket=audit_bucket_name(config), region=config.organization.aws_region,
                log_archive_account_id=account_id, kms_alias=audit_kms_alias(config))))

    def _landing_zone_state(self) -> pulumi.Output[dict[str, list[str]]]:
        """The deployer policies' denies on the landing zone's own stack: its private objects
        and, when this stack builds it, its key; its checkpoints."""
        bucket = self._args.state_bucket_arn or f"arn:aws:s3:::{state_bucket_name(self._config)}"
        key = self._args.landing_zone_kms_key_arn
        return pulumi.Output.all(
            landing_zone_state_arns=[*(pulumi.Output.concat(bucket, "/", k)
                                       for k in landing_zone_private_keys()),
                                     *([key] if key is not None else [])],
            landing_zone_checkpoint_arns=[pulumi.Output.concat(bucket, "/", k)
                                          for k in landing_zone_checkpoint_keys()])

    def _state_writer_document(self) -> pulumi.Output[str]:
        """The backend this stack builds; without one, the backend the config names (a bucket
        and key alias made elsewhere, e.g. Metastructure's `terraform.state.bucket`)."""
        args, config = self._args, self._config
        if args.state_bucket_arn is not None and args.state_kms_key_arn is not None:
            return pulumi.Output.all(args.state_bucket_arn, args.state_kms_key_arn,
                                     self._landing_zone_state()).apply(
                lambda arns: policy_text(state_writer(bucket_arn=arns[0], kms_key_arn=arns[1],
                                                     **arns[2])))
        region = config.organization.aws_region
        return pulumi.Output.all(args.account_ids[state_account(config)],
                                 self._landing_zone_state()).apply(
            lambda values: policy_text(state_writer(
                bucket_arn=f"arn:aws:s3:::{state_bucket_name(config)}",
                kms_key_arn=f"arn:aws:kms:{region}:{values[0]}:key/*",
                kms_alias=state_kms_alias(config), **values[1])))

    def _attachments(self, key: str, permission_set: aws.ssoadmin.PermissionSet
                     ) -> list[pulumi.Resource]:
        """Everything attached to one permission set."""
        config, name = self._config, self._name
        ps = config.sso.permission_sets[key]
        on_set = {"instance_arn": self.instance_arn, "permission_set_arn": permission_set.arn}
        on_adopted = comma_id(ps.id, self.instance_arn)  # `<set arn>,<instance arn>` or None
        out: list[pulumi.Resource] = [
            aws.ssoadmin.ManagedPolicyAttachment(
                f"{name}-ps-{key}/{arn.split(':policy/', 1)[1]}", managed_policy_arn=arn,
                **on_set, opts=self._on_management(import_=comma_id(arn, on_adopted)))
            for arn in aws_managed_policy_arns(config, key)]
        inline = self._inline_policy(key)
        if inline is not None:
            out.append(aws.ssoadmin.PermissionSetInlinePolicy(
                f"{name}-ps-{key}/inline-policy", inline_policy=inline, **on_set,
                opts=self._on_management(import_=on_adopted)))
        # Customer-managed references: attaching provisions the set into its accounts, which
        # needs the policy there (components/customer_policies.py).
        after_policies = self._on_management(depends_on=list(self._args.customer_policies_ready))
        for policy in customer_managed_refs(config, key):
            out.append(aws.ssoadmin.CustomerManagedPolicyAttachment(
                f"{name}-ps-{key}/customer-managed/{policy}", **on_set,
                customer_managed_policy_reference=self._reference(
                    aws.ssoadmin.CustomerManagedPolicyAttachmentCustomerManagedPolicyReferenceArgs,
                    policy),
                opts=after_policies))
        if ps.permissions_boundary is not None:
            out.append(self._boundary(key, ps.permissions_boundary, on_set))
        return out

    def _reference(self, kind: type, policy: str) -> Any:
        """A customer-managed policy as Identity Center names it: name and path."""
        found = self._config.sso.policies[policy]
        return kind(name=found.name, path=found.path)

    def _inline_policy(self, key: str) -> pulumi.Output[str] | None:
        """The set's own inline policy and its customer policies, as one document."""
        ps = self._config.sso.permission_sets[key]
        if ps.inline_policy is not None and not isinstance(ps.inline_policy, dict):
            raise pulumi.RunError(f"sso.permission_sets.{key}.inline_policy names a file "
                                  "that was never read: load the config with config.load.")
        sources: list[tuple[str, pulumi.Input[str]]] = []
        if ps.inline_policy is not None:
            sources.append((f"sso.permission_sets.{key}.inline_policy",
                            policy_text(ps.inline_policy)))
        sources += [(f"sso.policies.{policy}", self._document(policy))
                    for policy in customer_policy_refs(self._config, key)]
        if not sources:
            return None

        def combine(documents: list[str]) -> str:
            try:
                return combined_inline_policy(key, [
                    (name, json.loads(document))
                    for (name, _), document in zip(sources, documents)])
            except InlinePolicyError as error:
                raise pulumi.RunError(str(error)) from None

        return pulumi.Output.all(*(document for _, document in sources)).apply(combine)

    def _boundary(self, key: str, boundary: str, on_set: dict[str, pulumi.Input[str]]
                  ) -> aws.ssoadmin.PermissionsBoundaryAttachment:
        """An AWS-managed boundary, or a customer-managed one (rule LZ214 refuses a customer
        policy without `customer_managed`), which waits for the policy in every account."""
        if customer_managed_boundary(self._config, key) is None:
            reference = Boundary(managed_policy_arn=aws_managed_policy_arn(boundary))
            after: list[pulumi.Resource] = []
        else:
            reference = Boundary(customer_managed_policy_reference=self._reference(
                BoundaryReference, boundary))
            after = list(self._args.customer_policies_ready)
        return aws.ssoadmin.PermissionsBoundaryAttachment(
            f"{self._name}-ps-{key}/permissions-boundary", **on_set,
            permissions_boundary=reference, opts=self._on_management(depends_on=after))

    def _assign(self, grant: Assignment, principal_id: pulumi.Output[str],
                permission_set: aws.ssoadmin.PermissionSet,
                attachments: list[pulumi.Resource]) -> None:
        """Provisioning into the account needs the set complete; an account created in this
        run is handed out only once its baseline is in place."""
        sso = self._config.sso
        principal = (sso.groups if grant.principal_type == "GROUP" else sso.users)[grant.principal]
        import_id = comma_id(principal.id, grant.principal_type,
                             self._config.accounts[grant.account].id, "AWS_ACCOUNT",
                             sso.permission_sets[grant.permission_set].id, self.instance_arn)
        baseline = self._args.baseline.get(grant.account)
        aws.ssoadmin.AccountAssignment(
            f"{self._name}-{grant.principal_type.lower()}-{grant.principal}/{grant.account}/"
            f"{grant.permission_set}",
            instance_arn=self.instance_arn, permission_set_arn=permission_set.arn,
            principal_type=grant.principal_type, principal_id=principal_id,
            target_type="AWS_ACCOUNT", target_id=self._args.account_ids[grant.account],
            opts=self._on_management(import_=import_id,
                                     depends_on=[*attachments, *filter(None, [baseline])]))
