"""Properties: the YAML's key order never changes the resolved config or its problems, and
token expansion of any token graph either settles (acyclic) or reports the one cycle (LZ110).

Logical names come from keys, never positions (DESIGN.md section 4): a reordered file must
build exactly the same organization.
"""

from __future__ import annotations

import functools
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from config import ConfigError, Loaded, load
from config.assignments import assignments, customer_policy_refs
from config.naming import longest_access_log_bucket_name, state_bucket_name
from config.topology import managed_accounts, member_accounts, ou_order

PROPERTY = settings(max_examples=50, deadline=None)
# libyaml when PyYAML has it: the pure-Python reader and writer dominate these tests' time.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@st.composite
def reordered(draw, data: Any) -> Any:
    """The same data with every mapping's keys in a drawn order (lists keep theirs: their
    order is meaningful)."""

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            keys = draw(st.permutations(list(node))) if len(node) > 1 else list(node)
            return {key: walk(node[key]) for key in keys}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    return walk(data)


def load_data(data: Any) -> Loaded:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "organization.yaml"
        path.write_text(yaml.dump(data, Dumper=DUMPER, sort_keys=False), encoding="utf-8")
        return load(path, use_local=False)


def problems_of(data: Any) -> list[tuple[str, str, str]]:
    """Problems without their lines (which move with the keys)."""
    try:
        loaded = load_data(data)
    except ConfigError as exc:
        return sorted((p.code, p.path, p.message) for p in exc.problems)
    return sorted((p.code, p.path, p.message) for p in loaded.warnings)


def resolved(loaded: Loaded) -> dict[str, Any]:
    """The model plus every ordered view the program builds from it."""
    config = loaded.config
    return {
        "model": config.model_dump(),
        "ou_order": ou_order(config),
        "assignments": assignments(config),
        "customer_policies": {ps: customer_policy_refs(config, ps)
                              for ps in config.sso.permission_sets},
        "managed": managed_accounts(config),
        "members": member_accounts(config),
        "buckets": [state_bucket_name(config), longest_access_log_bucket_name(config)],
        "warnings": sorted((w.code, w.path, w.message) for w in loaded.warnings),
    }


