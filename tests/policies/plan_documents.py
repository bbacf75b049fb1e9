"""The policy documents of one planned organization, as the evaluator's principals and resources.

Everything the program creates comes from the offline plan (cli.plan.run_program): SCPs and
RCPs with their attachments, permission sets with their AWS-managed, customer and inline
policies, bucket policies, key policies, role trust policies. What the program does not create
comes from where it is defined: the CI roles from docs/ci.md, the bootstrap user's inline
policy from `./lz bootstrap-policy`, the account access role from Organizations' documented
defaults. AWS-managed policies are modelled (AdministratorAccess exactly; ReadOnlyAccess by its
shape: reading verbs only, and none of kms:Decrypt or sts:AssumeRole, which it lacks).
"""

from __future__ import annotations

import json
import re
from functools import cached_property
from pathlib import Path

from cli.commands.bootstrap_policy import bootstrap_policy
from cli.offline import Inventory
from cli.plan.model import provider_accounts
from config.model import LandingZoneConfig
from config.topology import managed_accounts
from tests.policies.evaluator import Decision, Principal, Request, Resource, decide

CI_PAGE = Path(__file__).resolve().parents[2] / "docs" / "ci.md"
ADMINISTRATOR_ACCESS = {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
READ_ONLY_ACCESS = {"Statement": [{"Effect": "Allow", "Resource": "*", "Action": [
    "*:Describe*", "*:Get*", "*:List*", "*:BatchGet*", "*:Lookup*", "*:View*"]}]}
AWS_MANAGED = {"arn:aws:iam::aws:policy/AdministratorAccess": ADMINISTRATOR_ACCESS,
               "arn:aws:iam::aws:policy/ReadOnlyAccess": READ_ONLY_ACCESS}
SSO_ROLE_SUFFIX = "0123456789abcdef"


def ci_policies(**values: str) -> dict[str, dict]:
    """The JSON blocks of docs/ci.md by file name, placeholders replaced."""
    text = CI_PAGE.read_text(encoding="utf-8")
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return {name: json.loads(body) for name, body in re.findall(
        r"^`([\w-]+\.json)`(?:(?!```).)*?```json\n(.*?)```", text, re.S | re.M)}


class PlanDocuments:
    """Principals and resources of the example organization; `decide` applies the right SCPs
    and RCPs (those of the principal's and of the resource's account)."""

    def __init__(self, config: LandingZoneConfig, inventory: Inventory) -> None:
        self.config, self.inventory = config, inventory
        outputs = inventory.outputs
        self.ids = {key: value["id"] for key, value in outputs["accounts"].items()}
        self.organization_id = outputs["organization_id"]
        self.management = config.management_account
        self.accounts = provider_accounts(inventory)

    # --- the organization's policies -----------------------------------------------------

    def _policies_of(self, account: str, policy_type: str) -> list[dict]:
        if account == self.management:
            return []  # neither SCPs nor RCPs apply to the management account
        targets = {self.inventory.outputs["root_id"], self.ids[account]}
        ou = self.inventory.outputs["accounts"][account]["ou"]
        ous = self.inventory.outputs["organizational_units"]
        while ou:
            targets.add(ous[ou]["id"])
            ou = ous[ou]["parent"]
        attached = {r.inputs["policyId"] for r in
                    self.inventory.of_type("aws:organizations/policyAttachment:PolicyAttachment")
                    if r.inputs["targetId"] in targets}
        return [json.loads(r.inputs["content"])
                for r in self.inventory.of_type("aws:organizations/policy:Policy")
                if r.id in attached and r.inputs["type"] == policy_type]

    def decide(self, principal: Principal, action: str, resource: Resource,
               **context: object) -> Decision:
        account_of = {v: k for k, v in self.ids.items()}
        return decide(Request(principal, action, resource, context),
                      scps=self._policies_of(account_of[principal.account], "SERVICE_CONTROL_POLICY")
                      if principal.account in account_of else (),
                      rcps=self._policies_of(account_of[resource.account], "RESOURCE_CONTROL_POLICY"))

    # --- principals ----------------------------------------------------------------------

    def principal(self, account: str, path: str, *policies: dict) -> Principal:
        return Principal(f"arn:aws:iam::{self.ids[account]}:{path}", self.ids[account],
                         tuple(policies), self.organization_id)

    def permission_set(self, key: str, account: str) -> Principal:
        """A user signed in with the permission set in that account: its Identity Center role
        and the documents the plan attaches to the set (AWS-managed policies, and the inline
        policy that carries its own and its customer policies' statements)."""
        name = self.config.sso.permission_sets[key].name
        documents = [AWS_MANAGED[r.inputs["managedPolicyArn"]] for r in self.inventory.of_type(
            "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment")
            if r.name.startswith(f"sso-ps-{key}/")]
        documents += [json.loads(r.inputs["inlinePolicy"]) for r in self.inventory.of_type(
            "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy")
            if r.name == f"sso-ps-{key}/inline-policy"]
        return self.principal(account, f"role/aws-reserved/sso.amazonaws.com/us-east-1/"
                              f"AWSReservedSSO_{name}_{SSO_ROLE_SUFFIX}", *documents)

    def access_role(self, account: str) -> Principal:
        """OrganizationAccountAccessRole: AdministratorAccess, made by Organizations."""
        return self.principal(account, f"role/{self.config.account_access.role_name}",
                              ADMINISTRATOR_ACCESS)

    @cached_property
    def _ci(self) -> dict[str, dict]:
        backend = self.inventory.outputs["state_backend"]
        return ci_policies(MANAGEMENT_ACCOUNT_ID=self.ids[self.management],
                           ORGANIZATION_ID=self.organization_id,
                           LANDING_ZONE_KMS_KEY_ARN=self.inventory.outputs[
                               "landing_zone_state"]["kms_key_arn"],
                           STATE_KMS_KEY_ARN=backend["kms_key_arn"])

    def preview_role(self) -> Principal:
        return self.principal(self.management, "role/landing-zone-ci-preview",
                              READ_ONLY_ACCESS, self._ci["preview-permissions.json"])

    def deploy_role(self) -> Principal:
        return self.principal(self.management, "role/landing-zone-ci-deploy", ADMINISTRATOR_ACCESS)

    def bootstrap_user(self) -> Principal:
        return self.principal(self.management, "user/bootstrap-admin", ADMINISTRATOR_ACCESS,
                              bootstrap_policy(self.config.account_access.role_name))

    def read_only_role_session(self, account: str) -> Principal:
        return self.principal(account, f"role/{self.config.account_access.read_only_role_name}",
                              READ_ONLY_ACCESS)

    # --- resources -----------------------------------------------------------------------

    def _account_of(self, type_: str, name: str) -> tuple[str, dict]:
        [reg] = [r for r in self.inventory.of_type(type_) if r.name == name]
        return self.ids[self.accounts[reg.provider]], reg.inputs

    def object(self, bucket: str, key: str = "") -> Resource:
        """A bucket (`key` empty) or an object in it, with the bucket's policy from the plan."""
        [reg] = [r for r in self.inventory.of_type("aws:s3/bucketPolicy:BucketPolicy")
                 if r.inputs["bucket"] == bucket]
        arn = f"arn:aws:s3:::{bucket}" + (f"/{key}" if key else "")
        return Resource(arn, self.ids[self.accounts[reg.provider]], json.loads(reg.inputs["policy"]),
                        organization_id=self.organization_id)

    def key(self, name: str, arn: str) -> Resource:
        account, inputs = self._account_of("aws:kms/key:Key", name)
        return Resource(arn, account, json.loads(inputs["policy"]), kind="kms",
                        organization_id=self.organization_id)

    def role(self, account: str, name: str) -> Resource:
        """A role the plan creates in that account, with its trust policy."""
        [reg] = [r for r in self.inventory.of_type("aws:iam/role:Role")
                 if r.inputs["name"] == name and self.accounts[r.provider] == account]
        return Resource(f"arn:aws:iam::{self.ids[account]}:role/{name}", self.ids[account],
                        json.loads(reg.inputs["assumeRolePolicy"]), kind="trust",
                        organization_id=self.organization_id)

    def trusting_account(self, account: str, name: str) -> Resource:
        """A role not made by the program whose trust names its own or the management
        account's root: the account access role (Organizations' default) or CDK's roles."""
        trusted = self.ids[self.management] if name == self.config.account_access.role_name \
            else self.ids[account]
        return Resource(f"arn:aws:iam::{self.ids[account]}:role/{name}", self.ids[account],
                        {"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                        "Principal": {"AWS": f"arn:aws:iam::{trusted}:root"}}]},
                        kind="trust", organization_id=self.organization_id)

    def no_policy(self, account: str, arn: str) -> Resource:
        """Anything without a resource policy (an EC2 instance, an IAM role as a target of
        iam:PassRole, a GuardDuty detector)."""
        return Resource(arn, self.ids[account], None, kind="none",
                        organization_id=self.organization_id)

    def member_accounts(self) -> list[str]:
        return [k for k in managed_accounts(self.config) if k != self.management]
