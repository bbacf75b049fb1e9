"""How long `config.load` takes on a large organization: 5,000 accounts, nested OUs, groups
with every kind of target, users, emails built from tokens, and a local override file that
sets every account's email (template mode at scale: the merge must stay linear).

    venv/bin/python benchmarks/validate_5000.py [--accounts N] [--no-local]

Prints the best of three loads in seconds and exits 1 above the budget (two seconds), so
`./lz validate` and `pulumi preview` stay interactive on big organizations.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere

from config import load  # noqa: E402  (after the path set-up above)

BUDGET_SECONDS = 2.0
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
EMAIL = ("{{organization.tokens.owner}}+{{organization.tokens.namespace}}-%s"
         "@{{organization.tokens.domain}}")


def organization(accounts: int) -> dict:
    """A valid org of `accounts` accounts: 10 top-level OUs, 5 children each, 3 grandchildren
    under each child (210 OUs), 40 groups, 20 permission sets, one user per 5 accounts."""
    ous: dict[str, dict] = {"security": {"name": "Security"}, "infrastructure": {"name": "Infrastructure"}}
    leaves: list[str] = []
    for top in range(10):
        ous[f"bu{top}"] = {"name": f"Business Unit {top}"}
        for child in range(5):
            ous[f"bu{top}_env{child}"] = {"name": f"Env {child}", "parent": f"bu{top}"}
            for grandchild in range(3):
                key = f"bu{top}_env{child}_team{grandchild}"
                ous[key] = {"name": f"Team {grandchild}", "parent": f"bu{top}_env{child}"}
                leaves.append(key)

    account_map: dict[str, dict] = {
        "master": {"name": "Management", "email": EMAIL % "master"},
        "log_archive": {"name": "Log Archive", "email": EMAIL % "log_archive",
                        "organizational_unit": "security"},
        "shared_services": {"name": "Shared Services", "email": EMAIL % "shared_services",
                            "organizational_unit": "infrastructure"},
    }
    for index in range(accounts - len(account_map)):
        key = f"acct_{index:05d}"
        account_map[key] = {"name": f"Workload {index:05d}", "email": EMAIL % key,
                            "organizational_unit": leaves[index % len(leaves)],
                            "tags": {"cost-center": f"cc{index % 97}"}}

    permission_sets = {f"ps{i}": {"name": f"PermissionSet{i}", "session_duration": "PT4H",
                                  "policies": ["ReadOnlyAccess", "state_writer"]}
                       for i in range(20)}
    groups: dict[str, dict] = {"admins": {"name": "Admins", "account_permission_sets": "ps0"}}
    for i in range(1, 40):
        groups[f"group{i}"] = {"name": f"Group {i}", "account_permission_sets": {
            f"ou:bu{i % 10}": [f"ps{i % 20}", f"ps{(i + 1) % 20}"],
            f"acct_{i:05d}": f"ps{(i + 2) % 20}",
        }}
    users = {f"user{i}": {"email": f"user{i}@example.com", "display_name": f"User {i}",
                          "name": {"given_name": "User", "family_name": str(i)},
                          "groups": [f"group{1 + i % 39}", f"group{1 + (i + 7) % 39}"]}
             for i in range(accounts // 5)}
    users["user0"]["groups"] = ["admins"]
    return {
        "organization": {"aws_region": "us-east-1",
                         "key_accounts": {"master": "master", "log_archive": "log_archive",
                                          "terraform_state": "shared_services"},
                         "tokens": {"owner": "platform", "domain": "example.com", "namespace": "big"}},
        "organizational_units": ous,
        "accounts": account_map,
        "sso": {"groups": groups, "permission_sets": permission_sets,
                "policies": {"state_writer": {"name": "StateWriter", "document": {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}},
                "users": users},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=5000)
    parser.add_argument("--no-local", dest="local", action="store_false",
                        help="without the local override file")
    args = parser.parse_args(argv)
    org = organization(args.accounts)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "organization.yaml"
        path.write_text(yaml.dump(org, Dumper=DUMPER, sort_keys=False), encoding="utf-8")
        if args.local:
            local = {"accounts": {key: {"email": f"aws+{key}@corp.example"} for key in org["accounts"]}}
            path.with_name("organization.local.yaml").write_text(
                yaml.dump(local, Dumper=DUMPER, sort_keys=False), encoding="utf-8")
        timings = []
        for _ in range(3):
            start = time.perf_counter()
            loaded = load(path)
            timings.append(time.perf_counter() - start)
        config = loaded.config
        size = sum(Path(f).stat().st_size for f in loaded.files)
    best = min(timings)
    print(f"{len(config.accounts)} accounts, {len(config.organizational_units)} OUs, "
          f"{len(config.sso.groups)} groups, {len(config.sso.users)} users, "
          f"{len(loaded.files)} file(s), {size / 1e6:.1f} MB of YAML; best of 3 loads, seconds:",
          file=sys.stderr, flush=True)
    print(f"{best:.3f}")
    if best >= BUDGET_SECONDS:
        print(f"over budget: {best:.3f}s >= {BUDGET_SECONDS}s", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
