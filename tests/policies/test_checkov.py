"""checkov's AWS checks over what `pulumi up` would create: the example organization and the
example with every optional feature on, written as Terraform plans (`./lz plan
--terraform-plan`, cli/plan/terraform_plan.py) and scanned with `--framework terraform_plan`.

Every check that fails must be listed, with its reason, in docs/static-analysis.md, and every
check listed there must still fail: the table is the exact set. A few checks must pass, which
proves checkov sees the resources and their links (keys, log groups, public access blocks).

checkov lives in a virtualenv of its own (its pins conflict with ours): `./lz test` installs it
into venv/checkov/ from requirements-checkov.txt and names it in LZ_CHECKOV.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import pytest

from cli.plan import make_plan, terraform_plan
from config import DEFAULT_CONFIG, load

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "static-analysis.md"
LOCAL_CHECKOV = ROOT / "venv" / "checkov" / "bin" / "checkov"
CHECK_ID = re.compile(r"`(CKV2?_AWS_\d+)`")
SCENARIOS = {
    "example": None,
    "everything-on": {"audit_logging": {
        "cloudwatch_logs": {"enabled": True}, "readers": ["shared_services"],
        "data_events": ["AWS::S3::Object"], "object_lock": {"mode": "GOVERNANCE", "days": 30}},
        "guardrails": {"builtin": {"deny_unapproved_regions": "ou:workloads"},
                       "allowed_regions": ["us-east-1", "eu-west-1"]}},
}
# Check id -> resources it must pass on (in some scenario): proof the scan sees them.
MUST_PASS = {
    "CKV_AWS_7": {"aws_kms_key.audit-key", "aws_kms_key.state-backend-key",
                  "aws_kms_key.audit-log-group-key"},               # key rotation
    "CKV_AWS_33": {"aws_kms_key.audit-key"},                        # no wildcard principal
    "CKV_AWS_35": {"aws_cloudtrail.audit-trail"},                   # trail encrypted with a CMK
    "CKV_AWS_36": {"aws_cloudtrail.audit-trail"},                   # log file validation
    "CKV_AWS_67": {"aws_cloudtrail.audit-trail"},                   # every region
    "CKV2_AWS_10": {"aws_cloudtrail.audit-trail"},                  # CloudWatch Logs, when on
    "CKV_AWS_158": {"aws_cloudwatch_log_group.audit-log-group"},    # log group encrypted (KMS)
    "CKV2_AWS_6": {"aws_s3_bucket.audit-bucket", "aws_s3_bucket.state-backend-bucket",
                   "aws_s3_bucket.access-logs-master-us-east-1"},   # bucket public access block
}


def checkov() -> Path:
    named = os.environ.get("LZ_CHECKOV")
    if named:
        return Path(named)  # ./lz test installed it: it must run
    if not LOCAL_CHECKOV.exists():
        pytest.skip("checkov is not installed: run the suite with `./lz test`, which installs "
                    "requirements-checkov.txt into venv/checkov/")
    return LOCAL_CHECKOV


@lru_cache(maxsize=None)
def scan(scenario: str, directory: str) -> dict[str, dict[str, set[str]]]:
    """{"passed"|"failed": {check id: resources}} for one scenario."""
    config = load(DEFAULT_CONFIG, overrides=SCENARIOS[scenario], use_local=False).config
    path = Path(directory) / f"{scenario}.tfplan.json"
    path.write_text(json.dumps(terraform_plan(make_plan(config, preview=False))),
                    encoding="utf-8")
    # --skip-download: nothing is fetched from the vendor's platform (no network here).
    run = subprocess.run(
        [str(checkov()), "-f", str(path), "--framework", "terraform_plan", "--output", "json",
         "--compact", "--skip-download"],
        capture_output=True, text=True, timeout=600, cwd=directory,
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE"})
    assert run.returncode in (0, 1), run.stderr[-2000:]  # 1: some check failed
    results = json.loads(run.stdout)["results"]
    out: dict[str, dict[str, set[str]]] = {}
    for kind in ("passed", "failed"):
        found: dict[str, set[str]] = defaultdict(set)
        for check in results[f"{kind}_checks"]:
            found[check["check_id"]].add(check["resource"])
        out[kind] = dict(found)
    return out


def listed_checks(markdown: str) -> set[str]:
    """Check ids in the first cell of the table rows of the doc."""
    return {check for line in markdown.splitlines() if line.startswith("| `CKV")
            for check in CHECK_ID.findall(line.split("|")[1])}


@pytest.fixture(scope="module")
def scans(tmp_path_factory) -> dict[str, dict[str, dict[str, set[str]]]]:
    directory = str(tmp_path_factory.mktemp("checkov"))
    return {name: scan(name, directory) for name in SCENARIOS}


def test_every_failed_check_is_listed_with_its_reason_and_nothing_else(scans):
    failed = {check for result in scans.values() for check in result["failed"]}
    listed = listed_checks(DOC.read_text(encoding="utf-8"))
    detail = {check: sorted(set().union(*(r["failed"].get(check, set()) for r in scans.values())))
              for check in failed - listed}
    assert failed - listed == set(), f"fix these or list them in {DOC.name}: {detail}"
    assert listed - failed == set(), f"these pass now: remove them from {DOC.name}"


def test_the_scan_sees_keys_trails_log_groups_and_bucket_settings(scans):
    for check, resources in MUST_PASS.items():
        passed = set().union(*(r["passed"].get(check, set()) for r in scans.values()))
        assert resources <= passed, (check, resources - passed)
