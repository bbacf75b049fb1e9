"""YAML reading: positions of every key, and the syntax problems PyYAML would hide or garble."""

from __future__ import annotations

import pytest

from config.errors import ConfigError
from config.source import parse_yaml, read_yaml

FIX_101 = ("Check indentation and quoting on that line (strings holding ': ' or '{{' need "
           "quotes).")


def test_every_key_and_list_item_remembers_its_line():
    """Error messages are only as good as these positions."""
    located = parse_yaml("a:\n  b: 1\n  c:\n    - x\n    - {d: 2}\n", "f.yaml")
    assert located.data == {"a": {"b": 1, "c": ["x", {"d": 2}]}}
    assert located.lines == {
        (): ("f.yaml", 1), ("a",): ("f.yaml", 1), ("a", "b"): ("f.yaml", 2),
        ("a", "c"): ("f.yaml", 3), ("a", "c", 0): ("f.yaml", 4), ("a", "c", 1): ("f.yaml", 5),
        ("a", "c", 1, "d"): ("f.yaml", 5),
    }


def test_where_falls_back_to_the_closest_parent():
    """A problem about a key the file lacks (a default, a missing key) points at its parent."""
    located = parse_yaml("a:\n  b: 1\n", "f.yaml")
    assert located.where(("a", "b")) == ("f.yaml", 2)
    assert located.where(("a", "missing", "deeper")) == ("f.yaml", 1)
    assert located.where(("nowhere",)) == ("f.yaml", 1)


@pytest.mark.parametrize("text", ["", "# only a comment\n"])
def test_an_empty_file_is_an_empty_mapping(text):
    assert parse_yaml(text, "f.yaml").data == {}


def test_keys_become_strings():
    """Config keys are names; `1:` and `'1':` must be the same key (and collide)."""
    assert parse_yaml("1: x\ntrue: y\n", "f.yaml").data == {"1": "x", "True": "y"}


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("a: [1, 2\nb: 3\n",
                 "f.yaml:2: error LZ101: YAML syntax error: while parsing a flow sequence (line 1), "
                 "did not find expected ',' or ']'. " + FIX_101, id="unclosed-flow-sequence"),
    pytest.param("a:\n  b: 1\n   c: 2\n",
                 "f.yaml:3: error LZ101: YAML syntax error: mapping values are not allowed in this "
                 "context. " + FIX_101, id="bad-indentation"),
    pytest.param("a: 'x\nb: 2\n",
                 "f.yaml:3: error LZ101: YAML syntax error: while scanning a quoted scalar (line 1), "
                 "found unexpected end of stream. " + FIX_101, id="unclosed-quote"),
    pytest.param("a: 1\n---\nb: 2\n",
                 "f.yaml:2: error LZ101: YAML syntax error: expected a single document in the "
                 "stream (line 1), but found another document. " + FIX_101, id="two-documents"),
    pytest.param("a:\n\tb: 1\n",
                 "f.yaml:2: error LZ101: YAML syntax error: while scanning for the next token, "
                 "found character that cannot start any token. " + FIX_101, id="tab"),
    pytest.param("a: *x\n", "f.yaml:1: error LZ101: YAML syntax error: found undefined alias 'x'. "
                 + FIX_101, id="undefined-alias"),
    pytest.param("a: &x 1\nb: &x 2\n", "f.yaml:2: error LZ101: YAML syntax error: found duplicate "
                 "anchor 'x'; first occurrence (line 1), second occurrence. " + FIX_101,
                 id="duplicate-anchor"),
    pytest.param("a: &x [&x 1]\n", "f.yaml:1: error LZ101: YAML syntax error: found duplicate "
                 "anchor 'x'; first occurrence, second occurrence. " + FIX_101,
                 id="duplicate-anchor-inside-itself"),
    pytest.param("a: !custom 1\n", "f.yaml:1: error LZ101: YAML syntax error: could not determine "
                 "a constructor for the tag '!custom'. " + FIX_101, id="unknown-tag"),
])
def test_syntax_errors_name_their_line(text, expected):
    with pytest.raises(ConfigError) as caught:
        parse_yaml(text, "f.yaml")
    assert str(caught.value) == expected


def test_duplicate_keys_are_errors_at_every_depth():
    """PyYAML keeps the last of two equal keys silently; cfn-lint rejects them, so do we."""
    text = "a: 1\nb:\n  c: 1\n  c: 2\na: 3\n'1': x\n1: y\n"
    with pytest.raises(ConfigError) as caught:
        parse_yaml(text, "f.yaml")
    assert str(caught.value).splitlines() == [
        "f.yaml:4: error LZ103: b.c: duplicate key 'c' (first defined on line 3). Remove one of "
        "them: YAML keeps only the last, which hides mistakes.",
        "f.yaml:5: error LZ103: a: duplicate key 'a' (first defined on line 1). Remove one of "
        "them: YAML keeps only the last, which hides mistakes.",
        "f.yaml:7: error LZ103: 1: duplicate key '1' (first defined on line 6). Remove one of "
        "them: YAML keeps only the last, which hides mistakes.",
    ]


