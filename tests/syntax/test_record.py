"""``record`` behaves as ``dataclass(frozen=True, slots=True, kw_only=True)``: the oracle is
the same class built by ``dataclasses``."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rxp._syntax._ast import Literal, Span
from rxp._syntax._parse import parse
from rxp._syntax._record import field_names, record, replace


@record
class Point:
    x: int
    y: tuple[int, ...]
    label: str = "p"


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Oracle:
    x: int
    y: tuple[int, ...]
    label: str = "p"


values = st.builds(
    lambda x, y, label: {"x": x, "y": tuple(y), "label": label},
    st.integers(-3, 3),
    st.lists(st.integers(0, 2), max_size=2),
    st.sampled_from(["p", "q"]),
)


@given(values, values)
def test_equality_hash_and_repr_as_a_frozen_dataclass(
    a: dict[str, object], b: dict[str, object]
) -> None:
    ra, rb, oa, ob = Point(**a), Point(**b), Oracle(**a), Oracle(**b)  # type: ignore[arg-type]
    assert (ra == rb) == (oa == ob)
    assert (hash(ra) == hash(rb)) or ra != rb
    assert repr(ra) == repr(oa).replace("Oracle", "Point")
    assert ra != oa  # another class is never equal
    assert field_names(ra) == tuple(f.name for f in dataclasses.fields(Oracle))


def test_frozen_keyword_only_and_defaults() -> None:
    p = Point(x=1, y=())
    assert p.label == "p"
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.x = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del p.x  # type: ignore[misc]
    with pytest.raises(TypeError):
        Point(1, ())  # type: ignore[misc]
    with pytest.raises(AttributeError):
        p.other = 1  # type: ignore[attr-defined]
    assert not hasattr(p, "__dict__")


def test_pickle_copy_and_replace_keep_the_value() -> None:
    tree = parse(r"(?P<n>a|b)+\d")
    assert pickle.loads(pickle.dumps(tree)) == tree
    assert copy.deepcopy(tree) == tree
    lit = Literal(span=Span(0, 1), char="a", raw="a", kind="plain")
    assert replace(lit, char="b") == Literal(span=Span(0, 1), char="b", raw="a", kind="plain")
    with pytest.raises(TypeError):
        replace(lit, nope=1)
