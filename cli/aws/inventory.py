"""A read-only picture of the live organization, shared by `./lz verify` and `./lz import`.

Everything is listed with paginators (an organization easily has more accounts than one page)
and returned as frozen records in AWS terms; mapping them to config keys is the callers' job.
The reads need the management account (or a delegated administrator): Organizations,
IAM Identity Center and the organization trail are all managed from there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from botocore.exceptions import ClientError

from cli.aws.progress import Progress, silent
from cli.aws.session import AwsSession, error_code

NOT_IN_ORGANIZATION = "AWSOrganizationsNotInUseException"
# What the program stamps on everything it creates (components/tags.py; importing it here would
# load the Pulumi SDK into every CLI command, so a test keeps the two equal).
MANAGED_TAG = ("landing-zone:managed", "true")
ORGANIZATIONS_REGION = "us-east-1"  # Organizations is a global service hosted in us-east-1.


# -- Organizations -----------------------------------------------------------------------------

@dataclass(frozen=True)
class LiveOrganization:
    id: str
    arn: str
    feature_set: str
    management_account_id: str
    management_account_email: str
    root_id: str
    enabled_policy_types: tuple[str, ...]
    """Policy types enabled on the root (SERVICE_CONTROL_POLICY, ...)."""


@dataclass(frozen=True)
class LiveOu:
    id: str
    name: str
    parent_id: str


@dataclass(frozen=True)
class LiveAccount:
    id: str
    name: str
    email: str
    status: str
    parent_id: str


def read_organization(aws: AwsSession) -> LiveOrganization | None:
    """The caller's organization, or None when its account belongs to none."""
    try:
        org = aws.call("organizations", "describe_organization")["Organization"]
    except ClientError as error:
        if error_code(error) == NOT_IN_ORGANIZATION:
            return None
        raise
    root = aws.paginate("organizations", "list_roots", "Roots")[0]
    enabled = tuple(sorted(p["Type"] for p in root.get("PolicyTypes", [])
                           if p.get("Status") == "ENABLED"))
    return LiveOrganization(
        id=org["Id"], arn=org["Arn"], feature_set=org.get("FeatureSet", ""),
        management_account_id=org["MasterAccountId"],
        management_account_email=org.get("MasterAccountEmail", ""),
        root_id=root["Id"], enabled_policy_types=enabled)


def read_trusted_services(aws: AwsSession) -> tuple[str, ...]:
    """Service principals with trusted access (needs the management account)."""
    items = aws.paginate("organizations", "list_aws_service_access_for_organization",
                         "EnabledServicePrincipals")
    return tuple(sorted(item["ServicePrincipal"] for item in items))


def read_delegated_administrators(aws: AwsSession, principal: str) -> tuple[str, ...]:
    """Ids of the accounts that are `principal`'s delegated administrators (management)."""
    items = aws.paginate("organizations", "list_delegated_administrators",
                         "DelegatedAdministrators", ServicePrincipal=principal)
    return tuple(sorted(item["Id"] for item in items))


def read_tree(aws: AwsSession, root_id: str,
              progress: Progress = silent) -> tuple[tuple[LiveOu, ...], tuple[LiveAccount, ...]]:
    """Every OU and account under the root, each with its parent: two listings per OU."""
    ous: list[LiveOu] = []
    accounts: list[LiveAccount] = []
    pending = [root_id]
    while pending:
        parent = pending.pop(0)
        progress(f"reading OU {parent}")
        for item in aws.paginate("organizations", "list_organizational_units_for_parent",
                                 "OrganizationalUnits", ParentId=parent):
            ous.append(LiveOu(item["Id"], item["Name"], parent))
            pending.append(item["Id"])
        for item in aws.paginate("organizations", "list_accounts_for_parent", "Accounts",
                                 ParentId=parent):
            accounts.append(LiveAccount(item["Id"], item.get("Name", ""), item.get("Email", ""),
                                        item.get("Status", ""), parent))
    return tuple(ous), tuple(accounts)


def read_tags(aws: AwsSession, resource_id: str) -> dict[str, str]:
    """Tags of an account, OU or root."""
    items = aws.paginate("organizations", "list_tags_for_resource", "Tags", ResourceId=resource_id)
    return {t["Key"]: t["Value"] for t in items}


