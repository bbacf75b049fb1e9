"""Security Hub, two products kept apart (docs/security-services.md, "Security Hub").

Security Hub (the new one): an Organizations `SECURITYHUB_POLICY` attached to the root turns it
on in every governed region of every account, those that join later too
(config/security_hub.py builds the document). Nothing else of it is managed here.

Security Hub CSPM (the standards: FSBP, CIS) through central configuration, in this order:
1. trusted access for securityhub.amazonaws.com (the Organization resource owns the list);
2. the delegated administrator, the security tooling account, designated from the management
   account in the home region (`securityhub.OrganizationAdminAccount`). Designation turns
   Security Hub CSPM on in that account in that region ("Integrating Security Hub CSPM with AWS
   Organizations"; the management account needs nothing enabled first), so no
   `securityhub.Account` is created: deleting one would turn Security Hub CSPM off there;
3. from the security tooling account, in the home region: the finding aggregator (central
   configuration needs one, even with no region linked), the organization configuration
   (CENTRAL, `auto_enable` false and standards NONE, as central configuration requires), one
   configuration policy (service on, the standards, every control but `disabled_controls`)
   and its association with the root, inherited by every account, new ones included.

What AWS and pulumi-aws do on change (terraform-provider-aws internal/service/securityhub):
- `OrganizationAdminAccount.admin_account_id` forces a new resource; deleting calls
  DisableOrganizationAdminAccount. With central configuration on, Security Hub CSPM then stops
  central configuration and DELETES every configuration policy and association (Security Hub
  user guide, "Removing or changing the delegated administrator"). The resource is protected,
  so a changed security tooling account stops at the protection instead.
- `OrganizationConfiguration` is created by updating (an existing one is adopted as is);
  deleting it sets LOCAL with auto-enable off (organization_configuration.go).
- `ConfigurationPolicy` updates in place (name, standards, controls); deleting a policy needs
  its associations gone first, which the dependency order gives.
- `FindingAggregator.linking_mode` and `specified_regions` update in place.

Brownfield: a security tooling account named by id that already is Security Hub's delegated
administrator is adopted (`import_`), never designated twice; another account in that seat
stops the program with what to do, since replacing it would delete that account's
configuration policies. (A new security account cannot hold the seat; where another does,
AWS refuses the designation.)
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from config.documents import policy_text
from config.model import LandingZoneConfig
from config.security_hub import (
    SECURITY_HUB_POLICY_TYPE,
    aggregator_linking,
    configuration_policy_name,
    linked_regions,
    security_hub_policy,
    security_hub_policy_name,
    settings,
    standard_arns,
)

TYPE = "landing-zone:security_hub:SecurityHub"
SERVICE_PRINCIPAL = "securityhub.amazonaws.com"
CENTRAL = "CENTRAL"


@dataclass(frozen=True)
class SecurityHubArgs:
    config: LandingZoneConfig
    management_provider: aws.Provider
    security_provider: aws.Provider
    """The security tooling account's provider, in the home region; it waits for the account
    to answer (components/account_access.py)."""
    security_account_id: pulumi.Input[str]
    known_security_account_id: str | None
    """The account's id when the config names it (an adopted account): what may already be
    Security Hub's delegated administrator."""
    root_id: pulumi.Input[str]
    organization: pulumi.Resource
    """The organization with Security Hub's trusted access and the SECURITYHUB_POLICY type on."""


