"""The plan as a Terraform plan document (the JSON of `terraform show -json`), so IaC scanners
that read Terraform plans (checkov: `checkov -f FILE --framework terraform_plan`) can check what
`pulumi up` would create.

pulumi-aws is bridged from the Terraform AWS provider (pulumi/pulumi-terraform-bridge): every
`aws:` resource is a Terraform resource with the same arguments, renamed by fixed rules, which
this module reverses:
- the type token `aws:<module>/<camelType>:<Type>` is the Terraform type
  `aws_<module>_<snake_type>`, except where pulumi-aws maps it by hand (TERRAFORM_TYPES);
- argument names are camelCase for Terraform's snake_case;
- a Terraform list or set argument with a singular name gets a plural name in Pulumi
  (`rule` -> `rules`): PLURALIZED lists the ones the program emits, and the tests fail on a
  plural name missing from it;
- a Terraform block of at most one item is an object in Pulumi and a one-item list in
  Terraform: scanners accept both (checkov wraps objects in a list itself), so objects stay.
References between resources (a bucket policy's `bucket`, an encryption rule's key ARN) are
written to the `configuration` section as Terraform writes them, found by value: an input
equal to another resource's id, or an ARN ending in it. That is what links a bucket to its
public access block or a key to its alias for graph checks.
Providers, components and dynamic resources (the readiness gates) have no Terraform form and
are left out.
"""

from __future__ import annotations

import re
from typing import Any

from cli.offline import Registration
from cli.plan.model import Plan

FORMAT_VERSION = "1.2"
# The Terraform release whose plan format this follows; scanners recognise a plan by the key
# (checkov: checkov/terraform/context_parsers/tf_plan). No Terraform runs here.
TERRAFORM_VERSION = "1.9.0"
PROVIDER_NAME = "registry.terraform.io/hashicorp/aws"
AWS_TOKEN = re.compile(r"^aws:(?P<module>[a-zA-Z0-9]+)/(?P<name>[a-zA-Z0-9]+):[A-Za-z0-9]+$")
# Where pulumi-aws's token is not aws_<module>_<type> (pulumi-aws provider/resources.go).
TERRAFORM_TYPES = {"aws:cloudtrail/trail:Trail": "aws_cloudtrail",
                   "aws:cfg/configurationAggregator:ConfigurationAggregator":
                       "aws_config_configuration_aggregator"}
# Pulumi's plural names of Terraform's singular list arguments, for the resources the program
# emits; Terraform's own plural names (`aws_service_access_principals`, `equals`) stay.
PLURALIZED = {
    "advancedEventSelectors": "advanced_event_selector",
    "fieldSelectors": "field_selector",
    "notStartsWiths": "not_starts_with",
    "rules": "rule",
    "transitions": "transition",
    "noncurrentVersionTransitions": "noncurrent_version_transition",
}
# Plural names that are Terraform's own (lists of strings or maps in both).
TERRAFORM_PLURALS = frozenset({
    "awsServiceAccessPrincipals", "capabilities", "disabledControlIdentifiers",
    "enabledPolicyTypes", "enabledStandardArns", "equals", "organizationalUnitIds", "regions",
    "specifiedRegions", "tags", "tagsAll",
})
_WORD = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_ADDRESS_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def terraform_type(token: str) -> str | None:
    """`aws:s3/bucketPolicy:BucketPolicy` -> `aws_s3_bucket_policy`; None for non-AWS types."""
    if token in TERRAFORM_TYPES:
        return TERRAFORM_TYPES[token]
    match = AWS_TOKEN.match(token)
    if not match:
        return None
    return f"aws_{match['module'].lower()}_{snake(match['name'])}"


def snake(name: str) -> str:
    return _WORD.sub("_", name).lower()


def argument_name(key: str) -> str:
    return PLURALIZED.get(key) or snake(key)


def _values(value: Any) -> Any:
    if isinstance(value, dict):
        return {argument_name(k): _values(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_values(v) for v in value]
    return value


class _References:
    """Which resource a value names: its id, or an ARN ending in `/<id>` or `:<id>`."""

    def __init__(self, addresses: dict[str, str]) -> None:
        self._by_id = addresses  # resource id -> address

    def of(self, value: Any) -> Any:
        """The `expressions` tree for one value, or None when it names no resource."""
        if isinstance(value, dict):
            found = {argument_name(k): e for k, v in value.items()
                     if (e := self.of(v)) is not None}
            return found or None
        if isinstance(value, list):
            items = [self.of(v) for v in value]
            return items if any(items) and all(isinstance(v, dict) for v in value) else None
        if isinstance(value, str):
            address = self._address(value)
            return {"references": [f"{address}.id", address]} if address else None
        return None

    def _address(self, value: str) -> str | None:
        value = value.removesuffix(":*")  # a log group's ARN as CloudTrail wants it
        if value in self._by_id:
            return self._by_id[value]
        for separator in ("/", ":"):
            head, _, tail = value.rpartition(separator)
            if head.startswith("arn:") and tail in self._by_id:
                return self._by_id[tail]
        return None


def _addressed(plan: Plan) -> list[tuple[str, str, Registration]]:
    """(address, Terraform type, registration) of every resource with a Terraform form."""
    out, taken = [], set()
    for reg in sorted(plan.inventory.registrations, key=lambda r: r.urn):
        kind = terraform_type(reg.type) if reg.custom else None
        if kind is None:
            continue
        name = _ADDRESS_UNSAFE.sub("_", reg.name)
        while f"{kind}.{name}" in taken:  # logical names are unique per type already
            name += "_"
        taken.add(f"{kind}.{name}")
        out.append((f"{kind}.{name}", kind, reg))
    return out


def terraform_plan(plan: Plan) -> dict[str, Any]:
    """The planned resources as `terraform show -json` would show a plan creating them."""
    addressed = _addressed(plan)
    references = _References({reg.id: address for address, _, reg in addressed if reg.id})
    planned, configured, changes = [], [], []
    for address, kind, reg in addressed:
        name = address.split(".", 1)[1]
        values = _values(reg.inputs)
        planned.append({"address": address, "mode": "managed", "type": kind, "name": name,
                        "provider_name": PROVIDER_NAME, "schema_version": 0,
                        "values": values, "sensitive_values": {}})
        configured.append({"address": address, "mode": "managed", "type": kind, "name": name,
                           "provider_config_key": "aws",
                           "expressions": references.of(reg.inputs) or {}})
        changes.append({"address": address, "mode": "managed", "type": kind, "name": name,
                        "provider_name": PROVIDER_NAME,
                        "change": {"actions": ["create"], "before": None, "after": values,
                                   "after_unknown": {}}})
    return {
        "format_version": FORMAT_VERSION,
        "terraform_version": TERRAFORM_VERSION,
        "planned_values": {"root_module": {"resources": planned}},
        "resource_changes": changes,
        "configuration": {"provider_config": {"aws": {"name": "aws",
                                                      "full_name": PROVIDER_NAME}},
                          "root_module": {"resources": configured}},
    }


def unmapped_plurals(plan: Plan) -> set[str]:
    """Input names that look pluralized by Pulumi but are in neither table (a test keeps this
    empty, so a new resource's plural argument cannot slip through unconverted)."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if (isinstance(item, list) and key.endswith("s") and key not in PLURALIZED
                        and key not in TERRAFORM_PLURALS):
                    found.add(key)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for _, _, reg in _addressed(plan):
        walk(reg.inputs)
    return found
