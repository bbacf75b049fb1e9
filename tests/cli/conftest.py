"""moto fixtures of the operator commands: a sealed environment, a config, an organization built
the way `pulumi up` would build it (with real boto3 calls), and faults a real account produces.

Fixtures compose: `org_factory(build=False)` is a fresh organization before the first
`pulumi up`; `org_factory()` is the whole landing zone; tests then add drift with boto3.
Helpers are fixtures because pytest runs with --import-mode=importlib (test modules cannot
import this file).
"""

from __future__ import annotations

import functools
import json
import os
import re
import textwrap
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import boto3
import botocore.handlers
import botocore.retries.standard
import botocore.session
import pytest
from botocore.awsrequest import AWSResponse
from moto import mock_aws
from moto.iam.aws_managed_policies import aws_managed_policies_data
from moto.iam.models import get_account_id_from
from moto.organizations.models import organizations_backends
from moto.ssoadmin.models import ssoadmin_backends

from cli.aws.session import new_session

from config import load
from components.access_log_template import access_log_template
from components.access_logs import landing_zone_log_sources
from components.customer_policies import customer_policy_template
from components.policies.inline import combined_inline_policy
from config.assignments import (
    assignments,
    aws_managed_policy_arns,
    customer_managed_policies,
    customer_policy_refs,
)
from config.model import LandingZoneConfig
from config.naming import (
    access_log_bucket_name,
    access_log_stack_set_name,
    config_aggregator_name,
    customer_policy_stack_set_name,
    state_bucket_name,
)
from config.security_baseline import security_account
from config.topology import managed_accounts, ou_order

REPO = Path(__file__).resolve().parents[2]
REGION = "us-east-1"
ROLE = "OrganizationAccountAccessRole"
MANAGEMENT_EMAIL = "management@example.invalid"
MANAGED_TAG = {"Key": "landing-zone:managed", "Value": "true"}

ORG_YAML = """\
organization:
  aws_region: us-east-1
  key_accounts: {master: master, log_archive: log_archive, terraform_state: shared_services}
  tokens: {namespace: acme, domain: example.invalid}
organizational_units:
  security: {name: Security}
  workloads: {name: Workloads}
  dev: {name: Dev, parent: workloads}
  prod: {name: Prod, parent: workloads}
accounts:
  master: {name: Management, email: 'management@{{organization.tokens.domain}}'}
  log_archive: {name: Log Archive, email: 'log-archive@{{organization.tokens.domain}}', organizational_unit: security}
  shared_services: {name: Shared Services, email: 'shared@{{organization.tokens.domain}}', organizational_unit: security}
  dev: {name: Development, email: 'dev@{{organization.tokens.domain}}', organizational_unit: dev}
  prod: {name: Production, email: 'prod@{{organization.tokens.domain}}', organizational_unit: prod}
sso:
  start_url: https://acme.awsapps.com/start
  groups:
    admins: {name: Admins, description: Administer every account., account_permission_sets: admin}
    developers:
      name: Developers
      account_permission_sets: {'ou:workloads': developer}
  permission_sets:
    admin: {name: Admin, description: Full access., session_duration: PT4H, policies: [AdministratorAccess]}
    developer:
      name: Developer
      policies: [PowerUserAccess, sso_terraform_state_writer]
  policies:
    sso_terraform_state_writer: {name: PulumiStateWriter}
  users:
    alice:
      email: alice@example.invalid
      name: {given_name: Alice, family_name: Admin}
      groups: admins
    bob:
      email: bob@example.invalid
      display_name: Bob Builder
      name: {given_name: Bob, family_name: Builder}
      groups: developers
"""


class StackSetsAccess:
    """DescribeOrganizationsAccess, which moto 5.2 lacks, answered inside moto as AWS does."""

    def __init__(self) -> None:
        self.status = "ENABLED"


@pytest.fixture(autouse=True)
def stacksets_access(monkeypatch) -> StackSetsAccess:
    from moto.cloudformation.responses import CloudFormationResponse
    from moto.core.responses import ActionResult

    answer = StackSetsAccess()
    monkeypatch.setattr(CloudFormationResponse, "describe_organizations_access",
                        lambda self: ActionResult({"Status": answer.status}), raising=False)
    return answer


@pytest.fixture(autouse=True)
def delegated_administrator_services(monkeypatch):
    """moto 5.2's list of services that take a delegated administrator lacks Security Hub and
    AWS Config's config.amazonaws.com, which AWS accepts
    (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_integrated-services-list.html)."""
    from moto.organizations.models import FakeDelegatedAdministrator
    monkeypatch.setattr(FakeDelegatedAdministrator, "SUPPORTED_SERVICES", [
        *FakeDelegatedAdministrator.SUPPORTED_SERVICES, "securityhub.amazonaws.com",
        "config.amazonaws.com"])


