"""Time and memory of `./lz validate` on 1 MB inputs of every shape a hostile or careless file
can take: a large valid organization, one huge string, a long flat list, many unknown keys,
an alias bomb padded to 1 MB, deep nesting, and bytes that are not YAML at all.

    venv/bin/python benchmarks/validate_1mb.py

Each input runs in its own `python -m cli validate` process; the script prints wall time, CPU
time and peak resident memory per input and exits 1 when any exceeds the budget (2 s, 300 MB)
or ends in a traceback. The time budget is checked on CPU time (user + system), which other
work on a shared machine inflates far less than wall time; on an idle machine the two agree.
A benchmark, not a test: the machine decides the numbers.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZE = 1_000_000
BUDGET_SECONDS = 2.0
BUDGET_MB = 300
HEAD = ("organization:\n  aws_region: us-east-1\n  key_accounts: {master: master}\n"
        "accounts:\n  master: {name: Management, email: root@example.com}\n")


def _fill(line_of, head: str = HEAD) -> str:
    """`head` plus numbered lines from `line_of(n)` until the text reaches SIZE."""
    parts, total, n = [head], len(head), 0
    while total < SIZE:
        line = line_of(n)
        parts.append(line)
        total += len(line)
        n += 1
    return "".join(parts)


def _laughs() -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 12)]
    return _fill(lambda n: f"# padding {n:08d}\n", "\n".join(lines) + "\n")


INPUTS = {
    "valid organization": lambda: _fill(
        lambda n: f"  acct_{n:06d}: {{name: Workload {n:06d}, email: owner+{n:06d}@example.com}}\n"),
    "one huge string": lambda: HEAD + "organization_note: '" + "x" * SIZE + "'\n",
    "flat list": lambda: _fill(lambda n: "  - x\n", HEAD + "workspaces:\n  list:\n"),
    "unknown keys": lambda: _fill(lambda n: f"  k{n:07d}: {{name: n, email: e}}\n",
                                  HEAD + "extras:\n"),
    "alias bomb": _laughs,
    "deep nesting": lambda: "a: " + "[" * (SIZE // 2) + "]" * (SIZE // 2) + "\n",
    "binary": lambda: os.urandom(SIZE).decode("latin-1"),
}


def measure(path: Path) -> tuple[float, float, float, int, str]:
    """Wall seconds, CPU seconds, peak MB, exit code and the last line of stderr of one
    validate run."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "cli", "validate", "--no-local", str(path)],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = process.stderr.read()  # drain first, or a long error list blocks the child
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    last = stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
    return (seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
            process.returncode, last[0])


def main() -> int:
    failed = False
    with tempfile.TemporaryDirectory() as directory:
        for name, make in INPUTS.items():
            path = Path(directory) / "organization.yaml"
            path.write_bytes(make().encode("utf-8", errors="surrogateescape")
                             if name != "binary" else make().encode("latin-1"))
            seconds, cpu, megabytes, code, last = measure(path)
            over = (cpu > BUDGET_SECONDS or megabytes > BUDGET_MB
                    or "Traceback" in last or code not in (0, 2))
            failed |= over
            print(f"{'OVER' if over else 'ok  '} {name:20} {seconds:5.2f} s wall {cpu:5.2f} s "
                  f"CPU {megabytes:6.0f} MB "
                  f"exit {code}  {last[:90]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
