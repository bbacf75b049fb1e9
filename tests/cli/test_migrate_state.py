"""`./lz migrate-state` with a stand-in `pulumi` (conftest.FAKE_PULUMI): the calls it makes, the
state it moves, and above all that a failure at any step leaves the local state and the project
files byte for byte as they were."""

from __future__ import annotations

import json

import pytest

from cli.main import main
from cli.state_migration import StateSummary, compare, summarize, with_backend_url

TARGET = "s3://acme-pulumi-state?region=us-east-1&awssdk=v2"
KMS = "awskms://alias/acme-pulumi-state-landing-zone?region=us-east-1"


@pytest.fixture
def local(fake_pulumi, stack_deployment):
    """The local stack after the first `pulumi up`, and a snapshot of everything local."""
    state = fake_pulumi.seed(stack_deployment())
    return state


def snapshot(fake_pulumi) -> dict[str, bytes]:
    """Every byte a failed migration must leave alone."""
    files = [fake_pulumi.state(), fake_pulumi.project / "Pulumi.yaml",
             fake_pulumi.project / "Pulumi.bootstrap.yaml"]
    return {str(path): path.read_bytes() for path in files}


def migrate(config_path, fake_pulumi, *extra: str) -> int:
    return main(["migrate-state", str(config_path), "--cwd", str(fake_pulumi.project), *extra])


def test_moves_the_stack_and_points_the_project_at_s3(config_path, fake_pulumi, local, capsys):
    before = json.loads(local.read_bytes())
    local_bytes = local.read_bytes()
    assert migrate(config_path, fake_pulumi) == 0
    out = capsys.readouterr().out
    assert f"stack bootstrap moved to {TARGET}: 4 resources, every URN unchanged; secrets " \
           f"encrypted with {KMS}." in out
    assert fake_pulumi.commands() == [
        "version", "stack export file", "stack ls s3", "stack init s3", "stack import s3",
        "stack change-secrets-provider s3", "stack export s3"]
    init = fake_pulumi.calls()[3]["argv"]
    assert init == ["stack", "init", "bootstrap", "--secrets-provider", "passphrase"]
    assert fake_pulumi.calls()[5]["argv"][:3] == ["stack", "change-secrets-provider", KMS]
    assert all(c["cwd"] == str(fake_pulumi.project) for c in fake_pulumi.calls())
    # the local stack was only read
    assert local.read_bytes() == local_bytes
    moved = json.loads(fake_pulumi.state(backend="s3/acme-pulumi-state").read_text())
    assert [r["urn"] for r in moved["deployment"]["resources"]] == \
        [r["urn"] for r in before["deployment"]["resources"]]
    assert moved["deployment"]["secrets_providers"]["state"]["url"] == KMS
    project = (fake_pulumi.project / "Pulumi.yaml").read_text()
    assert project.endswith(f"backend:\n  url: {TARGET}\n")
    assert project.startswith("name: landing-zone\n")
    stack_yaml = (fake_pulumi.project / "Pulumi.bootstrap.yaml").read_text()
    assert stack_yaml.startswith(f"secretsprovider: {KMS}\nencryptedkey: a2V5\n")
    assert "aws:profile: bootstrap-admin" in stack_yaml
    [backup] = (fake_pulumi.project / ".lz" / "backups").iterdir()
    assert sorted(p.name for p in backup.iterdir()) == [
        "Pulumi.bootstrap.yaml", "Pulumi.yaml", "bootstrap.export.json", "bootstrap.migrated.json"]
    assert (backup / "Pulumi.bootstrap.yaml").read_text().startswith("encryptionsalt: v1:OLD")


def test_profile_reaches_the_backend_url_and_the_kms_provider(config_path, fake_pulumi, local):
    assert migrate(config_path, fake_pulumi, "--profile", "acme-shared-services-admin") == 0
    s3_calls = [c for c in fake_pulumi.calls() if c["backend"].startswith("s3")]
    assert {c["backend"] for c in s3_calls} == {f"{TARGET}&profile=acme-shared-services-admin"}
    assert {c["aws_profile"] for c in s3_calls} == {"acme-shared-services-admin"}
    # the project file names no personal profile
    assert (fake_pulumi.project / "Pulumi.yaml").read_text().endswith(f"url: {TARGET}\n")


@pytest.mark.parametrize("command, at, stops_after", [
    ("stack export", "file", "stack export file"),
    ("stack ls", "s3", "stack ls s3"),
    ("stack init", "s3", "stack init s3"),
    ("stack import", "s3", "stack import s3"),
    ("stack change-secrets-provider", "s3", "stack change-secrets-provider s3"),
    ("stack export", "s3", "stack export s3"),
])
def test_a_failing_step_leaves_everything_local_untouched(config_path, fake_pulumi, local, capsys,
                                                          command, at, stops_after):
    untouched = snapshot(fake_pulumi)
    fake_pulumi.fail(command, at)
    assert migrate(config_path, fake_pulumi) == 1
    err = capsys.readouterr().err
    assert f"simulated failure of `pulumi {command}`" in err
    assert snapshot(fake_pulumi) == untouched
    commands = fake_pulumi.commands()
    assert stops_after in commands
    created = "stack init s3" in commands and stops_after != "stack init s3"
    # a half-made S3 stack is removed again, keeping the (restored) stack config file
    assert ("stack rm s3" in commands) == created
    if created:
        assert fake_pulumi.calls()[-1]["argv"] == ["stack", "rm", "bootstrap", "--yes", "--force",
                                                   "--preserve-config"]
        assert not fake_pulumi.state(backend="s3/acme-pulumi-state").exists()
    assert "Traceback" not in err