@functools.cache
def original(path: Path) -> tuple[Any, dict[str, Any]]:
    """A file's data and what it resolves to, read once per run."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)
    return data, resolved(load_data(data))


@PROPERTY
@given(st.data())
def test_reordering_the_example_changes_nothing(example_path, data):
    source, expected = original(example_path)
    assert resolved(load_data(data.draw(reordered(source)))) == expected


@PROPERTY
@given(st.data())
def test_reordering_the_metastructure_file_changes_nothing(metastructure_path, data):
    source, expected = original(metastructure_path)
    assert resolved(load_data(data.draw(reordered(source)))) == expected


BROKEN = {
    "organization": {"aws_region": "us-east-1", "key_accounts": {"master": "master", "log": "logz"},
                     "tokens": {"namespace": "acme", "mail": "ops@example.com"}},
    "organizational_units": {"a": {"name": "Same", "parent": "c"}, "b": {"name": "B", "parent": "a"},
                             "c": {"name": "C", "parent": "b"}, "d": {"name": "Same"},
                             "e": {"name": "Same"}, "f": {"name": "F", "parent": "ghost"}},
    "accounts": {
        "master": {"name": "Management", "email": "root@example.com"},
        "x_y": {"name": "Twin", "email": "{{organization.tokens.mail}}", "organizational_unit": "d"},
        "x-y": {"name": "Twin", "email": "{{organization.tokens.mail}}", "organizational_unit": "dd"},
    },
    "sso": {"groups": {"g1": {"name": "G", "account_permission_sets": {"x-y": "p", "xy": "q"}},
                       "g2": {"name": "G", "account_permission_sets": "p"}},
            "permission_sets": {"p": {"name": "P", "policies": ["ReadOnlyAccess", "polcy"]}},
            "policies": {"policy": {"name": "Policy"}}},
    "state_backend": {"bucket": "acme-s3-access-logs-111111111111-us-east-1"},
}


@PROPERTY
@given(st.data())
def test_reordering_a_broken_file_reports_the_same_problems(data):
    """Duplicates are reported against the same first owner, cycles from the same OU."""
    expected = problems_of(BROKEN)
    assert {code for code, _, _ in expected} == {
        "LZ201", "LZ202", "LZ203", "LZ204", "LZ205", "LZ206", "LZ207", "LZ301", "LZ302", "LZ303",
        "LZ304", "LZ305"}
    assert problems_of(data.draw(reordered(BROKEN))) == expected


# --- token graphs --------------------------------------------------------------------------

NAMES = st.lists(st.from_regex(r"[a-z0-9_]{1,6}", fullmatch=True), min_size=1, max_size=8,
                 unique=True)
LITERAL = st.text(alphabet="xyz-. ", max_size=4)
TOKEN = "{{{{organization.tokens.{}}}}}"


@st.composite
def token_graph(draw) -> tuple[list[str], dict[str, list[str | int]]]:
    """Names and, per name, parts: a literal string or the index of a later token (acyclic)."""
    names = draw(NAMES)
    graph: dict[str, list[str | int]] = {}
    for index, name in enumerate(names):
        refs = st.integers(index + 1, len(names) - 1) if index + 1 < len(names) else st.nothing()
        graph[name] = draw(st.lists(st.one_of(LITERAL, refs), max_size=4))
    return names, graph


def text_of(names: list[str], parts: list[str | int]) -> str:
    return "".join(TOKEN.format(names[p]) if isinstance(p, int) else p for p in parts)


def expected_values(names: list[str], graph: dict[str, list[str | int]]) -> dict[str, str]:
    """Reference expansion: the plain recursive meaning of the graph."""
    def value(name: str) -> str:
        return "".join(value(names[p]) if isinstance(p, int) else p for p in graph[name])
    return {name: value(name) for name in names}


def org_with_tokens(tokens: dict[str, str]) -> dict[str, Any]:
    return {"organization": {"aws_region": "us-east-1", "key_accounts": {"master": "master"},
                             "tokens": tokens},
            "accounts": {"master": {"name": "Management", "email": "root@example.com"}}}


@PROPERTY
@given(token_graph(), st.data())
def test_acyclic_token_graphs_expand(graph_data, data):
    names, graph = graph_data
    tokens = {name: text_of(names, graph[name]) for name in data.draw(st.permutations(names))}
    loaded = load_data(org_with_tokens(tokens))
    assert loaded.config.organization.tokens == expected_values(names, graph)


@PROPERTY
@given(token_graph(), st.data())
def test_token_graphs_with_a_cycle_report_it_once(graph_data, data):
    names, graph = graph_data
    first = data.draw(st.integers(0, len(names) - 1))
    last = data.draw(st.integers(first, len(names) - 1))
    for index in range(first, last):  # first -> first+1 -> ... -> last -> first
        graph[names[index]].append(index + 1)
    graph[names[last]].append(first)
    tokens = {name: text_of(names, graph[name]) for name in data.draw(st.permutations(names))}

    try:
        load_data(org_with_tokens(tokens))
    except ConfigError as exc:
        problems = exc.problems
    else:
        raise AssertionError("a token cycle loaded")

    [problem] = problems
    match = re.fullmatch(r"token cycle: (.+)\.", problem.message)
    assert problem.code == "LZ110" and match, problem.render()
    chain = [m.removeprefix("organization.tokens.") for m in match.group(1).split(" -> ")]
    assert chain[0] == chain[-1] == min(chain), problem.render()
    assert problem.path == f"organization.tokens.{chain[0]}"
    assert len(set(chain)) == len(chain) - 1
    for here, there in zip(chain, chain[1:]):  # every step is a real reference
        assert names.index(there) in graph[here], problem.render()
    # Every cycle of this graph uses the one backward reference.
    assert any((names[last], names[first]) == pair for pair in zip(chain, chain[1:]))
