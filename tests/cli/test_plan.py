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
    assert "access-logs-us-east-1  aws:cloudformation:StackSet  @master\n" in out
    assert "access-logs-dev-baseline  pulumi-python:dynamic:BaselineReadiness\n" in out
    # The example names no organization id: the plan does not show the offline run's made-up one.
    assert ("organization  aws:organizations:Organization  @master  [protected, adopts the "
            "management account's organization]") in out
    assert "o-exampleorg1" not in out
    assert "(no AWS account): the program's checks that new accounts are ready" in out
    # Nested, children sorted by name so two plans of one config read alike.
    assert ("│   │   ├── access-logs-master-us-east-1-policy  aws:s3:BucketPolicy  @master  "
            "[retained on delete]\n") in out
    assert "Resources by type" in out and "Resources by account" in out
    assert "│ aws:organizations:Account" in out and "│ shared_services " in out
    for code_ in ("LZ601", "LZ602", "LZ603", "LZ604"):
        assert code_ in out
    assert "state-backend-bucket (all 8 parts)" in out  # a protected component reads as one
    assert "Creates 6 new AWS accounts: account-dev, account-log_archive, account-prod, " \
           "account-security_tooling, account-shared_services, account-test." in out


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
                if r["type"] == "aws:s3/bucket:Bucket" and r["name"] == "state-backend-bucket"]
    assert bucket["account"] == "shared_services"
    assert resources[bucket["provider"]]["name"] == "account-access-shared_services"
    assert resources[bucket["parent"]]["type"] == "landing-zone:storage:HardenedBucket"
    [gate] = [r for r in resources.values()
              if r["name"] == "account-access-shared_services-readiness"]
    assert gate["account"] is None and gate["inputs"]["role_name"] == "OrganizationAccountAccessRole"
    provider = resources[bucket["provider"]]
    assert gate["urn"] in provider["dependencies"]
    assert document["summary"]["by_type"]["aws:organizations/account:Account"] == 6
    # 3 key-account readiness gates, 6 baseline gates each for access logs and AWS Config,
    # the trusted access gate
    assert document["summary"]["by_account"]["(no AWS account)"] == 16
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
    assert "info LZ605: Adopts 2 existing accounts by id: account-dev, account-legacy." in out
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
    assert diagram.render() == ('flowchart TD\n  %% drawn by `./lz plan --diagram` from the '
                                'organization config\n  group_admins{{"Admins"}}\n'
                                '  group_admins -->|"Admin"| account_dev\n')


@pytest.mark.parametrize("flag", ["--preview", "--json"])
def test_help_documents_the_flags(capsys, flag):
    with pytest.raises(SystemExit):
        main(["plan", "--help"])
    assert flag in capsys.readouterr().out


FORCE_HINT = "hint: Pass --force to replace it, or name another file for {flag}."


@pytest.mark.parametrize(("flag", "name", "content"), [
    pytest.param("--json", "organization.local.yaml", "accounts: {}\n", id="json-over-local-override"),
    pytest.param("--json", "notes.json", '{"mine": true}\n', id="json-over-other-json"),
    pytest.param("--diagram", "README.md", "# my notes\n", id="diagram-over-markdown"),
    pytest.param("--diagram", "org.mmd", "flowchart LR\n  a --> b\n", id="diagram-over-own-chart"),
])
def test_plan_never_replaces_a_file_it_did_not_write(capsys, tmp_path, flag, name, content):
    """`./lz plan --json config/organization.local.yaml` replaced the user's override."""
    target = tmp_path / name
    target.write_text(content)
    code, out, err = plan(capsys, flag, str(target))
    assert code == 2 and out == ""
    assert target.read_text() == content
    if name.startswith("organization"):
        assert err == (f"error: {flag} {target}: that is a file the config or Pulumi reads, never "
                       f"an output.\nhint: Name another file for {flag}.\n")
    else:
        assert err == (f"error: {flag} {target} exists and was not written by ./lz plan {flag}.\n"
                       + FORCE_HINT.format(flag=flag) + "\n")
        assert plan(capsys, flag, str(target), "--force")[0] == 0
        assert target.read_text() != content


@pytest.mark.parametrize("name", ["organization.yaml", "Pulumi.yaml", "Pulumi.bootstrap.yaml",
                                  "team.local.yml"])
def test_config_files_are_refused_even_with_force(capsys, tmp_path, name):
    target = tmp_path / name
    code, _, err = plan(capsys, "--json", str(target), "--force")
    assert code == 2 and not target.exists()
    assert "that is a file the config or Pulumi reads, never an output." in err