@pytest.fixture(autouse=True)
def moto_conventions(monkeypatch):
    """On top of tests/conftest.py's seal: three botocore attempts keep the throttling tests
    short, and moto's fixed management-account email moves to .invalid like all of ours."""
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "3")
    monkeypatch.setattr("moto.organizations.utils.MASTER_ACCOUNT_EMAIL", MANAGEMENT_EMAIL)


SECURITY_YAML = ORG_YAML.replace(
    "terraform_state: shared_services}",
    "terraform_state: shared_services, security_tooling: security_tooling}").replace(
    "  dev: {name: Development,",
    "  security_tooling: {name: Security Tooling, email: 'security@{{organization.tokens.domain}}', "
    "organizational_unit: security}\n  dev: {name: Development,")


@pytest.fixture
def security_path(write_config) -> Path:
    """The test organization with a security tooling account: the whole baseline is on."""
    return write_config(SECURITY_YAML, "security.yaml")


@pytest.fixture
def security_yaml() -> str:
    return SECURITY_YAML


@pytest.fixture
def security_config(security_path) -> LandingZoneConfig:
    return load(security_path).config


@pytest.fixture
def config_path(tmp_path) -> Path:
    path = tmp_path / "organization.yaml"
    path.write_text(ORG_YAML)
    return path


@pytest.fixture
def org_yaml() -> str:
    """The test organization's YAML text, for variants."""
    return ORG_YAML


