"""The security services' readers (cli/aws/security.py) against botocore's Stubber, for what
moto 5 lacks: Access Analyzer's ListAnalyzers, GuardDuty's ListMembers and Config's
DescribeConfigurationAggregatorSourcesStatus, each over two pages (an organization has more
members than one page holds), with the exact requests AWS receives."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from cli.aws import security as sec
from cli.aws.session import AwsSession, new_session

REGION = "eu-west-1"


@pytest.fixture
def aws() -> AwsSession:
    return AwsSession(new_session(region_name="us-east-1"), "us-east-1")


def stubbed(aws: AwsSession, service: str, region: str = REGION) -> Stubber:
    stub = Stubber(aws.client(service, region))
    stub.activate()
    return stub


def test_analyzers_over_two_pages(aws):
    stub = stubbed(aws, "accessanalyzer")
    analyzer = {"arn": "arn:aws:access-analyzer:eu-west-1:111111111111:analyzer/org",
                "createdAt": "2026-01-01T00:00:00Z"}
    stub.add_response("list_analyzers", {"analyzers": [
        {**analyzer, "name": "org", "type": "ORGANIZATION", "status": "ACTIVE"}],
        "nextToken": "page2"}, {})
    stub.add_response("list_analyzers", {"analyzers": [
        {**analyzer, "name": "unused", "type": "ORGANIZATION_UNUSED_ACCESS",
         "status": "CREATING"}]}, {"nextToken": "page2"})
    assert sec.analyzers(aws, REGION) == (
        sec.Analyzer("org", "ORGANIZATION", "ACTIVE"),
        sec.Analyzer("unused", "ORGANIZATION_UNUSED_ACCESS", "CREATING"))
    stub.assert_no_pending_responses()


def test_guardduty_members_include_the_disassociated(aws):
    stub = stubbed(aws, "guardduty")
    member = {"MasterId": "111111111111", "Email": "a@example.invalid",
              "UpdatedAt": "2026-01-01T00:00:00Z"}
    stub.add_response("list_members", {"Members": [
        {**member, "AccountId": "222222222222", "RelationshipStatus": "Enabled"}],
        "NextToken": "page2"}, {"DetectorId": "d1", "OnlyAssociated": "false"})
    stub.add_response("list_members", {"Members": [
        {**member, "AccountId": "333333333333", "RelationshipStatus": "Removed"}]},
        {"DetectorId": "d1", "OnlyAssociated": "false", "NextToken": "page2"})
    assert sec.guardduty_members(aws, REGION, "d1") == {"222222222222": "Enabled",
                                                        "333333333333": "Removed"}
    stub.assert_no_pending_responses()


def test_aggregator_sources_by_account_and_region(aws):
    stub = stubbed(aws, "config")
    stub.add_response("describe_configuration_aggregator_sources_status", {
        "AggregatedSourceStatusList": [
            {"SourceId": "222222222222", "SourceType": "ACCOUNT", "AwsRegion": "eu-west-1",
             "LastUpdateStatus": "SUCCEEDED"}], "NextToken": "page2"},
        {"ConfigurationAggregatorName": "org"})
    stub.add_response("describe_configuration_aggregator_sources_status", {
        "AggregatedSourceStatusList": [
            {"SourceId": "222222222222", "SourceType": "ACCOUNT", "AwsRegion": "us-east-1",
             "LastUpdateStatus": "FAILED"}]},
        {"ConfigurationAggregatorName": "org", "NextToken": "page2"})
    assert sec.aggregator_sources(aws, REGION, "org") == {
        ("222222222222", "eu-west-1"): "SUCCEEDED", ("222222222222", "us-east-1"): "FAILED"}


@pytest.mark.parametrize(("code", "enabled"), [("InvalidAccessException", False),
                                               ("ResourceNotFoundException", False)])
def test_a_hub_not_subscribed_is_off(aws, code, enabled):
    stub = stubbed(aws, "securityhub")
    stub.add_client_error("describe_hub", code, http_status_code=401)
    assert sec.hub_enabled(aws, REGION) is enabled


def test_a_refused_hub_read_is_an_error_not_an_answer(aws):
    stub = stubbed(aws, "securityhub")
    stub.add_client_error("describe_hub", "AccessDeniedException", http_status_code=403)
    with pytest.raises(ClientError):
        sec.hub_enabled(aws, REGION)
