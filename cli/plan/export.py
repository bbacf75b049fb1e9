"""The plan as JSON: every resource with what the engine would receive."""

from __future__ import annotations

from typing import Any

from cli.offline import Registration
from cli.plan.model import Plan
from cli.plan.security import baseline_rows

# A dynamic resource's inputs carry its pickled provider: bytes of no use to a reader.
DYNAMIC_PROVIDER_INPUT = "__provider"


def resource_record(plan: Plan, reg: Registration) -> dict[str, Any]:
    return {
        "urn": reg.urn,
        "type": reg.type,
        "name": reg.name,
        "custom": reg.custom,
        "parent": reg.parent,
        "provider": reg.provider,
        "account": plan.account_of(reg),
        "protect": reg.protect,
        "retain_on_delete": reg.retain_on_delete,
        "import_id": reg.import_id,
        "id": reg.id,
        "inputs": {k: v for k, v in reg.inputs.items() if k != DYNAMIC_PROVIDER_INPUT},
        "dependencies": list(reg.dependencies),
    }


def plan_document(plan: Plan) -> dict[str, Any]:
    processes = plan.provider_processes()
    return {
        "preview": plan.preview,
        "summary": {
            "by_type": dict(sorted(plan.count_by_type().items())),
            "by_account": plan.count_by_account(),
            "provider_processes": {
                "stack": processes.stack, "aws": processes.aws, "dynamic": processes.dynamic,
                "aws_memory_mb": list(processes.aws_memory_mb)},
            "security_baseline": [
                {"service": row.service, "accounts": row.accounts,
                 "account_count": row.account_count, "regions": list(row.regions),
                 "how": list(row.how)} for row in baseline_rows(plan)],
        },
        "warnings": [{"code": n.code, "level": n.level.value, "message": n.message}
                     for n in plan.notes],
        "outputs": plan.inventory.outputs,
        "resources": [resource_record(plan, r)
                      for r in sorted(plan.inventory.registrations, key=lambda r: r.urn)],
    }
