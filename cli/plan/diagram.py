"""The organization as a Mermaid flowchart, drawn from the config.

`organization_diagram(config)` is a list of steps, each adding one view to the same `Diagram`:
`add_organization` draws the root, the OU tree and the accounts; `add_sso` links Identity
Center groups and users to those accounts. A new view is one more `add_*` function appended to
`VIEWS`; it links to the account nodes through `account_node(key)`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from config.assignments import assignments
from config.model import LandingZoneConfig
from config.topology import is_managed, ou_order

ROOT_NODE = "root"
# The chart's second line, a Mermaid comment: `--diagram` replaces only files that carry it.
DIAGRAM_MARKER = "%% drawn by `./lz plan --diagram` from the organization config"
# Classes a view may put nodes in; each is styled once in the rendered chart.
STYLES = {
    "management": "fill:#fde68a,stroke:#b45309",
    "adopted": "stroke-width:2px",
    "released": "stroke-dasharray:5 5,color:#6b7280",
}


def _safe(key: str) -> str:
    """Mermaid node ids allow letters, digits and underscores."""
    return re.sub(r"\W", "_", key)


def ou_node(key: str) -> str:
    return f"ou_{_safe(key)}"


def account_node(key: str) -> str:
    return f"account_{_safe(key)}"


def principal_node(principal_type: str, key: str) -> str:
    """`GROUP`/`USER` as the SSO API spells them; a group and a user may share a key."""
    return f"{principal_type.lower()}_{_safe(key)}"


def _escape(text: str) -> str:
    """Mermaid entity codes for what would end the quoted label or open an HTML tag."""
    return text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def _label(lines: str | Sequence[str]) -> str:
    """A quoted Mermaid label, one `<br/>` per line break."""
    lines = [lines] if isinstance(lines, str) else lines
    return '"' + "<br/>".join(_escape(line) for line in lines) + '"'


@dataclass
class Diagram:
    direction: str = "TD"
    lines: list[str] = field(default_factory=list)
    classes: dict[str, list[str]] = field(default_factory=dict)

    def node(self, node_id: str, label: str | Sequence[str], *, shape: str = "rect",
             css_class: str | None = None) -> None:
        opening, closing = {"rect": ("[", "]"), "round": ("(", ")"),
                            "stadium": ("([", "])"), "hexagon": ("{{", "}}")}[shape]
        self.lines.append(f"  {node_id}{opening}{_label(label)}{closing}")
        if css_class:
            self.classes.setdefault(css_class, []).append(node_id)

    def edge(self, source: str, target: str, label: str | None = None, *,
             dotted: bool = False) -> None:
        arrow = "-.->" if dotted else "-->"
        arrow = f"{arrow}|{_label(label)}|" if label else arrow
        self.lines.append(f"  {source} {arrow} {target}")

    def render(self) -> str:
        out = [f"flowchart {self.direction}", f"  {DIAGRAM_MARKER}", *self.lines]
        for css_class, nodes in sorted(self.classes.items()):
            out.append(f"  classDef {css_class} {STYLES[css_class]}")
            out.append(f"  class {','.join(nodes)} {css_class}")
        return "\n".join(out) + "\n"


def add_organization(diagram: Diagram, config: LandingZoneConfig) -> None:
    """Root -> OUs (parents first) -> accounts; the management account under the root."""
    diagram.node(ROOT_NODE, f"Root ({config.organization.known_id or 'organization'})",
                 shape="stadium")
    for key in ou_order(config):
        unit = config.organizational_units[key]
        diagram.node(ou_node(key), (unit.name, key), shape="round",
                     css_class="released" if unit.action else ("adopted" if unit.id else None))
        diagram.edge(ou_node(unit.parent) if unit.parent else ROOT_NODE, ou_node(key))
    for key, account in sorted(config.accounts.items()):
        if key == config.management_account:
            css_class = "management"
        elif not is_managed(config, key):
            css_class = "released"
        else:
            css_class = "adopted" if account.id else None
        diagram.node(account_node(key), (account.name, key), css_class=css_class)
        parent = account.organizational_unit
        diagram.edge(ou_node(parent) if parent else ROOT_NODE, account_node(key))


def add_sso(diagram: Diagram, config: LandingZoneConfig) -> None:
    """Groups and users -> the accounts they get, each edge labelled with the permission sets
    (as the access portal names them); users -> their groups, dotted. Released principals and
    detached accounts get no edges, as they get no assignments."""
    sso = config.sso
    for key, group in sorted(sso.groups.items()):
        if group.action is None:
            diagram.node(principal_node("GROUP", key), (group.name, f"group {key}"), shape="hexagon",
                         css_class="adopted" if group.id else None)
    for key, user in sorted(sso.users.items()):
        if user.action is None:
            diagram.node(principal_node("USER", key), (user.display_name or key, f"user {key}"),
                         shape="stadium", css_class="adopted" if user.id else None)
            for group in user.groups:
                if group in sso.groups and sso.groups[group].action is None:
                    diagram.edge(principal_node("USER", key), principal_node("GROUP", group),
                                 "member", dotted=True)
    granted: dict[tuple[str, str, str], list[str]] = {}
    for grant in assignments(config):
        granted.setdefault((grant.principal_type, grant.principal, grant.account), []).append(
            sso.permission_sets[grant.permission_set].name)
    for (principal_type, principal, account), names in sorted(granted.items()):
        diagram.edge(principal_node(principal_type, principal), account_node(account),
                     ", ".join(names))


View = Callable[[Diagram, LandingZoneConfig], None]
VIEWS: list[View] = [add_organization, add_sso]


def organization_diagram(config: LandingZoneConfig) -> str:
    diagram = Diagram()
    for view in VIEWS:
        view(diagram, config)
    return diagram.render()


def organization_chart(config: LandingZoneConfig, suffix: str) -> str:
    """The file `--diagram` writes. `.mmd`: the chart; `.md`: the chart in a fenced block
    GitHub renders."""
    chart = organization_diagram(config)
    if suffix == ".md":
        return f"```mermaid\n{chart}```\n"
    if suffix != ".mmd":
        raise ValueError(f"{suffix}: a diagram is written as .mmd or .md")
    return chart
