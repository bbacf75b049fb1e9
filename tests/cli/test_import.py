"""`./lz import` against moto: an organization made by hand (here: by the factory, with boto3)
becomes a config that validates, describes the same organization, and plans as an adoption."""

from __future__ import annotations

import dataclasses
import json

import pytest
import yaml
from botocore.exceptions import ClientError
from moto.ssoadmin import models as sso_models

from cli.aws.session import AwsSession, new_session
from cli.importer import import_organization, make_key, policy_name, to_yaml, validate
from cli.main import main
from cli.plan import run_program
from config import load
from config.assignments import assignments

REGION = "us-east-1"
SSO_TYPES = ("aws:identitystore/group:Group", "aws:identitystore/user:User",
             "aws:identitystore/groupMembership:GroupMembership",
             "aws:ssoadmin/permissionSet:PermissionSet",
             "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment",
             "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",
             "aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment",
             "aws:ssoadmin/accountAssignment:AccountAssignment")
INLINE_DOCUMENT = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}]}


@pytest.fixture(autouse=True)
def real_permission_set_arns(monkeypatch):
    """moto 5.2 names permission sets `arn:aws:sso:::instance/ssoins-X/ps-Y`; AWS (and pulumi-aws'
    import id, rule LZ317) says `arn:aws:sso:::permissionSet/ssoins-X/ps-Y`."""
    generate = sso_models.PermissionSet.generate_id
    monkeypatch.setattr(sso_models.PermissionSet, "generate_id", staticmethod(
        lambda instance_arn: generate(instance_arn).replace(":::instance/", ":::permissionSet/")))


def import_to(tmp_path, capsys, *argv: str) -> tuple[int, str]:
    path = tmp_path / "imported.yaml"
    code = main(["import", "--output", str(path), *argv])
    return code, capsys.readouterr().err


def test_import_writes_a_valid_config_with_every_id(org_factory, tmp_path, capsys):
    org = org_factory()
    code, err = import_to(tmp_path, capsys, "--namespace", "acme",
                          "--key-account", "terraform_state=shared_services")
    assert code == 0, err
    assert "imported.yaml: 4 organizational units, 5 accounts, 2 groups, 2 users, 2 permission " \
           "sets; valid." in err
    assert "next: `./lz plan " in err
    text = (tmp_path / "imported.yaml").read_text()
    assert text.startswith(f"# Written by `./lz import` from organization {org.org_id} on ")
    imported = load(tmp_path / "imported.yaml").config
    assert imported.organization.id == org.org_id
    assert imported.organization.key_accounts == {
        "master": "management", "terraform_state": "shared_services",
        "log_archive": "log_archive"}
    # keys come from the names ("Development" -> development); ids tie them to AWS
    by_id = {a.id: k for k, a in imported.accounts.items()}
    assert by_id == {v: k for k, v in org.account_ids.items()} | {
        org.management_id: "management", org.account_ids["dev"]: "development",
        org.account_ids["prod"]: "production"}
    assert {k: o.id for k, o in imported.organizational_units.items()} == org.ou_ids
    assert imported.organizational_units["prod"].parent == "workloads"
    assert imported.accounts["development"].organizational_unit == "dev"
    assert imported.accounts["development"].email == "dev@example.invalid"
    assert {k: g.id for k, g in imported.sso.groups.items()} == org.group_ids
    assert {k: u.id for k, u in imported.sso.users.items()} == org.user_ids
    assert imported.sso.users["bob"].groups == ["developers"]
    assert imported.sso.users["bob"].display_name == "Bob Builder"