class SecurityHub(pulumi.ComponentResource):
    admin_account_id: pulumi.Output[str]
    configuration_policy_id: pulumi.Output[str]
    organizations_policy_id: pulumi.Output[str]
    summary: dict

    def __init__(self, name: str, args: SecurityHubArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        config = args.config
        on_management = {"parent": self, "provider": args.management_provider}
        on_security = {"parent": self, "provider": args.security_provider}

        admin = aws.securityhub.OrganizationAdminAccount(
            f"{name}-admin", admin_account_id=args.security_account_id,
            opts=pulumi.ResourceOptions(
                **on_management, protect=True, import_=self._adopted_admin(args),
                depends_on=[args.organization, args.security_provider]))

        policy = aws.organizations.Policy(
            f"{name}-policy", type=SECURITY_HUB_POLICY_TYPE,
            name=security_hub_policy_name(config),
            description="landing-zone: Security Hub on in every governed region",
            content=policy_text(security_hub_policy(config)),
            opts=pulumi.ResourceOptions(**on_management, depends_on=[args.organization]))
        aws.organizations.PolicyAttachment(
            f"{name}-policy-root", policy_id=policy.id, target_id=args.root_id,
            opts=pulumi.ResourceOptions(**on_management, depends_on=[admin]))

        linking_mode, specified_regions = aggregator_linking(config)
        aggregator = aws.securityhub.FindingAggregator(
            f"{name}-aggregator", linking_mode=linking_mode, specified_regions=specified_regions,
            opts=pulumi.ResourceOptions(**on_security, depends_on=[admin]))
        organization_configuration = aws.securityhub.OrganizationConfiguration(
            f"{name}-organization-configuration", auto_enable=False,
            auto_enable_standards="NONE",
            organization_configuration={"configuration_type": CENTRAL},
            opts=pulumi.ResourceOptions(**on_security, depends_on=[aggregator]))
        configuration_policy = aws.securityhub.ConfigurationPolicy(
            f"{name}-configuration-policy", name=configuration_policy_name(config),
            description="landing-zone: Security Hub CSPM standards in every account",
            configuration_policy={
                "service_enabled": True,
                "enabled_standard_arns": standard_arns(config),
                "security_controls_configuration": {
                    "disabled_control_identifiers": sorted(set(settings(config).disabled_controls)),
                },
            },
            opts=pulumi.ResourceOptions(**on_security, depends_on=[organization_configuration]))
        aws.securityhub.ConfigurationPolicyAssociation(
            f"{name}-configuration-policy-root", target_id=args.root_id,
            policy_id=configuration_policy.id,
            opts=pulumi.ResourceOptions(**on_security))

        self.admin_account_id = admin.admin_account_id
        self.configuration_policy_id = configuration_policy.id
        self.organizations_policy_id = policy.id
        self.summary = {
            "admin_account_id": self.admin_account_id,
            "home_region": config.organization.aws_region,
            "linked_regions": linked_regions(config),
            "configuration_policy_id": self.configuration_policy_id,
            "organizations_policy_id": self.organizations_policy_id,
        }
        self.register_outputs({
            "admin_account_id": self.admin_account_id,
            "configuration_policy_id": self.configuration_policy_id,
            "organizations_policy_id": self.organizations_policy_id,
            "summary": self.summary,
        })

    def _adopted_admin(self, args: SecurityHubArgs) -> str | None:
        """The admin designation's import id when the security tooling account already holds
        it; a plain lookup, as `import_` takes a plain id (it runs in preview too).

        Only an account the config names by id can be checked: a new account cannot hold the
        seat yet, and on later runs it holds it through this very resource (in the state)."""
        known = args.known_security_account_id
        if known is None:
            return None
        found = aws.organizations.get_delegated_administrators(
            service_principal=SERVICE_PRINCIPAL,
            opts=pulumi.InvokeOptions(parent=self, provider=args.management_provider))
        admins = [a.id for a in found.delegated_administrators]
        if not admins:
            return None
        if known in admins:
            return known
        raise pulumi.RunError(
            f"Security Hub's delegated administrator is account {', '.join(admins)}, not the "
            f"security tooling account {known}. landing-zone does not replace it: removing a "
            "delegated administrator deletes its Security Hub CSPM configuration policies. Name "
            "that account as organization.key_accounts.security_tooling, or remove it yourself "
            "(aws organizations deregister-delegated-administrator --service-principal "
            f"{SERVICE_PRINCIPAL}), or set security_baseline.security_hub.enabled: false.")
