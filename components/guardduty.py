"""GuardDuty for the whole organization, administered from the security tooling account.

Order (each step `depends_on` the one before):
1. the organization's trusted access for guardduty.amazonaws.com (components/organization.py);
2. GuardDuty's service-linked role in the management account (GuardDuty user guide, "Managing
   GuardDuty accounts with AWS Organizations": the management account needs it before it
   designates an administrator); adopted when it exists;
3. `OrganizationAdminAccount` per governed region, from the management provider with
   `region`. Designation enables GuardDuty in the administrator account, so its detector
   exists afterwards: it is looked up (`get_detector_output`, depending on the designation,
   so a first preview shows it unknown instead of failing), never created a second time;
4. per region, from the security provider: `OrganizationConfiguration` with
   `auto_enable_organization_members = ALL` (every member, those that join later included;
   AWS says enrolling existing members can take up to 24 hours), then one
   `OrganizationConfigurationFeature` per protection plan that is on.

terraform-provider-aws: deleting an `OrganizationAdminAccount` calls
DisableOrganizationAdminAccount, so the designation is `retain_on_delete` (turning GuardDuty
off in the config never removes it); `OrganizationConfiguration` and
`OrganizationConfigurationFeature` delete as no-ops, and a plan switched off in the config is
left as found, never turned off. `admin_account_id` and a feature's `detector_id`/`name` force
replacement.

Brownfield: a role that exists is imported; a designation Organizations already lists for the
security account is imported in every governed region (`pulumi up` then fails for a governed
region where it was never designated: designate it there or drop the region); another account
as administrator stops the run (components/delegated_admin.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.delegated_admin import SecurityTooling, adopted_delegation
from config.model.security.guardduty import GuardDuty as GuardDutySettings

TYPE = "landing-zone:guardduty:GuardDuty"
SERVICE_PRINCIPAL = "guardduty.amazonaws.com"
SERVICE_LINKED_ROLE = "AWSServiceRoleForAmazonGuardDuty"
AUTO_ENABLE_ALL = "ALL"
# Runtime Monitoring's agent, managed by GuardDuty on every kind of compute it covers.
RUNTIME_AGENTS = ("EKS_ADDON_MANAGEMENT", "ECS_FARGATE_AGENT_MANAGEMENT", "EC2_AGENT_MANAGEMENT")


@dataclass(frozen=True)
class GuardDutyArgs:
    settings: GuardDutySettings
    tooling: SecurityTooling


class GuardDuty(pulumi.ComponentResource):
    detector_ids: dict[str, pulumi.Output[str]]
    """Governed region -> the administrator's detector."""

    def __init__(self, name: str, args: GuardDutyArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        tooling = args.tooling
        on_management = pulumi.ResourceOptions(parent=self, provider=tooling.management_provider)
        role = self._service_linked_role(name, tooling, on_management)
        adopted = adopted_delegation(SERVICE_PRINCIPAL, tooling, self)
        self.detector_ids = {}
        for region in tooling.regions:
            after = [tooling.organization, role, *tooling.regions_ready.get(region, ())]
            admin = aws.guardduty.OrganizationAdminAccount(
                f"{name}-admin-{region}", admin_account_id=tooling.account_id, region=region,
                opts=pulumi.ResourceOptions.merge(on_management, pulumi.ResourceOptions(
                    depends_on=after, retain_on_delete=True,
                    import_=adopted)))
            self.detector_ids[region] = aws.guardduty.get_detector_output(
                region=region, opts=pulumi.InvokeOutputOptions(
                    parent=self, provider=tooling.provider, depends_on=[admin])).id
            self._organization_configuration(name, region, args.settings, pulumi.ResourceOptions(
                parent=self, provider=tooling.provider, depends_on=[admin]))
        self.register_outputs({"detector_ids": self.detector_ids})

    def _service_linked_role(self, name: str, tooling: SecurityTooling,
                             on_management: pulumi.ResourceOptions) -> aws.iam.ServiceLinkedRole:
        found = aws.iam.get_roles(
            path_prefix=f"/aws-service-role/{SERVICE_PRINCIPAL}/",
            name_regex=f"^{SERVICE_LINKED_ROLE}$",
            opts=pulumi.InvokeOptions(parent=self, provider=tooling.management_provider))
        existing = sorted(found.arns)
        # Deleting a service-linked role GuardDuty still uses fails; keep it in AWS instead.
        return aws.iam.ServiceLinkedRole(
            f"{name}-service-linked-role", aws_service_name=SERVICE_PRINCIPAL,
            opts=pulumi.ResourceOptions.merge(on_management, pulumi.ResourceOptions(
                retain_on_delete=True, import_=existing[0] if existing else None)))

    def _organization_configuration(self, name: str, region: str, settings: GuardDutySettings,
                                    on_security: pulumi.ResourceOptions) -> None:
        """Every member enrolled, with each protection plan that is on."""
        detector_id = self.detector_ids[region]
        configuration = aws.guardduty.OrganizationConfiguration(
            f"{name}-organization-{region}", detector_id=detector_id, region=region,
            auto_enable_organization_members=AUTO_ENABLE_ALL, opts=on_security)
        for feature, on in settings.protection_plans.features().items():
            if not on:
                continue
            aws.guardduty.OrganizationConfigurationFeature(
                f"{name}-{feature.lower().replace('_', '-')}-{region}", detector_id=detector_id,
                region=region, name=feature, auto_enable=AUTO_ENABLE_ALL,
                additional_configurations=[
                    aws.guardduty.OrganizationConfigurationFeatureAdditionalConfigurationArgs(
                        name=agent, auto_enable=AUTO_ENABLE_ALL) for agent in RUNTIME_AGENTS]
                if feature == "RUNTIME_MONITORING" else None,
                opts=pulumi.ResourceOptions.merge(on_security, pulumi.ResourceOptions(
                    depends_on=[configuration])))
