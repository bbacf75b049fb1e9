"""`./lz verify` against moto: a landing zone built as the config says matches; each kind of
drift made with boto3 afterwards is reported in config terms, with both values."""

from __future__ import annotations

import json

import pytest
from moto.ssoadmin import models as sso_models

from cli.aws.session import AwsSession, Backoff, aws_errors, new_session
from cli.checks.verify import verify
from cli.errors import AwsError
from cli.main import main
from config import load

REGION = "us-east-1"


def report(capsys, config_path, *extra: str) -> tuple[int, dict[tuple[str, str], dict]]:
    code = main(["verify", str(config_path), "--json", *extra])
    data = json.loads(capsys.readouterr().out)
    return code, {(i["kind"], i["key"]): i for i in data["items"]}


def drift(items: dict) -> dict:
    return {k: v for k, v in items.items() if v["status"] != "match"}


def test_clean_organization_matches(org_factory, config_path, capsys):
    org = org_factory()
    code = main(["verify", str(config_path)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"  VF003  dev ({org.account_ids['dev']}): matches" in out
    assert f"  VF008  GROUP developers -> dev: developer ({org.account_ids['dev']}): matches" in out
    assert "  VF009  acme-pulumi-state (" in out
    summary = out.strip().splitlines()[-1]
    assert summary.startswith(f"verify {org.org_id}: ")
    assert summary.endswith("matches: the organization matches the config.")


def test_clean_organization_json_lists_every_config_item(org_factory, config_path, capsys):
    org_factory()
    code, items = report(capsys, config_path)
    assert code == 0
    assert drift(items) == {}
    kinds = {kind for kind, _ in items}
    assert kinds == {"organization", "organizational unit", "account", "group", "user",
                     "group membership", "permission set", "assignment", "bucket", "trail",
                     "account baseline", "account's alternate contacts"}
    # 2 groups x (admin everywhere: 5 accounts) + developers on the 2 workload accounts
    assert sum(kind == "assignment" for kind, _ in items) == 7
    # state bucket, the management account's access-log bucket, the trail's bucket
    assert sum(kind == "bucket" for kind, _ in items) == 3
    # the 4 member accounts' access-log buckets, through their stack instances
    assert sum(kind == "account baseline" for kind, _ in items) == 4
    # account defaults need no security account: every account's alternate contacts
    assert sum(kind == "account's alternate contacts" for kind, _ in items) == 5


def test_moved_account_is_different_with_both_places(org_factory, config_path, capsys):
    org = org_factory()
    org.client("organizations").move_account(
        AccountId=org.account_ids["dev"], SourceParentId=org.ou_ids["dev"],
        DestinationParentId=org.ou_ids["prod"])
    code, items = report(capsys, config_path)
    assert code == 1
    assert drift(items) == {("account", "dev"): {
        "id": "VF003", "kind": "account", "key": "dev", "status": "different",
        "aws_id": org.account_ids["dev"],
        "differences": [{"field": "organizational unit", "expected": "dev (Dev)",
                         "actual": "prod (Prod)"}],
        "detail": ""}}


def test_missing_assignment(org_factory, config_path, capsys):
    org = org_factory()
    org.client("sso-admin").delete_account_assignment(
        InstanceArn=org.instance_arn, TargetId=org.account_ids["prod"], TargetType="AWS_ACCOUNT",
        PermissionSetArn=org.permission_set_arns["admin"], PrincipalType="GROUP",
        PrincipalId=org.group_ids["admins"])
    code, items = report(capsys, config_path)
    assert code == 1
    assert list(drift(items)) == [("assignment", "GROUP admins -> prod: admin")]
    assert items[("assignment", "GROUP admins -> prod: admin")]["status"] == "missing"


def test_extra_permission_set(org_factory, config_path, capsys):
    org = org_factory()
    org.client("sso-admin").create_permission_set(
        Name="BreakGlass", Description="made by hand", InstanceArn=org.instance_arn)
    code, items = report(capsys, config_path)
    assert code == 1
    [(key, item)] = drift(items).items()
    assert key == ("permission set", "BreakGlass")
    assert item["status"] == "extra" and item["detail"] == "made by hand"


def test_bucket_without_encryption(org_factory, config_path, capsys):
    org = org_factory()
    org.client("s3", "shared_services").delete_bucket_encryption(Bucket="acme-pulumi-state")
    code = main(["verify", str(config_path)])
    out = capsys.readouterr().out
    assert code == 1
    assert (f"VF009  acme-pulumi-state ({org.account_ids['shared_services']}): different; "
            "encryption: config aws:kms, AWS (none) [in account shared_services]") in out
    assert out.strip().splitlines()[-1].endswith("1 different: drift found.")


def test_permission_set_settings_and_user_differences(org_factory, config_path, capsys):
    org = org_factory()
    sso = org.client("sso-admin")
    sso.update_permission_set(InstanceArn=org.instance_arn,
                              PermissionSetArn=org.permission_set_arns["admin"],
                              SessionDuration="PT12H", Description="Full access.")
    sso.detach_managed_policy_from_permission_set(
        InstanceArn=org.instance_arn, PermissionSetArn=org.permission_set_arns["developer"],
        ManagedPolicyArn="arn:aws:iam::aws:policy/PowerUserAccess")
    code, items = report(capsys, config_path)
    assert code == 1
    assert items[("permission set", "admin")]["differences"] == [
        {"field": "session duration", "expected": "PT4H", "actual": "PT12H"}]
    assert items[("permission set", "developer")]["differences"] == [
        {"field": "AWS-managed policies", "expected": "arn:aws:iam::aws:policy/PowerUserAccess",
         "actual": "(none)"}]


def test_extra_account_group_user_and_membership(org_factory, config_path, capsys):
    org = org_factory()
    sandbox = org.create_account("Sandbox", "sandbox@example.invalid", org.ou_ids["dev"])
    store = org.client("identitystore")
    group = store.create_group(IdentityStoreId=org.identity_store_id, DisplayName="Auditors")
    store.create_group_membership(IdentityStoreId=org.identity_store_id,
                                  GroupId=group["GroupId"],
                                  MemberId={"UserId": org.user_ids["bob"]})
    code, items = report(capsys, config_path)
    assert code == 1
    assert {k: v["status"] for k, v in drift(items).items()} == {
        ("account", "Sandbox"): "extra",
        ("group", "Auditors"): "extra",
        ("group membership", "bob in Auditors"): "extra",
        # created elsewhere: the program never gave it alternate contacts
        ("account's alternate contacts", "Sandbox (not in the config)"): "missing",
    }
    assert items[("account", "Sandbox")]["aws_id"] == sandbox
    assert items[("account", "Sandbox")]["detail"] == "sandbox@example.invalid, ACTIVE, in dev (Dev)"


def test_missing_ou_and_its_account(org_factory, config, org_yaml, write_config, capsys):
    org_factory()
    path = write_config(org_yaml.replace(
        "  prod: {name: Prod, parent: workloads}\n",
        "  prod: {name: Prod, parent: workloads}\n  staging: {name: Staging, parent: workloads}\n")
        .replace("sso:\n", "  staging: {name: Staging, email: 'staging@example.invalid', "
                 "organizational_unit: staging}\nsso:\n"))
    code, items = report(capsys, path)
    assert code == 1
    changed = {k: v["status"] for k, v in drift(items).items()}
    assert changed[("organizational unit", "staging")] == "missing"
    assert changed[("account", "staging")] == "missing"
    # the new account has no bucket to read yet, and gets admin through '*'
    assert changed[("assignment", "GROUP admins -> staging: admin")] == "missing"


def test_refused_member_role_leaves_its_buckets_unknown(org_factory, config_path, capsys, faults):
    org = org_factory()
    faults.add("sts", "AssumeRole", "AccessDenied", times=None)
    code, items = report(capsys, config_path)
    assert code == 1
    unknown = {k for k, v in items.items() if v["status"] == "unknown"}
    assert ("bucket", "acme-pulumi-state") in unknown
    # the caller's own account
    assert ("bucket", f"acme-s3-access-logs-{org.management_id}-{REGION}") not in unknown
    # baselines are read from the stack set in the management account: no role needed
    assert items[("account baseline", f"dev in {REGION}")]["status"] == "match"
    assert "access denied to AssumeRole" in items[("bucket", "acme-pulumi-state")]["detail"]


STACK_SET = f"acme-access-logs-{REGION}"


def test_account_without_its_stack_instance_has_its_baseline_missing(org_factory, config_path,
                                                                     capsys):
    org = org_factory()
    org.client("cloudformation").delete_stack_instances(
        StackSetName=STACK_SET, Accounts=[org.account_ids["dev"]], Regions=[REGION],
        RetainStacks=True)
    code, items = report(capsys, config_path)
    assert code == 1
    assert drift(items) == {("account baseline", f"dev in {REGION}"): {
        "id": "VF012", "kind": "account baseline", "key": f"dev in {REGION}",
        "status": "missing", "aws_id": org.account_ids["dev"], "differences": [],
        "detail": f"no stack instance of {STACK_SET}"}}


def test_failed_stack_instance_is_reported_with_its_status(org_factory, config_path, capsys,
                                                           monkeypatch):
    org = org_factory()
    # moto reports every instance CURRENT/SUCCEEDED; AWS reports failures like this.
    from moto.cloudformation.models import StackInstance
    healthy = StackInstance.to_dict

    def failed_in_prod(self):
        out = healthy(self)
        if self.account_id == org.account_ids["prod"]:
            out.update(Status="OUTDATED", StackInstanceStatus={"DetailedStatus": "FAILED"},
                       StatusReason="acme-s3-access-logs-... already exists")
        return out

    monkeypatch.setattr(StackInstance, "to_dict", failed_in_prod)
    code, items = report(capsys, config_path)
    assert code == 1
    prod = items[("account baseline", f"prod in {REGION}")]
    assert prod["status"] == "different"
    assert prod["differences"] == [{"field": "stack instance", "expected": "CURRENT/SUCCEEDED",
                                    "actual": "OUTDATED/FAILED"}]
    assert prod["detail"] == "acme-s3-access-logs-... already exists"


def test_missing_stack_set_is_one_missing_item(org_factory, config_path, capsys):
    org = org_factory()
    cloudformation = org.client("cloudformation")
    cloudformation.delete_stack_instances(
        StackSetName=STACK_SET, Accounts=sorted(set(org.account_ids.values()) - {org.management_id}),
        Regions=[REGION], RetainStacks=True)
    cloudformation.delete_stack_set(StackSetName=STACK_SET)
    code, items = report(capsys, config_path)
    assert code == 1
    assert items[("account baseline", STACK_SET)]["status"] == "missing"


def test_account_that_joined_later_shows_its_baseline(org_factory, config_path, capsys):
    """Nothing in the config or the program changes: auto-deployment gives it the baseline
    (moto does not auto-deploy: the fixture deploys to its OU as StackSets would)."""
    org = org_factory()
    joined = org.create_account("Joined Later", "later@example.invalid", org.ou_ids["dev"])
    org.client("cloudformation").create_stack_instances(
        StackSetName=STACK_SET, Regions=[REGION],
        DeploymentTargets={"OrganizationalUnitIds": [org.ou_ids["dev"]]})
    _, items = report(capsys, config_path)
    later = items[("account baseline", f"Joined Later (not in the config) in {REGION}")]
    assert (later["status"], later["aws_id"]) == ("match", joined)


def test_throttling_beyond_botocore_retries_is_retried_with_backoff(org_factory, config, faults):
    """AWS_MAX_ATTEMPTS=3 (conftest): 4 throttles exhaust botocore; our backoff goes on."""
    org_factory()
    faults.add("organizations", "ListOrganizationalUnitsForParent", "TooManyRequestsException",
               times=4)
    slept: list[float] = []
    aws = AwsSession(new_session(region_name=REGION), REGION,
                     backoff=Backoff(sleep=slept.append, jitter=lambda low, high: high))
    result = verify(config, aws)
    assert not result.drifted
    assert faults.served["organizations.ListOrganizationalUnitsForParent"] == 4
    assert slept == [2.0]  # one backoff after botocore's three attempts, then success


def test_throttling_that_never_stops_gives_a_clear_error(org_factory, config, faults):
    org_factory()
    faults.add("organizations", "ListRoots", "TooManyRequestsException", times=None)
    slept: list[float] = []
    aws = AwsSession(new_session(region_name=REGION), REGION,
                     backoff=Backoff(sleep=slept.append))
    with pytest.raises(AwsError) as raised, aws_errors(aws):
        verify(config, aws)
    assert raised.value.message == \
        "AWS kept throttling ListRoots after every retry (TooManyRequestsException)."
    assert raised.value.hint == ("Wait a minute and run the command again; to retry longer, set "
                                 "AWS_MAX_ATTEMPTS (e.g. 15).")
    assert raised.value.exit_code == 3
    assert len(slept) == 3  # four attempts of three botocore attempts each
    assert faults.served["organizations.ListRoots"] == 12


def test_not_in_an_organization(moto_aws, config_path, capsys):
    assert main(["verify", str(config_path)]) == 3
    err = capsys.readouterr().err
    assert "error: the caller's account belongs to no AWS Organization." in err


def test_permission_set_with_id_is_matched_by_arn_not_name(org_factory, org_yaml, write_config,
                                                          capsys, monkeypatch):
    """An adopted set renamed in the config is one set whose name differs, not a missing set
    beside an extra one."""
    generate = sso_models.PermissionSet.generate_id  # AWS's ARN shape (rule LZ317), not moto's
    monkeypatch.setattr(sso_models.PermissionSet, "generate_id", staticmethod(
        lambda instance_arn: generate(instance_arn).replace(":::instance/", ":::permissionSet/")))
    org = org_factory()
    arn = org.permission_set_arns["admin"]
    path = write_config(org_yaml.replace(
        "admin: {name: Admin, description:",
        f"admin: {{id: '{arn}', name: Administrator, description:"))
    code, items = report(capsys, path)
    assert code == 1
    assert items[("permission set", "admin")]["differences"] == [
        {"field": "name", "expected": "Administrator", "actual": "Admin"}]
    assert ("permission set", "Admin") not in items


@pytest.mark.parametrize(("key", "field", "configured", "live"), [
    ("master", "name", "{name: Management,", "Management"),
    ("master", "email", "email: 'management@", "management@example.invalid"),
    ("dev", "name", "{name: Development,", "Development"),
])
def test_name_and_email_are_compared_for_every_account(org_factory, write_config, org_yaml,
                                                         capsys, key, field, configured, live):
    """The management account too (issue 11, item 5): docs/operator-workflow.md says VF003
    compares them, and a wrong management email would otherwise "match". (A member account
    without `id` is found by its email, so a changed email makes it missing instead.)"""
    org_factory()
    changed = org_yaml.replace(configured, configured.replace(live.split("@")[0], "other"), 1)
    assert changed != org_yaml
    code, items = report(capsys, write_config(changed, name="changed.yaml"))
    assert code == 1
    item = items[("account", key)]
    assert item["status"] == "different"
    expected = "other" + live[len(live.split("@")[0]):] if field == "email" else "other"
    assert item["differences"] == [{"field": field, "expected": expected, "actual": live}]


@pytest.mark.parametrize(("key", "user_name", "status"), [
    ("alice", None, "match"),             # the key is the user name
    ("admin_alice", "alice", "match"),    # another key, the live user name
    ("admin_alice", "alicia", "missing"), # another user name: alice is then extra
])
def test_users_are_found_by_user_name(org_factory, write_config, org_yaml, capsys, key,
                                      user_name, status):
    """Issue 11, item 4: the key is the config's name for a user, `user_name` AWS's."""
    org_factory()
    entry = f"    {key}:\n" + (f"      user_name: {user_name}\n" if user_name else "")
    changed = org_yaml.replace("    alice:\n", entry, 1)
    _, items = report(capsys, write_config(changed, name="changed.yaml"))
    assert items[("user", key)]["status"] == status
    extra = items.get(("user", "alice")) if key != "alice" else None
    assert (extra is not None and extra["status"] == "extra") == (status == "missing")


def test_customer_managed_policies_are_part_of_each_accounts_baseline(
        org_factory, boundary_config_path, capsys):
    """With the opt-in, each member account's instance of the policies' stack set is read
    from the management account too, told apart from its access-log bucket."""
    path = boundary_config_path
    org = org_factory(load(path).config)
    cloudformation = org.client("cloudformation")
    cloudformation.delete_stack_instances(
        StackSetName="acme-customer-policies", Accounts=[org.account_ids["prod"]],
        Regions=[REGION], RetainStacks=True)
    code, items = report(capsys, path)
    assert code == 1
    assert items[("account baseline", "dev (customer-managed policies)")]["status"] == "match"
    assert items[("account baseline", f"dev in {REGION}")]["status"] == "match"
    assert drift(items)[("account baseline", "prod (customer-managed policies)")] == {
        "id": "VF012", "kind": "account baseline", "key": "prod (customer-managed policies)",
        "status": "missing", "aws_id": org.account_ids["prod"], "differences": [],
        "detail": "no stack instance of acme-customer-policies"}
