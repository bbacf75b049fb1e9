"""`build(config)`: the whole landing zone from the typed config, in dependency order.

`__main__.py` calls it under `pulumi up`; `./lz plan` and the tests call it under mocks. Each
step is one component; insert a new concern as one more step and one more output key.
Logical names come from config keys only, so reordering the YAML or adding an item renames and
replaces nothing else.
"""

from __future__ import annotations

import pulumi

from components.access_analyzer import AccessAnalyzer, AccessAnalyzerArgs
from components.access_logs import AccessLogs, AccessLogsArgs
from components.account_access import AccountAccess, AccountAccessArgs, StackAws, management_provider
from components.account_defaults import AccountDefaults, AccountDefaultsArgs
from components.accounts import Accounts, AccountsArgs
from components.audit_logging import AuditLogging, AuditLoggingArgs
from components.aws_config import AwsConfig, AwsConfigArgs
from components.baseline_readiness import StackSetsTrustedAccess, StackSetsTrustedAccessArgs
from components.customer_policies import CustomerPolicies, CustomerPoliciesArgs
from components.delegated_admin import SecurityTooling
from components.guardduty import GuardDuty, GuardDutyArgs
from components.guardduty_export import FindingsExport, FindingsExportArgs
from components.guardrails import Guardrails, GuardrailsArgs
from components.identity_center import IdentityCenter, IdentityCenterArgs
from components.organization import Organization, OrganizationArgs
from components.read_only_roles import ReadOnlyRoles, ReadOnlyRolesArgs
from components.security_hub import SecurityHub, SecurityHubArgs
from components.region_opt_in import OptInRegions, OptInRegionsArgs
from components.organizational_units import OrganizationalUnits, OrganizationalUnitsArgs
from components.state_backend import StateBackend, StateBackendArgs, state_account
from config.guardrails import audit_logging_on
from config.assignments import customer_managed_policies
from config.model import LandingZoneConfig
from config.organization_features import required_policy_types, required_trusted_services
from config.naming import (
    backend_url,
    config_bucket_name,
    guardduty_findings_bucket_name,
    guardduty_findings_kms_alias,
    landing_zone_secrets_provider,
    secrets_provider,
)
from config.security_baseline import administering_account, guardduty_export_on, services_on


