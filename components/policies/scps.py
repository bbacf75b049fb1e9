"""The built-in guardrails: service control policies (SCPs) the config selects by name.

Every builder turns plain values into one whole SCP document, so the Guardrails component
renders it inside a single `apply` and the tests (size, lint) run it with no engine. What each
one denies and why is in docs/guardrails.md; the names and default targets are in
config.model.platform.BUILTIN_GUARDRAILS.

Two things no guardrail may do:
- lock out the management account: SCPs never apply to it
  (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html);
- lock out the bootstrap run: in member accounts the program works as the account access role
  (`account_access.role_name`, OrganizationAccountAccessRole), so every deny that covers
  something the program itself changes exempts that role, as Control Tower exempts
  AWSControlTowerExecution. Only the management account can assume that role, and
  protect_account_access_role keeps it that way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

VERSION = "2012-10-17"


@dataclass(frozen=True)
class GuardrailContext:
    """The plain values the built-in documents are made of."""

    access_role_name: str
    allowed_regions: tuple[str, ...] = ()
    trail_arn: str | None = None
    audit_bucket_arn: str | None = None
    audit_key_arn: str | None = None
    state_bucket_arn: str | None = None
    state_key_arns: tuple[str, ...] = ()
    """The state bucket and its two keys (workload stacks', the landing zone's own)."""
    security_services: tuple[str, ...] = ()
    """Section keys of the security_baseline services that are on (config.security_baseline)."""
    security_archive_bucket_arns: tuple[str, ...] = ()
    security_archive_key_arns: tuple[str, ...] = ()
    """Where the security services deliver and the keys of those buckets: GuardDuty's exported
    findings (when the export is on), AWS Config's history (when Config is on)."""
    config_recorder_function: str | None = None
    """The AWS Config recorder function's name, its roles' prefix (AWS Config on)."""


def _scp(*statements: dict) -> dict:
    return {"Version": VERSION, "Statement": list(statements)}


def _role_arn_pattern(context: GuardrailContext) -> str:
    return f"arn:aws:iam::*:role/{context.access_role_name}"


def _unless_access_role(context: GuardrailContext) -> dict:
    """The condition that exempts the role the program works as in member accounts."""
    return {"ArnNotLike": {"aws:PrincipalArn": _role_arn_pattern(context)}}


def deny_leaving_organization(context: GuardrailContext) -> dict:
    """An account that leaves takes itself out of every guardrail and of the trail.

    AWS example: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html
    """
    return _scp({"Sid": "DenyLeavingOrganization", "Effect": "Deny",
                 "Action": "organizations:LeaveOrganization", "Resource": "*"})


# Changes that would silence, weaken or open a protected bucket, key or trail; shared with the
# unprotected_resource_writer policy, which denies them to deployers.
BUCKET_SETTINGS = (
    "s3:DeleteBucket", "s3:DeleteBucketPolicy", "s3:PutBucketAcl", "s3:PutBucketLogging",
    "s3:PutBucketObjectLockConfiguration", "s3:PutBucketOwnershipControls",
    "s3:PutBucketPolicy", "s3:PutBucketPublicAccessBlock", "s3:PutBucketVersioning",
    "s3:PutEncryptionConfiguration", "s3:PutLifecycleConfiguration",
    "s3:PutReplicationConfiguration",
)
KEY_CHANGES = (
    "kms:CreateGrant", "kms:DeleteAlias", "kms:DisableKey", "kms:DisableKeyRotation",
    "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:UpdateAlias",
)
TRAIL_CHANGES = (
    "cloudtrail:DeleteTrail", "cloudtrail:PutEventSelectors", "cloudtrail:PutInsightSelectors",
    "cloudtrail:StopLogging", "cloudtrail:UpdateTrail",
)
# CloudTrail writes as its service principal, which SCPs never restrict; S3 lifecycle expiry
# is not a request either. So nobody in a member account needs these on log files.
_LOG_OBJECT_CHANGES = (
    "s3:BypassGovernanceRetention", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObject",
)


