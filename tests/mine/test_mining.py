"""``rxp.mine_lines``, the library's front door: what a ``Mining`` promises about its
templates and assignments, on the loghub samples and on any lines."""

from __future__ import annotations

import dataclasses
import typing
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rxp

from ._loghub import SYSTEMS, partition, sample


def _check(lines: list[str] | tuple[str, ...], mining: rxp.Mining) -> None:
    """Every promise of ``Mining`` for ``lines``."""
    stripped = [line.rstrip("\r\n") for line in lines]
    assert len(mining.assignments) == len(lines)
    ids = [t.id for t in mining.templates]
    assert len(set(ids)) == len(ids)
    assert set(mining.assignments) == set(ids)  # every template holds a line
    counts = Counter(mining.assignments)
    for template in mining.templates:
        assert template.count == counts[template.id]
        assert mining.template(template.id) is template
        assert 1 <= len(template.examples) <= 3
        pairs = zip(stripped, mining.assignments, strict=True)
        own = {line for line, tid in pairs if tid == template.id}
        assert set(template.examples) <= own
    assert sum(t.count for t in mining.templates) == len(lines)
    by_count = [t.count for t in mining.templates]
    assert by_count == sorted(by_count, reverse=True)


@pytest.mark.parametrize("system", SYSTEMS)
def test_a_mining_of_messages_keeps_its_promises(system: str) -> None:
    lines = sample(system).messages
    _check(lines, rxp.mine_lines(lines))


@pytest.mark.parametrize("system", SYSTEMS)
def test_a_mining_of_raw_lines_keeps_its_promises(system: str) -> None:
    raw = sample(system).raw
    mining = rxp.mine_lines(raw, format="auto")
    assert len(mining.assignments) == len(raw)
    assert sum(t.count for t in mining.templates) == len(raw)
    assert set(mining.assignments) == {t.id for t in mining.templates}


lines_ = st.lists(
    st.lists(st.sampled_from(["a", "b", "1", "2.5", "x=3", "10.0.0.1", "(", "user", " ", ""])).map(
        " ".join
    ),
    max_size=30,
)


@settings(max_examples=80, deadline=None)
@given(lines_)
def test_any_lines_keep_the_promises(lines: list[str]) -> None:
    _check(lines, rxp.mine_lines(lines))


@settings(max_examples=50, deadline=None)
@given(lines_, st.sampled_from(["\n", "\r\n"]))
def test_a_trailing_newline_is_ignored(lines: list[str], end: str) -> None:
    plain = rxp.mine_lines(lines)
    ended = rxp.mine_lines([line + end for line in lines])
    assert ended == plain


def test_lines_from_a_file_and_from_a_list_mine_alike() -> None:
    raw = sample("HDFS").raw  # CRLF endings, as a file gives them
    assert raw[0].endswith("\r\n")
    assert rxp.mine_lines(raw) == rxp.mine_lines([line.rstrip("\r\n") for line in raw])


def test_an_iterator_is_read_once() -> None:
    lines = sample("Apache").messages
    assert rxp.mine_lines(iter(lines)) == rxp.mine_lines(list(lines))


def test_empty_input_gives_no_templates() -> None:
    for fmt in ("message", "auto"):
        mining = rxp.mine_lines([], format=fmt)  # type: ignore[arg-type]
        assert mining.templates == ()
        assert mining.assignments == ()


def test_ids_are_t1_t2_by_count() -> None:
    lines = ["b 1", "a 10.0.0.1", "b 2", "b 3", "a 10.0.0.2", "c"]
    mining = rxp.mine_lines(lines)
    assert [t.id for t in mining.templates] == ["T1", "T2", "T3"]
    assert [t.count for t in mining.templates] == [3, 2, 1]
    assert mining.assignments == ("T1", "T2", "T1", "T1", "T2", "T3")


def test_template_lookup_of_an_unknown_id_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        rxp.mine_lines(["a"]).template("T99")


def test_mining_twice_gives_the_same_result() -> None:
    lines = sample("Linux").messages
    assert rxp.mine_lines(lines) == rxp.mine_lines(lines)


def test_auto_on_bare_messages_groups_as_message_does() -> None:
    # lines with no header: "auto" finds nothing to strip, so it groups as "message" does
    lines = sample("Apache").messages
    assert partition(rxp.mine_lines(lines, format="auto").assignments) == partition(
        rxp.mine_lines(lines).assignments
    )


def test_the_result_is_typed_and_frozen() -> None:
    mining = rxp.mine_lines(["a 1"])
    hints = typing.get_type_hints(rxp.Template)
    assert hints["groups"] == tuple[str, ...] and hints["count"] is int
    with pytest.raises(dataclasses.FrozenInstanceError):
        mining.templates[0].count = 2  # type: ignore[misc]
    assert rxp.mine_lines.__doc__ and "format" in rxp.mine_lines.__doc__
