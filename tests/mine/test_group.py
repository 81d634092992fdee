"""The grouping (``rxp._mine._group``, Brain's method) and the partition of lines it gives:
independent of the input's order and of how the input is cut into pieces, each template
faithful to the keys it holds, and as accurate as loghub's labels on the committed samples
(grouping accuracy computed here from loghub's definition)."""

from __future__ import annotations

import itertools
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rxp
from rxp._mine._group import CONSTANT_VALUES, group, merge_skeletons, skeleton
from rxp._mine._miner import Miner
from rxp._mine._tokens import VAR, Tokenizer, grouping_key

from ._loghub import SYSTEMS, grouping_accuracy, partition, sample

Tokens = tuple[str, ...]


def _counts(lines: list[str] | tuple[str, ...]) -> Counter[Tokens]:
    tokenize = Tokenizer()
    return Counter(grouping_key(tokenize(line)) for line in lines)


# -- group() itself -------------------------------------------------------------------------

# grouping keys over a small alphabet, so that keys share tokens and positions vary
keys = st.lists(st.sampled_from(["a", "b", "c", "user", "for", "x=", VAR]), max_size=5).map(tuple)
key_counts = st.dictionaries(keys, st.integers(1, 20), max_size=25)


@given(key_counts, st.randoms(use_true_random=False))
def test_group_does_not_depend_on_the_order_of_its_keys(
    counts: dict[Tokens, int], rnd: random.Random
) -> None:
    items = list(counts.items())
    rnd.shuffle(items)
    assert group(dict(items)) == group(counts)


@given(key_counts)
def test_a_template_keeps_its_key_s_tokens_and_varies_elsewhere(counts: dict[Tokens, int]) -> None:
    templates = group(counts)
    assert set(templates) == set(counts)
    for key, template in templates.items():
        assert len(template) == len(key)
        assert all(t in (k, VAR) for k, t in zip(key, template, strict=True))
        if key:
            assert template[0] == key[0]  # the first token is never a variable


@given(key_counts)
def test_keys_of_one_template_agree_on_its_constants(counts: dict[Tokens, int]) -> None:
    by_template: dict[Tokens, list[Tokens]] = {}
    for key, template in group(counts).items():
        by_template.setdefault(template, []).append(key)
    for template, members in by_template.items():
        for i, token in enumerate(template):
            if token != VAR:
                assert {m[i] for m in members} == {token}


@given(keys)
def test_a_skeleton_is_the_constants_with_no_repeat(shape: Tokens) -> None:
    out = skeleton(shape)
    assert VAR not in out
    assert all(a != b for a, b in itertools.pairwise(out))
    constants = [t for t in shape if t != VAR]
    assert [t for t, _ in itertools.groupby(constants)] == list(out)


@given(key_counts)
def test_merge_skeletons_names_each_key_by_its_template_s_skeleton(
    counts: dict[Tokens, int],
) -> None:
    templates = group(counts)
    merged = merge_skeletons(templates)
    assert merged == {k: skeleton(t) for k, t in templates.items()}


def test_few_values_are_constants_and_many_are_a_variable() -> None:
    few = [f"session opened for {u}" for u in ["admin", "root"] * 5]
    many = [f"session opened for u{i}x" for i in range(CONSTANT_VALUES + 1)]
    assert len({t for t in group(_counts(few)).values()}) == 2
    assert len({t for t in group(_counts(many)).values()}) == 1


def test_a_word_that_names_a_variable_makes_it_one() -> None:
    # two users are two constants after "for", one variable after "user"
    lines = ["invalid user admin from x", "invalid user root from x"] * 3
    assert len(set(group(_counts(lines)).values())) == 1
    other = [line.replace("user", "login") for line in lines]
    assert len(set(group(_counts(other)).values())) == 2


def test_an_absent_variable_does_not_make_a_second_template() -> None:
    # OpenSSH logs an empty user name as two spaces: "for  from"
    users = [f"for u{i}x from" for i in range(CONSTANT_VALUES + 2)] + ["for  from"] * 2
    lines = [f"Accepted password {u} 10.0.0.1 port 22 ssh2" for u in users]
    mining = rxp.mine_lines(lines)
    assert len(mining.templates) == 1


def test_one_value_is_a_constant_even_when_absent_elsewhere() -> None:
    lines = ["Accepted password for alice from 10.0.0.1 port 22 ssh2"] * 3 + [
        "Accepted password for  from 10.0.0.1 port 22 ssh2"
    ] * 2
    templates = {t.template for t in rxp.mine_lines(lines).templates}
    assert templates == {
        "Accepted password for alice from <*> port <*> ssh2",
        "Accepted password for from <*> port <*> ssh2",
    }