def test_failing_import_message_names_the_step_and_the_backup(config_path, fake_pulumi, local,
                                                              capsys):
    fake_pulumi.fail("stack import", "s3")
    assert migrate(config_path, fake_pulumi) == 1
    err = capsys.readouterr().err
    assert "error: state migration stopped: `pulumi stack import --stack bootstrap --file " in err
    assert "failed (exit 255): error: simulated failure of `pulumi stack import`" in err
    assert "hint: The local stack was not changed and the project files were restored; the " \
           "backup is in " in err


def test_a_resource_lost_in_the_import_is_refused(config_path, fake_pulumi, local, capsys,
                                                  monkeypatch):
    untouched = snapshot(fake_pulumi)
    monkeypatch.setenv("FAKE_PULUMI_DROP", "1")
    assert migrate(config_path, fake_pulumi) == 1
    err = capsys.readouterr().err
    assert ("the migrated state differs: 4 resources before, 3 after; 1 URN(s) missing after "
            "the import: urn:pulumi:bootstrap::landing-zone::aws:s3/bucket:Bucket::state.") in err
    assert snapshot(fake_pulumi) == untouched
    assert not fake_pulumi.state(backend="s3/acme-pulumi-state").exists()


def test_without_the_passphrase_nothing_is_created(config_path, fake_pulumi, local, capsys,
                                                   monkeypatch):
    monkeypatch.delenv("PULUMI_CONFIG_PASSPHRASE")
    assert migrate(config_path, fake_pulumi) == 1
    assert "neither PULUMI_CONFIG_PASSPHRASE nor PULUMI_CONFIG_PASSPHRASE_FILE is set" in \
        capsys.readouterr().err
    assert fake_pulumi.commands() == ["version", "stack export file"]


def test_an_empty_local_stack_is_refused(config_path, fake_pulumi, capsys):
    fake_pulumi.seed({"version": 3, "deployment": {"manifest": {}, "resources": []}})
    assert migrate(config_path, fake_pulumi) == 1
    assert "has no resources: there is nothing to move" in capsys.readouterr().err


def test_running_again_after_success_changes_nothing(config_path, fake_pulumi, local, capsys):
    assert migrate(config_path, fake_pulumi) == 0
    first = (fake_pulumi.project / "Pulumi.yaml").read_text()
    capsys.readouterr()
    assert migrate(config_path, fake_pulumi, "--json") == 0
    result = json.loads(capsys.readouterr().out)
    assert result["already_migrated"] is True and result["resources"] == 4
    assert "stack init s3" not in fake_pulumi.commands()[7:]
    assert (fake_pulumi.project / "Pulumi.yaml").read_text() == first


def test_a_different_stack_already_in_s3_is_refused(config_path, fake_pulumi, local, capsys,
                                                    stack_deployment):
    fake_pulumi.seed(stack_deployment({}, "aws:s3/bucket:Bucket::other"),
                     backend="s3/acme-pulumi-state")
    untouched = snapshot(fake_pulumi)
    assert migrate(config_path, fake_pulumi) == 1
    err = capsys.readouterr().err
    assert "stack bootstrap already exists in s3://acme-pulumi-state" in err
    assert "pulumi stack rm bootstrap --force --preserve-config" in err
    assert snapshot(fake_pulumi) == untouched
    assert "stack init s3" not in fake_pulumi.commands()


def test_missing_pulumi_cli_exits_4_with_install_hint(config_path, fake_pulumi, local, capsys,
                                                      monkeypatch, tmp_path):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert migrate(config_path, fake_pulumi) == 4
    err = capsys.readouterr().err
    assert "error: the pulumi CLI is not installed (no `pulumi` on PATH)." in err
    assert "curl -fsSL https://get.pulumi.com | sh" in err


def test_backend_block_is_replaced_not_duplicated():
    text = "name: x\nbackend:\n  url: file://~\n# keep me\nruntime: python\n"
    assert with_backend_url(text, "s3://b") == \
        "name: x\nbackend:\n  url: s3://b\n# keep me\nruntime: python\n"
    assert with_backend_url("name: x", "s3://b") == "name: x\nbackend:\n  url: s3://b\n"


def test_compare_reports_counts_and_urns():
    before = StateSummary(2, frozenset({"a", "b"}), "passphrase", 0)
    after = StateSummary(2, frozenset({"a", "c"}), KMS, 0)
    assert compare(before, after) == ["1 URN(s) missing after the import: b",
                                      "1 URN(s) new after the import: c"]
    assert summarize({"deployment": {"secrets_providers": {"type": "cloud", "state": {
        "url": KMS}}}}).secrets_provider == KMS
