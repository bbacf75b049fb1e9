"""IAM Access Analyzer for the whole organization, from the security tooling account.

1. `organizations.DelegatedAdministrator` for access-analyzer.amazonaws.com, from the
   management provider, after the organization's trusted access for that principal
   (components/organization.py). terraform-provider-aws deletes it with
   DeregisterDelegatedAdministrator, so it is `retain_on_delete`; both inputs force a new
   resource. An existing registration of the security account is adopted (import id
   `<account id>/<principal>`); another account's stops the run
   (components/delegated_admin.py).
2. An ORGANIZATION analyzer per governed region in the security account (security provider
   with `region`): external access findings, at no charge. Organizations allow 5 organization
   analyzers of a type per account and region (IAM user guide, "IAM Access Analyzer quotas"),
   so an analyzer someone made earlier under another name stays and does not block this one.
   `analyzer_name` and `type` force replacement.
3. Optionally the ORGANIZATION_UNUSED_ACCESS analyzer, in the home region only: unused access
   does not depend on the region (IAM user guide, "Create an unused access analyzer"), and it
   is billed per IAM role and user analysed per month.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.delegated_admin import SecurityTooling, delegated_administrator
from config.model.security.access_analyzer import AccessAnalyzer as AccessAnalyzerSettings

TYPE = "landing-zone:access_analyzer:AccessAnalyzer"
SERVICE_PRINCIPAL = "access-analyzer.amazonaws.com"
ORGANIZATION_ANALYZER = "landing-zone-organization"
UNUSED_ACCESS_ANALYZER = "landing-zone-unused-access"


@dataclass(frozen=True)
class AccessAnalyzerArgs:
    settings: AccessAnalyzerSettings
    tooling: SecurityTooling


class AccessAnalyzer(pulumi.ComponentResource):
    analyzer_arns: dict[str, pulumi.Output[str]]
    """Governed region -> its organization analyzer."""
    unused_access_analyzer_arn: pulumi.Output[str] | None

    def __init__(self, name: str, args: AccessAnalyzerArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        tooling = args.tooling
        delegation = delegated_administrator(name, SERVICE_PRINCIPAL, tooling, self)

        def analyzer(suffix: str, region: str, **inputs) -> aws.accessanalyzer.Analyzer:
            return aws.accessanalyzer.Analyzer(
                f"{name}-{suffix}-{region}", region=region, **inputs,
                opts=pulumi.ResourceOptions(
                    parent=self, provider=tooling.provider,
                    depends_on=[delegation, *tooling.regions_ready.get(region, ())]))

        self.analyzer_arns = {
            region: analyzer("organization", region, analyzer_name=ORGANIZATION_ANALYZER,
                             type="ORGANIZATION").arn
            for region in tooling.regions}
        self.unused_access_analyzer_arn = None
        if args.settings.unused_access:
            self.unused_access_analyzer_arn = analyzer(
                "unused-access", tooling.regions[0], analyzer_name=UNUSED_ACCESS_ANALYZER,
                type="ORGANIZATION_UNUSED_ACCESS",
                configuration=aws.accessanalyzer.AnalyzerConfigurationArgs(
                    unused_access=aws.accessanalyzer.AnalyzerConfigurationUnusedAccessArgs(
                        unused_access_age=args.settings.unused_access_age_days))).arn
        self.register_outputs({"analyzer_arns": self.analyzer_arns,
                               "unused_access_analyzer_arn": self.unused_access_analyzer_arn})