def test_import_describes_the_same_organization(org_factory, config, tmp_path, capsys):
    """The same assignments (by account id) and permission sets as the config the
    organization was built from (by Metastructure: customer-managed policies)."""
    org = org_factory(customer_managed=True)
    assert import_to(tmp_path, capsys, "--namespace", "acme")[0] == 0
    imported = load(tmp_path / "imported.yaml").config

    def by_id(c, ids):
        return {(a.principal_type, a.principal, ids[a.account], a.permission_set)
                for a in assignments(c)}
    assert by_id(imported, {k: a.id for k, a in imported.accounts.items()}) == \
        by_id(config, org.account_ids)
    admin, developer = (imported.sso.permission_sets[k] for k in ("admin", "developer"))
    assert (admin.name, admin.session_duration, admin.policies) == \
        ("Admin", "PT4H", ["AdministratorAccess"])
    assert developer.policies == ["PowerUserAccess", "pulumi_state_writer"]
    policy = imported.sso.policies["pulumi_state_writer"]
    assert policy.name == "PulumiStateWriter" and policy.document["Statement"][0]["Action"] == \
        "s3:GetObject"


def live(org, reg) -> bool:
    """Whether the object a registration imports exists in the moto organization, read back
    through the parts of its import id (pulumi-aws' formats: components/identity_center.py)."""
    sso, store = org.client("sso-admin"), org.client("identitystore")
    parts = reg.import_id.split(",")
    on_set = {"PermissionSetArn": parts[-2], "InstanceArn": parts[-1]} if len(parts) > 1 else {}
    kind = reg.type.rsplit(":", 1)[1]
    try:
        if kind in ("Group", "User", "GroupMembership"):
            store_id, object_id = reg.import_id.split("/")
            call, arg = {"Group": ("describe_group", "GroupId"), "User": ("describe_user", "UserId"),
                         "GroupMembership": ("describe_group_membership", "MembershipId")}[kind]
            return bool(getattr(store, call)(IdentityStoreId=store_id, **{arg: object_id}))
        if kind == "PermissionSet":
            return bool(sso.describe_permission_set(PermissionSetArn=parts[0], InstanceArn=parts[1]))
        if kind == "ManagedPolicyAttachment":
            return parts[0] in {p["Arn"] for p in sso.list_managed_policies_in_permission_set(
                **on_set)["AttachedManagedPolicies"]}
        if kind == "PermissionSetInlinePolicy":
            return bool(sso.get_inline_policy_for_permission_set(**on_set)["InlinePolicy"])
        if kind == "AccountAssignment":
            principal_id, principal_type, account_id, target_type = parts[:4]
            found = sso.list_account_assignments(AccountId=account_id, **on_set)
            return target_type == "AWS_ACCOUNT" and {
                "AccountId": account_id, "PermissionSetArn": parts[-2],
                "PrincipalType": principal_type, "PrincipalId": principal_id,
            } in found["AccountAssignments"]
    except ClientError:
        return False
    raise AssertionError(f"no live check for {reg.urn}")


def test_import_then_plan_adopts_every_account_and_ou(org_factory, tmp_path, capsys):
    import components
    from cli.offline import FakeAws, run_offline

    org = org_factory()
    org.client("sso-admin").put_inline_policy_to_permission_set(
        InstanceArn=org.instance_arn, PermissionSetArn=org.permission_set_arns["developer"],
        InlinePolicy=json.dumps(INLINE_DOCUMENT))
    assert import_to(tmp_path, capsys, "--namespace", "acme")[0] == 0
    imported = load(tmp_path / "imported.yaml").config
    fake = FakeAws(management_account_id=org.management_id, organization_id=org.org_id,
                   root_id=org.root_id, sso_instance_arn=org.instance_arn,
                   identity_store_id=org.identity_store_id)
    inventory = run_offline(lambda: components.build(imported), fake=fake,
                            config={"aws:region": REGION})
    # Everything Identity Center holds was built by the factory, so every SSO registration is
    # an adoption, and its import id names the live object.
    sso = [r for r in inventory.registrations if r.type in SSO_TYPES]
    created = [r.urn for r in sso if not r.import_id]
    assert created == [], f"created although it exists: {created}"
    assert [r.urn for r in sso if not live(org, r)] == []
    kinds = {r.type.rsplit(":", 1)[1] for r in sso}
    assert kinds == {"Group", "User", "GroupMembership", "PermissionSet", "ManagedPolicyAttachment",
                     "PermissionSetInlinePolicy", "AccountAssignment"}
    assert len(inventory.of_type("aws:ssoadmin/accountAssignment:AccountAssignment")) == \
        len(assignments(imported))
    accounts = inventory.of_type("aws:organizations/account:Account")
    ous = inventory.of_type("aws:organizations/organizationalUnit:OrganizationalUnit")
    assert {r.import_id for r in accounts} == {v for k, v in org.account_ids.items()
                                                 if k != "master"}
    assert {r.import_id for r in ous} == set(org.ou_ids.values())
    missing = [r.urn for r in accounts + ous if not r.import_id]
    assert missing == [], f"created instead of adopted: {missing}"


