"""Pulumi mocks that record every registration, with the options the mock API hides.

`Mocks.new_resource` sees neither parent, dependencies, protect nor import id, so a monitor
subclass reads them from the registration request itself.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import pulumi
from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockMonitor

UNKNOWN = "<unknown>"


def _fake_digits(seed: str, n: int = 12) -> str:
    return str(int(hashlib.sha256(seed.encode()).hexdigest(), 16))[:n].rjust(n, "0")


def _fake_token(seed: str, n: int) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()[:n]


@dataclass
class FakeAws:
    """What the invokes answer: an organization that exists, with Identity Center enabled."""

    management_account_id: str = "111111111111"
    organization_id: str = "o-exampleorg1"
    root_id: str = "r-ex01"
    region: str = "us-east-1"
    sso_instance_arn: str | None = "arn:aws:sso:::instance/ssoins-example0000001"
    identity_store_id: str = "d-9067example"
    trusted_services: tuple[str, ...] = ()
    enabled_policy_types: tuple[str, ...] = ("SERVICE_CONTROL_POLICY",)
    delegated_administrators: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Service principal -> ids of its delegated administrators (none by default)."""
    accounts: tuple[tuple[str, str], ...] = ()
    """(id, email) of the organization's accounts that `getOrganization` lists."""
    service_linked_roles: tuple[str, ...] = ()
    """Service principals whose service-linked role exists in the management account."""
    invokes: list[tuple[str, dict]] = field(default_factory=list)
    invoke_providers: list[tuple[str, str | None]] = field(default_factory=list)
    """(token, provider URN) of each invoke: which account and region it reads."""

    def answer(self, token: str, args: dict, region: str | None = None) -> dict:
        """`region`: the one of the provider the invoke ran through (default: the fake's)."""
        self.invokes.append((token, args))
        region = region or self.region
        mgmt, org = self.management_account_id, self.organization_id
        if token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {"accountId": mgmt, "arn": f"arn:aws:iam::{mgmt}:user/bootstrap-admin",
                    "userId": "AIDAEXAMPLE", "id": mgmt}
        if token == "aws:organizations/getOrganization:getOrganization":
            return {"id": org, "arn": f"arn:aws:organizations::{mgmt}:organization/{org}",
                    "masterAccountId": mgmt, "masterAccountArn": f"arn:aws:organizations::{mgmt}:account/{org}/{mgmt}",
                    "masterAccountEmail": "management@example.invalid", "featureSet": "ALL",
                    "roots": [{"id": self.root_id, "name": "Root",
                               "arn": f"arn:aws:organizations::{mgmt}:root/{org}/{self.root_id}",
                               "policyTypes": [{"type": t, "status": "ENABLED"}
                                               for t in self.enabled_policy_types]}],
                    "awsServiceAccessPrincipals": list(self.trusted_services),
                    "enabledPolicyTypes": list(self.enabled_policy_types),
                    "accounts": [{"id": i, "email": e, "arn": "", "name": e, "status": "ACTIVE"}
                                 for i, e in self.accounts], "nonMasterAccounts": []}
        if token == "aws:ssoadmin/getInstances:getInstances":
            arns = [self.sso_instance_arn] if self.sso_instance_arn else []
            ids = [self.identity_store_id] if self.sso_instance_arn else []
            return {"arns": arns, "identityStoreIds": ids, "id": region}
        if token == "aws:index/getRegion:getRegion":
            return {"name": region, "region": region, "id": region,
                    "endpoint": f"ec2.{region}.amazonaws.com", "description": region}
        if token == "aws:organizations/getDelegatedAdministrators:getDelegatedAdministrators":
            principal = args.get("servicePrincipal")
            return {"id": org, "servicePrincipal": principal, "delegatedAdministrators": [
                {"id": account_id, "arn": f"arn:aws:organizations::{mgmt}:account/{org}/{account_id}",
                 "delegationEnabledDate": "2026-01-01T00:00:00Z", "email": "", "joinedMethod": "CREATED",
                 "joinedTimestamp": "2026-01-01T00:00:00Z", "name": account_id, "status": "ACTIVE"}
                for account_id in self.delegated_administrators.get(principal, ())]}
        if token == "aws:index/getPartition:getPartition":
            return {"partition": "aws", "dnsSuffix": "amazonaws.com", "id": "aws",
                    "reverseDnsSuffix": "com.amazonaws"}
        if token == "aws:iam/getRoles:getRoles":
            prefix = args.get("pathPrefix", "")
            found = [p for p in self.service_linked_roles
                     if prefix == f"/aws-service-role/{p}/"]
            names = [args.get("nameRegex", "").strip("^$") for _ in found]
            return {"id": mgmt, "arns": [f"arn:aws:iam::{mgmt}:role{prefix}{n}" for n in names],
                    "names": names}
        if token == "aws:guardduty/getDetector:getDetector":
            # Designation made the administrator's detector: one per account and region
            # (the invoke's own `region`, pulumi-aws 7, before the provider's).
            region = args.get("region") or region
            return {"id": _fake_token(f"detector-{region}", 32), "region": region,
                    "status": "ENABLED", "serviceRoleArn": "", "findingPublishingFrequency":
                    "SIX_HOURS", "features": [], "tags": {}, "arn": ""}
        raise NotImplementedError(f"the offline runtime has no answer for invoke {token}; "
                                  "add one to cli/offline/mocks.py")