def test_the_config_itself_and_its_policy_files_are_refused(capsys, tmp_path):
    """Whatever they are called: the loader read them."""
    config = tmp_path / "org.yml"
    policy = tmp_path / "admin.json"
    data = yaml.safe_load(EXAMPLE.read_text())
    data["sso"]["policies"]["extra"] = {"name": "Extra", "document_file": "admin.json"}
    config.write_text(yaml.safe_dump(data))
    document = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", ' \
               '"Resource": "*"}]}'
    policy.write_text(document)
    for target in (config, policy):
        code = main(["plan", str(config), "--no-local", "--json", str(target), "--force"])
        assert code == 2 and "never an output" in capsys.readouterr().err
    assert policy.read_text() == document


def test_previous_outputs_are_replaced_without_force(capsys, tmp_path):
    report, chart = tmp_path / "plan.json", tmp_path / "org.md"
    for _ in range(2):
        code, _, err = plan(capsys, "--json", str(report), "--diagram", str(chart))
        assert code == 0, err
    assert json.loads(report.read_text())["resources"]
    assert not list(tmp_path.glob(".*lz-tmp"))


@pytest.mark.parametrize(("where", "message"), [
    pytest.param("missing/plan.json", "{path}: {parent} does not exist.", id="missing-folder"),
    pytest.param("file/plan.json", "{path}: {parent} is a file, not a folder.", id="under-a-file"),
    pytest.param("folder", "{path} is a folder.", id="a-folder"),
])
def test_unusable_output_paths_are_usage_errors_before_the_plan_runs(capsys, tmp_path, where,
                                                                     message):
    (tmp_path / "file").write_text("x")
    (tmp_path / "folder").mkdir()
    path = tmp_path / where
    code, out, err = plan(capsys, "--json", str(path))
    assert code == 2 and out == ""  # nothing printed: the plan never ran
    assert err.startswith("error: --json " + message.format(path=path, parent=path.parent))


def test_the_diagram_marker_plan_recognises_is_the_one_charts_carry():
    from cli.commands.plan import DIAGRAM
    from cli.plan.diagram import DIAGRAM_MARKER
    assert DIAGRAM.is_previous(f"flowchart TD\n  {DIAGRAM_MARKER}\n")
    assert not DIAGRAM.is_previous("flowchart TD\n  a --> b\n")


def test_validate_does_not_import_pulumi():
    """`./lz validate` runs on every pull request: the Pulumi SDK is `./lz plan`'s cost only."""
    import subprocess
    import sys
    code = ("import sys; from cli.main import main; main(['validate', '--no-local']); "
            "print(sorted(m for m in ('pulumi', 'pulumi_aws', 'components') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=EXAMPLE.parents[1], check=True)
    assert result.stdout.splitlines()[-1] == "[]"


PS_ARN = "arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-{}"


@pytest.mark.parametrize(("ids", "code", "expected"), [
    # one instance, as `./lz import` writes it: the plan adopts every set in that instance
    ({"admin": PS_ARN.format("1234567890abcdef"), "deployer": PS_ARN.format("abcdef1234567890")},
     0, "ssoins-1234567890abcdef"),
    # two instances: the program refuses, and so does the plan, with the program's message
    ({"admin": PS_ARN.format("1234567890abcdef"),
      "deployer": PS_ARN.format("abcdef1234567890").replace("ssoins-1234", "ssoins-9999")},
     2, "error: the program stopped: sso.permission_sets.deployer.id ("),
])
def test_plan_of_adopted_permission_sets(tmp_path, capsys, ids, code, expected):
    """Issue 11, item 12: the offline instance follows the config; a program error is a clean
    message and exit 2, never a traceback."""
    data = yaml.safe_load(EXAMPLE.read_text())
    for key, arn in ids.items():
        data["sso"]["permission_sets"][key]["id"] = arn
    path = tmp_path / "imported.yaml"
    path.write_text(yaml.safe_dump(data))
    assert main(["plan", str(path), "--json"]) == code
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    if code == 0:
        sets = [r for r in json.loads(captured.out)["resources"]
                if r["type"] == "aws:ssoadmin/permissionSet:PermissionSet"]
        assert {r["import_id"] for r in sets if r["import_id"]} == {
            f"{arn},arn:aws:sso:::instance/{expected}" for arn in ids.values()}
    else:
        assert captured.err.startswith(expected)
        assert "hint: `pulumi up` would stop the same way" in captured.err


def test_says_what_stays_off_without_a_security_tooling_account(capsys, tmp_path):
    data = yaml.safe_load(EXAMPLE.read_text())
    del data["organization"]["key_accounts"]["security_tooling"]
    path = tmp_path / "organization.yaml"
    path.write_text(yaml.safe_dump(data))
    assert main(["plan", str(path), "--no-local"]) == 0
    out = capsys.readouterr().out
    assert ("warning LZ608: No security tooling account: GuardDuty, Security Hub, AWS Config, "
            "IAM Access Analyzer stay off. Name one under "
            "organization.key_accounts.security_tooling (a member account), or turn them off "
            "under security_baseline to silence this (docs/security-services.md).") in out
    assert "LZ608" not in plan(capsys)[1]  # the example names one
