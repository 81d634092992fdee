"""The loader: values as PyYAML reads them, the line:col of every value and key, and the lies."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from konfig._document import Pos
from konfig._errors import LoadError
from konfig._load import load_text

BLOCK = """\
name: web
image:
  repository: nginx
  tag: "1.25"
ports:
  - 80
  - name: https
    port: 443
flow: {a: [1, 2], b: {c: x}}
"""


def test_values_equal_pyyaml_and_positions_point_at_each_value() -> None:
    doc = load_text("v.yaml", BLOCK).documents[0]
    assert doc.value == yaml.safe_load(BLOCK)
    assert doc.values[("name",)] == Pos(1, 7)
    assert doc.keys[("name",)] == Pos(1, 1)
    assert doc.values[("image", "tag")] == Pos(4, 8)
    assert doc.keys[("image", "tag")] == Pos(4, 3)
    assert doc.values[("image",)] == Pos(3, 3)  # a block mapping starts at its first key
    assert doc.values[("ports", 0)] == Pos(6, 5)
    assert doc.values[("ports", 1, "port")] == Pos(8, 11)
    assert doc.values[("flow", "a", 1)] == Pos(9, 15)
    assert doc.values[("flow", "b", "c")] == Pos(9, 26)
    assert doc.lies == []


def test_multi_document_streams_are_numbered_from_one_with_file_lines() -> None:
    source = load_text("v.yaml", "a: 1\n---\nb: 2\n---\n- x\n")
    assert [d.index for d in source.documents] == [1, 2, 3]
    assert [d.value for d in source.documents] == [{"a": 1}, {"b": 2}, ["x"]]
    assert source.documents[1].values[("b",)] == Pos(3, 4)
    assert source.documents[2].values[(0,)] == Pos(5, 3)


def test_an_empty_file_is_one_null_document() -> None:
    (doc,) = load_text("v.yaml", "").documents
    assert doc.value is None


def lie_kinds(text: str) -> list[tuple[str, Pos]]:
    doc = load_text("v.yaml", text).documents[0]
    return [(lie.kind, lie.pos) for lie in doc.lies]


def test_duplicate_keys_keep_the_last_value_and_report_both_places() -> None:
    doc = load_text("v.yaml", "a: 1\nb: 2\na: 3\n").documents[0]
    assert doc.value == {"a": 3, "b": 2}  # as PyYAML
    (lie,) = doc.lies
    assert (lie.kind, lie.pos) == ("duplicate-key", Pos(3, 1))
    assert "first at line 1, column 1" in lie.message


@pytest.mark.parametrize("word", ["yes", "No", "ON", "off", "y", "N", "yEs"])
def test_yaml11_booleans_are_flagged_whichever_way_pyyaml_reads_them(word: str) -> None:
    assert lie_kinds(f"k: {word}\n") == [("yaml11-bool", Pos(1, 4))]


@pytest.mark.parametrize("text", ["k: true\n", "k: 'yes'\n", 'k: "no"\n', "k: nope\n"])
def test_real_booleans_and_quoted_words_are_not_lies(text: str) -> None:
    assert lie_kinds(text) == []


def test_sexagesimal_and_octal_numbers() -> None:
    doc = load_text("v.yaml", "t: 1:30\nmode: 0755\nzero: 0\nten: 10\n").documents[0]
    assert doc.value == {"t": 90, "mode": 493, "zero": 0, "ten": 10}
    assert [(lie.kind, lie.pos) for lie in doc.lies] == [
        ("sexagesimal", Pos(1, 4)),
        ("octal", Pos(2, 7)),
    ]


def test_non_string_keys_become_their_json_spelling() -> None:
    doc = load_text("v.yaml", "1: a\ntrue: b\nnull: c\n").documents[0]
    assert doc.value == {"1": "a", "true": "b", "null": "c"}
    assert [lie.kind for lie in doc.lies] == ["non-string-key"] * 3


def test_merge_keys_and_aliases() -> None:
    text = "base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n"
    doc = load_text("v.yaml", text).documents[0]
    assert doc.value == yaml.safe_load(text)
    assert doc.values[("m", "x")] == Pos(1, 14)  # the anchor's place
    assert doc.lies == []


def test_numbers_keep_their_source_text() -> None:
    doc = load_text("v.yaml", "version: 1.10\n").documents[0]
    assert doc.value == {"version": 1.1}
    assert doc.numbers[("version",)] == "1.10"


def test_bad_yaml_is_a_load_error_with_its_place() -> None:
    with pytest.raises(LoadError) as caught:
        load_text("v.yaml", "a: 1\nb: [1, 2\nc: 3\n")
    assert caught.value.line == 3
    assert caught.value.message.startswith("invalid YAML:")


def test_alias_bombs_are_refused() -> None:
    text = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefg", "bcdefgh", strict=True)
    )
    with pytest.raises(LoadError, match="alias"):
        load_text("v.yaml", text)


def test_json_values_are_json_s_and_positions_the_composer_s() -> None:
    text = '{"a": [1, 1e3, "x\\/y"],\n "b": {"c": 12345678901234567890123}}'
    doc = load_text("v.json", text).documents[0]
    assert doc.value == {"a": [1, 1000.0, "x/y"], "b": {"c": 12345678901234567890123}}
    assert doc.values[("a", 1)] == Pos(1, 11)
    assert doc.values[("b", "c")] == Pos(2, 13)


def test_json_that_libyaml_refuses_keeps_its_values() -> None:
    doc = load_text("v.json", '{"e": "\\ud83d\\ude00"}').documents[0]
    assert doc.value == {"e": "\N{GRINNING FACE}"}


def test_json_syntax_errors_have_json_s_place() -> None:
    with pytest.raises(LoadError) as caught:
        load_text("v.json", '{"a": 1,\n "b": }')
    assert (caught.value.line, caught.value.column) == (2, 7)


def test_toml_positions_come_from_a_scan_for_the_key() -> None:
    text = "title = 'x'\n[server]\nport = 80\n[client]\nport = 81\n"
    doc = load_text("c.toml", text).documents[0]
    assert doc.value == {"title": "x", "server": {"port": 80}, "client": {"port": 81}}
    assert doc.values[("server", "port")] == Pos(3, 1)
    assert doc.values[("client", "port")] == Pos(5, 1)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=15,
)


@given(json_values)
def test_any_safe_dumped_value_reads_back_as_pyyaml_reads_it(value: object) -> None:
    text = yaml.safe_dump(value)
    (doc,) = load_text("v.yaml", text).documents
    assert doc.value == yaml.safe_load(text)


def test_yaml_1_2_reads_the_1_1_words_and_numbers_as_the_core_schema_does() -> None:
    text = "a: no\nb: 0755\nc: 1:30\non: x\nd: true\n"
    doc = load_text("v.yaml", text, yaml_version="1.2").documents[0]
    assert doc.value == {"a": "no", "b": 755, "c": "1:30", "on": "x", "d": True}
    assert [lie.kind for lie in doc.lies] == ["yaml11-bool", "octal", "sexagesimal"]