def is_managed(aws: AwsSession, resource_id: str) -> bool:
    key, value = MANAGED_TAG
    return read_tags(aws, resource_id).get(key) == value


# -- IAM Identity Center -----------------------------------------------------------------------

@dataclass(frozen=True)
class LiveInstance:
    arn: str
    identity_store_id: str
    owner_account_id: str
    status: str


@dataclass(frozen=True)
class LiveGroup:
    id: str
    name: str
    description: str


@dataclass(frozen=True)
class LiveUser:
    id: str
    user_name: str
    email: str
    display_name: str
    given_name: str
    family_name: str


@dataclass(frozen=True)
class LivePermissionSet:
    arn: str
    name: str
    description: str
    session_duration: str
    relay_state: str
    managed_policies: tuple[str, ...]
    """ARNs of attached AWS-managed policies."""
    customer_policies: tuple[tuple[str, str], ...]
    """(name, path) of attached customer-managed policy references."""
    inline_policy: str


@dataclass(frozen=True, order=True)
class LiveAssignment:
    principal_type: str
    principal_id: str
    account_id: str
    permission_set_arn: str


@dataclass(frozen=True)
class LiveIdentityCenter:
    instance: LiveInstance
    groups: tuple[LiveGroup, ...]
    users: tuple[LiveUser, ...]
    memberships: tuple[tuple[str, str], ...]
    """(group id, user id)."""
    permission_sets: tuple[LivePermissionSet, ...]
    assignments: tuple[LiveAssignment, ...]


def read_instances(aws: AwsSession, region: str) -> tuple[LiveInstance, ...]:
    items = aws.paginate("sso-admin", "list_instances", "Instances", region=region)
    return tuple(LiveInstance(i["InstanceArn"], i["IdentityStoreId"], i.get("OwnerAccountId", ""),
                              i.get("Status", "ACTIVE")) for i in items)


def organization_instance(instances: Iterable[LiveInstance],
                          management_account_id: str) -> LiveInstance | None:
    """The organization instance: owned by the management account (account instances, which
    member accounts may create, cannot grant access to other accounts)."""
    owned = [i for i in instances if i.owner_account_id in ("", management_account_id)]
    return owned[0] if owned else None


def _primary_email(user: dict) -> str:
    emails = user.get("Emails", [])
    primary = [e for e in emails if e.get("Primary")] or emails
    return primary[0].get("Value", "") if primary else ""


def read_identity_center(aws: AwsSession, instance: LiveInstance, region: str,
                         progress: Progress = silent) -> LiveIdentityCenter:
    store = instance.identity_store_id
    progress("reading Identity Center groups and users")
    groups = tuple(LiveGroup(g["GroupId"], g.get("DisplayName", ""), g.get("Description", ""))
                   for g in aws.paginate("identitystore", "list_groups", "Groups", region=region,
                                         IdentityStoreId=store))
    users = tuple(
        LiveUser(u["UserId"], u.get("UserName", ""), _primary_email(u), u.get("DisplayName", ""),
                 u.get("Name", {}).get("GivenName", ""), u.get("Name", {}).get("FamilyName", ""))
        for u in aws.paginate("identitystore", "list_users", "Users", region=region,
                              IdentityStoreId=store))
    memberships = []
    for group in groups:
        for m in aws.paginate("identitystore", "list_group_memberships", "GroupMemberships",
                              region=region, IdentityStoreId=store, GroupId=group.id):
            user_id = m.get("MemberId", {}).get("UserId")
            if user_id:
                memberships.append((group.id, user_id))
    progress("reading permission sets")
    permission_sets = tuple(
        _read_permission_set(aws, instance.arn, arn, region)
        for arn in aws.paginate("sso-admin", "list_permission_sets", "PermissionSets",
                                region=region, InstanceArn=instance.arn))
    progress("reading account assignments")
    assignments: set[LiveAssignment] = set()
    principals = [("GROUP", g.id) for g in groups] + [("USER", u.id) for u in users]
    for principal_type, principal_id in principals:
        for a in aws.paginate("sso-admin", "list_account_assignments_for_principal",
                              "AccountAssignments", region=region, InstanceArn=instance.arn,
                              PrincipalId=principal_id, PrincipalType=principal_type):
            assignments.add(LiveAssignment(principal_type, principal_id, a["AccountId"],
                                           a["PermissionSetArn"]))
    return LiveIdentityCenter(instance, groups, users, tuple(sorted(memberships)),
                              permission_sets, tuple(sorted(assignments)))


