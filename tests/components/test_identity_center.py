"""IdentityCenter under the recording mocks: every SSO resource, its order, names and outputs.

Most tests run the component alone, with stand-in accounts and baseline gates as Accounts and
AccessLogs make them (a gate per account created in the run); the fixture tests also run the
whole `build`.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pulumi
import pulumi_aws as aws
import pytest

from cli.offline import FakeAws, Inventory, Registration, run_offline
from cli.offline.mocks import UNKNOWN
from cli.plan import Plan, run_program
from components import build
from components.identity_center import IdentityCenter, IdentityCenterArgs
from config import Severity, load
from config.model import LandingZoneConfig
from config.rules import check
from components.policies.inline import MAX_INLINE_POLICY_CHARS
from config.topology import managed_accounts

METASTRUCTURE = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "metastructure" / "metastructure.yml"
STATE_BUCKET_ARN = "arn:aws:s3:::acme-pulumi-state"
STATE_KEY_ARN = "arn:aws:kms:us-east-1:222222222222:key/0f0e0d0c-0b0a-0908-0706-050403020100"
STORE = FakeAws().identity_store_id

GROUP = "aws:identitystore/group:Group"
USER = "aws:identitystore/user:User"
MEMBERSHIP = "aws:identitystore/groupMembership:GroupMembership"
PERMISSION_SET = "aws:ssoadmin/permissionSet:PermissionSet"
MANAGED = "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment"
CUSTOMER = "aws:ssoadmin/customerManagedPolicyAttachment:CustomerManagedPolicyAttachment"
INLINE = "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy"
BOUNDARY = "aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment"
ASSIGNMENT = "aws:ssoadmin/accountAssignment:AccountAssignment"
IAM_POLICY = "aws:iam/policy:Policy"
SSO_TYPES = (GROUP, USER, MEMBERSHIP, PERMISSION_SET, MANAGED, CUSTOMER, INLINE, BOUNDARY,
             ASSIGNMENT, IAM_POLICY)

BOB_ID = "9067aa00-1111-2222-3333-444455556666"
PLATFORM_ID = "9067bb00-1111-2222-3333-444455556666"
RETIRED_ID = "9067cc00-1111-2222-3333-444455556666"
OLD_ID = "9067dd00-1111-2222-3333-444455556666"
DEPLOY_DOCUMENT = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "cloudformation:*", "Resource": "*"}]}
LIMITS_DOCUMENT = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Deny", "Action": "iam:CreateUser", "Resource": "*"}]}
INLINE_DOCUMENT = {"Version": "2012-10-17", "Statement": [
    {"Sid": "ListBuckets", "Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]}

# Every feature once: the three target shapes, an OU target, a detached and a released account,
# adopted and released principals, managed (bare, job-function path, ARN), customer, built-in,
# inline and boundary policies.
ORG = {
    "organization": {"aws_region": "us-east-1",
                     "key_accounts": {"master": "master", "terraform_state": "shared"}},
    "organizational_units": {"workloads": {"name": "Workloads"},
                             "dev": {"name": "Dev", "parent": "workloads"},
                             "prod": {"name": "Prod", "parent": "workloads"}},
    "accounts": {
        "master": {"name": "Management", "email": "master@example.invalid", "id": "111111111111"},
        "shared": {"name": "Shared", "email": "shared@example.invalid"},
        "dev": {"name": "Dev", "email": "dev@example.invalid", "organizational_unit": "dev"},
        "prod": {"name": "Prod", "email": "prod@example.invalid", "organizational_unit": "prod"},
        "legacy": {"name": "Legacy", "email": "legacy@example.invalid",
                   "organizational_unit": "dev", "action": "detach"},
        "gone": {"name": "Gone", "email": "gone@example.invalid", "id": "999999999999",
                 "organizational_unit": "prod", "action": "remove"},
    },
    "audit_logging": {"enabled": False},  # it needs a log_archive account; not this test's concern
    "sso": {
        "permission_sets": {
            "admin": {"name": "Admin", "description": "Everything.", "session_duration": "PT4H",
                      "relay_state": "https://console.aws.amazon.com/billing/home",
                      "tags": {"team": "platform"},
                      "policies": ["AdministratorAccess", "sso_terraform_state_writer"]},
            "viewer": {"name": "Viewer", "permissions_boundary": "PowerUserAccess",
                       "policies": ["job-function/ViewOnlyAccess",
                                    "arn:aws:iam::aws:policy/ReadOnlyAccess"]},
            "deployer": {"name": "Deployer",
                         "policies": ["deploy", "limits", "unprotected_resource_writer"],
                         "inline_policy": INLINE_DOCUMENT,
                         "permissions_boundary": "PowerUserAccess"},
        },
        "policies": {
            "sso_terraform_state_writer": {"name": "StateWriter"},
            "unprotected_resource_writer": {"name": "UnprotectedWriter"},
            "deploy": {"name": "Deploy", "description": "Deploy stacks.", "document": DEPLOY_DOCUMENT},
            "limits": {"name": "Limits", "path": "/boundaries/", "document": LIMITS_DOCUMENT},
        },
        "groups": {
            "admins": {"name": "Admins", "account_permission_sets": "admin"},
            "readers": {"name": "Readers", "account_permission_sets": ["viewer"]},
            "deployers": {"name": "Deployers", "description": "Ship workloads.",
                          "account_permission_sets": {"ou:workloads": "deployer",
                                                      "shared": ["deployer", "viewer"]}},
            "platform": {"name": "Platform", "id": PLATFORM_ID},
            "retired": {"name": "Retired", "id": RETIRED_ID, "account_permission_sets": "admin",
                        "action": "remove"},
        },
        "users": {
            "jane": {"email": "jane@example.invalid", "name": {"given_name": "Jane", "family_name": "Doe"},
                     "groups": ["admins", "deployers"], "account_permission_sets": {"master": "viewer"}},
            "bob": {"email": "bob@example.invalid", "display_name": "Bobby", "id": BOB_ID,
                    "name": {"given_name": "Bob", "family_name": "Roe"}, "groups": "readers"},
            "old": {"email": "old@example.invalid", "name": {"given_name": "Old", "family_name": "Timer"},
                    "groups": "admins", "account_permission_sets": "admin", "id": OLD_ID,
                    "action": "remove"},
        },
    },
}

EXPECTED_ASSIGNMENTS = {
    "sso-group-admins/dev/admin", "sso-group-admins/master/admin", "sso-group-admins/prod/admin",
    "sso-group-admins/shared/admin",
    "sso-group-readers/dev/viewer", "sso-group-readers/master/viewer",
    "sso-group-readers/prod/viewer", "sso-group-readers/shared/viewer",
    "sso-group-deployers/dev/deployer", "sso-group-deployers/prod/deployer",
    "sso-group-deployers/shared/deployer", "sso-group-deployers/shared/viewer",
    "sso-user-jane/master/viewer",
}


def configured(data: dict) -> LandingZoneConfig:
    """A config the rules accept, as `./lz validate` would."""
    config = LandingZoneConfig.model_validate(data)
    assert [p for p in check(config) if p.severity is Severity.ERROR] == []
    return config


def standin_program(config: LandingZoneConfig, *, state_backend: bool = True):
    """IdentityCenter with accounts and gates shaped as Accounts and AccessLogs make them: new
    accounts' ids are unknown in preview, and each of them has a baseline gate."""

    def program():
        management = aws.Provider("management", region="us-east-1")
        account_ids, baseline = {}, {}
        for key in managed_accounts(config):
            if key == config.management_account:
                account_ids[key] = config.accounts[key].id or FakeAws().management_account_id
                continue
            account = aws.organizations.Account(
                f"account-{key}", name=config.accounts[key].name, email=config.accounts[key].email,
                opts=pulumi.ResourceOptions(provider=management))
            account_ids[key] = account.id
            if config.accounts[key].id is None:
                baseline[key] = pulumi.CustomResource(
                    "test:index:Baseline", f"baseline-{key}", {"account_id": account.id})
        sso = IdentityCenter("sso", IdentityCenterArgs(
            config=config, account_ids=account_ids, baseline=baseline,
            management_provider=management,
            state_bucket_arn=STATE_BUCKET_ARN if state_backend else None,
            state_kms_key_arn=STATE_KEY_ARN if state_backend else None))
        return {"sso": sso.outputs}

    return program


