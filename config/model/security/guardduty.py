"""GuardDuty: threat detection in every account and governed region."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from config.model.base import Model
from config.model.security.base import SecurityService

MALWARE_PROTECTION_PRINCIPAL = "malware-protection.guardduty.amazonaws.com"


class ProtectionPlans(Model):
    """GuardDuty's protection plans, auto-enabled for every account (those that join later
    included). Each is billed by what it analyses, on top of foundational threat detection
    (CloudTrail management events, VPC flow logs, DNS logs); docs/security-services.md names
    the prices. AWS turns on every plan but Runtime Monitoring when GuardDuty is first enabled
    in an account, and these defaults follow it.

    ```yaml
    protection_plans: {runtime_monitoring: true}
    ```
    """

    s3_data_events: bool = Field(True, description="S3 Protection: CloudTrail S3 data events "
                                 "analysed (billed per million events).")
    eks_audit_logs: bool = Field(True, description="EKS Protection: EKS audit logs analysed "
                                 "(billed per million events; nothing without EKS clusters).")
    ebs_malware_protection: bool = Field(
        True, description="Malware Protection for EC2: EBS volumes of a suspicious instance or "
                          "container scanned (billed per GB scanned, and the snapshots GuardDuty "
                          "takes).")
    rds_login_events: bool = Field(True, description="RDS Protection: Aurora and RDS login "
                                   "activity analysed (billed per vCPU or ACU per month).")
    lambda_network_logs: bool = Field(True, description="Lambda Protection: Lambda network "
                                      "activity analysed (billed per GB).")
    runtime_monitoring: bool = Field(
        False, description="Runtime Monitoring: a GuardDuty agent managed on EC2, EKS and ECS "
                           "Fargate (billed per vCPU-hour monitored). Off: it deploys an agent "
                           "into workloads, which their owners should agree to.")

    def features(self) -> dict[str, bool]:
        """GuardDuty's feature name (UpdateOrganizationConfiguration) -> on."""
        return {name.upper(): on for name, on in self.model_dump().items()}


class GuardDuty(SecurityService):
    """GuardDuty, administered from the security tooling account: it is designated delegated
    administrator in every governed region, and every account, those that join later
    included, is enrolled with the protection plans below.

    ```yaml
    security_baseline:
      guardduty:
        enabled: true
        protection_plans: {runtime_monitoring: false}
        export_findings: true
    ```
    """

    TITLE: ClassVar[str] = "GuardDuty"
    TRUSTED_SERVICES: ClassVar[tuple[str, ...]] = ("guardduty.amazonaws.com",)

    protection_plans: ProtectionPlans = Field(default_factory=ProtectionPlans,
                                              description="Protection plans on for every "
                                              "account (off: left as found, never turned off).")
    export_findings: bool = Field(
        True, description="Export every account's findings from each governed region to a "
                          "bucket of their own in the log archive account (home region, "
                          "SSE-KMS with a key of their own, kept without expiry), as AWS's "
                          "Security Reference Architecture does: GuardDuty keeps findings 90 "
                          "days only. Needs a log_archive key account (else off). Billed as S3 "
                          "storage and KMS requests (findings are small JSON objects).")

    def trusted_services(self) -> tuple[str, ...]:
        # Malware Protection for EC2 works through its own principal (Organizations user
        # guide, "AWS services that you can use with AWS Organizations": GuardDuty).
        if self.protection_plans.ebs_malware_protection:
            return (*self.TRUSTED_SERVICES, MALWARE_PROTECTION_PRINCIPAL)
        return self.TRUSTED_SERVICES
