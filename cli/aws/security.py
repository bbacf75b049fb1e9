"""Read-only views of the security baseline's services (docs/security-services.md), for
`./lz preflight`, `./lz verify` and `./lz import`. No rendering, no verdicts.

Organization-wide answers come from one place wherever AWS has one, so a read does not grow
by a call per account: delegated administrators from Organizations
(ListDelegatedAdministrators, from the management account), GuardDuty and Security Hub members
from the delegated administrator's ListMembers, AWS Config's sources from the organization
aggregator (DescribeConfigurationAggregatorSourcesStatus). Alternate contacts have no such
view: GetAlternateContact takes one account and one type per call. Delegated administrators
are read by `inventory.read_delegated_administrators`.
"""

from __future__ import annotations

from dataclasses import dataclass

from botocore.exceptions import ClientError

from cli.aws.session import AwsSession, error_code

# The service principal each service's delegated administrator is registered for
# (RegisterDelegatedAdministrator / the services' EnableOrganizationAdminAccount). AWS Config's
# organization aggregator is administered for config.amazonaws.com
# (https://docs.aws.amazon.com/config/latest/developerguide/aggregated-register-delegated-administrator.html).
DELEGATION_PRINCIPALS: dict[str, str] = {
    "guardduty": "guardduty.amazonaws.com",
    "security_hub": "securityhub.amazonaws.com",
    "aws_config": "config.amazonaws.com",
    "access_analyzer": "access-analyzer.amazonaws.com",
}
# GetAlternateContact's types (https://docs.aws.amazon.com/accounts/latest/reference/API_GetAlternateContact.html).
CONTACT_TYPES = ("BILLING", "OPERATIONS", "SECURITY")


@dataclass(frozen=True)
class Analyzer:
    name: str
    type: str
    status: str


@dataclass(frozen=True)
class Recorder:
    name: str
    recording: bool


@dataclass(frozen=True)
class Aggregator:
    name: str
    organization_wide: bool


def detectors(aws: AwsSession, region: str) -> tuple[str, ...]:
    """GuardDuty detector ids (at most one per account and region)."""
    return tuple(aws.paginate("guardduty", "list_detectors", "DetectorIds", region=region))


@dataclass(frozen=True)
class PublishingDestination:
    id: str
    arn: str
    """The destination's S3 ARN (a bucket, or a folder in one)."""


def publishing_destinations(aws: AwsSession, region: str,
                            detector_id: str) -> tuple[PublishingDestination, ...]:
    """Where the detector exports findings: ListPublishingDestinations (botocore has no
    paginator for it: NextToken by hand), then each one's DescribePublishingDestination for
    its ARN (the listing has no properties)."""
    found, token = [], {}
    while True:
        page = aws.call("guardduty", "list_publishing_destinations", region=region,
                        DetectorId=detector_id, **token)
        found += page.get("Destinations", [])
        if not page.get("NextToken"):
            break
        token = {"NextToken": page["NextToken"]}
    return tuple(PublishingDestination(d["DestinationId"], aws.call(
        "guardduty", "describe_publishing_destination", region=region,
        DetectorId=detector_id, DestinationId=d["DestinationId"])
        ["DestinationProperties"].get("DestinationArn", "")) for d in found)


def guardduty_members(aws: AwsSession, region: str, detector_id: str) -> dict[str, str]:
    """Member account id -> RelationshipStatus (`Enabled` when monitored), as the
    administrator sees them; OnlyAssociated=false lists the disassociated ones too."""
    members = aws.paginate("guardduty", "list_members", "Members", region=region,
                           DetectorId=detector_id, OnlyAssociated="false")
    return {m["AccountId"]: m.get("RelationshipStatus", "") for m in members}


def hub_enabled(aws: AwsSession, region: str) -> bool:
    try:
        aws.call("securityhub", "describe_hub", region=region)
    # DescribeHub answers InvalidAccessException for an account not subscribed to Security Hub.
    except ClientError as error:
        if error_code(error) in ("InvalidAccessException", "ResourceNotFoundException"):
            return False
        raise
    return True


def securityhub_members(aws: AwsSession, region: str) -> dict[str, str]:
    """Member account id -> MemberStatus (`ENABLED` when associated)."""
    members = aws.paginate("securityhub", "list_members", "Members", region=region,
                           OnlyAssociated=False)
    return {m["AccountId"]: m.get("MemberStatus", "") for m in members}


def recorders(aws: AwsSession, region: str) -> tuple[Recorder, ...]:
    """Customer configuration recorders (service-linked ones are AWS's, and not listed here:
    DescribeConfigurationRecorders without ServicePrincipal returns customer recorders)."""
    found = aws.call("config", "describe_configuration_recorders",
                     region=region).get("ConfigurationRecorders", [])
    status = {s["name"]: s.get("recording", False) for s in aws.call(
        "config", "describe_configuration_recorder_status",
        region=region).get("ConfigurationRecordersStatus", [])}
    return tuple(Recorder(r["name"], bool(status.get(r["name"]))) for r in found)


def aggregators(aws: AwsSession, region: str) -> tuple[Aggregator, ...]:
    found = aws.paginate("config", "describe_configuration_aggregators",
                         "ConfigurationAggregators", region=region)
    return tuple(Aggregator(a["ConfigurationAggregatorName"],
                            "OrganizationAggregationSource" in a) for a in found)


def aggregator_sources(aws: AwsSession, region: str, name: str) -> dict[tuple[str, str], str]:
    """(account id, region) -> LastUpdateStatus (SUCCEEDED, FAILED, OUTDATED) of every source
    an organization aggregator collects from: one listing for the whole organization."""
    found = aws.paginate("config", "describe_configuration_aggregator_sources_status",
                         "AggregatedSourceStatusList", region=region,
                         ConfigurationAggregatorName=name)
    return {(s["SourceId"], s.get("AwsRegion", "")): s.get("LastUpdateStatus", "")
            for s in found}


def analyzers(aws: AwsSession, region: str) -> tuple[Analyzer, ...]:
    found = aws.paginate("accessanalyzer", "list_analyzers", "analyzers", region=region)
    return tuple(Analyzer(a["name"], a["type"], a.get("status", "")) for a in found)


def alternate_contacts(aws: AwsSession, account_id: str | None) -> tuple[str, ...]:
    """The alternate contact types an account has; `account_id` None: the caller's own account
    (AWS refuses AccountId naming the management account itself)."""
    present = []
    target = {"AccountId": account_id} if account_id else {}
    for kind in CONTACT_TYPES:
        try:
            aws.call("account", "get_alternate_contact", AlternateContactType=kind, **target)
        # ResourceNotFoundException: this type is not set.
        except ClientError as error:
            if error_code(error) != "ResourceNotFoundException":
                raise
            continue
        present.append(kind)
    return tuple(present)