def sso_resources(inv: Inventory) -> list[Registration]:
    return [r for r in inv.registrations if r.type in SSO_TYPES]


def names(inv: Inventory, type_: str) -> set[str]:
    return {r.name for r in inv.of_type(type_)}


def account_of_provider(inv: Inventory, reg: Registration) -> str:
    """The stand-in provider's account key (`management` for the management account)."""
    return inv.by_urn[reg.provider].name.removeprefix("account-access-")


@pytest.fixture(scope="module")
def config() -> LandingZoneConfig:
    return configured(ORG)


@pytest.fixture(scope="module", params=[False, True], ids=["update", "preview"])
def inv(request, config) -> Inventory:
    return run_offline(standin_program(config), preview=request.param)


def test_registers_every_resource_type(inv):
    assert Counter(r.type for r in sso_resources(inv)) == {
        GROUP: 5, USER: 3, MEMBERSHIP: 3, PERMISSION_SET: 3, MANAGED: 3,
        INLINE: 2, BOUNDARY: 2, ASSIGNMENT: 13}
    component = inv.named("sso")
    assert component.type == "landing-zone:sso:IdentityCenter"
    assert all(r.parent == component.urn for r in sso_resources(inv))


def test_identity_center_lives_in_the_management_account(inv):
    management = inv.named("management")
    for reg in sso_resources(inv):
        assert reg.provider == management.urn, reg.urn
        assert reg.inputs.get("instanceArn", FakeAws().sso_instance_arn) == FakeAws().sso_instance_arn
        assert reg.inputs.get("identityStoreId", STORE) == STORE, reg.urn
    assert ("aws:ssoadmin/getInstances:getInstances", {}) in [
        (token, {k: v for k, v in args.items() if v is not None}) for token, args in inv.fake.invokes]