def test_merge_keys_are_rejected():
    """`<<` copies keys invisibly; the local override file is the supported way to share."""
    with pytest.raises(ConfigError) as caught:
        parse_yaml("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n", "f.yaml")
    assert str(caught.value) == (
        "f.yaml:3: error LZ102: other: YAML merge keys ('<<') are not supported. Write the keys "
        "out, or use the local override file.")


def test_anchors_without_merge_keys_are_plain_copies():
    located = parse_yaml("a: &x [1, 2]\nb: *x\n", "f.yaml")
    assert located.data == {"a": [1, 2], "b": [1, 2]}


def test_missing_file(tmp_path):
    path = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError) as caught:
        read_yaml(path)
    assert str(caught.value) == (
        f"{path}: error LZ100: configuration file not found. Pass the path of your organization "
        "YAML, or create config/organization.yaml.")


def test_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: Jos\xe9\n".encode("latin-1"))
    with pytest.raises(ConfigError) as caught:
        read_yaml(path)
    [problem] = caught.value.problems
    assert (problem.code, problem.file, problem.fix) == (
        "LZ100", str(path), "Check its permissions and that it is UTF-8 text.")
    assert problem.message.startswith("cannot read the file: 'utf-8' codec can't decode byte 0xe9")


def _laughs(levels: int) -> str:
    """The "billion laughs" file: each anchor repeats the previous one ten times."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


FIX_105 = "Write the repeated values out, or use fewer, smaller aliases ('&name' / '*name')."


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param(_laughs(12),
                 "f.yaml:4: error LZ105: aliases repeat more than 10000 nodes (this one, '*a2', "
                 f"1111). {FIX_105}", id="billion-laughs"),
    pytest.param("a: &a [x, *a]\n",
                 f"f.yaml:1: error LZ105: alias '*a' refers to the node that contains it. {FIX_105}",
                 id="recursive-alias"),
    pytest.param("a:\n  b: &b {c: [1]}\n  d: [*b, &e [*b]]\n  f: [*e]\n" + "g: " + "[" * 101
                 + "]" * 101 + "\n",
                 "f.yaml:5: error LZ106: the YAML is nested more than 100 levels deep. A "
                 "landing-zone config is a few levels deep: flatten the structure.",
                 id="deep-nesting"),
    pytest.param("a: " + "{b: " * 5000 + "1" + "}" * 5000 + "\n",
                 "f.yaml:1: error LZ106: the YAML is nested more than 100 levels deep. A "
                 "landing-zone config is a few levels deep: flatten the structure.",
                 id="nesting-that-crashed-libyaml"),
])
def test_hostile_yaml_is_refused_before_it_is_built(text, expected):
    """A 1 KB alias bomb ran `./lz validate` past 120 s and 14 GB; a few thousand brackets
    crashed the process. Both stop at the line that crosses the bound."""
    with pytest.raises(ConfigError) as caught:
        parse_yaml(text, "f.yaml")
    assert str(caught.value) == expected


def test_aliases_and_nesting_within_the_bounds_load():
    text = "a: &a [" + ", ".join(["x"] * 9_998) + "]\nb: *a\n" + "c: " + "[" * 99 + "]" * 99 + "\n"
    assert len(parse_yaml(text, "f.yaml").data["b"]) == 9_998


def test_values_are_typed_as_yaml_1_1_types_them():
    """The same scalars PyYAML's safe loader makes (YAML 1.1: a leading-zero number with an 8
    or 9 is a string), aliases are copies."""
    located = parse_yaml("a: 012345678901\nb: '012345678901'\nc: yes\nd: ~\ne: 1.5\nf: ''\n"
                         "g:\nh: {x: &s [1], y: *s}\n", "f.yaml")
    assert located.data == {"a": "012345678901", "b": "012345678901",
                            "c": True, "d": None, "e": 1.5, "f": "", "g": None,
                            "h": {"x": [1], "y": [1]}}


@pytest.mark.parametrize(("text", "data"), [("null\n", None), ("~\n", None), ("[]\n", []),
                                            ("x\n", "x")])
def test_a_document_that_is_not_a_mapping_stays_what_it_is(text, data):
    """Only an empty file is an empty mapping; the loader reports any other root (LZ104)."""
    assert parse_yaml(text, "f.yaml").data == data


def test_an_aliased_copy_is_placed_where_the_alias_is():
    """A problem inside the copy points at the line that uses it."""
    located = parse_yaml("base: &b {k: 1}\nuse: *b\n", "f.yaml")
    assert located.data == {"base": {"k": 1}, "use": {"k": 1}}
    assert located.where(("use", "k")) == ("f.yaml", 2)