def _fake_uuid(seed: str) -> str:
    h = _fake_token(seed, 32)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


# pulumi-aws ids identity store objects as `<identity store id>/<object id>` (its import format)
# and returns the object id in its own output.
IDENTITY_STORE_IDS = {
    "aws:identitystore/group:Group": "groupId",
    "aws:identitystore/user:User": "userId",
    "aws:identitystore/groupMembership:GroupMembership": "membershipId",
}


# Outputs a real provider computes; preview leaves them unknown, as `pulumi preview` does.
def computed_outputs(type_: str, name: str, inputs: dict, fake: FakeAws, physical_id: str,
                     region: str | None = None) -> dict:
    """`region`: the one the resource's provider works in (default: the fake's)."""
    region = region or fake.region
    mgmt, org = fake.management_account_id, fake.organization_id
    if type_ == "aws:organizations/account:Account":
        return {"arn": f"arn:aws:organizations::{mgmt}:account/{org}/{physical_id}", "status": "ACTIVE"}
    if type_ == "aws:organizations/organizationalUnit:OrganizationalUnit":
        return {"arn": f"arn:aws:organizations::{mgmt}:ou/{org}/{physical_id}"}
    if type_ == "aws:organizations/organization:Organization":
        return {"arn": f"arn:aws:organizations::{mgmt}:organization/{org}", "masterAccountId": mgmt,
                "roots": [{"id": fake.root_id, "name": "Root", "arn": f"arn:aws:organizations::{mgmt}:root/{org}/{fake.root_id}"}]}
    if type_ == "aws:organizations/policy:Policy":
        return {"arn": f"arn:aws:organizations::{mgmt}:policy/{org}/service_control_policy/{physical_id}"}
    if type_ == "aws:s3/bucket:Bucket":
        bucket = inputs.get("bucket", physical_id)
        return {"bucket": bucket, "arn": f"arn:aws:s3:::{bucket}",
                "bucketDomainName": f"{bucket}.s3.amazonaws.com"}
    if type_ == "aws:kms/key:Key":
        return {"arn": f"arn:aws:kms:{region}:{_fake_digits('acct' + name)}:key/{physical_id}",
                "keyId": physical_id}
    if type_ == "aws:kms/alias:Alias":
        return {"arn": f"arn:aws:kms:{region}:{_fake_digits('acct' + name)}:{inputs.get('name')}"}
    if type_ == "aws:ssoadmin/permissionSet:PermissionSet":
        return {"arn": f"{fake.sso_instance_arn}/ps-{_fake_token(name, 16)}".replace(":::instance/", ":::permissionSet/")}
    if type_ in IDENTITY_STORE_IDS:
        return {IDENTITY_STORE_IDS[type_]: physical_id.split("/", 1)[1]}
    if type_ == "aws:cloudtrail/trail:Trail":
        return {"arn": f"arn:aws:cloudtrail:{region}:{mgmt}:trail/{inputs.get('name', name)}"}
    if type_ == "aws:cloudwatch/logGroup:LogGroup":
        return {"arn": f"arn:aws:logs:{region}:{_fake_digits('acct' + name)}:log-group:"
                       f"{inputs.get('name', physical_id)}"}
    if type_ == "aws:iam/role:Role":
        role = inputs.get("name", physical_id)
        return {"arn": f"arn:aws:iam::{_fake_digits('acct' + name)}:role/{role}", "name": role}
    if type_ == "aws:iam/policy:Policy":
        return {"arn": f"arn:aws:iam::{_fake_digits(name)}:policy{inputs.get('path', '/')}{inputs.get('name', name)}"}
    return {"arn": f"arn:aws:mock:{region}::{name}"}


def physical_id_for(type_: str, name: str, inputs: dict) -> str:
    """Deterministic by logical name, so reordering the YAML cannot change any id."""
    if type_ == "aws:organizations/account:Account":
        return _fake_digits(name)
    if type_ == "aws:organizations/organizationalUnit:OrganizationalUnit":
        return f"ou-{_fake_token(name, 4)}-{_fake_token('x' + name, 8)}"
    if type_ == "aws:s3/bucket:Bucket" and inputs.get("bucket"):
        return inputs["bucket"]
    if type_ == "aws:cloudwatch/logGroup:LogGroup" and inputs.get("name"):
        return inputs["name"]  # pulumi-aws ids a log group by its name
    if type_ == "aws:kms/key:Key":
        return _fake_uuid(name)
    if type_ in IDENTITY_STORE_IDS:
        return f"{inputs['identityStoreId']}/{_fake_uuid(name)}"
    return f"{name}-{_fake_token(name, 8)}"