def test_principals(inv):
    jane, bob = inv.named("sso-user-jane"), inv.named("sso-user-bob")
    assert jane.inputs["userName"] == "jane"
    assert jane.inputs["displayName"] == "Jane Doe"  # given + family when not set
    assert jane.inputs["name"] == {"givenName": "Jane", "familyName": "Doe"}
    assert jane.inputs["emails"] == {"value": "jane@example.invalid", "primary": True}
    assert bob.inputs["displayName"] == "Bobby"
    deployers = inv.named("sso-group-deployers")
    assert deployers.inputs["displayName"] == "Deployers"
    assert deployers.inputs["description"] == "Ship workloads."
    assert names(inv, MEMBERSHIP) == {"sso-member-admins/jane", "sso-member-deployers/jane",
                                      "sso-member-readers/bob"}


def test_id_adopts_with_the_identity_store_import_format(inv):
    """pulumi-aws imports identitystore Group and User as `<identity store id>/<id>`."""
    adopted = {"sso-group-platform": PLATFORM_ID, "sso-group-retired": RETIRED_ID,
               "sso-user-bob": BOB_ID, "sso-user-old": OLD_ID}
    for reg in inv.of_type(GROUP) + inv.of_type(USER):
        expected = adopted.get(reg.name) and f"{STORE}/{adopted[reg.name]}"
        assert reg.import_id == expected, reg.urn
    assert inv.named("sso-user-bob").id == f"{STORE}/{BOB_ID}"  # known in preview too


def test_remove_releases_a_principal_and_revokes_what_landing_zone_granted_it(inv):
    """The principal stays in AWS (retained); its assignments and memberships go, so a released
    user keeps no access through a managed group."""
    released = {"sso-group-retired", "sso-user-old"}
    for reg in sso_resources(inv):
        assert reg.retain_on_delete == (reg.name in released), reg.urn
    assert not [r.urn for r in inv.of_type(ASSIGNMENT) + inv.of_type(MEMBERSHIP)
                if "retired" in r.name or r.name.endswith("/old") or "-old/" in r.name]


def test_permission_sets(inv):
    admin = inv.named("sso-ps-admin").inputs
    assert admin["name"] == "Admin" and admin["description"] == "Everything."
    assert admin["sessionDuration"] == "PT4H"
    assert admin["relayState"] == "https://console.aws.amazon.com/billing/home"
    assert admin["tags"] == {"team": "platform"}
    assert inv.named("sso-ps-viewer").inputs["sessionDuration"] == "PT1H"  # AWS's default