def test_import_prints_to_stdout_without_output(org_factory, capsys):
    org_factory(build=False)
    assert main(["import"]) == 0
    out = capsys.readouterr()
    data = yaml.safe_load(out.out)
    assert data["accounts"]["management"]["email"] == "management@example.invalid"
    assert data["organization"]["tokens"]["namespace"].startswith("lz-")
    assert "note: tokens.namespace is lz-" in out.err
    # The header points only at sections the file has (it writes no `guardrails` section).
    assert ("note: guardrails (service control policies) are on by default and this file has no "
            "`guardrails` section: add one to change them") in out.err
    assert "guardrails:" not in out.out
    summary = [line for line in out.err.splitlines() if line.endswith("; valid.")]
    assert summary == ["the printed config: 0 organizational units, 1 account, 0 groups, 0 users, "
                       "0 permission sets; valid."]


def test_import_help_states_the_region_default(capsys):
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--region REGION AWS region (default: the profile's; the Identity Center home region)" \
        in help_text


def test_existing_file_is_not_overwritten_without_force(org_factory, tmp_path, capsys):
    org_factory(build=False)
    (tmp_path / "imported.yaml").write_text("mine")
    code, err = import_to(tmp_path, capsys)
    path = tmp_path / "imported.yaml"
    assert code == 2 and err == (f"error: --output {path} exists and was not written by ./lz "
                                 "import.\nhint: Pass --force to replace it, or name another "
                                 "file for --output.\n")
    assert path.read_text() == "mine"
    assert import_to(tmp_path, capsys, "--force")[0] == 0
    assert import_to(tmp_path, capsys)[0] == 0  # its own output: replaced without --force


@pytest.mark.parametrize(("name", "message"), [
    pytest.param("Pulumi.bootstrap.yaml", "{path}: that is a file the config or Pulumi reads, "
                 "never an output.", id="stack-file"),
    pytest.param("missing/imported.yaml", "{path}: {parent} does not exist.", id="missing-folder"),
    pytest.param("file/imported.yaml", "{path}: {parent} is a file, not a folder.",
                 id="under-a-file"),
])
def test_output_is_checked_before_aws_is_read(tmp_path, capsys, name, message):
    """No org_factory and no credentials: the check comes first, so it costs no AWS call."""
    (tmp_path / "file").write_text("x")
    path = tmp_path / name
    code = main(["import", "--output", str(path), "--force", "--profile", "nowhere"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: --output " + message.format(path=path, parent=path.parent))


def test_problems_name_the_output_file_not_a_temporary_one(org_factory, tmp_path, capsys):
    """Validation runs on a copy beside --output; its problems still name --output."""
    org_factory(build=False)
    code, err = import_to(tmp_path, capsys, "--namespace", "UPPER case")
    assert code == 2
    problems = [line for line in err.splitlines() if " error LZ" in line]
    assert problems and all(line.startswith(f"{tmp_path / 'imported.yaml'}:") for line in problems)


def test_unknown_key_account_is_a_usage_error(org_factory, tmp_path, capsys):
    org_factory(build=False)
    code, err = import_to(tmp_path, capsys, "--key-account", "log_archive=nope")
    assert code == 2
    assert "--key-account log_archive=nope: no account has the key 'nope'" in err


def test_unreadable_customer_policy_is_left_out_with_a_note(org_factory, capsys, faults):
    org = org_factory(customer_managed=True)
    faults.add("iam", "GetPolicy", "AccessDenied", times=None)
    aws = AwsSession(new_session(region_name=REGION), REGION)
    result = import_organization(aws, REGION, namespace="acme")
    assert result.data["sso"]["permission_sets"]["developer"]["policies"] == ["PowerUserAccess"]
    assert any("customer policy /PulumiStateWriter could not be read" in n for n in result.notes)
    validate(to_yaml(result))  # still a valid config
    assert org.org_id == result.organization_id


def test_suspended_accounts_and_duplicate_names(org_factory, capsys):
    org = org_factory(build=False)
    orgs = org.client("organizations")
    first = orgs.create_organizational_unit(ParentId=org.root_id, Name="Team")["OrganizationalUnit"]
    orgs.create_organizational_unit(ParentId=first["Id"], Name="Team")
    closed = org.create_account("Old", "old@example.invalid")
    orgs.close_account(AccountId=closed)
    aws = AwsSession(new_session(region_name=REGION), REGION)
    result = import_organization(aws, REGION, namespace="acme")
    assert result.data["organizational_units"] == {
        "team": {"name": "Team", "id": first["Id"]},
        "team_2": {"name": "Team", "parent": "team",
                   "id": result.data["organizational_units"]["team_2"]["id"]}}
    assert "old" not in result.data["accounts"]
    assert any(f"account {closed} (Old) is" in n for n in result.notes)
    validate(to_yaml(result))


def test_not_in_an_organization(moto_aws, capsys):
    assert main(["import"]) == 3
    assert "belongs to no AWS Organization" in capsys.readouterr().err


def test_keys_and_policy_names():
    taken: set[str] = set()
    names = ("Log Archive", "log-archive", "  ", "Ops & Tools", "PulumiStateWriter",
             "AWSAdministratorAccess")
    assert [make_key(n, taken, "ou") for n in names] == [
        "log_archive", "log_archive_2", "ou", "ops_tools", "pulumi_state_writer",
        "aws_administrator_access"]
    assert policy_name("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess") == \
        "job-function/ViewOnlyAccess"
    assert policy_name("arn:aws:iam::aws:policy/lowercase") == "arn:aws:iam::aws:policy/lowercase"


def test_inline_policy_round_trips(org_factory, capsys):
    org = org_factory()
    document = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}]}
    org.client("sso-admin").put_inline_policy_to_permission_set(
        InstanceArn=org.instance_arn, PermissionSetArn=org.permission_set_arns["admin"],
        InlinePolicy=json.dumps(document))
    aws = AwsSession(new_session(region_name=REGION), REGION)
    result = import_organization(aws, REGION, namespace="acme")
    assert result.data["sso"]["permission_sets"]["admin"]["inline_policy"] == document
    assert validate(to_yaml(result)).config.sso.permission_sets["admin"].inline_policy == document


