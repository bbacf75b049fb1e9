"""The tree of organizational units, created parents first.

An OU with `id` is adopted (`import_`). `action: remove` keeps the OU in AWS and stops managing
it, in two `pulumi up` runs: the first keeps it registered with `retain_on_delete` (the flag the
engine reads from state when the resource later disappears from the program), and once the
entry is deleted from the config the next run drops it from the state without deleting it.
OUs are not protected: AWS refuses to delete an OU that still holds accounts or OUs.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from config.model import LandingZoneConfig
from config.topology import ou_order

TYPE = "landing-zone:organizational_units:OrganizationalUnits"


@dataclass(frozen=True)
class OrganizationalUnitsArgs:
    config: LandingZoneConfig
    root_id: pulumi.Input[str]


class OrganizationalUnits(pulumi.ComponentResource):
    """Give it the management provider through `opts`."""

    ou_ids: dict[str, pulumi.Output[str]]
    """Managed OU key -> id."""
    registered_ids: dict[str, pulumi.Output[str]]
    """Every registered OU, those being released included (accounts inside them need it)."""
    summary: dict[str, dict]
    """The `organizational_units` stack output: key -> {id, parent}."""

    def __init__(self, name: str, args: OrganizationalUnitsArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        units = args.config.organizational_units
        self.registered_ids = {}
        for key in ou_order(args.config):
            unit = units[key]
            released = unit.action is not None
            resource = aws.organizations.OrganizationalUnit(
                f"{name}-{key}", name=unit.name,
                parent_id=self.registered_ids[unit.parent] if unit.parent else args.root_id,
                tags=unit.tags or None,
                opts=pulumi.ResourceOptions(parent=self, import_=unit.id,
                                            retain_on_delete=released or None))
            self.registered_ids[key] = resource.id
        self.ou_ids = {k: v for k, v in self.registered_ids.items() if units[k].action is None}
        self.summary = {k: {"id": v, "parent": units[k].parent} for k, v in self.ou_ids.items()}
        self.register_outputs({"ou_ids": self.ou_ids, "registered_ids": self.registered_ids,
                               "summary": self.summary})
