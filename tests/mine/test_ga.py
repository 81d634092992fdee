"""Grouping accuracy (``benchmarks/_ga.py``), the score ``benchmarks/mine_vs_drain3.py`` prints
for rxp and Drain3: hand-made cases, a brute-force oracle written from the definition, and the
properties the definition implies (truth scores 1, labels are opaque, a merge costs exactly the
merged messages)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))

from _ga import correct_messages, grouping_accuracy

# true event ids of a few messages: small alphabets so groups have several members
truths = st.lists(st.sampled_from("ABCDEF"), min_size=1, max_size=40)


def _oracle(truth: list[str], predicted: list[object]) -> list[bool]:
    """The definition, pair by pair: message i is correct when every message shares its
    predicted group exactly when it shares its true group."""
    n = len(truth)
    return [
        all((truth[i] == truth[j]) == (predicted[i] == predicted[j]) for j in range(n))
        for i in range(n)
    ]


# -- hand-made cases -----------------------------------------------------------------------


def test_a_perfect_grouping_scores_one() -> None:
    assert grouping_accuracy(["A", "A", "B"], [7, 7, 3]) == 1.0


def test_a_split_event_loses_all_its_messages() -> None:
    # A is split in two: both halves wrong; B and C kept whole
    truth = ["A", "A", "A", "B", "C"]
    predicted = [1, 1, 2, 3, 4]
    assert correct_messages(truth, predicted) == [False, False, False, True, True]
    assert grouping_accuracy(truth, predicted) == pytest.approx(2 / 5)


def test_a_merge_loses_both_events_even_the_bigger_one() -> None:
    truth = ["A", "A", "A", "B", "C", "C"]
    predicted = ["x", "x", "x", "x", "y", "y"]  # B joined A's group
    assert correct_messages(truth, predicted) == [False] * 4 + [True] * 2
    assert grouping_accuracy(truth, predicted) == pytest.approx(2 / 6)


def test_a_subset_of_the_true_group_is_not_enough() -> None:
    # the predicted group {0, 1} has one true id, but A has three messages
    assert correct_messages(["A", "A", "A"], ["p", "p", "q"]) == [False, False, False]


def test_singletons_score_by_whether_their_event_has_one_message() -> None:
    truth = ["A", "B", "B", "C"]
    predicted = [0, 1, 2, 3]  # every message alone
    assert correct_messages(truth, predicted) == [True, False, False, True]


def test_everything_in_one_group_is_right_only_for_a_single_event() -> None:
    assert grouping_accuracy(["A"] * 5, ["g"] * 5) == 1.0
    assert grouping_accuracy(["A"] * 4 + ["B"], ["g"] * 5) == 0.0


def test_unequal_lengths_and_no_messages_are_errors() -> None:
    with pytest.raises(ValueError, match="2 true labels but 1 predicted"):
        grouping_accuracy(["A", "B"], [1])
    with pytest.raises(ValueError, match="no messages"):
        grouping_accuracy([], [])


# -- properties ----------------------------------------------------------------------------


@given(truths, st.lists(st.integers(0, 4), min_size=40, max_size=40))
def test_agrees_with_the_pairwise_definition(truth: list[str], labels: list[int]) -> None:
    predicted: list[object] = list(labels[: len(truth)])
    assert correct_messages(truth, predicted) == _oracle(truth, predicted)


@given(truths)
def test_the_truth_scores_one_against_itself(truth: list[str]) -> None:
    assert grouping_accuracy(truth, truth) == 1.0


@given(truths, st.data())
def test_a_relabelling_of_the_truth_scores_one(truth: list[str], data: st.DataObject) -> None:
    ids = sorted(set(truth))
    new = data.draw(st.permutations(range(len(ids))))
    rename = dict(zip(ids, new, strict=True))
    assert grouping_accuracy(truth, [rename[t] for t in truth]) == 1.0


@given(truths.filter(lambda t: len(set(t)) >= 2), st.data())
def test_merging_two_true_groups_drops_exactly_their_messages(
    truth: list[str], data: st.DataObject
) -> None:
    ids = sorted(set(truth))
    a, b = data.draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
    predicted = [a if t == b else t for t in truth]
    assert correct_messages(truth, predicted) == [t not in (a, b) for t in truth]
    merged = truth.count(a) + truth.count(b)
    assert grouping_accuracy(truth, predicted) == pytest.approx(1 - merged / len(truth))