def test_customer_policies_become_inline_and_memberships_are_adopted(org_factory, capsys):
    """Metastructure's customer-managed policies come back as documents whose statements the
    program provisions inline: no IAM policy in any account, and a note says what to detach."""
    import components
    from cli.offline import FakeAws, run_offline

    org = org_factory(customer_managed=True)
    aws = AwsSession(new_session(region_name=REGION), REGION)
    result = import_organization(aws, REGION, namespace="acme")
    sso = result.data["sso"]
    assert "existing_accounts" not in sso["policies"]["pulumi_state_writer"]
    assert any("detach the customer-managed references" in n for n in result.notes)
    memberships = org.client("identitystore").list_group_memberships(
        IdentityStoreId=org.identity_store_id, GroupId=org.group_ids["developers"])
    assert sso["users"]["bob"]["group_membership_ids"] == {
        "developers": memberships["GroupMemberships"][0]["MembershipId"]}
    assert sso["permission_sets"]["admin"]["id"] == org.permission_set_arns["admin"]
    imported = validate(to_yaml(result)).config
    fake = FakeAws(management_account_id=org.management_id, organization_id=org.org_id,
                   root_id=org.root_id, sso_instance_arn=org.instance_arn,
                   identity_store_id=org.identity_store_id)
    inventory = run_offline(lambda: components.build(imported), fake=fake,
                            config={"aws:region": REGION})
    assert not inventory.of_type("aws:iam/policy:Policy")
    inline = json.loads(inventory.named("sso-ps-developer/inline-policy").inputs["inlinePolicy"])
    assert inline["Statement"] == imported.sso.policies["pulumi_state_writer"].document["Statement"]
    # the live check is no rubber stamp: a forged membership is not live
    member = inventory.of_type("aws:identitystore/groupMembership:GroupMembership")[0]
    forged = dataclasses.replace(member, import_id=member.import_id[:-4] + "0000")
    assert not live(org, forged) and live(org, member)


