"""Text rendering of a plan: the resource tree, summary tables, warnings."""

from __future__ import annotations

from collections import deque

from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from cli.offline import Registration
from cli.plan.model import NO_ACCOUNT, Level, Plan
from cli.plan.security import baseline_rows, services_off


UNBOUNDED_WIDTH = 10_000
"""Columns to measure a table's natural width in (rich measures within the console's width)."""


def short_type(type_: str) -> str:
    """`aws:s3/bucketPolicy:BucketPolicy` -> `aws:s3:BucketPolicy` (the module path repeats
    the type name)."""
    package, module, name = type_.split(":", 2) if type_.count(":") >= 2 else ("", "", type_)
    return f"{package}:{module.split('/')[0]}:{name}" if package else type_


def resource_label(plan: Plan, reg: Registration) -> Text:
    label = Text(reg.name, style="bold" if not reg.custom else "")
    label.append(f"  {short_type(reg.type)}", style="dim")
    account = plan.account_of(reg)
    if account:
        label.append(f"  @{account}", style="cyan")
    flags = []
    if reg.protect and reg.custom:
        flags.append("protected")
    if reg.retain_on_delete:
        flags.append("retained on delete")
    if reg.import_id:
        flags.append(f"adopts {plan.shown_id(reg.import_id)}")
    if flags:
        label.append(f"  [{', '.join(flags)}]", style="yellow")
    return label


def resource_tree(plan: Plan) -> Tree:
    mode = "preview: ids of new resources unknown" if plan.preview else "update"
    tree = Tree(Text(f"stack landing-zone/{plan.inventory.stack} ({mode})", style="bold"))
    pending = deque((tree, reg) for reg in plan.children[None])
    while pending:
        node, reg = pending.popleft()
        branch = node.add(resource_label(plan, reg))
        pending.extend((branch, child) for child in plan.children.get(reg.urn, []))
    return tree


def summary_tables(plan: Plan) -> tuple[Table, Table]:
    by_type = Table(title="Resources by type", title_justify="left")
    by_type.add_column("type")
    by_type.add_column("count", justify="right")
    for type_, count in sorted(plan.count_by_type().items()):
        by_type.add_row(short_type(type_), str(count))
    by_type.add_row(Text("total", style="bold"), Text(str(len(plan.resources)), style="bold"))

    by_account = Table(title="Resources by account", title_justify="left")
    by_account.add_column("account")
    by_account.add_column("count", justify="right")
    for account, count in plan.count_by_account().items():
        by_account.add_row(account, str(count))
    if NO_ACCOUNT in plan.count_by_account():
        by_account.caption = f"{NO_ACCOUNT}: the program's checks that new accounts are ready"
        by_account.caption_justify = "left"
    return by_type, by_account


def baseline_table(plan: Plan) -> Table:
    """Each security service on: the accounts and regions it reaches, and how."""
    table = Table(title="Security baseline by account and region", title_justify="left")
    for column in ("service", "accounts", "regions", "how"):
        table.add_column(column, overflow="fold")  # a plan name or principal stays whole
    shown = None
    for row in baseline_rows(plan):
        if shown is not None and row.service != shown:
            table.add_section()
        table.add_row("" if row.service == shown else row.service, row.accounts,
                      ", ".join(row.regions), "\n".join(row.how))
        shown = row.service
    off = services_off(plan.config)
    if off:
        table.caption = f"off: {', '.join(off)} (security_baseline; warning LZ608 says why)"
        table.caption_justify = "left"
    return table


def print_plan(plan: Plan, console: Console) -> None:
    tree = resource_tree(plan)
    _print_whole(console, tree, _tree_width(tree))
    console.print()
    for table in summary_tables(plan):
        console.print(table)
        console.print()
    baseline = baseline_table(plan)
    unbounded = console.options.update(max_width=UNBOUNDED_WIDTH)
    _print_whole(console, baseline, Measurement.get(console, unbounded, baseline).maximum)
    console.print()
    console.print(Text(f"Provider processes: {plan.provider_processes().describe()}"))
    console.print()
    for note in plan.notes:
        style = "yellow" if note.level is Level.WARNING else ""
        console.print(Text(f"{note.level.value} {note.code}: {note.message}", style=style))


def _print_whole(console: Console, renderable: Tree | Table, needed: int) -> None:
    """A pipe or a CI log gets whole lines, not lines cropped or folded at 80 columns."""
    if console.is_terminal:
        console.print(renderable)
        return
    width = console.width
    console.width = max(width, needed)
    try:
        console.print(renderable)
    finally:
        console.width = width


def _tree_width(tree: Tree, depth: int = 0) -> int:
    """Columns the widest line needs: 4 per level of guides, plus the label."""
    own = depth * 4 + len(tree.label) if isinstance(tree.label, Text) else 0
    return max([own, *(_tree_width(child, depth + 1) for child in tree.children)])