def _read_permission_set(aws: AwsSession, instance_arn: str, arn: str,
                         region: str) -> LivePermissionSet:
    # The permissions boundary (GetPermissionsBoundaryForPermissionSet) is not read: moto 5.2
    # does not implement it, and nothing here could test the code that would.
    ps = aws.call("sso-admin", "describe_permission_set", region=region,
                  InstanceArn=instance_arn, PermissionSetArn=arn)["PermissionSet"]
    managed = aws.paginate("sso-admin", "list_managed_policies_in_permission_set",
                           "AttachedManagedPolicies", region=region, InstanceArn=instance_arn,
                           PermissionSetArn=arn)
    customer = aws.paginate("sso-admin", "list_customer_managed_policy_references_in_permission_set",
                            "CustomerManagedPolicyReferences", region=region,
                            InstanceArn=instance_arn, PermissionSetArn=arn)
    inline = aws.call("sso-admin", "get_inline_policy_for_permission_set", region=region,
                      InstanceArn=instance_arn, PermissionSetArn=arn).get("InlinePolicy", "")
    return LivePermissionSet(
        arn=arn, name=ps.get("Name", ""), description=ps.get("Description", ""),
        session_duration=ps.get("SessionDuration", "PT1H"), relay_state=ps.get("RelayState", ""),
        managed_policies=tuple(sorted(p["Arn"] for p in managed)),
        customer_policies=tuple(sorted((p["Name"], p.get("Path", "/")) for p in customer)),
        inline_policy=inline or "")


# -- S3 and CloudTrail -------------------------------------------------------------------------

BUCKET_ABSENT = frozenset({"404", "NoSuchBucket", "NotFound"})
SETTING_ABSENT = frozenset({"ServerSideEncryptionConfigurationNotFoundError",
                            "NoSuchPublicAccessBlockConfiguration",
                            "OwnershipControlsNotFoundError"})


@dataclass(frozen=True)
class LiveBucket:
    name: str
    exists: bool
    encryption: str | None = None
    """The default encryption algorithm (AES256, aws:kms, aws:kms:dsse), None without one."""
    kms_key: str | None = None
    versioning: str | None = None
    """Enabled, Suspended, or None (never enabled)."""
    public_access_block: dict[str, bool] | None = field(default=None, hash=False)
    ownership: str | None = None


def bucket_exists(aws: AwsSession, name: str) -> bool | None:
    """True: this session can see it; False: no such bucket anywhere; None: another account
    owns the name (403)."""
    try:
        aws.call("s3", "head_bucket", Bucket=name)
        return True
    except ClientError as error:
        code = error_code(error)
        if code in BUCKET_ABSENT:
            return False
        if code in ("403", "AccessDenied", "Forbidden"):
            return None
        raise


def owned_buckets(aws: AwsSession) -> frozenset[str]:
    return frozenset(b["Name"] for b in aws.paginate("s3", "list_buckets", "Buckets"))


def _setting(aws: AwsSession, operation: str, name: str) -> dict | None:
    try:
        return aws.call("s3", operation, Bucket=name)
    except ClientError as error:
        if error_code(error) in SETTING_ABSENT:
            return None
        raise


def read_bucket(aws: AwsSession, name: str) -> LiveBucket:
    """The security settings of a bucket of the session's account."""
    if name not in owned_buckets(aws):
        return LiveBucket(name, exists=False)
    encryption = kms_key = None
    sse = _setting(aws, "get_bucket_encryption", name)
    rules = (sse or {}).get("ServerSideEncryptionConfiguration", {}).get("Rules", [])
    if rules:
        default = rules[0].get("ApplyServerSideEncryptionByDefault", {})
        encryption, kms_key = default.get("SSEAlgorithm"), default.get("KMSMasterKeyID")
    versioning = aws.call("s3", "get_bucket_versioning", Bucket=name).get("Status")
    pab = _setting(aws, "get_public_access_block", name)
    ownership_controls = _setting(aws, "get_bucket_ownership_controls", name)
    ownership_rules = (ownership_controls or {}).get("OwnershipControls", {}).get("Rules", [])
    return LiveBucket(
        name, exists=True, encryption=encryption, kms_key=kms_key, versioning=versioning,
        public_access_block=(pab or {}).get("PublicAccessBlockConfiguration"),
        ownership=ownership_rules[0].get("ObjectOwnership") if ownership_rules else None)


