"""Renderers of check results: plain text for people, dicts for `--json`. No AWS, no logic."""

from __future__ import annotations

from typing import Any

from cli.checks.preflight import PreflightReport, Status
from cli.checks.verify import KINDS, Drift, Item, VerifyReport
from cli.console import plural

LABEL = {Status.PASS: "PASS", Status.WARN: "WARN", Status.FAIL: "FAIL", Status.SKIP: "SKIP"}
STYLE = {Status.PASS: "green", Status.WARN: "yellow", Status.FAIL: "red", Status.SKIP: "dim"}


def preflight_lines(report: PreflightReport) -> list[tuple[str, str]]:
    """(text, style) lines: one per check, then its fix, then a summary."""
    lines = []
    for r in report.results:
        lines.append((f"{LABEL[r.status]}  {r.id}  {r.title}: {r.message}", STYLE[r.status]))
        if r.fix and r.status in (Status.FAIL, Status.WARN):
            lines.append((f"      fix: {r.fix}", ""))
    counts = report.counts()
    parts = [f"{counts[s.value]} {word}" for s, word in
             ((Status.PASS, "passed"), (Status.WARN, "warned"), (Status.FAIL, "failed"),
              (Status.SKIP, "skipped")) if counts[s.value]]
    verdict = ("not ready: fix the failures above, then run `./lz preflight` again"
               if report.failed else "ready for `pulumi up`")
    lines.append((f"preflight: {', '.join(parts)}: {verdict}.",
                  "red" if report.failed else "green"))
    return lines


def preflight_json(report: PreflightReport) -> dict[str, Any]:
    return {
        "ok": not report.failed,
        "counts": report.counts(),
        "checks": [{"id": r.id, "title": r.title, "status": r.status.value,
                    "message": r.message, "fix": r.fix} for r in report.results],
    }


SINGULAR = ("VF001", "VF011", "VF017")
DRIFT_STYLE = {Drift.MATCH: "green", Drift.MISSING: "red", Drift.DIFFERENT: "yellow",
               Drift.EXTRA: "magenta", Drift.UNKNOWN: "red"}
DRIFT_WORD = {Drift.MATCH: "matches", Drift.MISSING: "missing", Drift.DIFFERENT: "different",
              Drift.EXTRA: "not in the config", Drift.UNKNOWN: "unknown"}


def _item_text(item: Item) -> str:
    text = f"{item.id}  {item.key}"
    if item.aws_id and item.aws_id != item.key:
        text += f" ({item.aws_id})"
    text += f": {DRIFT_WORD[item.status]}"
    if item.differences:
        text += "; " + "; ".join(f"{d.field}: config {d.expected}, AWS {d.actual}"
                                 for d in item.differences)
    if item.detail:
        text += f" [{item.detail}]"
    return text


def verify_lines(report: VerifyReport) -> list[tuple[str, str]]:
    """Items grouped by kind, in check-id order, then one summary line."""
    lines: list[tuple[str, str]] = []
    for check, kind in KINDS.items():
        items = [i for i in report.items if i.id == check]
        if not items:
            continue
        lines.append((kind if check in SINGULAR else f"{kind}s", "bold"))
        for item in items:
            lines.append((f"  {_item_text(item)}", DRIFT_STYLE[item.status]))
    counts = report.counts()
    parts = [f"{counts[d.value]} {DRIFT_WORD[d]}" for d in Drift if counts[d.value]]
    verdict = "drift found" if report.drifted else "the organization matches the config"
    lines.append((f"verify {report.organization_id}: {plural(len(report.items), 'item')}: "
                  f"{', '.join(parts)}: {verdict}.", "red" if report.drifted else "green"))
    return lines


def verify_json(report: VerifyReport) -> dict[str, Any]:
    return {
        "ok": not report.drifted,
        "organization_id": report.organization_id,
        "counts": report.counts(),
        "items": [{"id": i.id, "kind": i.kind, "key": i.key, "status": i.status.value,
                   "aws_id": i.aws_id,
                   "differences": [{"field": d.field, "expected": d.expected, "actual": d.actual}
                                   for d in i.differences],
                   "detail": i.detail} for i in report.items],
    }