def build(config: LandingZoneConfig) -> dict[str, pulumi.Input]:
    """Register every resource; return the stack outputs (docs/dev/contracts.md)."""
    stack = StackAws.from_stack_config(config.organization.aws_region)
    management = management_provider(config, stack)
    on_management = pulumi.ResourceOptions(provider=management)

    # Before the organization lists StackSets among its trusted services (AWS asks to turn
    # that trusted access on from CloudFormation).
    trusted_access = StackSetsTrustedAccess("stacksets-trusted-access", StackSetsTrustedAccessArgs(
        region=config.organization.aws_region, profile=stack.profile,
        timeout_seconds=config.account_access.readiness_timeout_seconds))
    organization = Organization("organization", OrganizationArgs(
        known_id=config.organization.known_id,
        known_management_account_id=config.accounts[config.management_account].id,
        trusted_services=required_trusted_services(config),
        policy_types=required_policy_types(config), after=[trusted_access]),
        opts=on_management)

    ous = OrganizationalUnits("ou", OrganizationalUnitsArgs(
        config=config, root_id=organization.root_id), opts=on_management)

    accounts = Accounts("account", AccountsArgs(
        config=config, root_id=organization.root_id, ou_ids=ous.registered_ids,
        management_account_id=organization.management_account_id,
        management_account_arn=organization.management_account_arn), opts=on_management)

    regions = OptInRegions("opt-in-regions", OptInRegionsArgs(
        config=config, management_provider=management, account_ids=accounts.account_ids,
        organization=organization.resource))

    access = AccountAccess("account-access", AccountAccessArgs(
        config=config, stack=stack, management_provider=management,
        account_ids=accounts.account_ids))

    ReadOnlyRoles("read-only", ReadOnlyRolesArgs(
        config=config, management_account_id=organization.management_account_id,
        providers={k: p for k, p in access.providers.items() if k != config.management_account}))

    customer_policies = CustomerPolicies("customer-policies", CustomerPoliciesArgs(
        config=config, management_provider=management, root_id=organization.root_id,
        trusted_access=trusted_access)) if customer_managed_policies(config) else None

    access_logs = AccessLogs("access-logs", AccessLogsArgs(
        config=config, management_provider=management, account_ids=accounts.account_ids,
        root_id=organization.root_id, trusted_access=trusted_access, profile=stack.profile,
        more_fan_outs=[customer_policies.fan_out] if customer_policies else [],
        regions_ready=regions.enabled))

    state_backend = None
    if config.state_backend.enabled:
        state_key = state_account(config)
        state_backend = StateBackend("state-backend", StateBackendArgs(
            config=config, account_id=accounts.account_ids[state_key],
            access_log_bucket=access_logs.bucket_names[state_key],
            management_account_id=organization.management_account_id,
            organization_id=organization.organization_id),
            opts=pulumi.ResourceOptions(provider=access.provider_for(state_key)))

    sso = IdentityCenter("sso", IdentityCenterArgs(
        config=config, account_ids=accounts.account_ids, baseline=access_logs.baseline,
        management_provider=management,
        state_bucket_arn=state_backend and state_backend.bucket_arn,
        state_kms_key_arn=state_backend and state_backend.kms_key_arn,
        landing_zone_kms_key_arn=state_backend and state_backend.landing_zone_kms_key_arn,
        customer_policies_ready=customer_policies.ready if customer_policies else []))

    audit = None
    if audit_logging_on(config):
        archive_key = config.key_account("log_archive")
        audit = AuditLogging("audit", AuditLoggingArgs(
            config=config, management_provider=management,
            log_archive_provider=access.provider_for(archive_key),
            organization_id=organization.organization_id,
            management_account_id=organization.management_account_id,
            log_archive_account_id=accounts.account_ids[archive_key],
            access_log_bucket_name=access_logs.bucket_names[archive_key],
            organization=organization.resource, account_ids=accounts.account_ids))

    baseline = services_on(config)
    security_key = administering_account(config)
    tooling = security_key and SecurityTooling(
        regions=config.governed_regions, management_provider=management,
        provider=access.provider_for(security_key),
        account_id=accounts.account_ids[security_key],
        known_account_id=config.accounts[security_key].id,
        email=config.accounts[security_key].email, organization=organization.resource,
        regions_ready={r: regions.before(r, security_key) for r in config.governed_regions})
    guardduty = GuardDuty("guardduty", GuardDutyArgs(
        settings=baseline["guardduty"], tooling=tooling)) if "guardduty" in baseline else None
    findings_export = None
    if guardduty and guardduty_export_on(config):
        archive_key = config.key_account("log_archive")
        findings_export = FindingsExport("guardduty-findings", FindingsExportArgs(
            bucket=guardduty_findings_bucket_name(config),
            kms_alias=guardduty_findings_kms_alias(config), regions=config.governed_regions,
            detector_ids=guardduty.detector_ids,
            log_archive_provider=access.provider_for(archive_key),
            security_provider=tooling.provider,
            log_archive_account_id=accounts.account_ids[archive_key],
            security_account_id=tooling.account_id,
            access_log_bucket_name=access_logs.bucket_names[archive_key]))
    access_analyzer = AccessAnalyzer("access-analyzer", AccessAnalyzerArgs(
        settings=baseline["access_analyzer"], tooling=tooling)
    ) if "access_analyzer" in baseline else None
    aws_config = AwsConfig("aws-config", AwsConfigArgs(
        config=config, tooling=tooling, provider_for=access.provider_for,
        account_ids=accounts.account_ids, organization_id=organization.organization_id,
        root_id=organization.root_id, trusted_access=trusted_access,
        access_log_buckets=access_logs.bucket_names, regions_ready=regions.enabled,
        profile=stack.profile)) if "aws_config" in baseline else None

    guardrails = Guardrails("guardrails", GuardrailsArgs(
        config=config, management_provider=management, root_id=organization.root_id,
        ou_ids=ous.ou_ids, account_ids=accounts.account_ids, organization=organization.resource,
        management_account_id=organization.management_account_id,
        trail_arn=audit and audit.trail_arn, audit_bucket_arn=audit and audit.bucket_arn,
        audit_key_arn=audit and audit.kms_key_arn,
        state_bucket_arn=state_backend and state_backend.bucket_arn,
        state_key_arns=(state_backend.kms_key_arn, state_backend.landing_zone_kms_key_arn)
        if state_backend else (),
        security_archives=(
            *([(guardduty_findings_bucket_name(config), findings_export.kms_key_arn)]
              if findings_export else []),
            *([(config_bucket_name(config), aws_config.kms_key_arn)] if aws_config else []))))

    security_hub = None
    if "security_hub" in baseline:
        security_hub = SecurityHub("security-hub", SecurityHubArgs(
            config=config, management_provider=management,
            security_provider=access.provider_for(security_key),
            security_account_id=accounts.account_ids[security_key],
            known_security_account_id=config.accounts[security_key].id,
            root_id=organization.root_id, organization=organization.resource))

    # Needs the organization's DECLARATIVE_POLICY_EC2 type and account.amazonaws.com access.
    defaults = baseline.get("account_defaults")
    account_defaults = defaults and AccountDefaults("account-defaults", AccountDefaultsArgs(
        config=config, settings=defaults, management_provider=management,
        root_id=organization.root_id, account_ids=accounts.account_ids,
        organization=organization.resource))

    return {
        "organization_id": organization.organization_id,
        "root_id": organization.root_id,
        "management_account_id": organization.management_account_id,
        "account_role_name": config.account_access.role_name,
        "accounts": accounts.summary,
        "organizational_units": ous.summary,
        "state_backend": state_backend and {
            "bucket": state_backend.bucket_name,
            "account": state_account(config),
            "kms_key_arn": state_backend.kms_key_arn,
            "kms_alias": state_backend.kms_alias_name,
            "backend_url": backend_url(config),
            "secrets_provider": secrets_provider(config),
        },
        # The landing zone's own stack: for operators (docs/ci.md), not for workload stacks.
        "landing_zone_state": state_backend and {
            "kms_key_arn": state_backend.landing_zone_kms_key_arn,
            "kms_alias": state_backend.landing_zone_kms_alias_name,
            "secrets_provider": landing_zone_secrets_provider(config),
        },
        "access_log_buckets": access_logs.bucket_names,
        "sso": sso.outputs,
        "audit": audit and {"trail_arn": audit.trail_arn, "trail_name": audit.trail_name,
                            "bucket": audit.bucket_name, "kms_key_arn": audit.kms_key_arn},
        "guardrails": guardrails.summary,
        "security_hub": security_hub and security_hub.summary,
        "guardduty": guardduty and {
            "detector_ids": guardduty.detector_ids,
            "findings_bucket": findings_export and findings_export.bucket_name,
            "findings_kms_key_arn": findings_export and findings_export.kms_key_arn},
        "access_analyzer": access_analyzer and {
            "analyzer_arns": access_analyzer.analyzer_arns,
            "unused_access_analyzer_arn": access_analyzer.unused_access_analyzer_arn},
        "account_defaults": account_defaults and account_defaults.summary,
        "aws_config": aws_config and {"bucket": aws_config.bucket_name,
                                      "kms_key_arn": aws_config.kms_key_arn,
                                      "aggregator_arn": aws_config.aggregator_arn},
    }
