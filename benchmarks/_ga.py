"""Grouping accuracy (GA), the score of log-template mining, as loghub defines it.

A message counts as correct when the group a miner puts it in holds exactly the messages of
its true group (its ``EventId``): no message of another event joined it, and none of its own
event went elsewhere. GA is the share of correct messages. A miner that splits an event in two
gets none of that event's messages right; one that merges two events gets none of either.

This is loghub's definition (the README of ``../shared/data/loghub`` and logparser's
``evaluator.get_accuracy``: for each predicted group, all its messages are correct when they
share one true id and that true group has the same size). Group labels on either side are
opaque: only which messages share a label matters, so any relabelling scores the same.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence

__all__ = ["correct_messages", "grouping_accuracy"]


def correct_messages(truth: Sequence[Hashable], predicted: Sequence[Hashable]) -> list[bool]:
    """One flag per message: does its predicted group equal its true group, as sets?

    ``truth[i]`` and ``predicted[i]`` label message ``i``. Raises ``ValueError`` when the two
    do not label the same number of messages.
    """
    if len(truth) != len(predicted):
        raise ValueError(f"{len(truth)} true labels but {len(predicted)} predicted ones")
    true_sizes = Counter(truth)
    members: defaultdict[Hashable, list[int]] = defaultdict(list)
    for index, label in enumerate(predicted):
        members[label].append(index)
    flags = [False] * len(truth)
    for indices in members.values():
        # a predicted group is right when it has one true id and all of that id's messages
        true_ids = {truth[i] for i in indices}
        if len(true_ids) == 1 and true_sizes[truth[indices[0]]] == len(indices):
            for i in indices:
                flags[i] = True
    return flags


def grouping_accuracy(truth: Sequence[Hashable], predicted: Sequence[Hashable]) -> float:
    """The share of messages whose predicted group is exactly their true group (0.0 to 1.0).

    Raises ``ValueError`` for no messages (the share is undefined) or unequal lengths.
    """
    flags = correct_messages(truth, predicted)
    if not flags:
        raise ValueError("no messages to score")
    return sum(flags) / len(flags)