def read_stack_instances(aws: AwsSession, stack_set: str, region: str) -> tuple | None:
    """The instances of a stack set administered in `region` (the gate's `InstanceState`s);
    None when it does not exist. A listing only (no drift detection: that would be a stack
    set operation of its own)."""
    # Imported here: the gate's module loads the Pulumi SDK, which only verify should pay for.
    from components.baseline_readiness import InstanceState

    try:
        found = aws.paginate("cloudformation", "list_stack_instances", "Summaries",
                             region=region, StackSetName=stack_set, CallAs="SELF")
    except ClientError as error:
        if error_code(error) == "StackSetNotFoundException":
            return None
        raise
    return tuple(InstanceState(
        stack_set, i["Region"], i.get("Status"),
        i.get("StackInstanceStatus", {}).get("DetailedStatus"), i.get("StatusReason"),
        account_id=i["Account"])
        for i in found)


def read_stack_sets(aws: AwsSession, region: str) -> tuple[str, ...]:
    """Names of the active stack sets this account administers in `region`."""
    return tuple(s["StackSetName"] for s in aws.paginate(
        "cloudformation", "list_stack_sets", "Summaries", region=region, Status="ACTIVE",
        CallAs="SELF"))


def read_stacksets_access(aws: AwsSession, region: str) -> str:
    """StackSets trusted access with Organizations: ENABLED or DISABLED."""
    return aws.call("cloudformation", "describe_organizations_access", region=region,
                    CallAs="SELF")["Status"]


@dataclass(frozen=True)
class LiveTrail:
    name: str
    arn: str
    bucket: str
    multi_region: bool
    organization_trail: bool
    global_events: bool
    log_file_validation: bool
    kms_key_id: str
    logging: bool


def read_trails(aws: AwsSession, region: str) -> tuple[LiveTrail, ...]:
    """Trails whose home is `region` (the organization trail lives in the home region)."""
    trails = aws.call("cloudtrail", "describe_trails", region=region,
                      includeShadowTrails=False).get("trailList", [])
    out = []
    for t in trails:
        status = aws.call("cloudtrail", "get_trail_status", region=region, Name=t["TrailARN"])
        out.append(LiveTrail(
            name=t["Name"], arn=t["TrailARN"], bucket=t.get("S3BucketName", ""),
            multi_region=bool(t.get("IsMultiRegionTrail")),
            organization_trail=bool(t.get("IsOrganizationTrail")),
            global_events=bool(t.get("IncludeGlobalServiceEvents")),
            log_file_validation=bool(t.get("LogFileValidationEnabled")),
            kms_key_id=t.get("KmsKeyId", ""), logging=bool(status.get("IsLogging"))))
    return tuple(out)


# -- everything at once ------------------------------------------------------------------------

@dataclass(frozen=True)
class Inventory:
    organization: LiveOrganization
    trusted_services: tuple[str, ...]
    ous: tuple[LiveOu, ...]
    accounts: tuple[LiveAccount, ...]
    identity_center: LiveIdentityCenter | None
    """None when the region has no organization instance of IAM Identity Center."""

    def ou(self, ou_id: str) -> LiveOu | None:
        return next((o for o in self.ous if o.id == ou_id), None)

    def account(self, account_id: str) -> LiveAccount | None:
        return next((a for a in self.accounts if a.id == account_id), None)


class NotInOrganization(Exception):
    """The caller's account belongs to no organization."""


def read_inventory(aws: AwsSession, region: str, *, progress: Progress = silent) -> Inventory:
    """Organization, OU tree, accounts and Identity Center of the caller's organization."""
    progress("reading the organization")
    org = read_organization(aws)
    if org is None:
        raise NotInOrganization()
    trusted = read_trusted_services(aws)
    ous, accounts = read_tree(aws, org.root_id, progress)
    progress("finding the Identity Center instance")
    instance = organization_instance(read_instances(aws, region), org.management_account_id)
    center = read_identity_center(aws, instance, region, progress) if instance else None
    return Inventory(org, trusted, ous, accounts, center)
