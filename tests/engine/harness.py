"""The engine suite's machinery: a moto server, a sealed environment, a project copy, the CLI.

Nothing here may reach the network: every AWS SDK (boto3 in the program's readiness gates, in
the stand-in provider and in `./lz`; aws-sdk-go-v2 in the CLI's S3 backend and awskms) is sent
to the moto server on 127.0.0.1 by `AWS_ENDPOINT_URL`, plugins are never downloaded, the update
check is off, and `PULUMI_HOME` is a temporary directory.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
STANDINS_BIN = Path(__file__).resolve().parent / "standins" / "bin"
ENGINE_BIN_ENV = "LZ_ENGINE_BIN"
PROFILE = "bootstrap-admin"
REGION = "us-east-1"
PASSPHRASE = "engine-suite-passphrase"
PROJECT_FILES = ("Pulumi.yaml", "Pulumi.bootstrap.yaml", "__main__.py", "requirements.txt")
PROJECT_DIRS = ("components", "config", "cli", "landing_zone_outputs")
FIXTURE = Path("shared") / "fixtures" / "metastructure" / "metastructure.yml"


def metastructure_fixture() -> Path:
    """/work/shared/fixtures beside a clone (/work/main) or beside the worktrees (/work/wt/x)."""
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / FIXTURE).exists():
            return base / FIXTURE
    # As the unit suite does (tests/config/conftest.py): a clone without shared/ skips it.
    pytest.skip(f"the Metastructure fixture ({FIXTURE}) is not beside this checkout (it lives "
                "in the shared folder next to the repository)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Moto:
    """A moto server on 127.0.0.1, reset between scenarios."""

    endpoint: str

    def reset(self) -> None:
        requests.post(f"{self.endpoint}/moto-api/reset", timeout=120).raise_for_status()

    def session(self, **credentials: str) -> boto3.Session:
        return boto3.Session(region_name=REGION, aws_access_key_id=credentials.get("key", "testing"),
                             aws_secret_access_key="testing")

    def client(self, service: str):
        return self.session().client(service, endpoint_url=self.endpoint)


def sealed_environment(home: Path, moto: Moto, engine_bin: Path) -> dict[str, str]:
    """The only environment the CLI, the language host and every plugin see."""
    aws_dir, state_dir = home / "aws", home / "state"
    aws_dir.mkdir(parents=True, exist_ok=True)
    state_dir.mkdir(parents=True, exist_ok=True)
    (aws_dir / "config").write_text(f"[profile {PROFILE}]\nregion = {REGION}\n")
    (aws_dir / "credentials").write_text(
        f"[{PROFILE}]\naws_access_key_id = testing\naws_secret_access_key = testing\n"
        "[default]\naws_access_key_id = testing\naws_secret_access_key = testing\n")
    return {
        "PATH": os.pathsep.join([str(STANDINS_BIN), str(engine_bin), str(ROOT / "venv" / "bin"),
                                 "/usr/local/bin", "/usr/bin", "/bin"]),
        "HOME": str(home),
        "PULUMI_HOME": str(home / "pulumi-home"),
        "PULUMI_BACKEND_URL": f"file://{state_dir}",
        "PULUMI_SKIP_UPDATE_CHECK": "1",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
        "PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK": "true",
        "AWS_ENDPOINT_URL": moto.endpoint,
        "AWS_CONFIG_FILE": str(aws_dir / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(aws_dir / "credentials"),
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_EC2_METADATA_DISABLED": "true",
        # aws-sdk-go-v2 checksums trip S3 emulators (DESIGN.md section 6).
        "AWS_REQUEST_CHECKSUM_CALCULATION": "when_required",
        "AWS_RESPONSE_CHECKSUM_VALIDATION": "when_required",
        "NO_PROXY": "127.0.0.1,localhost",
        "LANG": "C.UTF-8",
    }


def copy_project(destination: Path) -> Path:
    """The program in a scratch directory, so stack files never land in the checkout."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, destination / name)
    for name in PROJECT_DIRS:
        shutil.copytree(ROOT / name, destination / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.local.yaml"))
    (destination / "venv").symlink_to(ROOT / "venv")
    return destination


@dataclass
class Result:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@dataclass
class Engine:
    """Runs `pulumi` (and `./lz`) in the project copy with the sealed environment."""

    project: Path
    env: dict[str, str]
    log: list[Result] = field(default_factory=list)

    def run(self, *args: str, check: bool = True, timeout: float = 1800,
            env: dict[str, str] | None = None) -> Result:
        completed = subprocess.run(list(args), cwd=self.project, env={**self.env, **(env or {})},
                                   capture_output=True, text=True, timeout=timeout, check=False)
        result = Result(list(args), completed.returncode, completed.stdout, completed.stderr)
        self.log.append(result)
        if check and completed.returncode != 0:
            raise AssertionError(f"{' '.join(args)} exited {completed.returncode}\n"
                                 f"--- stdout\n{completed.stdout[-20000:]}\n"
                                 f"--- stderr\n{completed.stderr[-20000:]}")
        return result

    def pulumi(self, *args: str, **kwargs: Any) -> Result:
        return self.run("pulumi", *args, "--non-interactive", **kwargs)

    def lz(self, *args: str, **kwargs: Any) -> Result:
        return self.run(str(ROOT / "venv" / "bin" / "python"), "-m", "cli", *args, **kwargs)