def test_attachments(inv):
    managed = {r.name: r.inputs["managedPolicyArn"] for r in inv.of_type(MANAGED)}
    assert managed == {
        "sso-ps-admin/AdministratorAccess": "arn:aws:iam::aws:policy/AdministratorAccess",
        "sso-ps-viewer/job-function/ViewOnlyAccess":
            "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
        "sso-ps-viewer/ReadOnlyAccess": "arn:aws:iam::aws:policy/ReadOnlyAccess",
    }
    assert not inv.of_type(CUSTOMER) and not inv.of_type(IAM_POLICY)
    inline = {r.name: r for r in inv.of_type(INLINE)}
    assert set(inline) == {"sso-ps-admin/inline-policy", "sso-ps-deployer/inline-policy"}
    boundaries = {r.name: r.inputs["permissionsBoundary"] for r in inv.of_type(BOUNDARY)}
    assert boundaries == {
        f"sso-ps-{key}/permissions-boundary": {
            "managedPolicyArn": "arn:aws:iam::aws:policy/PowerUserAccess"}
        for key in ("deployer", "viewer")}


def test_customer_policies_are_statements_of_the_inline_policy(inv):
    """The set's own statements first, then each customer policy's, in key order: Identity
    Center provisions them into every account the set is assigned to."""
    if inv.preview:
        return  # the built-in documents are rendered from outputs
    deployer = json.loads(inv.named("sso-ps-deployer/inline-policy").inputs["inlinePolicy"])
    statements = deployer["Statement"]
    assert statements[0] == INLINE_DOCUMENT["Statement"][0]
    assert statements[1:3] == DEPLOY_DOCUMENT["Statement"] + LIMITS_DOCUMENT["Statement"]
    assert statements[3]["Sid"] == "ManageUnprotectedResources"  # the built-in deployer policy
    admin = json.loads(inv.named("sso-ps-admin/inline-policy").inputs["inlinePolicy"])
    assert sorted(s["Sid"] for s in admin["Statement"]) == [
        "DenyTheLandingZoneState", "DenyWritingTheLandingZoneStack", "ListStateBucket",
        "ReadWriteStateObjects", "UseStateKey"]
    # Sent minified: the size AWS counts is the size sent.
    assert " " not in inv.named("sso-ps-admin/inline-policy").inputs["inlinePolicy"]


def test_a_clash_of_statement_ids_is_an_error_naming_both_sources(config):
    data = config.model_dump(mode="json", exclude_none=True)
    data["sso"]["policies"]["deploy"]["document"]["Statement"][0]["Sid"] = "ListBuckets"
    with pytest.raises(Exception, match=r"sso\.permission_sets\.deployer: statement id "
                                        r"'ListBuckets' is in both sso\.permission_sets\.deployer"
                                        r"\.inline_policy and sso\.policies\.deploy"):
        run_offline(standin_program(configured(data)))


def test_an_inline_policy_past_the_iam_role_limit_is_an_error(config):
    data = config.model_dump(mode="json", exclude_none=True)
    data["sso"]["policies"]["deploy"]["document"]["Statement"] = [
        {"Sid": f"S{i}", "Effect": "Allow", "Action": f"s3:GetObject{i}",
         "Resource": f"arn:aws:s3:::bucket-{i:04d}/*"} for i in range(95)]
    with pytest.raises(Exception, match=r"sso\.permission_sets\.deployer: its inline policy .* "
                                        rf"characters; IAM accepts {MAX_INLINE_POLICY_CHARS}"):
        run_offline(standin_program(configured(data)))


def test_three_shapes_and_ou_targets_expand_to_assignments(inv):
    """String = every active account; list = the same; map = accounts and `ou:` subtrees.
    The detached `legacy` (in ou:workloads) and the released `gone` get nothing."""
    assert names(inv, ASSIGNMENT) == EXPECTED_ASSIGNMENTS