def test_ids_are_always_written_quoted():
    """`id: 012345678901` is text to PyYAML but a number to YAML 1.2 editors."""
    from cli.importer import ImportResult
    result = ImportResult({"accounts": {"dev": {"name": "Dev", "id": "012345678901"},
                                        "prod": {"name": "Prod", "id": "123456789012"}}},
                          (), "o-exampleorg1")
    text = to_yaml(result)
    assert "    id: '012345678901'\n" in text and "    id: '123456789012'\n" in text
    assert "    name: Dev\n" in text


# The written config has no security tooling account: of the security baseline only account
# defaults are on; with no alternate contacts written they need the EC2 declarative policy type
# only (account.amazonaws.com is for alternate contacts).
@pytest.mark.parametrize(("trusted", "types", "note"), [
    (("sso.amazonaws.com",), (),
     "note: organization on: trusted access for sso.amazonaws.com; policy types none. `pulumi up` "
     "keeps them all and adds: trusted access for "
     "cloudtrail.amazonaws.com, member.org.stacksets.cloudformation.amazonaws.com; policy types "
     "DECLARATIVE_POLICY_EC2, RESOURCE_CONTROL_POLICY, S3_POLICY, SERVICE_CONTROL_POLICY."),
    (("config.amazonaws.com", "sso.amazonaws.com"), ("BACKUP_POLICY", "SERVICE_CONTROL_POLICY"),
     "note: organization on: trusted access for config.amazonaws.com, sso.amazonaws.com; policy "
     "types BACKUP_POLICY, SERVICE_CONTROL_POLICY. `pulumi up` keeps them all and adds: trusted "
     "access for cloudtrail.amazonaws.com, "
     "member.org.stacksets.cloudformation.amazonaws.com; policy types DECLARATIVE_POLICY_EC2, "
     "RESOURCE_CONTROL_POLICY, S3_POLICY."),
])
def test_import_names_what_is_on_and_what_pulumi_up_adds(org_factory, capsys, trusted, types,
                                                         note):
    """Issue 11, item 2: an adopted organization keeps every service and policy type it has."""
    org = org_factory(build=False, trusted=trusted)
    for policy_type in types:
        org.client("organizations").enable_policy_type(RootId=org.root_id, PolicyType=policy_type)
    assert main(["import"]) == 0
    assert note in capsys.readouterr().err.replace("\n", " ")


@pytest.mark.parametrize(("user_name", "key"), [
    ("jane", "jane"),                      # a usable key: kept as both
    ("Jane Doe", "jane_doe"),              # not a key: a key is made, the name is kept
])
def test_import_keeps_the_live_user_name(org_factory, tmp_path, capsys, user_name, key):
    """Issue 11, item 4: the imported config plans the live user name, so adopting the user
    never renames (replaces) them, whatever key it gets."""
    org = org_factory()
    org.client("identitystore").create_user(
        IdentityStoreId=org.identity_store_id, UserName=user_name, DisplayName="Jane Doe",
        Name={"GivenName": "Jane", "FamilyName": "Doe"},
        Emails=[{"Value": "jane@example.invalid", "Type": "work", "Primary": True}])
    code, err = import_to(tmp_path, capsys, "--namespace", "acme")
    assert code == 0, err
    imported = load(tmp_path / "imported.yaml").config
    assert imported.sso.users[key].user_name == user_name
    users = {r.name: r.inputs["userName"]
             for r in run_program(imported).of_type("aws:identitystore/user:User")}
    assert users[f"sso-user-{key}"] == user_name
    assert "renames the user" not in err


