"""konfig reads values nested up to ``MAX_DEPTH`` lists and mappings, in every format and on
every Python, and refuses deeper ones with one error line and exit 2 (it used to depend on the
recursion limit: a traceback for deep TOML everywhere, and for 990-deep JSON on 3.13)."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from konfig._document import MAX_DEPTH, too_deep

from .conftest import write


def _yaml_flow(n: int) -> str:
    return "[" * n + "]" * n + "\n"


def _yaml_block(n: int) -> str:
    return "".join(f"{'  ' * i}k:\n" for i in range(n - 1)) + "  " * (n - 1) + "k: 1\n"


def _yaml_alias(n: int) -> str:
    """``n`` levels: the root mapping, ``n - half`` lists, and an alias to ``half - 1`` more."""
    half = n // 2
    inner, outer = half - 1, n - half
    return f"a: &x {'[' * inner}1{']' * inner}\nb: {'[' * outer}*x{']' * outer}\n"


def _json_lists(n: int) -> str:
    return "[" * n + "]" * n


def _json_objects(n: int) -> str:
    return '{"a": ' * n + "1" + "}" * n


def _toml(n: int) -> str:
    return "a = " + "[" * (n - 1) + "]" * (n - 1) + "\n"  # the root table is a level


WRITERS: dict[str, Callable[[int], str]] = {
    "flow.yaml": _yaml_flow,
    "block.yaml": _yaml_block,
    "alias.yaml": _yaml_alias,
    "lists.json": _json_lists,
    "objects.json": _json_objects,
    "inline.toml": _toml,
}


def _depth(value: object, seen: dict[int, int] | None = None) -> int:
    """The oracle: the most lists and dicts nested in one another, by plain recursion
    (remembered per shared list or dict, or a value that shares them takes exponential time)."""
    seen = {} if seen is None else seen
    if not isinstance(value, dict | list):
        return 0
    if id(value) not in seen:
        children = value.values() if isinstance(value, dict) else value
        seen[id(value)] = 1 + max((_depth(child, seen) for child in children), default=0)
    return seen[id(value)]


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_the_writers_nest_as_many_levels_as_asked(name: str) -> None:
    loads: dict[str, Callable[[str], Any]] = {
        "json": json.loads,
        "toml": tomllib.loads,
        "yaml": yaml.safe_load,
    }
    assert _depth(loads[name.rsplit(".", 1)[1]](WRITERS[name](7))) == 7


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_max_depth_is_read_and_one_more_is_one_error_line(
    konfig: Any, tmp_path: Path, name: str
) -> None:
    schema = write(tmp_path / "s.json", "{}")
    at_limit = write(tmp_path / "ok" / name, WRITERS[name](MAX_DEPTH))
    assert konfig("validate", at_limit, "--schema", schema).status == 0
    generated = konfig("generate-schema", at_limit)
    assert generated.status == 0, generated.err
    assert json.loads(generated.out)["$schema"].startswith("https://json-schema.org/")

    over = write(tmp_path / "deep" / name, WRITERS[name](MAX_DEPTH + 1))
    run = konfig("validate", over, "--schema", schema, "--json")
    assert run.status == 2
    (row,) = run.json()
    assert row["validator"] == "syntax"
    assert row["message"].endswith(f"nested too deeply (more than {MAX_DEPTH} levels)")
    run = konfig("generate-schema", over)
    assert (run.status, run.out) == (2, "")
    assert run.err == f"konfig: error: {over}: nested too deeply (more than {MAX_DEPTH} levels)\n"


@pytest.mark.parametrize("name", sorted(WRITERS))
@pytest.mark.parametrize("depth", [990, 5_000])
def test_far_deeper_input_is_the_same_error_whatever_guard_trips_first(
    konfig: Any, tmp_path: Path, name: str, depth: int
) -> None:
    """json's and tomllib's own recursion, or libyaml's limit of 1,000 levels, may trip before
    konfig counts: the answer is still one error line and exit 2, never a traceback."""
    deep = write(tmp_path / name, WRITERS[name](depth))
    run = konfig("validate", deep, "--schema", write(tmp_path / "s.json", "{}"), "--json")
    assert run.status == 2
    (row,) = run.json()
    assert row["validator"] == "syntax"
    assert "nested" in row["message"] or "nesting" in row["message"], row
    run = konfig("generate-schema", deep)
    assert run.status == 2 and run.err.count("\n") == 1 and "konfig: error: " in run.err


_leaves = st.none() | st.booleans() | st.integers() | st.text(max_size=3)


@st.composite
def _nested(draw: st.DrawFn) -> object:
    """A value whose deepest chain is near MAX_DEPTH, with shallower branches beside it and
    lists shared between branches (as YAML aliases share them)."""
    value: object = draw(_leaves)
    shared: list[object] = []
    for _ in range(draw(st.integers(MAX_DEPTH - 3, MAX_DEPTH + 3))):
        siblings = draw(st.lists(_leaves | st.sampled_from([[], {}]), max_size=2))
        if shared and draw(st.booleans()):
            siblings.append(draw(st.sampled_from(shared)))
        if draw(st.booleans()):
            value = [*siblings, value]
        else:
            value = {**{str(i): s for i, s in enumerate(siblings)}, "v": value}
        shared.append(value)
    return value


@given(_nested())
def test_too_deep_agrees_with_a_recursive_count(value: object) -> None:
    assert too_deep(value) == (_depth(value) > MAX_DEPTH)


def test_a_value_that_holds_itself_is_left_to_the_readers() -> None:
    """YAML's recursive alias (``a: &x [*x]``) is not a deep value: the readers say what it is."""
    loop: list[object] = [1]
    loop.append({"again": loop})
    assert not too_deep(loop)
    assert too_deep([loop, _chain(MAX_DEPTH)])
    assert not too_deep([loop, _chain(MAX_DEPTH - 1)])


def _chain(n: int) -> object:
    value: object = 0
    for _ in range(n):
        value = [value]
    return value