def test_assignment_inputs_name_principal_account_and_set(inv):
    grant = inv.named("sso-group-deployers/shared/viewer")
    assert grant.inputs["principalType"] == "GROUP"
    assert grant.inputs["targetType"] == "AWS_ACCOUNT"
    jane = inv.named("sso-user-jane/master/viewer").inputs
    assert jane["principalType"] == "USER" and jane["targetId"] == "111111111111"
    if not inv.preview:
        shared = inv.named("account-shared")
        assert grant.inputs["targetId"] == shared.id
        group = inv.named("sso-group-deployers")
        assert grant.inputs["principalId"] == group.id.split("/", 1)[1]
        assert grant.inputs["permissionSetArn"].startswith("arn:aws:sso:::permissionSet/")


def test_principals_are_created_and_assigned_in_the_same_run(inv):
    """The assignment takes the new group's id, so it waits for the group; in preview the id is
    unknown, as `pulumi preview` shows it."""
    grant, group = inv.named("sso-group-admins/dev/admin"), inv.named("sso-group-admins")
    assert inv.depends_on(grant, group)
    assert inv.depends_on(inv.named("sso-member-admins/jane"), inv.named("sso-user-jane"))
    if inv.preview:
        assert grant.inputs["principalId"] == UNKNOWN and grant.inputs["targetId"] == UNKNOWN


SET_ATTACHMENTS = {"admin": 2, "viewer": 3, "deployer": 2}


def test_order_is_attachment_then_assignment(inv):
    """Creation follows these edges; deletion runs them backwards."""
    attachments = [r for t in (MANAGED, INLINE, BOUNDARY) for r in inv.of_type(t)]
    for grant in inv.of_type(ASSIGNMENT):
        _, account, permission_set = grant.name.split("/")
        own = [a for a in attachments if a.name.startswith(f"sso-ps-{permission_set}/")]
        assert len(own) == SET_ATTACHMENTS[permission_set]
        assert all(inv.depends_on(grant, a) for a in own), grant.urn


def test_assignment_in_an_account_created_in_the_run_waits_for_its_baseline(inv):
    grant = inv.named("sso-group-readers/prod/viewer")
    assert inv.named("baseline-prod").urn in grant.dependencies
    # the management account (adopted, no stack instances) waits for no gate
    master = inv.named("sso-group-readers/master/viewer")
    assert not [d for d in master.dependencies if "Baseline" in d]


def test_outputs(inv, config):
    out = inv.outputs["sso"]
    assert out["instance_arn"] == FakeAws().sso_instance_arn
    assert out["identity_store_id"] == STORE
    assert out["start_url"] == f"https://{STORE}.awsapps.com/start"  # no start_url in the config
    assert set(out["permission_sets"]) == {"admin", "deployer", "viewer"}
    assert set(out["groups"]) == {"admins", "deployers", "platform", "readers"}
    assert set(out["users"]) == {"bob", "jane"}
    assert {f"sso-{a['principal_type'].lower()}-{a['principal']}/{a['account']}/{a['permission_set']}"
            for a in out["assignments"]} == EXPECTED_ASSIGNMENTS
    if inv.preview:
        assert out["groups"]["admins"] == UNKNOWN
        assert out["groups"]["platform"] == PLATFORM_ID  # adopted: read from AWS in preview
    else:
        assert out["groups"]["admins"] == inv.named("sso-group-admins").id.split("/", 1)[1]
        assert out["users"]["bob"] == BOB_ID
        assert out["permission_sets"]["admin"].startswith("arn:aws:sso:::permissionSet/")
    registered = inv.registered_outputs[inv.named("sso").urn]
    assert set(registered) == set(out)


def test_not_enabled_identity_center_says_where_to_enable_it(config):
    with pytest.raises(Exception, match=r"(?s)IAM Identity Center is not enabled.*"
                                        r"us-east-1\.console\.aws\.amazon\.com/singlesignon.*Enable"):
        run_offline(standin_program(config), fake=FakeAws(sso_instance_arn=None))


def inline_statements(inv: Inventory, permission_set: str) -> dict[str, dict]:
    document = json.loads(inv.named(f"sso-ps-{permission_set}/inline-policy").inputs["inlinePolicy"])
    return {s.get("Sid", f"#{i}"): s for i, s in enumerate(document["Statement"])}