@dataclass(frozen=True)
class Registration:
    """One registered resource as the engine would see it."""

    urn: str
    type: str
    name: str
    custom: bool
    parent: str | None
    provider: str | None          # provider URN
    dependencies: tuple[str, ...]
    protect: bool
    retain_on_delete: bool
    import_id: str | None
    ignore_changes: tuple[str, ...]
    inputs: dict[str, Any]
    id: str | None                 # None in preview for created resources


def _plain(value: Any) -> Any:
    """Deserialized properties with unknowns and secrets made printable."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is rpc.UNKNOWN or value == rpc.UNKNOWN or type(value).__name__ == "Unknown":
        return UNKNOWN
    if isinstance(value, pulumi.Resource):
        return f"<resource {type(value).__name__}>"
    return value


def default_provider_urn(request) -> str:
    """The provider the engine gives a custom resource registered without one: its package's
    `default` provider (`default_<version>` when the SDK asks for a version)."""
    package = request.type.split(":", 1)[0]
    name = f"default_{request.version.replace('.', '_')}" if request.version else "default"
    return f"urn:pulumi:{pulumi.get_stack()}::{pulumi.get_project()}::pulumi:providers:{package}::{name}"


class RecordingMonitor(MockMonitor):
    def __init__(self, mocks: "RecordingMocks"):
        super().__init__(mocks)
        self.registrations: dict[str, Registration] = {}
        # What each component (and the stack) passed to register_outputs, by URN.
        self.registered_outputs: dict[str, dict[str, Any]] = {}

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        """The engine's URN, not the mock's: a child's type carries its parent's whole type
        chain, and the root stack is left out of it (pulumi's MockMonitor keeps only the
        parent's last type and keeps the stack; the engine suite found the difference)."""
        qualified = parent.split("::")[2] if parent else ""
        if qualified and qualified != "pulumi:pulumi:Stack":
            type_ = f"{qualified}${type_}"
        return f"urn:pulumi:{pulumi.get_stack()}::{pulumi.get_project()}::{type_}::{name}"

    def RegisterResource(self, request):
        response = super().RegisterResource(request)
        if request.type == "pulumi:pulumi:Stack":
            return response
        inputs = _plain(rpc.deserialize_properties(request.object, keep_unknowns=True))
        provider = (request.provider.rsplit("::", 1)[0] if request.provider
                    else default_provider_urn(request)
                    if request.custom and not request.type.startswith("pulumi:providers:")
                    else None)
        self.registrations[response.urn] = Registration(
            urn=response.urn, type=request.type, name=request.name, custom=bool(request.custom),
            parent=request.parent or None, provider=provider,
            dependencies=tuple(sorted(set(request.dependencies))), protect=bool(request.protect),
            retain_on_delete=bool(request.retainOnDelete), import_id=request.importId or None,
            ignore_changes=tuple(request.ignoreChanges), inputs=inputs, id=response.id or None)
        return response

    def RegisterResourceOutputs(self, request):
        outputs = rpc.deserialize_properties(request.outputs, keep_unknowns=True)
        self.registered_outputs[request.urn] = _plain(outputs)
        return super().RegisterResourceOutputs(request)


class RecordingMocks(pulumi.runtime.Mocks):
    def __init__(self, fake: FakeAws, preview: bool):
        self.fake, self.preview = fake, preview
        # Provider name -> the region it was given (the program names providers uniquely):
        # computed ARNs and lookups answer in the region of the provider used, as AWS would.
        self.provider_regions: dict[str, str] = {}

    def call(self, args: pulumi.runtime.MockCallArgs):
        provider = args.provider.rsplit("::", 1)[0] if args.provider else None
        self.fake.invoke_providers.append((args.token, provider))
        return self.fake.answer(args.token, args.args, self._region_of(args.provider))

    def _region_of(self, provider: str | None) -> str | None:
        """`provider` is a reference, `<urn>::<id>`; the URN ends with the name."""
        return self.provider_regions.get(provider.split("::")[-2]) if provider else None

    def new_resource(self, args: pulumi.runtime.MockResourceArgs):
        if args.typ.startswith("pulumi:providers:"):
            if args.inputs.get("region"):
                self.provider_regions[args.name] = args.inputs["region"]
            return ("" if self.preview else f"{args.name}-provider-id"), dict(args.inputs)
        physical = args.resource_id or physical_id_for(args.typ, args.name, args.inputs)
        if self.preview and not args.resource_id:
            # A create in preview: the engine knows the inputs, not the id or computed outputs.
            return "", dict(args.inputs)
        # An import reads the live resource, in preview too, so its outputs are known.
        outputs = computed_outputs(args.typ, args.name, args.inputs, self.fake, physical,
                                   self._region_of(args.provider))
        return physical, {**args.inputs, **outputs}