def protect_audit_logging(context: GuardrailContext) -> dict:
    """The trail, its bucket and its key stay as the program set them.

    The trail lives in the management account, out of any SCP's reach; the statement on it
    binds a CloudTrail delegated administrator, which can otherwise change organization trails.
    Bucket settings and the key stay changeable by the access role, which is how the program
    updates them; log files stay unchangeable for everyone.
    """
    if not (context.trail_arn and context.audit_bucket_arn and context.audit_key_arn):
        raise ValueError("protect_audit_logging needs the trail, bucket and key ARNs")
    return _scp(
        {"Sid": "DenyTrailChanges", "Effect": "Deny", "Action": list(TRAIL_CHANGES),
         "Resource": context.trail_arn},
        *_archive_statements("Log", [context.audit_bucket_arn], [context.audit_key_arn],
                             context),
    )


def _archive_statements(name: str, buckets: Sequence[str], keys: Sequence[str],
                        context: GuardrailContext) -> list[dict]:
    """Log archives' bucket settings and keys stay the access role's (how the program updates
    them); their files stay unchangeable for everyone (services write as their service
    principals, which SCPs never restrict)."""
    return [
        {"Sid": f"Deny{name}BucketChanges", "Effect": "Deny", "Action": list(BUCKET_SETTINGS),
         "Resource": _one_or_list(buckets), "Condition": _unless_access_role(context)},
        {"Sid": f"Deny{name}FileChanges", "Effect": "Deny", "Action": list(_LOG_OBJECT_CHANGES),
         "Resource": _one_or_list([f"{bucket}/*" for bucket in buckets])},
        {"Sid": f"Deny{name}KeyChanges", "Effect": "Deny", "Action": list(KEY_CHANGES),
         "Resource": _one_or_list(keys), "Condition": _unless_access_role(context)},
    ]


def _one_or_list(arns: Sequence[str]) -> str | list[str]:
    return arns[0] if len(arns) == 1 else list(arns)


def protect_state_backend(context: GuardrailContext) -> dict:
    """The state bucket and its keys stay as the program set them.

    Its bucket policy keeps the landing zone's own state the operators' (components/policies/
    state_access.py); an administrator of the state account who could rewrite it could plant
    a checkpoint that a later operator run trusts. Objects stay usable (state writers need
    them), old versions stay, and the access role, as the program, keeps every right.
    """
    if not (context.state_bucket_arn and context.state_key_arns):
        raise ValueError("protect_state_backend needs the state bucket and key ARNs")
    bucket = context.state_bucket_arn
    return _scp(
        {"Sid": "DenyStateBucketChanges", "Effect": "Deny", "Action": list(BUCKET_SETTINGS),
         "Resource": bucket, "Condition": _unless_access_role(context)},
        {"Sid": "DenyStateHistoryDeletion", "Effect": "Deny",
         "Action": ["s3:BypassGovernanceRetention", "s3:DeleteObjectVersion"],
         "Resource": f"{bucket}/*", "Condition": _unless_access_role(context)},
        {"Sid": "DenyStateKeyChanges", "Effect": "Deny", "Action": list(KEY_CHANGES),
         "Resource": list(context.state_key_arns), "Condition": _unless_access_role(context)},
    )