def test_built_in_documents_use_the_state_backend_this_stack_builds(inv):
    if inv.preview:
        return  # rendered from outputs
    writer = inline_statements(inv, "admin")
    resources = {sid: s["Resource"] for sid, s in writer.items()}
    private = resources.pop("DenyTheLandingZoneState")
    checkpoints = resources.pop("DenyWritingTheLandingZoneStack")
    assert resources == {
        "ListStateBucket": STATE_BUCKET_ARN, "ReadWriteStateObjects": f"{STATE_BUCKET_ARN}/*",
        "UseStateKey": STATE_KEY_ARN}
    assert f"{STATE_BUCKET_ARN}/.pulumi/history/landing-zone/*" in private
    assert f"{STATE_BUCKET_ARN}/.pulumi/stacks/landing-zone/*" in checkpoints
    deployer = json.dumps(inline_statements(inv, "deployer"))
    assert STATE_BUCKET_ARN in deployer and STATE_KEY_ARN in deployer


def test_without_a_state_backend_the_state_writer_names_the_configured_one(config):
    """A backend made elsewhere: the bucket by name, the key by its alias in the state account."""
    inv = run_offline(standin_program(config, state_backend=False))
    shared_id = inv.named("account-shared").id
    statements = inline_statements(inv, "admin")
    assert statements["ListStateBucket"]["Resource"] == "arn:aws:s3:::pulumi-state"
    assert statements["UseStateKey"]["Resource"] == f"arn:aws:kms:us-east-1:{shared_id}:key/*"
    assert statements["UseStateKey"]["Condition"] == {
        "ForAnyValue:StringEquals": {"kms:ResourceAliases": "alias/pulumi-state"}}
    denied = inline_statements(inv, "deployer")["DenyReconfiguringProtectedBuckets"]
    assert "arn:aws:s3:::pulumi-state" in denied["Resource"]  # protected by name, made elsewhere
    assert "arn:aws:s3:::s3-access-logs-*-*" in denied["Resource"]  # no namespace token


def test_every_rendered_document_is_valid_json_within_aws_limits(inv):
    if inv.preview:
        return
    for reg in inv.of_type(INLINE):
        assert len(reg.inputs["inlinePolicy"]) <= MAX_INLINE_POLICY_CHARS, reg.urn
        json.loads(reg.inputs["inlinePolicy"])


# The Metastructure fixture: 2 groups x 6 active accounts, built-in customer policies.

@pytest.fixture(scope="module")
def metastructure() -> LandingZoneConfig:
    if not METASTRUCTURE.is_file():  # it lives beside the repository, as in the other files
        pytest.skip(f"the Metastructure fixture is not here: {METASTRUCTURE}")
    return load(METASTRUCTURE).config


def _assert_metastructure_plan(inv: Inventory) -> None:
    assert Counter(r.type for r in sso_resources(inv)) == {
        GROUP: 2, PERMISSION_SET: 2, MANAGED: 1, INLINE: 2, ASSIGNMENT: 12, USER: 1,
        MEMBERSHIP: 1}
    assert names(inv, INLINE) == {"sso-ps-terraform_admin/inline-policy",
                                  "sso-ps-terraform_deployment/inline-policy"}
    accounts = ("dev", "log_archive", "master", "prod", "shared_services", "test")
    assert names(inv, ASSIGNMENT) == {f"sso-group-{g}/{a}/{g}" for a in accounts
                                      for g in ("terraform_admin", "terraform_deployment")}


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_metastructure_fixture_plan(metastructure, preview):
    _assert_metastructure_plan(run_offline(standin_program(metastructure), preview=preview))


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_metastructure_fixture_through_the_full_build(metastructure, preview):
    fake = FakeAws(region=metastructure.organization.aws_region)
    inv = run_offline(lambda: build(metastructure), preview=preview, fake=fake)
    _assert_metastructure_plan(inv)
    out = inv.outputs["sso"]
    assert out["start_url"] == "https://my-sso-domain.awsapps.com/start#/"
    assert len(out["assignments"]) == 12 and set(out["groups"]) == {
        "terraform_admin", "terraform_deployment"}
    if not preview:
        writer = inline_statements(inv, "terraform_admin")
        bucket = inv.outputs["state_backend"]["bucket"]
        assert {s["Resource"] for s in writer.values() if s["Effect"] == "Allow"} == {
            f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*",
            inv.outputs["state_backend"]["kms_key_arn"]}
        denied = {r for s in writer.values() if s["Effect"] == "Deny" for r in s["Resource"]}
        assert inv.outputs["landing_zone_state"]["kms_key_arn"] in denied


