"""`./lz plan`: the program run offline, rendered as a tree, tables, warnings, JSON, Mermaid."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from cli.main import main
from cli.plan.diagram import Diagram, organization_diagram
from config import load

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "organization.yaml"


def plan(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["plan", str(EXAMPLE), "--no-local", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_text_plan_shows_the_tree_with_accounts_tables_and_warnings(capsys):
    code, out, _ = plan(capsys)
    assert code == 0
    assert out.startswith("stack landing-zone/bootstrap (update)\n")
    assert "account-dev  aws:organizations:Account  @master  [protected]" in out
    assert "access-logs-dev  aws:s3:Bucket  @dev  [retained on delete]" in out
    assert "organization  aws:organizations:Organization  @master  [protected, adopts o-exampleorg1]" in out
    # Nested, children sorted by name so two plans of one config read alike.
    assert ("│   │   ├── access-logs-master-policy  aws:s3:BucketPolicy  @master  "
            "[retained on delete]\n") in out
    assert "Resources by type" in out and "Resources by account" in out
    assert "│ aws:organizations:Account" in out and "│ shared_services │" in out
    for code_ in ("LZ601", "LZ602", "LZ603", "LZ604"):
        assert code_ in out
    assert "state-backend-bucket (all 8 parts)" in out  # a protected component reads as one
    assert "Creates 5 new AWS account(s): account-dev, account-log_archive, account-prod, " \
           "account-shared_services, account-test." in out


def test_json_to_stdout_describes_every_resource(capsys):
    code, out, _ = plan(capsys, "--json")
    assert code == 0
    document = json.loads(out)  # nothing but JSON on stdout
    assert document["preview"] is False
    resources = {r["urn"]: r for r in document["resources"]}
    for record in resources.values():
        assert set(record) == {"urn", "type", "name", "custom", "parent", "provider", "account",
                               "protect", "retain_on_delete", "import_id", "id", "inputs",
                               "dependencies"}, record["urn"]
        assert "__provider" not in record["inputs"], record["urn"]
    [bucket] = [r for r in resources.values()
                if r["type"] == "aws:s3/bucket:Bucket" and r["name"] == "access-logs-dev"]
    assert bucket["account"] == "dev"
    assert resources[bucket["provider"]]["name"] == "account-access-dev"
    assert resources[bucket["parent"]]["type"] == "landing-zone:storage:HardenedBucket"
    [gate] = [r for r in resources.values() if r["name"] == "account-access-dev-readiness"]
    assert gate["account"] is None and gate["inputs"]["role_name"] == "OrganizationAccountAccessRole"
    provider = resources[bucket["provider"]]
    assert gate["urn"] in provider["dependencies"]
    assert document["summary"]["by_type"]["aws:organizations/account:Account"] == 5
    assert document["summary"]["by_account"]["(program)"] == 5
    assert {w["code"] for w in document["warnings"]} >= {"LZ601", "LZ602", "LZ603", "LZ604"}
    assert document["outputs"]["state_backend"]["bucket"] == "acme-lz-pulumi-state"


def test_preview_leaves_new_ids_unknown(capsys):
    code, out, _ = plan(capsys, "--preview", "--json")
    assert code == 0
    document = json.loads(out)
    assert document["preview"] is True
    assert document["outputs"]["accounts"]["dev"]["id"] == "<unknown>"
    assert document["outputs"]["organization_id"] == "o-exampleorg1"  # imported: read in preview
    [account] = [r for r in document["resources"] if r["name"] == "account-dev"
                 and r["type"] == "aws:organizations/account:Account"]
    assert account["id"] is None


def test_json_file_and_diagram_files_beside_the_text_plan(capsys, tmp_path):
    report, chart, page = tmp_path / "plan.json", tmp_path / "org.mmd", tmp_path / "org.md"
    code, out, err = plan(capsys, "--json", str(report), "--diagram", str(chart))
    assert code == 0 and out.startswith("stack landing-zone/bootstrap")
    assert json.loads(report.read_text())["resources"]
    assert f"wrote {report}" in err and f"wrote {chart}" in err
    text = chart.read_text()
    assert text.startswith("flowchart TD\n")
    for edge in ("root --> ou_workloads", "ou_workloads --> ou_dev", "ou_dev --> account_dev",
                 "root --> account_master"):
        assert f"  {edge}\n" in text, edge
    assert "class account_master management" in text
    assert plan(capsys, "--diagram", str(page))[0] == 0
    assert page.read_text() == f"```mermaid\n{text}```\n"


def test_a_diagram_needs_a_mermaid_file_name(capsys, tmp_path):
    code, _, err = plan(capsys, "--diagram", str(tmp_path / "org.png"))
    assert code == 2
    assert "use a .mmd or .md file name" in err


def test_warns_about_releases_and_adoptions(capsys, tmp_path):
    data = yaml.safe_load(EXAMPLE.read_text())
    data["accounts"]["legacy"] = {"name": "Legacy", "email": "legacy@example.invalid",
                                  "id": "222222222299", "action": "destroy"}
    data["accounts"]["dev"]["id"] = "222222222201"
    path = tmp_path / "organization.yaml"
    path.write_text(yaml.safe_dump(data))
    code = main(["plan", str(path), "--no-local"])
    out = capsys.readouterr().out
    assert code == 0
    assert ("warning LZ606: Account 'legacy' is being released (action: destroy): this run "
            "unprotects it and drops everything inside it. Delete the entry after the next "
            "`pulumi up`; the run after that, the account is removed from the organization") in out
    assert "info LZ605: Adopts 2 existing account(s) by id: account-dev, account-legacy." in out
    assert "account-legacy  aws:organizations:Account  @master  [adopts 222222222299]" in out


def test_diagram_labels_are_escaped_and_released_accounts_dashed(tmp_path):
    data = yaml.safe_load(EXAMPLE.read_text())
    data["accounts"]["dev"]["name"] = 'Dev "blue"'
    data["accounts"]["old"] = {"name": "Old", "email": "old@example.invalid",
                               "id": "222222222298", "action": "remove"}
    path = tmp_path / "organization.yaml"
    path.write_text(yaml.safe_dump(data))
    chart = organization_diagram(load(path, use_local=False).config)
    assert '  account_dev["Dev #quot;blue#quot;<br/>dev"]\n' in chart
    assert "class account_old released" in chart


def test_diagram_edges_may_carry_labels():
    diagram = Diagram()
    diagram.node("group_admins", "Admins", shape="hexagon")
    diagram.edge("group_admins", "account_dev", "Admin")
    assert diagram.render() == ('flowchart TD\n  group_admins{{"Admins"}}\n'
                                '  group_admins -->|"Admin"| account_dev\n')


@pytest.mark.parametrize("flag", ["--preview", "--json"])
def test_help_documents_the_flags(capsys, flag):
    with pytest.raises(SystemExit):
        main(["plan", "--help"])
    assert flag in capsys.readouterr().out