def deny_root_user(context: GuardrailContext) -> dict:
    """Member accounts' root users do nothing: people sign in through Identity Center.

    AWS example (with ArnLike, the operator made for ARNs):
    https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html
    """
    return _scp({"Sid": "DenyRootUser", "Effect": "Deny", "Action": "*", "Resource": "*",
                 "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}}})


# Control Tower's GRIAMROLEPOLICY, applied to our access role:
# https://docs.aws.amazon.com/controltower/latest/controlreference/mandatory-controls.html
_ROLE_CHANGES = (
    "iam:AttachRolePolicy", "iam:CreateRole", "iam:DeleteRole",
    "iam:DeleteRolePermissionsBoundary", "iam:DeleteRolePolicy", "iam:DetachRolePolicy",
    "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy",
    "iam:UpdateRole", "iam:UpdateRoleDescription",
)


# The roles CloudFormation StackSets works through in every member account (service-managed
# stack sets: they deploy the access-log buckets). The service-linked role that creates them
# is not subject to SCPs (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html),
# so this deny keeps member administrators out without stopping StackSets.
STACKSETS_EXECUTION_ROLES = "arn:aws:iam::*:role/stacksets-exec-*"


def protect_account_access_role(context: GuardrailContext) -> dict:
    """Nobody in a member account changes the access role or the StackSets execution roles.

    The access role itself (that is, the management account through it) still can; StackSets
    makes its roles through a service-linked role, which SCPs do not restrict.
    """
    return _scp({"Sid": "ProtectAccountAccessRole", "Effect": "Deny",
                 "Action": list(_ROLE_CHANGES),
                 "Resource": [_role_arn_pattern(context), STACKSETS_EXECUTION_ROLES],
                 "Condition": _unless_access_role(context)})


# Global services, answered from one region whatever the caller chose: Control Tower's Region
# deny control (GRREGIONDENY), https://docs.aws.amazon.com/controltower/latest/controlreference/primary-region-deny-policy.html
_GLOBAL_ACTIONS = (
    "a4b:*", "access-analyzer:*", "account:*", "acm:*", "activate:*", "artifact:*",
    "aws-marketplace-management:*", "aws-marketplace:*", "aws-portal:*", "billing:*",
    "billingconductor:*", "budgets:*", "ce:*", "chatbot:*", "chime:*", "cloudfront:*",
    "cloudtrail:LookupEvents", "compute-optimizer:*", "config:*", "consoleapp:*",
    "consolidatedbilling:*", "cur:*", "datapipeline:GetAccountLimits", "devicefarm:*",
    "directconnect:*", "ec2:DescribeRegions", "ec2:DescribeTransitGateways",
    "ec2:DescribeVpnGateways", "ecr-public:*", "fms:*", "freetier:*", "globalaccelerator:*",
    "health:*", "iam:*", "importexport:*", "invoicing:*", "iq:*", "kms:*",
    "license-manager:ListReceivedLicenses", "lightsail:Get*", "mobileanalytics:*",
    "networkmanager:*", "notifications-contacts:*", "notifications:*", "organizations:*",
    "payments:*", "pricing:*", "quicksight:DescribeAccountSubscription",
    "resource-explorer-2:*", "route53-recovery-cluster:*", "route53-recovery-control-config:*",
    "route53-recovery-readiness:*", "route53:*", "route53domains:*",
    "s3:CreateMultiRegionAccessPoint", "s3:DeleteMultiRegionAccessPoint",
    "s3:DescribeMultiRegionAccessPointOperation", "s3:GetAccountPublicAccessBlock",
    "s3:GetBucketLocation", "s3:GetBucketPolicyStatus", "s3:GetBucketPublicAccessBlock",
    "s3:GetMultiRegionAccessPoint", "s3:GetMultiRegionAccessPointPolicy",
    "s3:GetMultiRegionAccessPointPolicyStatus", "s3:GetStorageLensConfiguration",
    "s3:GetStorageLensDashboard", "s3:ListAllMyBuckets", "s3:ListMultiRegionAccessPoints",
    "s3:ListStorageLensConfigurations", "s3:PutAccountPublicAccessBlock",
    "s3:PutMultiRegionAccessPointPolicy", "savingsplans:*", "shield:*", "sso:*", "sts:*",
    "support:*", "supportapp:*", "supportplans:*", "sustainability:*", "tag:GetResources",
    "tax:*", "trustedadvisor:*", "vendor-insights:ListEntitledSecurityProfiles",
    "waf-regional:*", "waf:*", "wafv2:*",
)


def deny_unapproved_regions(context: GuardrailContext) -> dict:
    """Nothing regional happens outside the allowed regions; global services stay usable."""
    if not context.allowed_regions:
        raise ValueError("deny_unapproved_regions needs allowed regions")
    return _scp({"Sid": "DenyUnapprovedRegions", "Effect": "Deny",
                 "NotAction": list(_GLOBAL_ACTIONS), "Resource": "*",
                 "Condition": {"StringNotEquals": {
                                   "aws:RequestedRegion": sorted(context.allowed_regions)},
                               **_unless_access_role(context)}})


# What would switch a security service off, leave it, or cut what it delivers, per
# `security_baseline` section key. Member-account settings of the services run through the
# access role (delegated administrator work from the security tooling account) or StackSets
# (AWS Config recorders), both exempt; the services' own service-linked roles are out of any
# SCP's reach. Actions from the Service Authorization Reference (GuardDuty, Security Hub,
# AWS Config, IAM Access Analyzer, AWS Account Management, Amazon EC2).
SECURITY_SERVICE_CHANGES: dict[str, tuple[str, ...]] = {
    "guardduty": (
        "guardduty:DeleteDetector", "guardduty:DeleteMembers",
        "guardduty:DeletePublishingDestination", "guardduty:DisassociateFromAdministratorAccount",
        "guardduty:DisassociateFromMasterAccount", "guardduty:DisassociateMembers",
        "guardduty:StopMonitoringMembers", "guardduty:UpdateDetector",
        "guardduty:UpdateMemberDetectors", "guardduty:UpdateOrganizationConfiguration",
        "guardduty:UpdatePublishingDestination"),
    "security_hub": (
        "securityhub:BatchDisableStandards", "securityhub:DeleteConfigurationPolicy",
        "securityhub:DeleteFindingAggregator", "securityhub:DeleteMembers",
        # Security Hub CSPM's DisableSecurityHub, the new Security Hub's DisableSecurityHubV2
        # and DisableSecurityHubFeatureV2.
        "securityhub:DisableSecurityHub*",
        "securityhub:DisassociateFromAdministratorAccount",
        "securityhub:DisassociateFromMasterAccount", "securityhub:DisassociateMembers",
        "securityhub:StartConfigurationPolicyDisassociation",
        "securityhub:UpdateConfigurationPolicy", "securityhub:UpdateFindingAggregator",
        "securityhub:UpdateOrganizationConfiguration", "securityhub:UpdateStandardsControl"),
    "aws_config": (
        "config:DeleteAggregationAuthorization", "config:DeleteConfigurationAggregator",
        "config:DeleteConfigurationRecorder", "config:DeleteDeliveryChannel",
        "config:DeleteRetentionConfiguration", "config:PutConfigurationAggregator",
        "config:PutConfigurationRecorder", "config:PutDeliveryChannel",
        "config:StopConfigurationRecorder"),
    "access_analyzer": ("access-analyzer:DeleteAnalyzer", "access-analyzer:UpdateAnalyzer"),
    # The EC2 settings of the declarative policy need no deny: EC2 itself refuses account-level
    # changes while the policy is in force (components/policies/ec2_declarative.py).
    "account_defaults": (
        "account:DeleteAlternateContact", "account:PutAlternateContact",
        "ec2:DisableEbsEncryptionByDefault"),
}


# What the AWS Config recorder function (components/config_recorder_function.py) puts in each
# account and region, besides reads and StartConfigurationRecorder, which nothing denies.
CONFIG_RECORDER_SETUP = ("config:PutConfigurationRecorder", "config:PutDeliveryChannel")
# What would let someone else act as the recorder function's role: its code, configuration,
# invocation with a forged event, a resource policy or URL that opens it to others.
_FUNCTION_CHANGES = ("lambda:AddPermission", "lambda:Create*", "lambda:Delete*",
                     "lambda:InvokeFunction*", "lambda:Publish*", "lambda:Put*",
                     "lambda:Update*")


def protect_security_services(context: GuardrailContext) -> dict:
    """Nobody in a member account switches off, leaves or reconfigures the security services.

    Only the services that are on are named. The access role (how `pulumi up` works in member
    accounts, the security tooling account included) and the StackSets execution roles
    (AWS Config stacks) stay exempt; everyone else, member administrators included, is
    denied. With AWS Config on, its recorder function's roles
    (`<config_recorder_function>-<region>`) may also set up the recorder and delivery channel
    (nothing else), and nobody else may create, change or pass a role of that name, nor change
    or invoke the function: the exemption is only ever the function's. The role AWS Config
    records as (path `/<config_recorder_function>/`, components/aws_config_template.py) is
    likewise made and changed by StackSets alone, and passed by nobody else but the function. The management
    account is out of every SCP's reach.
    """
    actions = sorted({action for service in context.security_services
                      for action in SECURITY_SERVICE_CHANGES.get(service, ())})
    if not actions:
        raise ValueError("protect_security_services needs at least one security service on")
    exempt = [_role_arn_pattern(context), STACKSETS_EXECUTION_ROLES]
    function = context.config_recorder_function
    recorder_function = function and "aws_config" in context.security_services
    statements = [_deny_unless(exempt, "ProtectSecurityServices",
                               [a for a in actions if not recorder_function
                                or a not in CONFIG_RECORDER_SETUP], "*")]
    if recorder_function:
        function_roles = f"arn:aws:iam::*:role/{function}-*"
        config_roles = f"arn:aws:iam::*:role/{function}/*"
        statements += [
            _deny_unless([*exempt, function_roles], "ConfigRecorderSetUpByItsFunctionOnly",
                         [a for a in actions if a in CONFIG_RECORDER_SETUP], "*"),
            _deny_unless(exempt, "ProtectConfigRecorderFunction",
                         [*_ROLE_CHANGES, *_FUNCTION_CHANGES],
                         [function_roles, config_roles,
                          f"arn:aws:lambda:*:*:function:{function}"]),
            # The function passes the role Config records as to the recorder it sets up.
            _deny_unless([*exempt, function_roles], "ConfigRecorderRolesPassedByTheFunctionOnly",
                         ["iam:PassRole"], [function_roles, config_roles])]
    if context.security_archive_bucket_arns:
        # GuardDuty's exported findings and Config's history are kept as the trail's archive is.
        statements += _archive_statements(
            "SecurityArchive", context.security_archive_bucket_arns,
            context.security_archive_key_arns, context)
    return _scp(*statements)


def _deny_unless(principals: list[str], sid: str, actions: list[str],
                 resource: str | list[str]) -> dict:
    return {"Sid": sid, "Effect": "Deny", "Action": actions, "Resource": resource,
            "Condition": {"ArnNotLike": {"aws:PrincipalArn": principals}}}


def deny_unencrypted_volumes(context: GuardrailContext) -> dict:
    """No unencrypted EBS volume is created in a member account, by anyone.

    The EC2 declarative policy cannot turn on EBS encryption by default (nor can a
    CloudFormation type), so the request is refused instead: `ec2:Encrypted` is false for a
    new volume (CreateVolume) or one launched with an instance (RunInstances, volume resource).
    Security Hub's EC2.7 reports accounts without encryption by default.
    """
    unencrypted = {"Bool": {"ec2:Encrypted": "false"}}
    return _scp({"Sid": "DenyUnencryptedVolumes", "Effect": "Deny",
                 "Action": ["ec2:CreateVolume", "ec2:RunInstances"],
                 "Resource": "arn:aws:ec2:*:*:volume/*", "Condition": unencrypted})


Builder = Callable[[GuardrailContext], dict]

BUILDERS: dict[str, Builder] = {
    "deny_leaving_organization": deny_leaving_organization,
    "protect_audit_logging": protect_audit_logging,
    "protect_state_backend": protect_state_backend,
    "deny_root_user": deny_root_user,
    "protect_account_access_role": protect_account_access_role,
    "deny_unapproved_regions": deny_unapproved_regions,
    "protect_security_services": protect_security_services,
    "deny_unencrypted_volumes": deny_unencrypted_volumes,
}
"""Built-in name -> document builder (the names of config.model.platform.BUILTIN_GUARDRAILS)."""


def combined(names: Sequence[str], context: GuardrailContext) -> dict:
    """One SCP holding the statements of several built-ins (their Sids are distinct)."""
    return _scp(*(statement for name in names for statement in BUILDERS[name](context)["Statement"]))


def description(name: str) -> str:
    """The SCP description AWS shows: the builder's first docstring line (<= 512 chars)."""
    return BUILDERS[name].__doc__.strip().splitlines()[0]