def _grown(config: LandingZoneConfig) -> LandingZoneConfig:
    """One more permission set, one more group and one more account."""
    data = config.model_dump(mode="json", exclude_none=True)
    data["accounts"]["sandbox"] = {"name": "Sandbox", "email": "sandbox@example.invalid",
                                   "organizational_unit": "dev"}
    data["sso"]["permission_sets"]["auditor"] = {"name": "Auditor", "policies": ["SecurityAudit"]}
    data["sso"]["groups"]["auditors"] = {"name": "Auditors",
                                         "account_permission_sets": {"ou:workloads": "auditor"}}
    return configured(data)


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_adding_a_permission_set_a_group_or_an_account_changes_nothing_that_exists(
        metastructure, preview):
    before = run_offline(standin_program(metastructure), preview=preview)
    after = run_offline(standin_program(_grown(metastructure)), preview=preview)
    old, new = {r.urn: r for r in sso_resources(before)}, {r.urn: r for r in sso_resources(after)}
    assert set(old) < set(new)
    for urn, reg in old.items():
        assert new[urn].inputs == reg.inputs, urn
        assert new[urn].provider == reg.provider, urn
    added = {new[u].name for u in set(new) - set(old)}
    assert {"sso-ps-auditor", "sso-ps-auditor/SecurityAudit", "sso-group-auditors",
            "sso-group-auditors/sandbox/auditor",
            "sso-group-terraform_admin/sandbox/terraform_admin"} <= added


def test_example_organization_sso_is_pinned(inventory, example_config):
    """config/organization.yaml through the whole program: admins everywhere, deployers in the
    workloads OU and shared services, auditors in the log archive; everything in the management
    account (no IAM policy in any member account: customer policies are inline statements)."""
    plan = Plan(example_config, inventory)
    resources = [r for r in sso_resources(inventory)
                 if inventory.ancestors(r)[0].type == "landing-zone:sso:IdentityCenter"]
    assert Counter(r.type for r in resources) == {
        GROUP: 3, USER: 1, MEMBERSHIP: 2, PERMISSION_SET: 3, MANAGED: 1, INLINE: 3,
        ASSIGNMENT: 12}
    # 3 sets, 4 attachments, 12 assignments (admins in 7 accounts), 3 groups, 1 user,
    # 2 memberships
    assert Counter(plan.account_of(r) for r in resources) == {"master": 25}
    assert set(inventory.outputs["sso"]["permission_sets"]) == {
        "admin", "audit_log_reader", "deployer"}


# Adoption: the pulumi-aws import ids (each resource's `## Import` docstring section).

INSTANCE = "arn:aws:sso:::instance/ssoins-72230a1b2c3d4e5f"  # AWS's shape: 16 characters
ADMIN_ARN = INSTANCE.replace(":::instance/", ":::permissionSet/") + "/ps-0123456789abcdef"
DEPLOYER_ARN = INSTANCE.replace(":::instance/", ":::permissionSet/") + "/ps-fedcba9876543210"
READERS_ID = "9067ee00-1111-2222-3333-444455556666"
JANE_ID = "9067ff00-1111-2222-3333-444455556666"
MEMBERSHIP_ID = "9067ab00-1111-2222-3333-444455556666"


@pytest.fixture(scope="module")
def adopted_config() -> LandingZoneConfig:
    """ORG with `admin` and `deployer` adopted, `viewer` new; `dev` and master adopted."""
    data = json.loads(json.dumps(ORG))
    data["accounts"]["dev"]["id"] = "333333333333"
    sso = data["sso"]
    sso["permission_sets"]["admin"]["id"] = ADMIN_ARN
    sso["permission_sets"]["deployer"]["id"] = DEPLOYER_ARN
    sso["groups"]["readers"]["id"] = READERS_ID
    sso["groups"]["deployers"]["id"] = "9067ac00-1111-2222-3333-444455556666"
    sso["users"]["jane"]["id"] = JANE_ID
    sso["users"]["bob"]["group_membership_ids"] = {"readers": MEMBERSHIP_ID}
    return configured(data)


