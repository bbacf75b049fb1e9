"""Opt-in regions enabled in every managed account before anything is built there.

A region launched since March 2019 is off in every account until enabled (AWS Account
Management guide, "Enable or disable AWS Regions"). For each governed opt-in region, one
`aws.account.Region` per managed account, all from the management provider: a member with
`account_id` (needs trusted access for account.amazonaws.com:
config/organization_features.py keeps it on while a governed region is opt-in), the management account without (the API refuses the caller's
own id as `account_id`). No provider per account or region.

terraform-provider-aws `resourceRegion`: create calls EnableRegion and waits (up to 60
minutes) until the region is ENABLED; delete is a no-op, so dropping a region from the config
never disables it in any account; `account_id` and `region_name` force a new resource.

Accounts that join later, outside the config, do not get the region: StackSets instances
there fail (tolerated up to the stack set's failure tolerance) until the account is added to
the config and `pulumi up` enables it (docs/security-services.md, "Governed regions").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from config.model import LandingZoneConfig
from config.regions import is_opt_in
from config.topology import managed_accounts

TYPE = "landing-zone:region_opt_in:OptInRegions"


def opt_in_regions(config: LandingZoneConfig) -> list[str]:
    """The governed regions each account must enable first."""
    return [r for r in config.governed_regions if is_opt_in(r)]


def opt_ins(config: LandingZoneConfig) -> list[tuple[str, str]]:
    """(account key, region) of every enablement; the management account already works in
    the home region, the one it runs the landing zone from."""
    home, management = config.organization.aws_region, config.management_account
    return [(key, region) for region in opt_in_regions(config)
            for key in managed_accounts(config) if (key, region) != (management, home)]


@dataclass(frozen=True)
class OptInRegionsArgs:
    config: LandingZoneConfig
    management_provider: aws.Provider
    account_ids: Mapping[str, pulumi.Input[str]]
    """Managed account key -> id, the management account included."""
    organization: pulumi.Resource
    """Trusted access for account.amazonaws.com is on before a member's region is enabled."""


class OptInRegions(pulumi.ComponentResource):
    enabled: dict[str, list[aws.account.Region]]
    """Governed opt-in region -> its enablement in every managed account."""

    def __init__(self, name: str, args: OptInRegionsArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        config = args.config
        self.enabled = {region: [] for region in opt_in_regions(config)}
        self._by_account: dict[tuple[str, str], aws.account.Region] = {}
        for key, region in opt_ins(config):
            member = key != config.management_account
            enablement = aws.account.Region(
                f"{name}-{key}-{region}", region_name=region, enabled=True,
                account_id=args.account_ids[key] if member else None,
                opts=pulumi.ResourceOptions(parent=self, provider=args.management_provider,
                                            depends_on=[args.organization]))
            self.enabled[region].append(enablement)
            self._by_account[key, region] = enablement
        self.register_outputs({"enabled": {region: [r.id for r in regions]
                                           for region, regions in self.enabled.items()}})

    def before(self, region: str, key: str | None = None) -> Sequence[pulumi.Resource]:
        """What must exist before anything is built in `region`: in account `key`, or in every
        managed account."""
        if key is None:
            return self.enabled.get(region, [])
        found = self._by_account.get((key, region))
        return [found] if found else []
