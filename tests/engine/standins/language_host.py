"""A stand-in for `pulumi-language-python`, the Go language host, for the engine suite only.

Why a stand-in: the Go module proxy these machines reach refuses
`github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3` at every version, so the real
host cannot be built here (the CLI itself is built from pkg/v3, see tests/engine/recipe).

What it does is what the Go host's `Run` does (sdk/python/cmd/pulumi-language-python/main.go,
read at pulumi/pulumi v3.259, not copied): it starts the sdk module's
`pulumi-language-python-exec` with the project's virtualenv python, the same arguments
(`--monitor --engine --project --root_directory --stack --pwd --dry_run --parallel
--organization`, then the entry point and its args), and the same environment (the virtualenv
activated as `ActivateVirtualEnv` does, `PULUMI_CONFIG` and `PULUMI_CONFIG_SECRET_KEYS` as JSON),
and maps exit code 32 to "bail" (the program already showed its error). It lists the
resource plugins installed in the virtualenv (`pulumi-plugin.json`) as required packages.

What it does not do: typecheckers, debuggers, `pulumi new`/`install`/`convert`/`package`
(InstallDependencies, Template, GenerateProject, Pack, Link...): the engine suite never
asks for them, and they answer UNIMPLEMENTED.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from concurrent import futures
from pathlib import Path

import grpc
from google.protobuf import json_format
from pulumi.runtime.proto import language_pb2, language_pb2_grpc, plugin_pb2

EXEC_NAME = "pulumi-language-python-exec"
BAIL_EXIT_CODE = 32  # pulumi-language-python-exec: "an error message was displayed to the user"
VERSION = "3.274.0"


def find_executor() -> str:
    """Beside the host, as the Go host looks; else on PATH (the engine cache's bin)."""
    beside = Path(__file__).resolve().with_name(EXEC_NAME)
    found = str(beside) if beside.exists() else shutil.which(EXEC_NAME)
    if not found:
        sys.exit(f"missing executor {EXEC_NAME}: build the engine (tests/engine/recipe/build.sh)")
    return found


def virtualenv_of(info: language_pb2.ProgramInfo) -> Path | None:
    options = json_format.MessageToDict(info.options)
    venv = options.get("virtualenv")
    if not venv:
        return None
    path = Path(venv)
    return path if path.is_absolute() else Path(info.root_directory) / path


def activated_environment(environ: dict[str, str], venv: Path | None) -> dict[str, str]:
    """The Go toolchain's ActivateVirtualEnv: venv bin first on PATH, no PYTHONHOME."""
    env = dict(environ)
    if venv is None:
        return env
    env.pop("PYTHONHOME", None)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}" if env.get("PATH") else str(venv / "bin")
    env["VIRTUAL_ENV"] = str(venv)
    return env


def run_arguments(request: language_pb2.RunRequest, engine_address: str) -> list[str]:
    """constructArguments of the Go host: only non-empty values are passed."""
    pairs = [("monitor", request.monitor_address), ("engine", engine_address),
             ("project", request.project), ("root_directory", request.info.root_directory),
             ("stack", request.stack), ("pwd", request.pwd),
             ("dry_run", "true" if request.dryRun else "false"),
             ("parallel", str(request.parallel)), ("organization", request.organization)]
    args = [arg for key, value in pairs if value for arg in (f"--{key}", value)]
    return [*args, request.info.entry_point, *request.args]


def installed_resource_plugins(venv: Path | None) -> list[plugin_pb2.PackageDependency]:
    if venv is None:
        return []
    found = []
    for manifest in sorted(venv.glob("lib/python3*/site-packages/*/pulumi-plugin.json")):
        plugin = json.loads(manifest.read_text())
        if plugin.get("resource"):
            found.append(plugin_pb2.PackageDependency(
                name=plugin.get("name") or manifest.parent.name.removeprefix("pulumi_"),
                kind="resource", version=plugin.get("version", ""),
                server=plugin.get("server", "")))
    return found


class LanguageHost(language_pb2_grpc.LanguageRuntimeServicer):
    def __init__(self, executor: str, engine_address: str):
        self.executor, self.engine_address = executor, engine_address

    def GetPluginInfo(self, request, context):
        return plugin_pb2.PluginInfo(version=VERSION)

    def GetRequiredPackages(self, request, context):
        return language_pb2.GetRequiredPackagesResponse(
            packages=installed_resource_plugins(virtualenv_of(request.info)))

    def GetRequiredPlugins(self, request, context):
        return language_pb2.GetRequiredPluginsResponse(plugins=[
            plugin_pb2.PluginDependency(name=p.name, kind=p.kind, version=p.version, server=p.server)
            for p in installed_resource_plugins(virtualenv_of(request.info))])

    def Run(self, request, context):
        venv = virtualenv_of(request.info)
        python = str(venv / "bin" / "python") if venv else "python3"
        env = activated_environment(dict(os.environ), venv)
        if request.config:
            env["PULUMI_CONFIG"] = json.dumps(dict(request.config))
        env["PULUMI_CONFIG_SECRET_KEYS"] = json.dumps(list(request.configSecretKeys))
        # The program's output goes where the host's goes: the engine reads it.
        completed = subprocess.run([python, self.executor, *run_arguments(request, self.engine_address)],
                                   env=env, check=False)
        if completed.returncode == 0:
            return language_pb2.RunResponse()
        if completed.returncode == BAIL_EXIT_CODE:
            return language_pb2.RunResponse(bail=True)
        return language_pb2.RunResponse(
            error=f"program exited with non-zero exit code: {completed.returncode}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tracing", "-tracing", default="")
    parser.add_argument("engine", nargs="?", default="")
    args, _ = parser.parse_known_args()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4),
                         options=[("grpc.max_receive_message_length", 400 * 1024 * 1024)])
    language_pb2_grpc.add_LanguageRuntimeServicer_to_server(
        LanguageHost(find_executor(), args.engine), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(port, flush=True)
    try:
        server.wait_for_termination()
    except KeyboardInterrupt:  # the engine stops its plugins with SIGINT: a normal end
        server.stop(grace=None)


if __name__ == "__main__":
    main()