@pytest.fixture(scope="module", params=[False, True], ids=["update", "preview"])
def adopted(request, adopted_config) -> Inventory:
    return run_offline(standin_program(adopted_config), preview=request.param,
                       fake=FakeAws(sso_instance_arn=INSTANCE))


def test_adopted_permission_sets_import_with_everything_attached(adopted):
    imports = {r.name: r.import_id for t in (PERMISSION_SET, MANAGED, CUSTOMER, INLINE, BOUNDARY)
               for r in adopted.of_type(t)}
    assert imports == {
        "sso-ps-admin": f"{ADMIN_ARN},{INSTANCE}",
        "sso-ps-admin/AdministratorAccess":
            f"arn:aws:iam::aws:policy/AdministratorAccess,{ADMIN_ARN},{INSTANCE}",
        "sso-ps-admin/inline-policy": f"{ADMIN_ARN},{INSTANCE}",
        "sso-ps-deployer": f"{DEPLOYER_ARN},{INSTANCE}",
        "sso-ps-deployer/inline-policy": f"{DEPLOYER_ARN},{INSTANCE}",
        # a boundary is a Put (no conflict) that the importer cannot read: always created
        "sso-ps-deployer/permissions-boundary": None,
        "sso-ps-viewer": None, "sso-ps-viewer/job-function/ViewOnlyAccess": None,
        "sso-ps-viewer/ReadOnlyAccess": None, "sso-ps-viewer/permissions-boundary": None,
    }
    # the set's ARN is read from AWS by the import, so known in preview too
    assert adopted.named("sso-ps-admin").id == f"{ADMIN_ARN},{INSTANCE}"


def test_assignments_import_only_when_set_principal_and_account_are_adopted(adopted):
    imports = {r.name: r.import_id for r in adopted.of_type(ASSIGNMENT) if r.import_id}
    assert imports == {
        # principal id, type, account id, target type, set ARN, instance ARN
        "sso-group-deployers/dev/deployer":
            f"9067ac00-1111-2222-3333-444455556666,GROUP,333333333333,AWS_ACCOUNT,"
            f"{DEPLOYER_ARN},{INSTANCE}",
    }  # admins (no id), viewer (new set), prod and shared (new accounts) are created
    assert names(adopted, ASSIGNMENT) == EXPECTED_ASSIGNMENTS


def test_memberships_import_where_the_config_says_they_exist(adopted):
    assert {r.name: r.import_id for r in adopted.of_type(MEMBERSHIP)} == {
        "sso-member-readers/bob": f"{STORE}/{MEMBERSHIP_ID}",
        "sso-member-admins/jane": None, "sso-member-deployers/jane": None}


def test_adopting_changes_no_logical_name(inv, adopted):
    assert {r.urn for r in sso_resources(inv)} == {r.urn for r in sso_resources(adopted)}


def test_a_permission_set_of_another_instance_is_refused(adopted_config):
    data = adopted_config.model_dump(mode="json", exclude_none=True)
    data["sso"]["permission_sets"]["admin"]["id"] = \
        "arn:aws:sso:::permissionSet/ssoins-0000000000000000/ps-0123456789abcdef"
    with pytest.raises(Exception, match=r"sso\.permission_sets\.admin\.id .* belongs to another "
                                        r"Identity Center instance"):
        run_offline(standin_program(configured(data)), fake=FakeAws(sso_instance_arn=INSTANCE))


@pytest.mark.parametrize(("key", "user_name", "sent"), [
    ("admin", None, "admin"),                    # default: the key
    ("admin", "platform.admin", "platform.admin"),
    ("platform_admin", "admin", "admin"),        # a new key keeps the sign-in name AWS has
])
def test_the_user_name_comes_from_user_name_not_the_key(example_data, config_from, tmp_path,
                                                        key, user_name, sent):
    """Issue 11, item 4: user_name is ForceNew, so it must not change with the key."""
    user = example_data["sso"]["users"].pop("admin")
    if user_name:
        user["user_name"] = user_name
    example_data["sso"]["users"][key] = user
    config = config_from(example_data, tmp_path)
    assert config.sso.users[key].user_name == sent
    [registered] = run_program(config).of_type(USER)
    assert registered.name == f"sso-user-{key}"
    assert registered.inputs["userName"] == sent, registered.urn