@pytest.fixture
def write_config(tmp_path) -> Callable[[str], Path]:
    """Write a variant of the test org (text replaced) and return its path."""
    def _write(text: str = ORG_YAML, name: str = "organization.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text))
        return path
    return _write


@pytest.fixture
def boundary_config_path(write_config) -> Path:
    """The test org with a customer-managed permissions boundary on `admin` (every account)."""
    return write_config(ORG_YAML.replace(
        "    sso_terraform_state_writer: {name: PulumiStateWriter}\n",
        "    sso_terraform_state_writer: {name: PulumiStateWriter}\n"
        "    boundary: {name: Boundary, customer_managed: true, document: {Version: '2012-10-17',"
        " Statement: [{Effect: Deny, Action: 'organizations:*', Resource: '*'}]}}\n").replace(
        "policies: [AdministratorAccess]}", "policies: [AdministratorAccess], "
        "permissions_boundary: boundary}"))


@pytest.fixture
def config(config_path) -> LandingZoneConfig:
    return load(config_path).config


@pytest.fixture
def moto_aws():
    with mock_aws():
        yield


class ServiceGaps:
    """The read APIs of the security services that moto 5 lacks (Access Analyzer's
    ListAnalyzers, GuardDuty's ListMembers and publishing destinations, Config's DescribeConfigurationAggregatorSourcesStatus),
    answered from records the tests keep per calling account and region, in the wire format AWS
    documents for each: the first two through botocore's `before-send` event in front of moto
    (moto answers their URLs 404, which the first response hides), Config's inside moto (its
    JSON protocol router raises NotImplementedError for an unknown action)."""

    OPERATIONS = {("accessanalyzer", "ListAnalyzers"): "analyzers",
                  ("guardduty", "ListMembers"): "members",
                  ("guardduty", "ListPublishingDestinations"): "destinations"}
    DESCRIBE_DESTINATION = ("guardduty", "DescribePublishingDestination")
    CONFIG_SOURCES = "DescribeConfigurationAggregatorSourcesStatus"

    def __init__(self) -> None:
        self.records: dict[tuple[str, str, str], list[dict]] = {}
        self.destinations: dict[str, dict] = {}
        self.calls: Counter[str] = Counter()

    def _add(self, operation: str, account_id: str, region: str, record: dict) -> None:
        self.records.setdefault((operation, account_id, region), []).append(record)

    def analyzer(self, account_id: str, region: str, name: str, kind: str, status: str) -> None:
        self._add("ListAnalyzers", account_id, region, {
            "arn": f"arn:aws:access-analyzer:{region}:{account_id}:analyzer/{name}",
            "name": name, "type": kind, "status": status, "createdAt": 0})

    def guardduty_member(self, admin: str, region: str, account_id: str, status: str) -> None:
        self._add("ListMembers", admin, region, {
            "accountId": account_id, "masterId": admin, "administratorId": admin,
            "email": f"{account_id}@example.invalid", "relationshipStatus": status,
            "updatedAt": "2026-01-01T00:00:00Z"})

    def publishing_destination(self, admin: str, region: str, destination_id: str,
                               arn: str) -> None:
        listed = {"destinationId": destination_id, "destinationType": "S3",
                  "status": "PUBLISHING"}
        self._add("ListPublishingDestinations", admin, region, listed)
        self.destinations[destination_id] = {**listed, "destinationProperties": {
            "destinationArn": arn, "kmsKeyArn": f"arn:aws:kms:{region}:{admin}:key/gaps"}}

    def config_source(self, admin: str, home: str, aggregator: str, account_id: str,
                      region: str, status: str) -> None:
        self._add("DescribeConfigurationAggregatorSourcesStatus", admin, home, {
            "SourceId": account_id, "SourceType": "ACCOUNT", "AwsRegion": region,
            "LastUpdateStatus": status})

    def config_sources(self, account_id: str, region: str) -> str:
        self.calls[self.CONFIG_SOURCES] += 1
        return json.dumps({"AggregatedSourceStatusList": self.records.get(
            (self.CONFIG_SOURCES, account_id, region), [])})

    def __call__(self, request=None, event_name: str = "", **_kwargs) -> AWSResponse | None:
        _, service, operation = event_name.split(".", 2)
        if (service, operation) == self.DESCRIBE_DESTINATION:
            # GET /detector/{detectorId}/publishingDestination/{destinationId}
            destination = self.destinations[request.url.rsplit("/", 1)[-1]]
            return self._answer(json.dumps(destination).encode())
        key = self.OPERATIONS.get((service, operation))
        if key is None:
            return None
        self.calls[operation] += 1
        # SigV4: "Credential=<access key>/<date>/<region>/<service>/aws4_request".
        credential = re.search(r"Credential=([^/]+)/[^/]+/([^/]+)/",
                               request.headers["Authorization"].decode()
                               if isinstance(request.headers["Authorization"], bytes)
                               else request.headers["Authorization"])
        account_id = get_account_id_from(credential.group(1))
        return self._answer(json.dumps({key: self.records.get(
            (operation, account_id, credential.group(2)), [])}).encode())

    @staticmethod
    def _answer(body: bytes) -> AWSResponse:
        return AWSResponse("https://gaps.invalid/", 200,
                           {"Content-Type": "application/json", "x-amzn-RequestId": "gaps"},
                           _Body(body))


@pytest.fixture
def service_gaps(monkeypatch) -> ServiceGaps:
    """Installed like `faults`, in every session created afterwards."""
    from moto.config.responses import ConfigResponse

    gaps = ServiceGaps()
    monkeypatch.setattr(botocore.handlers, "BUILTIN_HANDLERS",
                        [("before-send", gaps), *botocore.handlers.BUILTIN_HANDLERS])
    monkeypatch.setattr(ConfigResponse, "describe_configuration_aggregator_sources_status",
                        lambda self: gaps.config_sources(self.current_account, self.region),
                        raising=False)
    return gaps


@dataclass
class Org:
    """What the factory built, by config key, plus boto3 access to every account."""

    config: LandingZoneConfig
    gaps: ServiceGaps = field(default_factory=ServiceGaps)
    org_id: str = ""
    root_id: str = ""
    management_id: str = ""
    ou_ids: dict[str, str] = field(default_factory=dict)
    account_ids: dict[str, str] = field(default_factory=dict)
    instance_arn: str = ""
    identity_store_id: str = ""
    group_ids: dict[str, str] = field(default_factory=dict)
    user_ids: dict[str, str] = field(default_factory=dict)
    permission_set_arns: dict[str, str] = field(default_factory=dict)

    _clients: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)
    _session: boto3.Session = field(default_factory=lambda: new_session(region_name=REGION),
                                    repr=False)

    def client(self, service: str, account: str | None = None, region: str = REGION) -> Any:
        """A client in the management account, or in `account` (key or id) via the role;
        cached, and all from one session with the CLI's shared model loader: creating clients
        costs far more than the moto calls they make."""
        account_id = self.account_ids.get(account, account) if account else self.management_id
        key = (service, account_id, region)
        if key not in self._clients:
            keys = {}
            if account_id != self.management_id:
                credentials = self.credentials_of(account_id)
                keys = {"aws_access_key_id": credentials["AccessKeyId"],
                        "aws_secret_access_key": credentials["SecretAccessKey"],
                        "aws_session_token": credentials["SessionToken"]}
            self._clients[key] = self._session.client(service, region_name=region, **keys)
        return self._clients[key]

    def credentials_of(self, account: str) -> dict:
        account_id = self.account_ids.get(account, account)
        return self.client("sts").assume_role(
            RoleArn=f"arn:aws:iam::{account_id}:role/{ROLE}",
            RoleSessionName="test-fixture")["Credentials"]

    def create_account(self, name: str, email: str, parent: str | None = None,
                       tags: list | None = None) -> str:
        orgs = self.client("organizations")
        request = orgs.create_account(Email=email, AccountName=name, Tags=tags or [])
        account_id = orgs.describe_create_account_status(
            CreateAccountRequestId=request["CreateAccountStatus"]["Id"])["CreateAccountStatus"]["AccountId"]
        if parent:
            orgs.move_account(AccountId=account_id, SourceParentId=self.root_id,
                              DestinationParentId=parent)
        return account_id

    def bucket(self, name: str, account: str, *, kms: bool = False, versioned: bool = False) -> None:
        """A bucket hardened as components/hardened_bucket.py makes it."""
        s3 = self.client("s3", account)
        s3.create_bucket(Bucket=name)
        algorithm = {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/test"} if kms else \
            {"SSEAlgorithm": "AES256"}
        s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": algorithm, "BucketKeyEnabled": kms}]})
        if versioned:
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True})
        s3.put_bucket_ownership_controls(Bucket=name, OwnershipControls={
            "Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})


@functools.lru_cache(maxsize=1)
def _aws_managed_policies() -> dict:
    return json.loads(aws_managed_policies_data)


def _build_organization(org: Org, feature_set: str, trusted: tuple[str, ...]) -> None:
    orgs = org.client("organizations")
    created = orgs.create_organization(FeatureSet=feature_set)["Organization"]
    org.org_id, org.management_id = created["Id"], created["MasterAccountId"]
    org.root_id = orgs.list_roots()["Roots"][0]["Id"]
    org.account_ids[org.config.management_account] = org.management_id
    # moto names the management account "master"; AWS keeps the name it was created with,
    # which the config states.
    backend = organizations_backends[org.management_id]["aws"]
    backend.get_account_by_id(org.management_id).name = \
        org.config.accounts[org.config.management_account].name
    for principal in trusted:
        orgs.enable_aws_service_access(ServicePrincipal=principal)
    instance = org.client("sso-admin").list_instances()["Instances"][0]
    # moto parses its AWS-managed policy list (megabytes of JSON) once per backend, on the first
    # attachment; hand every test's backend the same parsed copy.
    ssoadmin_backends[org.management_id][REGION].aws_managed_policies = _aws_managed_policies()
    org.instance_arn, org.identity_store_id = instance["InstanceArn"], instance["IdentityStoreId"]


def _build_landing_zone(org: Org, customer_managed: bool = False) -> None:
    """What one `pulumi up` of the config creates, built with boto3. `customer_managed`: the
    customer policies as Metastructure made them (an IAM policy in every assigned account,
    referenced by the permission set), the brownfield `./lz import` reads."""
    config, orgs = org.config, org.client("organizations")
    orgs.enable_aws_service_access(ServicePrincipal="cloudtrail.amazonaws.com")
    orgs.enable_policy_type(RootId=org.root_id, PolicyType="SERVICE_CONTROL_POLICY")
    for key in ou_order(config):
        ou = config.organizational_units[key]
        parent = org.ou_ids[ou.parent] if ou.parent else org.root_id
        org.ou_ids[key] = orgs.create_organizational_unit(
            ParentId=parent, Name=ou.name, Tags=[MANAGED_TAG])["OrganizationalUnit"]["Id"]
    for key, account in sorted(config.accounts.items()):
        if key == config.management_account:
            continue
        parent = org.ou_ids[account.organizational_unit] if account.organizational_unit else None
        org.account_ids[key] = org.create_account(account.name, account.email, parent,
                                                  [MANAGED_TAG])
    store = org.client("identitystore")
    for key, group in sorted(config.sso.groups.items()):
        # Optional strings are left out, not sent empty (AWS requires length >= 1).
        description = {"Description": group.description} if group.description else {}
        org.group_ids[key] = store.create_group(
            IdentityStoreId=org.identity_store_id, DisplayName=group.name,
            **description)["GroupId"]
    for key, user in sorted(config.sso.users.items()):
        org.user_ids[key] = store.create_user(
            IdentityStoreId=org.identity_store_id, UserName=key,
            DisplayName=user.display_name or f"{user.name.given_name} {user.name.family_name}",
            Name={"GivenName": user.name.given_name, "FamilyName": user.name.family_name},
            Emails=[{"Value": user.email, "Type": "work", "Primary": True}])["UserId"]
        for group in user.groups:
            store.create_group_membership(IdentityStoreId=org.identity_store_id,
                                          GroupId=org.group_ids[group],
                                          MemberId={"UserId": org.user_ids[key]})
    sso = org.client("sso-admin")
    for key, ps in sorted(config.sso.permission_sets.items()):
        description = {"Description": ps.description} if ps.description else {}
        arn = sso.create_permission_set(
            Name=ps.name, InstanceArn=org.instance_arn, SessionDuration=ps.session_duration,
            **description)["PermissionSet"]["PermissionSetArn"]
        org.permission_set_arns[key] = arn
        for policy in aws_managed_policy_arns(config, key):
            sso.attach_managed_policy_to_permission_set(
                InstanceArn=org.instance_arn, PermissionSetArn=arn, ManagedPolicyArn=policy)
        if customer_managed:
            _customer_managed_policies(org, key, arn)
            continue
        # Customer policies are statements of the inline policy (built-in documents aside,
        # which `./lz verify` does not compare).
        documents = [(p, config.sso.policies[p].document) for p in customer_policy_refs(config, key)
                     if config.sso.policies[p].document]
        if ps.inline_policy:
            documents.insert(0, ("inline", ps.inline_policy))
        if documents:
            sso.put_inline_policy_to_permission_set(
                InstanceArn=org.instance_arn, PermissionSetArn=arn,
                InlinePolicy=combined_inline_policy(key, documents))
    for a in assignments(config):
        principal = (org.group_ids if a.principal_type == "GROUP" else org.user_ids)[a.principal]
        sso.create_account_assignment(
            InstanceArn=org.instance_arn, TargetId=org.account_ids[a.account],
            TargetType="AWS_ACCOUNT", PermissionSetArn=org.permission_set_arns[a.permission_set],
            PrincipalType=a.principal_type, PrincipalId=principal)
    state_account = config.key_account("terraform_state") or config.management_account
    org.bucket(state_bucket_name(config), state_account, kms=True, versioned=True)
    cloudformation = org.client("cloudformation")
    templates = {access_log_stack_set_name(config, REGION):
                 access_log_template(config, landing_zone_log_sources(config))}
    if customer_managed_policies(config):
        templates[customer_policy_stack_set_name(config)] = customer_policy_template(config)
    # The program targets the root, which in AWS covers every account below it but the
    # management account. moto deploys to the accounts directly in a target only, the
    # management account included: the fixture names the OUs that hold the members.
    holding = {a.organizational_unit for a in config.accounts.values() if a.organizational_unit}
    for stack_set, template in templates.items():
        cloudformation.create_stack_set(
            StackSetName=stack_set, PermissionModel="SERVICE_MANAGED", TemplateBody=template,
            AutoDeployment={"Enabled": True, "RetainStacksOnAccountRemoval": True})
        cloudformation.create_stack_instances(
            StackSetName=stack_set, Regions=[REGION],
            DeploymentTargets={"OrganizationalUnitIds": sorted(org.ou_ids[k] for k in holding)})
    org.bucket(access_log_bucket_name(config, org.management_id, REGION),
               config.management_account, versioned=True)
    archive = config.key_account("log_archive")
    org.bucket(f"{config.namespace}-audit-logs", archive, kms=True, versioned=True)
    trail = org.client("cloudtrail")
    trail.create_trail(Name=f"{config.namespace}-organization-trail",
                       S3BucketName=f"{config.namespace}-audit-logs", IsMultiRegionTrail=True,
                       IsOrganizationTrail=True, EnableLogFileValidation=True,
                       IncludeGlobalServiceEvents=True,
                       KmsKeyId=f"arn:aws:kms:{REGION}:{org.account_ids[archive]}:key/audit")
    trail.start_logging(Name=f"{config.namespace}-organization-trail")
    if config.security_baseline.account_defaults.enabled:
        account = org.client("account")
        for key, account_id in org.account_ids.items():
            target = {} if account_id == org.management_id else {"AccountId": account_id}
            for kind in ("BILLING", "OPERATIONS", "SECURITY"):
                account.put_alternate_contact(
                    AlternateContactType=kind, Name=f"{kind.title()} team", Title="Team",
                    EmailAddress=f"{kind.lower()}@example.invalid", PhoneNumber="+10000000000",
                    **target)
    if security_account(config):
        _build_security_baseline(org)


def _build_security_baseline(org: Org) -> None:
    """The security services as `pulumi up` leaves them: the security tooling account is the
    delegated administrator of each, every other account a member in every governed region.
    What moto lacks (member lists of GuardDuty, Config's aggregator sources, Access Analyzer)
    goes to `org.gaps`."""
    config, orgs = org.config, org.client("organizations")
    admin = org.account_ids[security_account(config)]
    for principal in ("guardduty.amazonaws.com", "securityhub.amazonaws.com",
                      "config.amazonaws.com", "access-analyzer.amazonaws.com"):
        orgs.enable_aws_service_access(ServicePrincipal=principal)
        orgs.register_delegated_administrator(AccountId=admin, ServicePrincipal=principal)
    members = [a for a in org.account_ids.values() if a != admin]
    home = config.organization.aws_region
    aggregator = config_aggregator_name(config)
    org.client("config", admin, home).put_configuration_aggregator(
        ConfigurationAggregatorName=aggregator, OrganizationAggregationSource={
            "RoleArn": f"arn:aws:iam::{admin}:role/config-aggregator", "AllAwsRegions": False,
            "AwsRegions": config.governed_regions})
    # Security Hub's own designation, made from the management account in the home region.
    org.client("securityhub", None, home).enable_organization_admin_account(AdminAccountId=admin)
    for region in config.governed_regions:
        org.client("guardduty", None, region).enable_organization_admin_account(
            AdminAccountId=admin)
        org.client("guardduty", admin, region).create_detector(Enable=True)
        hub = org.client("securityhub", admin, region)
        hub.enable_security_hub(EnableDefaultStandards=False)
        hub.create_members(AccountDetails=[{"AccountId": a} for a in members])
        recorder = org.client("config", None, region)
        recorder.put_configuration_recorder(ConfigurationRecorder={
            "name": "default", "roleARN": f"arn:aws:iam::{org.management_id}:role/config",
            "recordingGroup": {"allSupported": True}})
        recorder.put_delivery_channel(DeliveryChannel={"name": "default",
                                                       "s3BucketName": "config-delivery"})
        recorder.start_configuration_recorder(ConfigurationRecorderName="default")
        for account_id in members:
            org.gaps.guardduty_member(admin, region, account_id, "Enabled")
        for account_id in [*members, admin]:
            org.gaps.config_source(admin, home, aggregator, account_id, region, "SUCCEEDED")
        org.gaps.analyzer(admin, region, f"{config.namespace}-organization", "ORGANIZATION",
                          "ACTIVE")


def _customer_managed_policies(org: Org, permission_set: str, arn: str) -> None:
    config, sso = org.config, org.client("sso-admin")
    accounts = sorted({a.account for a in assignments(config) if a.permission_set == permission_set})
    for key in customer_policy_refs(config, permission_set):
        ref = config.sso.policies[key]
        sso.attach_customer_managed_policy_reference_to_permission_set(
            InstanceArn=org.instance_arn, PermissionSetArn=arn,
            CustomerManagedPolicyReference={"Name": ref.name, "Path": ref.path})
        for account in accounts:
            iam = org.client("iam", account)
            arn_in = f"arn:aws:iam::{org.account_ids[account]}:policy{ref.path}{ref.name}"
            if not any(p["Arn"] == arn_in for p in iam.list_policies(Scope="Local")["Policies"]):
                iam.create_policy(PolicyName=ref.name, Path=ref.path, PolicyDocument=json.dumps(
                    ref.document or {"Version": "2012-10-17", "Statement": [
                        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}))


@pytest.fixture
def org_factory(moto_aws, config, service_gaps) -> Callable[..., Org]:
    def _factory(config: LandingZoneConfig = config, *, build: bool = True,
                 feature_set: str = "ALL", trusted: tuple[str, ...] = ("sso.amazonaws.com",),
                 customer_managed: bool = False) -> Org:
        org = Org(config, service_gaps)
        _build_organization(org, feature_set, trusted)
        if build:
            _build_landing_zone(org, customer_managed)
        return org
    return _factory


# -- faults ------------------------------------------------------------------------------------

class _Body:
    """The raw stream botocore reads an HTTP body from."""

    def __init__(self, data: bytes):
        self.data = data

    def stream(self, **_kwargs):
        yield self.data


_MODELS = botocore.session.get_session()


def error_response(service: str, code: str, message: str, status: int) -> AWSResponse:
    protocol = _MODELS.get_service_model(service).protocol
    if protocol == "json":
        body = json.dumps({"__type": code, "message": message}).encode()
        headers = {"Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": "fault"}
    elif protocol == "query":
        body = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>"
                f"<Message>{message}</Message></Error><RequestId>fault</RequestId>"
                "</ErrorResponse>").encode()
        headers = {"Content-Type": "text/xml"}
    else:  # rest-xml (S3)
        body = (f"<?xml version='1.0' encoding='UTF-8'?><Error><Code>{code}</Code>"
                f"<Message>{message}</Message><RequestId>fault</RequestId></Error>").encode()
        headers = {"Content-Type": "application/xml"}
    return AWSResponse("https://fault.invalid/", status, headers, _Body(body))


@dataclass
class Fault:
    service: str
    operation: str
    code: str
    times: int | None
    status: int
    message: str


class Faults:
    """Error responses served in front of moto through botocore's `before-send` event, the way
    a throttled, denied or expired call comes back from AWS; everything else reaches moto."""

    def __init__(self) -> None:
        self.rules: list[Fault] = []
        self.served: Counter[str] = Counter()
        self.calls: Counter[str] = Counter()

    def add(self, service: str, operation: str, code: str, *, times: int | None = 1,
            status: int = 400, message: str = "") -> None:
        """Fail the next `times` calls (None: every call) of service.Operation with `code`."""
        self.rules.append(Fault(service, operation, code, times, status,
                                message or f"injected {code}"))

    def __call__(self, request=None, event_name: str = "", **_kwargs) -> AWSResponse | None:
        _, service, operation = event_name.split(".", 2)
        self.calls[f"{service}.{operation}"] += 1
        for rule in self.rules:
            if (rule.service, rule.operation) == (service, operation) and rule.times != 0:
                if rule.times is not None:
                    rule.times -= 1
                self.served[f"{service}.{operation}"] += 1
                return error_response(service, rule.code, rule.message, rule.status)
        return None


@pytest.fixture
def faults(monkeypatch) -> Faults:
    """Install before moto's own before-send handler, in every session created afterwards;
    botocore's retry delays become zero so retried tests stay fast."""
    injected = Faults()
    monkeypatch.setattr(botocore.handlers, "BUILTIN_HANDLERS",
                        [("before-send", injected), *botocore.handlers.BUILTIN_HANDLERS])
    monkeypatch.setattr(botocore.retries.standard.ExponentialBackoff, "delay_amount",
                        lambda self, context: 0)
    return injected


# -- a stand-in for the pulumi CLI -------------------------------------------------------------

FAKE_PULUMI = r'''#!{python}
"""Stand-in `pulumi` for tests: records each call, keeps stacks as JSON files per backend
(file:// -> <home>/local, s3://bucket -> <home>/s3/bucket) and behaves like the real commands
in what the migration relies on, including pulumi/pulumi#9525 (`stack init` rewrites the
secrets settings of Pulumi.<stack>.yaml) and a wrong passphrase failing the import."""
import json, os, re, sys
from pathlib import Path

home = Path(os.environ["FAKE_PULUMI_HOME"])
argv = [a for a in sys.argv[1:] if a != "--non-interactive"]
backend = os.environ.get("PULUMI_BACKEND_URL", "")
with open(home / "calls.jsonl", "a") as log:
    log.write(json.dumps({{"argv": argv, "backend": backend, "cwd": os.getcwd(),
                          "aws_profile": os.environ.get("AWS_PROFILE")}}) + "\n")


def fail(message):
    print("error: " + message, file=sys.stderr)
    sys.exit(255)


def opt(name):
    return argv[argv.index(name) + 1] if name in argv else None


failing, where = os.environ.get("FAKE_PULUMI_FAIL", ""), os.environ.get("FAKE_PULUMI_FAIL_AT", "")
if failing and " ".join(argv).startswith(failing) and backend.startswith(where):
    fail("simulated failure of `pulumi " + failing + "`")
if argv == ["version"]:
    print("v3.200.0")
    sys.exit(0)
if not backend:  # the project's backend.url, else the local backend
    project = Path(os.getcwd()) / "Pulumi.yaml"
    found = re.search(r"^backend:\s*\n\s+url:\s*(\S+)", project.read_text(), re.M) \
        if project.exists() else None
    backend = found.group(1) if found else "file://~"
match = re.match(r"(file://|s3://)([^?]*)", backend)
if not match:
    fail("no backend: set PULUMI_BACKEND_URL (got %r)" % backend)
store = home / ("local" if match.group(1) == "file://" else "s3/" + match.group(2))
stacks = store / ".pulumi" / "stacks" / "landing-zone"
stacks.mkdir(parents=True, exist_ok=True)


def state(name):
    return stacks / (name + ".json")


def stack_yaml(name):
    return Path(os.getcwd()) / ("Pulumi." + name + ".yaml")


def load(name):
    if not state(name).exists():
        fail("no stack named '%s' found" % name)
    return json.loads(state(name).read_text())


def salt(text):
    found = re.search(r"^encryptionsalt: (\S+)", text, re.M)
    return found.group(1) if found else None


command = argv[:2]
if command == ["stack", "ls"]:
    print(json.dumps([{{"name": p.stem}} for p in sorted(stacks.glob("*.json"))]))
elif command == ["stack", "init"]:
    name = argv[2]
    if state(name).exists():
        fail("stack '%s' already exists" % name)
    state(name).write_text(json.dumps({{"version": 3, "deployment": {{
        "manifest": {{}}, "secrets_providers": {{"type": "passphrase", "state": {{"salt": "v1:NEW"}}}},
        "resources": []}}}}))
    config = stack_yaml(name)
    text = config.read_text() if config.exists() else ""
    text = re.sub(r"^encryptionsalt: .*\n", "", text, flags=re.M)
    config.write_text("encryptionsalt: v1:NEW\n" + text)
elif command == ["stack", "export"]:
    data = json.dumps(load(opt("--stack")), indent=2)
    if opt("--file"):
        Path(opt("--file")).write_text(data)
    else:
        print(data)
elif command == ["stack", "import"]:
    name = opt("--stack")
    load(name)
    data = json.loads(Path(opt("--file")).read_text())
    wanted = data["deployment"].get("secrets_providers", {{}}).get("state", {{}}).get("salt")
    if wanted and salt(stack_yaml(name).read_text()) != wanted:
        fail("could not decrypt the deployment: incorrect passphrase")
    if os.environ.get("FAKE_PULUMI_DROP"):
        data["deployment"]["resources"] = data["deployment"]["resources"][:-1]
    state(name).write_text(json.dumps(data))
elif command == ["stack", "change-secrets-provider"]:
    url, name = argv[2], opt("--stack")
    data = load(name)
    data["deployment"]["secrets_providers"] = {{"type": "cloud",
                                                "state": {{"url": url, "encryptedkey": "a2V5"}}}}
    state(name).write_text(json.dumps(data))
    config = stack_yaml(name)
    text = re.sub(r"^(encryptionsalt|secretsprovider|encryptedkey): .*\n", "", config.read_text(),
                  flags=re.M)
    config.write_text("secretsprovider: " + url + "\nencryptedkey: a2V5\n" + text)
elif command == ["stack", "rm"]:
    name = argv[2]
    load(name)
    state(name).unlink()
    if "--preserve-config" not in argv and stack_yaml(name).exists():
        stack_yaml(name).unlink()
elif command == ["stack", "output"]:
    resources = load(opt("--stack"))["deployment"]["resources"]
    root = [r for r in resources if r["type"] == "pulumi:pulumi:Stack"]
    print(json.dumps(root[0].get("outputs", {{}}) if root else {{}}, indent=2))
else:
    fail("the stand-in does not know `pulumi %s`" % " ".join(argv))
'''

STACK_YAML = """\
encryptionsalt: v1:OLD
config:
  aws:region: us-east-1
  aws:profile: bootstrap-admin
  landing-zone:config: config/organization.yaml
"""


def deployment(outputs: dict | None = None, *resources: str) -> dict:
    """A `pulumi stack export` of the bootstrap stack (passphrase secrets, salt v1:OLD)."""
    prefix = "urn:pulumi:bootstrap::landing-zone::"
    names = resources or ("aws:organizations/organization:Organization::organization",
                          "aws:organizations/account:Account::dev",
                          "aws:s3/bucket:Bucket::state")
    return {"version": 3, "deployment": {
        "manifest": {"time": "2026-01-01T00:00:00Z", "version": "v3.200.0"},
        "secrets_providers": {"type": "passphrase", "state": {"salt": "v1:OLD"}},
        "resources": [
            {"urn": prefix + "pulumi:pulumi:Stack::landing-zone-bootstrap",
             "type": "pulumi:pulumi:Stack", "custom": False, "outputs": outputs or {}},
            *({"urn": prefix + name, "type": name.split("::")[0], "custom": True, "id": f"id-{n}"}
              for n, name in enumerate(names))]}}


@dataclass
class FakePulumi:
    home: Path
    project: Path
    monkeypatch: Any

    def seed(self, data: dict, stack: str = "bootstrap", backend: str = "local") -> Path:
        path = self.home / backend / ".pulumi" / "stacks" / "landing-zone" / f"{stack}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data))
        return path

    def state(self, stack: str = "bootstrap", backend: str = "local") -> Path:
        return self.home / backend / ".pulumi" / "stacks" / "landing-zone" / f"{stack}.json"

    def calls(self) -> list[dict]:
        log = self.home / "calls.jsonl"
        return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []

    def commands(self) -> list[str]:
        return [" ".join(c["argv"][:2]) + (" " + c["backend"].split(":")[0] if c["backend"] else "")
                for c in self.calls()]

    def fail(self, command: str, at: str = "") -> None:
        """Make `pulumi <command>...` fail, on backends starting with `at` (file, s3)."""
        self.monkeypatch.setenv("FAKE_PULUMI_FAIL", command)
        self.monkeypatch.setenv("FAKE_PULUMI_FAIL_AT", at)


@pytest.fixture
def fake_pulumi(tmp_path, monkeypatch) -> FakePulumi:
    """`pulumi` on PATH is the stand-in above; the project is a copy in tmp_path/project."""
    import sys
    bin_dir, home, project = tmp_path / "bin", tmp_path / "fake-pulumi", tmp_path / "project"
    for directory in (bin_dir, home, project):
        directory.mkdir()
    script = bin_dir / "pulumi"
    script.write_text(FAKE_PULUMI.format(python=sys.executable))
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ.get('PATH', '')}")
    monkeypatch.setenv("FAKE_PULUMI_HOME", str(home))
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", "correct horse")
    (project / "Pulumi.yaml").write_text((REPO / "Pulumi.yaml").read_text())
    (project / "Pulumi.bootstrap.yaml").write_text(STACK_YAML)
    return FakePulumi(home, project, monkeypatch)


@pytest.fixture
def stack_deployment() -> Callable[..., dict]:
    return deployment