def test_import_names_the_delegated_administrator_as_security_tooling(
        org_factory, security_config, tmp_path, capsys):
    """Item 10 of issue 14: the services a delegated administrator runs stay on, and that
    account becomes the security tooling account."""
    org = org_factory(security_config)
    code, err = import_to(tmp_path, capsys, "--namespace", "acme")
    assert code == 0, err
    imported = load(tmp_path / "imported.yaml").config
    assert imported.organization.key_accounts["security_tooling"] == "security_tooling"
    assert imported.accounts["security_tooling"].id == org.account_ids["security_tooling"]
    written = yaml.safe_load((tmp_path / "imported.yaml").read_text())["security_baseline"]
    assert written == {"guardduty": {"enabled": True}, "security_hub": {"enabled": True},
                       "aws_config": {"enabled": True}, "access_analyzer": {"enabled": True}}
    err = err.replace("\n", " ")
    assert ("note: key account security_tooling is security_tooling: the delegated "
            "administrator of GuardDuty, Security Hub, AWS Config, IAM Access Analyzer.") in err
    # what the written baseline needs beyond what is on is counted among what `pulumi up` adds
    added = err.split("keeps them all and adds: ", 1)[1]
    services, types = added.split("; policy types", 1)
    # GuardDuty's malware protection plan (on by default) needs its own principal; the
    # imported config sets no alternate contacts, so account.amazonaws.com is not needed
    assert "malware-protection.guardduty.amazonaws.com" in services
    assert "account.amazonaws.com" not in services
    assert "SECURITYHUB_POLICY" in types


def test_import_names_no_security_account_when_administrators_differ(org_factory, capsys):
    org = org_factory()
    orgs = org.client("organizations")
    orgs.register_delegated_administrator(AccountId=org.account_ids["log_archive"],
                                          ServicePrincipal="guardduty.amazonaws.com")
    orgs.register_delegated_administrator(AccountId=org.account_ids["shared_services"],
                                          ServicePrincipal="access-analyzer.amazonaws.com")
    assert main(["import"]) == 0
    captured = capsys.readouterr()
    written = yaml.safe_load(captured.out)
    assert "security_tooling" not in written["organization"]["key_accounts"]
    assert written["security_baseline"] == {"guardduty": {"enabled": True},
                                            "access_analyzer": {"enabled": True}}
    assert ("note: the delegated administrators are not one imported account (GuardDuty: "
            "log_archive; IAM Access Analyzer: shared_services): name the security tooling "
            "account with --key-account security_tooling=KEY") in captured.err.replace("\n", " ")


def test_import_without_delegated_administrators_says_what_stays_off(org_factory, capsys):
    org_factory()
    assert main(["import"]) == 0
    captured = capsys.readouterr()
    assert "security_baseline" not in yaml.safe_load(captured.out)
    assert ("note: no security service has a delegated administrator and no security_tooling "
            "key account is named: GuardDuty, Security Hub, AWS Config and IAM Access Analyzer "
            "stay off until you name one") in captured.err.replace("\n", " ")


def test_import_with_a_named_security_account_says_what_it_turns_on(org_factory, capsys):
    org_factory()
    assert main(["import", "--key-account", "security_tooling=shared_services"]) == 0
    err = capsys.readouterr().err.replace("\n", " ")
    assert ("note: GuardDuty, Security Hub, AWS Config, IAM Access Analyzer run nowhere yet: "
            "the security baseline turns them on in every account and governed region") in err