# -- partitions of lines --------------------------------------------------------------------


@settings(max_examples=10, deadline=None)
@given(st.sampled_from(SYSTEMS), st.randoms(use_true_random=False))
def test_the_partition_does_not_depend_on_the_order_of_lines(
    system: str, rnd: random.Random
) -> None:
    lines = sample(system).messages
    order = list(range(len(lines)))
    rnd.shuffle(order)
    shuffled = rxp.mine_lines([lines[i] for i in order]).assignments
    back = [""] * len(lines)
    for position, i in enumerate(order):
        back[i] = shuffled[position]
    assert partition(back) == partition(rxp.mine_lines(lines).assignments)


def _in_two_passes(lines: list[str] | tuple[str, ...], cut: int) -> list[str]:
    """One Miner fed ``lines[:cut]``, asked for its templates, then fed the rest: each
    line's template id at the end."""
    miner = Miner()
    first = [miner.add(line) for line in lines[:cut]]
    miner.templates()
    rest = [miner.add(line) for line in lines[cut:]]
    _, ids = miner.templates()
    return [ids[i] for i in first + rest]


@pytest.mark.parametrize("system", SYSTEMS)
def test_mining_in_two_halves_gives_the_partition_of_one_pass(system: str) -> None:
    lines = sample(system).messages
    whole = rxp.mine_lines(lines).assignments
    assert partition(_in_two_passes(lines, len(lines) // 2)) == partition(whole)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(["open", "close", "for", "user", "u1", "7", "9.9", "a=1"]))
        .map(" ".join)
        .filter(bool),
        min_size=1,
        max_size=30,
    ),
    st.data(),
)
def test_any_cut_gives_the_partition_of_one_pass(lines: list[str], data: st.DataObject) -> None:
    cut = data.draw(st.integers(0, len(lines)))
    assert partition(_in_two_passes(lines, cut)) == partition(rxp.mine_lines(lines).assignments)


def test_a_template_keeps_its_id_when_more_lines_come() -> None:
    miner = Miner()
    first = miner.add("Failed password for root from 10.0.0.1 port 22 ssh2")
    _, ids = miner.templates()
    before = ids[first]
    for i in range(20):
        miner.add(f"Connection closed by 10.0.0.{i} [preauth]")
        miner.add(f"Failed password for u{i} from 10.0.0.{i} port {i} ssh2")
    _, ids = miner.templates()
    assert ids[first] == before


# -- accuracy on loghub's labels ------------------------------------------------------------

# The first 200 lines of OpenSSH hold two user names only (root, uucp): two values are
# constants to Brain's cardinality rule (CONSTANT_VALUES), so "Failed password for root" and
# "... for uucp" are two templates where loghub has one event. On the full 2k file, with many
# users, the miner scores 1.0. The floor here is what the sample gives, so a regression
# still fails; reported to the lead rather than tuned away.
_FLOOR = dict.fromkeys(SYSTEMS, 0.9) | {"OpenSSH": 0.65}


@pytest.mark.parametrize("system", SYSTEMS)
def test_grouping_accuracy_on_messages(system: str) -> None:
    s = sample(system)
    assert grouping_accuracy(s.events, rxp.mine_lines(s.messages).assignments) >= _FLOOR[system]


@pytest.mark.parametrize("system", SYSTEMS)
def test_grouping_accuracy_on_raw_lines(system: str) -> None:
    s = sample(system)
    mined = rxp.mine_lines(s.raw, format="auto").assignments
    assert grouping_accuracy(s.events, mined) >= _FLOOR[system]


def test_mean_grouping_accuracy_on_the_samples() -> None:
    scores = [
        grouping_accuracy(sample(s).events, rxp.mine_lines(sample(s).messages).assignments)
        for s in SYSTEMS
    ]
    assert sum(scores) / len(scores) >= 0.92


def test_grouping_accuracy_is_loghub_s() -> None:
    # the definition on a hand case: event A split in two loses all its messages, B whole
    assert grouping_accuracy(["A", "A", "A", "B"], [1, 1, 2, 3]) == 0.25
    assert grouping_accuracy(["A", "A", "B"], ["x", "x", "x"]) == 0.0
    assert grouping_accuracy(["A", "B"], ["y", "x"]) == 1.0
